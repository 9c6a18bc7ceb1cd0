// The calculator page (book/calculator.md): form <-> query string <-> liqlearn.priceCommand.
// Every number comes from globalThis.liqlearn (liqlearn.js, generated from the package);
// this file only reads the form, writes the URL and shows the answer.  A classic script,
// so the page also works when opened from file://.
(function () {
  "use strict";
  const L = globalThis.liqlearn;
  const FLOAT_KEYS = ["entry", "margin", "mmr", "fee-rate", "maintenance-amount", "contract-size",
    "mark", "tick"];
  const CHAPTERS = {
    linear: ["liquidation_price.html", "Liquidation price"],
    inverse: ["inverse_contracts.html", "Inverse contracts"],
    cross: ["cross_isolated.html", "Cross and isolated margin"],
    tiers: ["tiers_partial.html", "Tiers and partial liquidation"],
    bankruptcy: ["bankruptcy_price.html", "Bankruptcy price"],
  };

  function $(root, sel) {
    return root.querySelector(sel);
  }

  // the options priceCommand takes, from the form (empty fields left out)
  function formOptions(form) {
    const f = form.elements;
    const o = { side: f.side.value };
    for (const k of FLOAT_KEYS) {
      const v = f[k].value.trim();
      if (v !== "") o[k] = v;
    }
    const size = f.size.value.trim();
    if (size !== "") o[f["size-kind"].value] = size;
    if (f.basis.value !== "mark") o.basis = f.basis.value;
    if (f.contract.value === "inverse") o.inverse = true;
    if (f.venue.value) o.venue = f.venue.value;
    const others = f.other.value.split("\n").map((s) => s.trim()).filter((s) => s !== "");
    if (others.length) o.other = others;
    return o;
  }

  // the query string (the CLI's long option names) <-> options
  function toQuery(o) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) {
      if (k === "other") v.forEach((x) => q.append("other", x));
      else if (k === "inverse") q.set("inverse", "1");
      else q.set(k, String(v));
    }
    return q.toString();
  }

  function fromQuery(search) {
    const q = new URLSearchParams(search);
    const o = {};
    for (const [k, v] of q.entries()) {
      if (k === "other") (o.other = o.other || []).push(v);
      else o[k] = v;
    }
    if ("inverse" in o) o.inverse = !["0", "false", "no", "off"].includes(o.inverse.toLowerCase());
    return o;
  }

  function fillForm(form, o) {
    const f = form.elements;
    if (o.side !== undefined) f.side.value = o.side;
    for (const k of FLOAT_KEYS) f[k].value = o[k] ?? "";
    const kind = o.quantity !== undefined && o.leverage === undefined ? "quantity" : "leverage";
    f["size-kind"].value = kind;
    f.size.value = o[kind] ?? "";
    f.basis.value = o.basis === "entry" ? "entry" : "mark";
    f.contract.value = o.inverse ? "inverse" : "linear";
    f.venue.value = o.venue && L.VENUES.presets[String(o.venue).toLowerCase()] ? String(o.venue).toLowerCase() : "";
    f.other.value = (o.other || []).join("\n");
    // a value the controls cannot show (a side "flat", an unknown venue) still reaches the
    // calculation, so the page shows the package's message for it
    form.dataset.raw = JSON.stringify(o);
  }

  // a number as exact text: every digit of the double, thousands separated
  function exact(x) {
    if (x === Infinity) return "∞";
    const s = String(x);
    if (/e/.test(s)) return s;
    const [int, frac] = s.split(".");
    const sign = int.startsWith("-") ? "-" : "";
    const digits = int.replace("-", "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + digits + (frac ? "." + frac : "");
  }

  function percent(x) {
    return x === Infinity ? "∞" : `${(100 * x).toPrecision(4)} %`;
  }

  function priceNote(p, side) {
    if (p === Infinity) return "none: the short can never be liquidated at any price";
    if (p === 0 && side === "long") return "none: the long cannot be liquidated (the answer is at or below zero)";
    return "";
  }

  // the formula line with the numbers put in for the letters
  function substituted(text, r) {
    const [formula, convention] = text.split("[");
    const values = {
      s: r.side === "long" ? "(+1)" : "(-1)", E: exact(r.entry_price), M: exact(r.margin),
      Q: exact(r.contract === "inverse" ? r.contracts : r.quantity), f: String(r.fee_rate),
      c: String(r.maintenance_amount), V: r.contract_size !== undefined ? exact(r.contract_size) : "V",
      W: exact(r.margin), C: r.collateral !== undefined ? exact(r.collateral) : "C",
      m: typeof r.mmr === "number" ? String(r.mmr) : "m",
    };
    const withNumbers = formula.replace(/\b(MM_o|UPnL_o|[sEMQfcVWCm])\b/g,
      (t) => (t in values ? values[t] : t));
    return { formula: formula.trim(), numbers: withNumbers.trim(), convention: convention ? convention.replace("]", "").trim() : "" };
  }

  function chapterFor(r) {
    if (r.margin_mode === "cross") return CHAPTERS.cross;
    if (r.mmr === "tiers") return CHAPTERS.tiers;
    return r.contract === "inverse" ? CHAPTERS.inverse : CHAPTERS.linear;
  }

  function setText(root, key, text) {
    const el = $(root, `[data-result="${key}"]`);
    if (el) el.textContent = text;
  }

  function showVenue(root, key) {
    const box = $(root, "[data-venue-info]");
    const vn = key ? L.VENUES.presets[key] : null;
    box.hidden = !vn;
    if (!vn) return;
    box.textContent = "";
    const p = document.createElement("p");
    p.append(`${vn.name}: ${vn.product}; maintenance margin on basis ${vn.mm_basis}` +
      `${vn.fee_in_trigger ? ", close fee reserved in the trigger" : ""}; read ${vn.date_read} from `);
    const a = document.createElement("a");
    a.href = vn.source;
    a.textContent = vn.source;
    p.append(a, ` (page dated ${vn.as_of}). `, vn.notes);
    const warn = document.createElement("p");
    warn.className = "liq-calc-disclaimer";
    warn.textContent = L.VENUES.disclaimer;
    box.append(p, warn);
  }

  function render(root, options) {
    const results = $(root, "[data-results]");
    const error = $(root, '[data-result="error"]');
    let r;
    try {
      r = L.priceCommand(options);
    } catch (err) {
      error.textContent = err instanceof L.LiqError ? err.message : `unexpected error: ${err.message}`;
      error.hidden = false;
      results.hidden = true;
      setText(root, "summary", `No answer: ${error.textContent}`);
      return null;
    }
    error.hidden = true;
    error.textContent = "";
    results.hidden = false;
    setText(root, "liquidation-price", exact(r.liquidation_price));
    setText(root, "liquidation-note", priceNote(r.liquidation_price, r.side));
    setText(root, "bankruptcy-price", exact(r.bankruptcy_price));
    setText(root, "bankruptcy-note", priceNote(r.bankruptcy_price, r.side));
    const ticked = r.tick !== undefined;
    $(root, "[data-ticked]").hidden = !ticked;
    if (ticked) {
      setText(root, "tick", String(r.tick));
      setText(root, "liquidation-price-rounded", exact(r.liquidation_price_rounded));
      setText(root, "bankruptcy-price-rounded", exact(r.bankruptcy_price_rounded));
    }
    setText(root, "distance", percent(r.distance_to_liquidation));
    setText(root, "distance-from", r.mark_price !== undefined ? "the mark price" : "the entry price");
    $(root, "[data-ratio]").hidden = r.margin_ratio === undefined;
    if (r.margin_ratio !== undefined) setText(root, "margin-ratio", percent(r.margin_ratio));
    const size = r.contract === "inverse" ? `${exact(r.contracts)} contracts of ${exact(r.contract_size)} USD`
      : `${exact(r.quantity)} units`;
    setText(root, "position", `${r.side} ${size}, leverage ${r.leverage === Infinity ? "∞" : r.leverage.toPrecision(4)}` +
      (r.margin_mode === "cross" ? `, cross margin beside ${r.others.length} other position(s), collateral ${exact(r.collateral)}` : ""));
    const liq = substituted(r.formula, r);
    const bkr = substituted(r.bankruptcy_formula, r);
    setText(root, "formula", liq.formula);
    setText(root, "formula-numbers", liq.numbers);
    setText(root, "convention", liq.convention);
    setText(root, "bankruptcy-formula", bkr.formula);
    setText(root, "bankruptcy-formula-numbers", bkr.numbers);
    const [href, title] = chapterFor(r);
    const link = $(root, '[data-result="chapter"]');
    link.href = href;
    link.textContent = title;
    setText(root, "summary", `Liquidation price ${exact(r.liquidation_price)}, bankruptcy price ` +
      `${exact(r.bankruptcy_price)}, ${percent(r.distance_to_liquidation)} away.`);
    return r;
  }

  function start() {
    const root = document.getElementById("liq-calculator");
    if (!root || !L) return;
    const form = $(root, "form");
    const venueSelect = form.elements.venue;
    for (const [key, vn] of Object.entries(L.VENUES.presets)) {
      const opt = document.createElement("option");
      opt.value = key;
      opt.textContent = `${vn.name} (${vn.contract}, read ${vn.date_read})`;
      venueSelect.append(opt);
    }
    const initial = location.search ? fromQuery(location.search) : formOptions(form);
    fillForm(form, initial);
    showVenue(root, form.elements.venue.value);
    render(root, initial);
    const update = () => {
      delete form.dataset.raw;
      const o = formOptions(form);
      showVenue(root, o.venue);
      render(root, o);
      const url = `${location.pathname}?${toQuery(o)}`;
      try {
        history.replaceState(null, "", url);
      } catch (err) {
        // some browsers refuse replaceState on file:// pages; the copy-link button still works
      }
      return o;
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.elements.venue.addEventListener("change", () => {
      // a preset brings its own table and fee: clear the custom ones (they would override it)
      if (form.elements.venue.value) {
        form.elements.mmr.value = "";
        form.elements["fee-rate"].value = "";
        update();
      }
    });
    form.addEventListener("submit", (e) => e.preventDefault());
    $(root, '[data-action="copy-link"]').addEventListener("click", () => {
      const o = form.dataset.raw ? JSON.parse(form.dataset.raw) : formOptions(form);
      const url = `${location.href.split("?")[0]}?${toQuery(o)}`;
      const out = $(root, '[data-result="link"]');
      out.value = url;
      out.hidden = false;
      out.select();
      const done = (ok) => setText(root, "copied", ok ? "Link copied." : "Select the link and copy it.");
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(() => done(true), () => done(false));
      } else {
        done(false);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
