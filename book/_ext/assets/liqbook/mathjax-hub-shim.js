// ipywidgets 8's HTML manager typesets widget labels with the MathJax 2 call
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]); Sphinx loads MathJax 3.
// Define that one call on top of MathJax 3's typesetPromise.
(function () {
  function queue() {
    var M = window.MathJax;
    var ready = (M && M.startup && M.startup.promise) || Promise.resolve();
    var elements = [];
    for (var i = 0; i < arguments.length; i++) {
      var job = arguments[i];
      if (Array.isArray(job) && job[0] === "Typeset" && job[2]) elements.push(job[2]);
    }
    return ready.then(function () {
      if (M && M.typesetPromise) return M.typesetPromise(elements.length ? elements : undefined);
    }).catch(function () {});
  }
  function install() {
    var M = window.MathJax;
    // Only on the loaded MathJax 3 object (it replaces the configuration object).
    if (M && M.version && !M.Hub) M.Hub = { Queue: queue };
  }
  install();
  document.addEventListener("DOMContentLoaded", install);
  window.addEventListener("load", install);
})();
