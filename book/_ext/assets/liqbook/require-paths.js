// Tell RequireJS where the widgets HTML manager lives (vendored copy or CDN).  The
// manager's bundled modules find their FontAwesome fonts next to their own RequireJS
// URL (webpack publicPath = folder of module.uri); unmapped, that is the page's folder
// and every font 404s.  Map each bundled module into the manager's dist/ folder.
// Loaded between require.js and embed-amd.js; the location comes from this tag's
// data-html-manager attribute, resolved relative to this script.
(function () {
  var me = document.currentScript;
  var where = (me && me.getAttribute("data-html-manager")) || "";
  if (!where || typeof window.require === "undefined" || !window.require.config) return;
  var dist = new URL(where, me.src).href.replace(/\/$/, "") + "/dist/";
  var paths = {"@jupyter-widgets/html-manager/dist/libembed-amd": dist + "libembed-amd"};
  ["html-manager", "base", "controls", "base7", "controls7", "output"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist + name;
  });
  window.require.config({ paths: paths });
})();
