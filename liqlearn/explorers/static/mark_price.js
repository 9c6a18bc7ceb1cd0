/* Mark price explorer (liqlearn.explorers.mark_price): the seeded market is build-time
 * data (index and last price every 5 s); the wick, the moving average of the basis
 * (liqlearn.prices.moving_average_basis) and FORMULAS.mark_price run live. */
(function () {
  "use strict";
  const X = globalThis.liqlearnExplorers;
  const { price, pct, num, extent } = X;

  // liqlearn.explorers.mark_price.wick_shape
  function wickShape(t, start, seconds) {
    const half = seconds / 120.0;
    return Math.min(1, Math.max(0, 1.0 - Math.abs(t - (start + half)) / half));
  }
  // liqlearn.prices.moving_average_basis: trailing mean of (mid - index) over w points
  function movingAverageBasis(mid, index, w) {
    const n = mid.length, out = new Float64Array(n), csum = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) { acc += mid[i] - index[i]; csum[i] = acc; }
    const head = Math.min(w, n);
    for (let i = 0; i < head; i++) out[i] = csum[i] / (i + 1);
    for (let i = w; i < n; i++) out[i] = (csum[i] - csum[i - w]) / w;
    return out;
  }
  function firstAtOrBelow(series, level) {
    for (let i = 0; i < series.length; i++) if (series[i] <= level) return i;
    return null;
  }

  X.EXPLORERS.mark_price = {
    // the figures, one Panel each (explorers.js makes them)
    panels: {
      a: { title: "Three hours", xlabel: "minutes", ylabel: "price (USDT)", left: 66 },
      b: { title: "Around the wick", xlabel: "minutes", ylabel: "price (USDT)", left: 66 },
    },

    compute(v, ctx) {
      const L = X.LQ(), F = L.FORMULAS, d = ctx.data;
      const index = d.index, base = d.last, n = index.length;
      const minutes = new Float64Array(n), last = new Float64Array(n), mark = new Float64Array(n);
      for (let k = 0; k < n; k++) {
        minutes[k] = k * d.step_seconds / 60.0;
        last[k] = base[k] * (1.0 - v.wick_depth * wickShape(minutes[k], d.wick_start, v.wick_seconds));
      }
      const points = Math.max(1, Math.round(v.window_minutes * 60 / d.step_seconds));
      const basis = movingAverageBasis(last, index, points);
      for (let k = 0; k < n; k++) {
        mark[k] = F.mark_price({ index_price: index[k], last_price: last[k], funding_rate: v.funding_rate,
          time_to_funding: d.time_to_funding_h - minutes[k] / 60.0,
          funding_interval: d.funding_interval_h, basis_average: basis[k] });
      }
      const entry = last[d.entry_index];
      const margin = entry / v.leverage;
      const liq = L.liquidationPrice({ side: "long", entry_price: entry, quantity: 1, margin, mmr: d.mmr });
      const bkr = L.bankruptcyPrice({ side: "long", entry_price: entry, quantity: 1, margin });
      let lowLast = Infinity, lowMark = Infinity;
      for (let k = 0; k < n; k++) { lowLast = Math.min(lowLast, last[k]); lowMark = Math.min(lowMark, mark[k]); }
      return { v, d, minutes, index, last, mark, entry, liq, bkr, lowLast, lowMark,
        lastTrigger: firstAtOrBelow(last, liq), markTrigger: firstAtOrBelow(mark, liq) };
    },

    rows(r) {
      const when = (i, series) => i === null ? "not liquidated"
        : `liquidated at minute ${r.minutes[i].toFixed(2)} (price ${num(series[i], 2)})`;
      const spared = r.lastTrigger !== null && r.markTrigger === null;
      const verdict = spared ? "The mark price spares the position: only the last price touched."
        : r.markTrigger !== null ? "Both triggers liquidate: the move is too long or too deep to smooth away."
          : "Neither trigger liquidates.";
      return [
        ["position", "Position", `long ${r.v.leverage.toFixed(0)}x from ${num(r.entry, 2)}`],
        ["liquidation_bankruptcy", "Liquidation / bankruptcy price", r.liq > 0
          ? `${price(r.liq)} / ${price(r.bkr)}` : "none: a 1x long cannot be liquidated"],
        ["lowest_last", "Lowest last price", `${num(r.lowLast, 2)} (${pct(r.lowLast / r.entry - 1)})`],
        ["lowest_mark", "Lowest mark price", `${num(r.lowMark, 2)} (${pct(r.lowMark / r.entry - 1)})`],
        ["last_trigger", "Last-price trigger", when(r.lastTrigger, r.last)],
        ["mark_trigger", "Mark-price trigger", when(r.markTrigger, r.mark)],
        ["verdict", "Verdict", verdict],
      ];
    },

    summary(r) {
      const t = (i) => i === null ? "not liquidated" : `liquidated at minute ${r.minutes[i].toFixed(2)}`;
      return `Lowest last price ${num(r.lowLast, 2)}, lowest mark ${num(r.lowMark, 2)}, liquidation price ` +
        `${r.liq > 0 ? num(r.liq, 2) : "none"}: last-price trigger ${t(r.lastTrigger)}, mark-price trigger ${t(r.markTrigger)}.`;
    },

    draw(f, r, ctx) {
      const C = ctx.C, D = ctx.spec.dashes, d = r.d;
      const end = d.wick_start + r.v.wick_seconds / 60.0;
      const loT = d.wick_start - 3.0;
      const hiT = Math.min(d.minutes_total, end + Math.max(4.0, 1.5 * r.v.window_minutes));
      const liq = r.liq > 0 ? r.liq : NaN;
      const sel = (arr, a, b) => {
        const out = [];
        for (let k = 0; k < arr.length; k++) if (r.minutes[k] >= a && r.minutes[k] <= b) out.push(arr[k]);
        return out;
      };
      const panels = [[f.a, 0, d.minutes_total], [f.b, loT, hiT]];
      for (const [p, a, b] of panels) {
        const t = sel(r.minutes, a, b), idx = sel(r.index, a, b), last = sel(r.last, a, b), mark = sel(r.mark, a, b);
        let [y0, y1] = extent([Math.min(...last), liq, Math.max(...last), Math.max(...idx)], 0.06);
        if (p === f.a) y1 += 0.3 * (y1 - y0); // headroom for the legend
        p.domain(a, b, y0, y1);
        p.line("index", t, idx, { color: C.index, width: 1.3 });
        p.line("last", t, last, { color: C.last, width: 1.1 });
        p.line("mark", t, mark, { color: C.mark, width: 1.9 });
        p.hline("liq", liq, { color: C.liquidation, dash: D.liquidation, width: 1.6 });
        const hit = (i, series) => i === null ? [[], []] : [[r.minutes[i]], [series[i]]];
        p.points("last_hit", ...hit(r.lastTrigger, r.last), { color: C.last, shape: "x", size: 6 });
        p.points("mark_hit", ...hit(r.markTrigger, r.mark), { color: C.mark, shape: "o", size: 5 });
      }
      f.a.legend([
        { label: "index", color: C.index }, { label: "last", color: C.last },
        { label: "mark", color: C.mark, width: 2 },
        { label: "liquidation price", color: C.liquidation, dash: D.liquidation },
      ], "right");
      const trig = (i) => i === null ? "never reaches it" : `reaches it at minute ${r.minutes[i].toFixed(2)}`;
      f.a.describe(`Index, last and mark price over three hours (5-second samples). At minute ` +
        `${d.wick_start} the last price dips ${pct(r.v.wick_depth, 1)} for ${r.v.wick_seconds} s. ` +
        `Liquidation price ${r.liq > 0 ? price(r.liq) : "none"}: the last price ${trig(r.lastTrigger)}, ` +
        `the mark ${trig(r.markTrigger)}.`);
      f.b.describe(`The same prices from minute ${loT.toFixed(1)} to ${hiT.toFixed(1)}: lowest last price ` +
        `${num(r.lowLast, 2)}, lowest mark ${num(r.lowMark, 2)} USDT.`);
    },
  };
})();
