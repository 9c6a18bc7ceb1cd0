/* liqlearn explorers on the static site: mount the saved widgets without a kernel.
 *
 * myst-nb embeds the notebook's widget state in the page
 * (<script type="application/vnd.jupyter.widget-state+json">) and, where each widget
 * was displayed, a view (<script type="application/vnd.jupyter.widget-view+json">
 * holding its model_id).  This shim replaces the Jupyter widgets HTML manager for
 * the explorers: for each view whose model is an anywidget explorer it builds a small
 * in-page model (get / set / save_changes / on / off, over a copy of the saved state)
 * and calls liqlearnExplorers.render -- the same front end anywidget runs in
 * JupyterLab.  Classic script: works from file:// too.
 */
(function () {
  "use strict";
  const STATE = "application/vnd.jupyter.widget-state+json";
  const VIEW = "application/vnd.jupyter.widget-view+json";

  class StaticModel {
    constructor(state) {
      this.state = Object.assign({}, state);
      this.listeners = {};
    }
    get(name) { return this.state[name]; }
    set(name, value) {
      const old = this.state[name];
      this.state[name] = value;
      if (old !== value) this.emit("change:" + name);
    }
    save_changes() { /* no kernel: nothing to send */ }
    on(event, cb) { (this.listeners[event] = this.listeners[event] || []).push(cb); }
    off(event, cb) {
      const l = this.listeners[event] || [];
      const i = l.indexOf(cb);
      if (i >= 0) l.splice(i, 1);
    }
    emit(event) { for (const cb of (this.listeners[event] || []).slice()) cb(); }
    send() { /* custom messages need a kernel */ }
  }

  function savedState(doc) {
    const models = {};
    for (const tag of doc.querySelectorAll(`script[type="${STATE}"]`)) {
      try {
        Object.assign(models, JSON.parse(tag.textContent).state || {});
      } catch (err) {
        console.warn("liqlearn explorers: unreadable widget state", err);
      }
    }
    return models;
  }

  function mount(doc) {
    const api = globalThis.liqlearnExplorers;
    const models = savedState(doc);
    let mounted = 0;
    for (const tag of doc.querySelectorAll(`script[type="${VIEW}"]`)) {
      if (tag.dataset.lqxMounted) continue;
      let id;
      try {
        id = JSON.parse(tag.textContent).model_id;
      } catch (err) {
        continue;
      }
      const entry = models[id];
      const state = entry && entry.state;
      if (!state || entry.model_name !== "AnyModel" || !api.EXPLORERS[state.explorer]) continue;
      const el = doc.createElement("div");
      el.className = "lqx-host";
      tag.parentNode.insertBefore(el, tag.nextSibling);
      tag.dataset.lqxMounted = "1";
      api.render(new StaticModel(state), el, { static: true });
      mounted += 1;
    }
    return mounted;
  }

  globalThis.liqlearnExplorersShim = { mount, StaticModel };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => mount(document));
  } else {
    mount(document);
  }
})();
