/* liqlearn explorers: the one front end of the five ipywidgets explorers.
 *
 * A classic script (no import/export), so the static site can load it from file://.
 * It defines globalThis.liqlearnExplorers.render(model, el, options): model is an
 * anywidget model (get/set/save_changes/on) -- the kernel's in JupyterLab, or the
 * small one the static-page shim (shim.js) builds from the saved widget state.
 *
 * Numbers come from globalThis.liqlearn (generated from the SymPy registry by
 * liqlearn.browser: FORMULAS and the hand-written algorithms) and from data Python
 * computed at build time (the widget's `data`, and `live` from a running kernel).
 * Figures are hand-written SVG in the Okabe-Ito palette of liqlearn.plotting (the
 * colours come with the widget state).
 */
(function () {
  "use strict";
  const SVGNS = "http://www.w3.org/2000/svg";
  const EXPLORERS = {};

  // ------------------------------------------------------------------ formatting
  const nf = {};
  function num(x, decimals) {
    const key = decimals;
    if (!nf[key]) {
      nf[key] = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals,
        maximumFractionDigits: decimals });
    }
    return nf[key].format(x === 0 ? 0 : x); // no "-0.00"
  }
  function price(x, unit) {
    if (x === null || x === undefined || Number.isNaN(x)) return "—";
    if (!Number.isFinite(x)) return "never (∞)";
    return num(x, 2) + " " + (unit === undefined ? "USDT" : unit);
  }
  function pct(x, decimals) {
    if (x === null || x === undefined || Number.isNaN(x)) return "—";
    return (100 * x).toFixed(decimals === undefined ? 2 : decimals) + " %";
  }
  function fixed(x, decimals) { return (x === 0 ? 0 : x).toFixed(decimals); }

  // ---------------------------------------------------------------------- style
  const CSS = `
.lqx{--lqx-fg:var(--pst-color-text-base,var(--jp-ui-font-color1,#222));
 --lqx-muted:var(--pst-color-text-muted,var(--jp-ui-font-color2,#555));
 --lqx-border:var(--pst-color-border,var(--jp-border-color1,#ccc));
 --lqx-note:var(--pst-color-surface,var(--jp-layout-color2,#f4f4f4));
 color:var(--lqx-fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
 border:1px solid var(--lqx-border);border-radius:6px;padding:.6rem .75rem;margin:.5rem 0;
 box-sizing:border-box;max-width:100%;overflow-wrap:anywhere}
.lqx *{box-sizing:border-box}
.lqx h4.lqx-title{font-size:1rem;margin:0 0 .2rem;font-weight:650}
.lqx p.lqx-intro{margin:0 0 .5rem;font-size:.9rem;color:var(--lqx-muted)}
.lqx-controls{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.35rem 1.4rem;margin:.3rem 0 .5rem}
.lqx-control{display:flex;flex-direction:column;min-width:0}
.lqx-control .lqx-head{display:flex;justify-content:space-between;gap:.5rem;font-size:.88rem}
.lqx-control output{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
.lqx-control input[type=range]{width:100%;margin:.15rem 0;accent-color:#0072B2;min-height:1.6rem}
.lqx-control select{width:100%;font:inherit;padding:.2rem;color:var(--lqx-fg);background:transparent;border:1px solid var(--lqx-border);border-radius:4px}
.lqx-control select option{color:#222;background:#fff}
.lqx-control .lqx-fixed{font-size:.78rem;color:var(--lqx-muted)}
.lqx input:focus-visible,.lqx select:focus-visible{outline:2px solid #E69F00;outline-offset:2px}
.lqx-msg{border-left:4px solid #0072B2;background:var(--lqx-note);padding:.3rem .6rem;margin:.3rem 0;font-size:.9rem}
.lqx-msg.lqx-error{border-left-color:#D55E00}
.lqx-msg:empty{display:none}
.lqx table.lqx-numbers{border-collapse:collapse;font-size:.9rem;margin:.2rem 0 .4rem;width:auto;max-width:100%}
.lqx table.lqx-numbers th{font-weight:normal;text-align:left;padding:1px 1rem 1px 0;vertical-align:top}
.lqx table.lqx-numbers td{text-align:right;padding:1px 0;font-variant-numeric:tabular-nums}
.lqx-figs{display:flex;flex-wrap:wrap;gap:.4rem 1rem;contain:layout paint}
.lqx-figs figure{flex:1 1 20rem;min-width:0;margin:0}
.lqx-figs svg{width:100%;height:auto;display:block;overflow:visible}
.lqx-figs figcaption{font-size:.8rem;color:var(--lqx-muted)}
.lqx svg text{fill:currentColor;font-family:inherit}
.lqx svg .lqx-axis{stroke:currentColor;stroke-opacity:.55;fill:none}
.lqx svg .lqx-grid{stroke:currentColor;stroke-opacity:.12}
.lqx ul.lqx-list{margin:.2rem 0;padding-left:1.2rem;font-size:.85rem}
.lqx .lqx-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
  function ensureStyle(doc) {
    if (doc.getElementById("lqx-style")) return;
    const st = doc.createElement("style");
    st.id = "lqx-style";
    st.textContent = CSS;
    doc.head.appendChild(st);
  }

  function h(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (const c of children || []) e.appendChild(c);
    return e;
  }
  function s(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  // ---------------------------------------------------------------- SVG panels
  function niceStep(span, n) {
    const raw = span / Math.max(1, n);
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const f = raw / p;
    return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
  }
  function ticks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    const step = niceStep(hi - lo, n);
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return out;
  }
  function tickLabel(t, step, fmt) {
    if (fmt) return fmt(t);
    const d = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
    return num(t, d);
  }

  let uid = 0;
  /* One chart: an <svg> with a title, labelled axes, a clipped plot area and
   * persistent marks (a <path> per key) that update() moves. */
  class Panel {
    constructor(parent, opts) {
      this.W = opts.width || 430;
      this.H = opts.height || 290;
      this.m = { l: opts.left || 62, r: 12, t: 26, b: 40 };
      if (opts.left) this.m.l += 6;
      this.xfmt = opts.xfmt;
      this.yfmt = opts.yfmt;
      this.xlog = !!opts.xlog;
      this.xticks = opts.xticks;
      const id = "lqx" + (++uid);
      const fig = h("figure");
      const svg = s("svg", { viewBox: `0 0 ${this.W} ${this.H}`, role: "img",
        "aria-labelledby": `${id}t ${id}d`, "font-size": "13" });
      this.title = s("title", { id: id + "t" }, svg);
      this.title.textContent = opts.title;
      this.desc = s("desc", { id: id + "d" }, svg);
      s("text", { x: this.W / 2, y: 15, "text-anchor": "middle", "font-weight": "600" }, svg)
        .textContent = opts.title;
      this.gAxes = s("g", {}, svg);
      const clip = s("clipPath", { id: id + "c" }, s("defs", {}, svg));
      s("rect", { x: this.m.l, y: this.m.t, width: this.W - this.m.l - this.m.r,
        height: this.H - this.m.t - this.m.b }, clip);
      this.gPlot = s("g", { "clip-path": `url(#${id}c)` }, svg);
      this.gTop = s("g", {}, svg);
      s("text", { x: (this.m.l + this.W - this.m.r) / 2, y: this.H - 6,
        "text-anchor": "middle" }, svg).textContent = opts.xlabel;
      const yl = s("text", { transform: `translate(12 ${(this.m.t + this.H - this.m.b) / 2}) rotate(-90)`,
        "text-anchor": "middle" }, svg);
      yl.textContent = opts.ylabel;
      this.gLegend = s("g", {}, svg);
      this.marks = {};
      this.svg = svg;
      this.cap = h("figcaption", { class: "lqx-sr" });
      fig.appendChild(svg);
      fig.appendChild(this.cap);
      parent.appendChild(fig);
      this.domainKey = "";
    }
    X(x) {
      const [a, b] = this.xd;
      const t = this.xlog ? (Math.log(x) - Math.log(a)) / (Math.log(b) - Math.log(a)) : (x - a) / (b - a);
      return this.m.l + t * (this.W - this.m.l - this.m.r);
    }
    Y(y) {
      const [a, b] = this.yd;
      return this.H - this.m.b - (y - a) / (b - a) * (this.H - this.m.t - this.m.b);
    }
    domain(x0, x1, y0, y1) {
      if (!(x1 > x0)) x1 = x0 + (Math.abs(x0) || 1) * 0.01;
      if (!(y1 > y0)) { const d = (Math.abs(y0) || 1) * 0.01; y0 -= d; y1 += d; }
      this.xd = [x0, x1];
      this.yd = [y0, y1];
      const key = [x0, x1, y0, y1].join();
      if (key === this.domainKey) return;
      this.domainKey = key;
      const g = this.gAxes;
      while (g.firstChild) g.removeChild(g.firstChild);
      const L = this.m.l, R = this.W - this.m.r, T = this.m.t, B = this.H - this.m.b;
      let d = "";
      const xt = this.xticks || ticks(x0, x1, 5);
      const xstep = xt.length > 1 ? Math.abs(xt[1] - xt[0]) : 1;
      for (const t of xt) {
        if (t < x0 || t > x1) continue;
        const x = this.X(t).toFixed(1);
        d += `M${x} ${T}V${B}`;
        s("text", { x, y: B + 15, "text-anchor": "middle", "font-size": "12" }, g)
          .textContent = tickLabel(t, xstep, this.xfmt);
      }
      const yt = ticks(y0, y1, 5);
      const ystep = yt.length > 1 ? yt[1] - yt[0] : 1;
      for (const t of yt) {
        const y = this.Y(t).toFixed(1);
        d += `M${L} ${y}H${R}`;
        s("text", { x: L - 4, y: +y + 4, "text-anchor": "end", "font-size": "12" }, g)
          .textContent = tickLabel(t, ystep, this.yfmt);
      }
      s("path", { d, class: "lqx-grid" }, g);
      s("path", { d: `M${L} ${T}V${B}H${R}`, class: "lqx-axis" }, g);
    }
    mark(key, attrs, top) {
      let p = this.marks[key];
      if (!p) {
        p = this.marks[key] = s("path", { fill: "none" }, top ? this.gTop : this.gPlot);
      }
      for (const k in attrs) p.setAttribute(k, attrs[k]);
      return p;
    }
    /* SVG path data of a polyline (gaps at non-finite values).  Series longer than
     * the plot is wide are decimated to each pixel column's lowest and highest point
     * (in their order), which draws the same picture -- wicks included -- with far
     * fewer points. */
    path(xs, ys) {
      const n = xs.length, out = [];
      let pen = false;
      const r = (v) => Math.round(v * 10) / 10;
      if (n <= this.W - this.m.l - this.m.r) {
        for (let i = 0; i < n; i++) {
          const y = ys[i], x = xs[i];
          if (!Number.isFinite(y) || !Number.isFinite(x)) { pen = false; continue; }
          out.push((pen ? "L" : "M") + r(this.X(x)) + " " + r(this.Y(y)));
          pen = true;
        }
        return out.join("");
      }
      let col = NaN, lo = 0, hi = 0, loAt = 0, hiAt = 0;
      const flush = () => {
        if (Number.isNaN(col)) return;
        const a = loAt <= hiAt ? lo : hi, b = loAt <= hiAt ? hi : lo;
        out.push((pen ? "L" : "M") + col + " " + r(a));
        if (b !== a) out.push("L" + col + " " + r(b));
        pen = true;
      };
      for (let i = 0; i < n; i++) {
        const y = ys[i], x = xs[i];
        if (!Number.isFinite(y) || !Number.isFinite(x)) { flush(); col = NaN; pen = false; continue; }
        const px = Math.round(this.X(x)), py = this.Y(y);
        if (px !== col) {
          flush();
          col = px; lo = hi = py; loAt = hiAt = i;
        } else if (py < lo) { lo = py; loAt = i; } else if (py > hi) { hi = py; hiAt = i; }
      }
      flush();
      return out.join("");
    }
    line(key, xs, ys, style) {
      return this.mark(key, Object.assign(lineStyle(style), { d: this.path(xs, ys) }));
    }
    hline(key, y, style) {
      const ok = Number.isFinite(y) && y >= this.yd[0] && y <= this.yd[1];
      const d = ok ? `M${this.m.l} ${this.Y(y).toFixed(1)}H${this.W - this.m.r}` : "";
      return this.mark(key, Object.assign(lineStyle(style), { d }));
    }
    vline(key, x, style) {
      const ok = Number.isFinite(x) && x >= this.xd[0] && x <= this.xd[1];
      const d = ok ? `M${this.X(x).toFixed(1)} ${this.m.t}V${this.H - this.m.b}` : "";
      return this.mark(key, Object.assign(lineStyle(style), { d }));
    }
    /* axis-aligned rectangles [x0, x1, y0, y1] in data units, one <path> */
    rects(key, rs, style) {
      let d = "";
      for (const [a, b, c, e] of rs) {
        const xa = this.X(a), xb = this.X(b), ya = this.Y(c), yb = this.Y(e);
        d += `M${Math.min(xa, xb).toFixed(1)} ${Math.min(ya, yb).toFixed(1)}h${Math.abs(xb - xa).toFixed(1)}v${Math.max(0.6, Math.abs(yb - ya)).toFixed(1)}h${(-Math.abs(xb - xa)).toFixed(1)}z`;
      }
      return this.mark(key, { d, fill: style.color, "fill-opacity": style.opacity || 1, stroke: "none" });
    }
    /* markers: "o" circles, "x" crosses, "v" down triangles */
    points(key, xs, ys, style) {
      let d = "";
      const r = style.size || 4.5;
      for (let i = 0; i < xs.length; i++) {
        if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
        const x = this.X(xs[i]), y = this.Y(ys[i]);
        if (style.shape === "x") d += `M${x - r} ${y - r}L${x + r} ${y + r}M${x - r} ${y + r}L${x + r} ${y - r}`;
        else if (style.shape === "v") d += `M${x - r} ${y - r}H${x + r}L${x} ${y + r}z`;
        else d += `M${x - r} ${y}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0z`;
      }
      const filled = style.shape !== "x";
      return this.mark(key, { d, fill: filled ? color(style.color) : "none", stroke: filled ? "currentColor" : color(style.color),
        "stroke-width": filled ? 0.7 : 2.2 }, true);
    }
    legend(items, where) {
      const g = this.gLegend;
      while (g.firstChild) g.removeChild(g.firstChild);
      let maxw = 0;
      for (const it of items) maxw = Math.max(maxw, it.label.length * 6.2 + 28);
      maxw = Math.min(maxw, this.W - this.m.l - this.m.r - 8);
      const x0 = where === "right" ? this.W - this.m.r - maxw : this.m.l + 8;
      let y = (where === "bottom" ? this.H - this.m.b - 8 - 14 * (items.length - 1) : this.m.t + 12);
      s("rect", { x: x0 - 4, y: y - 10, width: maxw, height: 14 * items.length + 4,
        fill: "var(--pst-color-background, var(--jp-layout-color0, #fff))", "fill-opacity": 0.8 }, g);
      for (const it of items) {
        if (it.shape) {
          const r = 4;
          const dd = it.shape === "v" ? `M${x0 + 9 - r} ${y - 4 - r}H${x0 + 9 + r}L${x0 + 9} ${y - 4 + r}z`
            : `M${x0 + 5} ${y - 4}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0z`;
          s("path", { d: dd, fill: color(it.color) }, g);
        } else if (it.box) {
          s("rect", { x: x0, y: y - 9, width: 18, height: 9, fill: color(it.color), "fill-opacity": it.opacity || 1 }, g);
        } else {
          s("path", Object.assign(lineStyle(it), { d: `M${x0} ${y - 4}h18` }), g);
        }
        s("text", { x: x0 + 23, y, "font-size": "11.5" }, g).textContent = it.label;
        y += 14;
      }
    }
    describe(text) {
      this.desc.textContent = text;
      this.cap.textContent = text;
    }
  }
  const DASH = { "--": "7 4", ":": "2 3", "-.": "7 3 2 3" };
  function color(c) { return c === "#000000" ? "currentColor" : c; }
  function lineStyle(st) {
    const a = { stroke: color(st.color), "stroke-width": st.width || 1.6,
      "stroke-linejoin": "round" };
    a["stroke-dasharray"] = DASH[st.dash] || "none";
    if (st.opacity) a["stroke-opacity"] = st.opacity;
    return a;
  }
  function extent(arrays, pad) {
    let lo = Infinity, hi = -Infinity;
    for (const a of arrays) {
      if (typeof a === "number") { if (Number.isFinite(a)) { lo = Math.min(lo, a); hi = Math.max(hi, a); } continue; }
      for (const v of a) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    if (!Number.isFinite(lo)) return [0, 1];
    const span = hi > lo ? hi - lo : Math.max(Math.abs(hi), 1) * 0.01;
    const p = pad === undefined ? 0.04 : pad;
    return [lo - p * span, hi + p * span];
  }

  // ------------------------------------------------------------------ controls
  function decimalsOf(step) {
    const t = String(step);
    return t.includes("e-") ? +t.split("e-")[1] : (t.split(".")[1] || "").length;
  }
  /* a control's shown value: spec.format is "price", "pct:N", "fixed:N", "int" or "x:N" */
  function showValue(c, v) {
    const [kind, d] = (c.format || "fixed:2").split(":");
    if (c.kind === "select") {
      const o = c.options.find((o) => o[1] === v);
      return o ? o[0] : String(v);
    }
    if (kind === "pct") return pct(v, +d);
    if (kind === "spct") return (v > 0 ? "+" : "") + pct(v, +d);
    if (kind === "x") return num(v, +d) + "x";
    if (kind === "int") return num(v, 0);
    if (kind === "money") return num(v, +d);
    return fixed(v, +d);
  }

  // ---------------------------------------------------------------------- mount
  function render(model, el, options) {
    const opts = options || {};
    const doc = el.ownerDocument || document;
    ensureStyle(doc);
    const name = model.get("explorer");
    const ex = EXPLORERS[name];
    const spec = model.get("spec");
    const data = model.get("data");
    const C = spec.colors;
    const root = h("section", { class: "lqx", "data-explorer": name, "aria-label": spec.title });
    root.appendChild(h("h4", { class: "lqx-title", text: spec.title }));
    if (spec.intro) root.appendChild(h("p", { class: "lqx-intro", text: spec.intro }));
    const form = h("div", { class: "lqx-controls", role: "group", "aria-label": "Controls" });
    root.appendChild(form);
    const inputs = {};
    const outputs = {};
    const ctx = { static: !!opts.static, spec, data, C, model };
    for (const c of spec.controls) {
      const id = `lqx${++uid}-${c.name}`;
      const wrap = h("div", { class: "lqx-control", "data-control": c.name });
      const label = h("label", { for: id, text: c.label });
      let input;
      if (c.kind === "select") {
        input = h("select", { id, name: c.name });
        c.options.forEach((o, i) => input.appendChild(h("option", { value: String(i), text: o[0] })));
      } else {
        input = h("input", { id, name: c.name, type: "range", min: c.min, max: c.max, step: c.step });
      }
      if (c.help) input.setAttribute("title", c.help);
      const out = h("output", { for: id });
      wrap.appendChild(h("div", { class: "lqx-head" }, [label, out]));
      wrap.appendChild(input);
      const fixedNote = ctx.static && c.static_fixed;
      if (fixedNote) {
        input.disabled = true;
        wrap.appendChild(h("div", { class: "lqx-fixed", text: c.static_fixed }));
      }
      form.appendChild(wrap);
      inputs[c.name] = input;
      outputs[c.name] = out;
      const onInput = () => {
        const v = c.kind === "select" ? c.options[+input.value][1] : snap(c, +input.value, ctx);
        const values = Object.assign({}, model.get("values"));
        values[c.name] = v;
        model.set("values", values);
        model.save_changes();
      };
      input.addEventListener("input", onInput);
      input.addEventListener("change", onInput);
    }
    const msg = h("div", { class: "lqx-msg", role: "note" });
    root.appendChild(msg);
    const table = h("table", { class: "lqx-numbers" });
    root.appendChild(table);
    const extra = h("div", { class: "lqx-extra" });
    root.appendChild(extra);
    const live = h("p", { class: "lqx-sr", "aria-live": "polite", "data-live": "" });
    root.appendChild(live);
    const figs = h("div", { class: "lqx-figs" });
    root.appendChild(figs);
    const figures = Object.fromEntries(Object.entries(ex.panels).map(([k, o]) => [k, new Panel(figs, o)]));
    el.appendChild(root);

    let lastValues = null;
    function update() {
      const values = model.get("values");
      root.dataset.values = JSON.stringify(values);
      for (const c of spec.controls) {
        const v = values[c.name];
        const inp = inputs[c.name];
        if (c.kind === "select") {
          const i = c.options.findIndex((o) => o[1] === v);
          if (+inp.value !== i) inp.value = String(i);
        } else if (+inp.value !== v && doc.activeElement !== inp) inp.value = String(v);
        else if (+inp.value !== v) inp.value = String(v);
        outputs[c.name].textContent = showValue(c, v);
        if (c.disabled_unless) {
          const [other, val] = c.disabled_unless;
          inp.disabled = values[other] !== val;
        }
      }
      ctx.live = model.get("live") || {};
      let r;
      try {
        r = ex.compute(values, ctx);
      } catch (err) {
        msg.className = "lqx-msg lqx-error";
        msg.setAttribute("role", "alert");
        msg.textContent = "No valid answer for these inputs. " + err.message;
        table.replaceChildren();
        table.dataset.keys = "";
        extra.replaceChildren();
        ctx.extraOf = null;
        figs.style.visibility = "hidden";
        live.textContent = "No valid answer for these inputs: " + err.message;
        root.dataset.state = "error";
        return;
      }
      figs.style.visibility = "";
      root.dataset.state = "ok";
      const note = ex.note ? ex.note(r, ctx) : "";
      msg.className = "lqx-msg";
      msg.setAttribute("role", "note");
      setText(msg, note || "");
      // the numbers: rows updated in place (less style and layout work than new rows)
      const rows = ex.rows(r, ctx);
      const keys = rows.map((row) => row[0]).join();
      if (table.dataset.keys !== keys) {
        table.replaceChildren(...rows.map(([key, label, value]) => h("tr", { "data-key": key },
          [h("th", { scope: "row", text: label }), h("td", { text: value })])));
        table.dataset.keys = keys;
      } else {
        rows.forEach(([, label, value], i) => {
          setText(table.rows[i].cells[0], label);
          setText(table.rows[i].cells[1], value);
        });
      }
      const more = ex.extra ? ex.extra(r, ctx) : [];
      if (more !== null) extra.replaceChildren(...more);  // null: unchanged
      ex.draw(figures, r, ctx);
      setText(live, ex.summary(r, ctx));
      lastValues = values;
    }
    model.on("change:values", update);
    model.on("change:live", update);
    update();
    return () => {
      model.off && model.off("change:values", update);
      model.off && model.off("change:live", update);
    };
  }
  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  /* On the static page a control with a build-time grid snaps to its nearest value. */
  function snap(c, v, ctx) {
    if (ctx.static && c.grid) {
      let best = c.grid[0];
      for (const g of c.grid) if (Math.abs(g - v) < Math.abs(best - v)) best = g;
      return best;
    }
    const d = decimalsOf(c.step);
    return +(+v).toFixed(Math.min(10, d + 2));
  }

  function same(a, b) {
    for (const k in a) {
      const x = a[k], y = b[k];
      if (typeof x === "number" && typeof y === "number") {
        if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x))) return false;
      } else if (x !== y) return false;
    }
    return true;
  }


  const F = () => globalThis.liqlearn.FORMULAS;
  const LQ = () => globalThis.liqlearn;

  // EXPLORERS_HERE

  const api = { render, EXPLORERS, Panel, price, pct, num, fixed, extent, same, h, F, LQ };
  globalThis.liqlearnExplorers = api;
})();
