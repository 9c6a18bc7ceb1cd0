/* Slippage explorer (liqlearn.explorers.slippage): live.  The book's levels follow
 * OrderBook.from_profile (prices from the mid, spread and tick; quantities the depth
 * times the exponential profile Python ships per decay step); the walk is the browser
 * twin's walkLevels; the fill's numbers follow OrderBook.quote. */
(function () {
  "use strict";
  const X = globalThis.liqlearnExplorers;
  const { price, pct, num, extent } = X;

  function book(d, v, mid) {
    const prof = d.profiles[Math.round(v.decay / d.decay_step)];
    const n = d.levels, h = d.tick, sp = v.spread;
    const bp = new Array(n), bq = new Array(n), ap = new Array(n), aq = new Array(n);
    for (let k = 0; k < n; k++) {
      bp[k] = mid - sp / 2 - k * h;
      ap[k] = mid + sp / 2 + k * h;
      bq[k] = aq[k] = v.depth * prof[k];
    }
    return { bp, bq, ap, aq };
  }
  // OrderBook.quote("sell", size, reference_price=ref) on a fresh book
  function sell(L, bp, bq, size, ref) {
    const { taken, touched } = L.walkLevels(bp, bq, size);
    let filled = 0, notional = 0;
    for (let i = 0; i < taken.length; i++) { filled += taken[i]; notional += taken[i] * bp[i]; }
    filled = Math.min(filled, size);
    const close = Math.abs(filled - size) <= 1e-12 * Math.max(Math.abs(filled), Math.abs(size));
    const unfilled = close ? 0 : size - filled;
    if (!(filled > 0)) return { filled: 0, unfilled: size, vwap: null, touched: 0, last: null, taken };
    const vwap = notional / filled;
    return { filled, unfilled, vwap, touched, last: bp[touched - 1], slippage: -(vwap - ref) / ref, taken };
  }

  X.EXPLORERS.slippage = {
    // the figures, one Panel each (explorers.js makes them)
    panels: {
      a: { title: "The book (red: taken by the order)", xlabel: "quantity at the level (BTC)",
        ylabel: "price (USDT)", left: 66 },
      b: { title: "Fill price by order size", xlabel: "liquidation order size (BTC)",
        ylabel: "fill price, VWAP (USDT)", left: 66 },
    },

    compute(v, ctx) {
      const L = X.LQ(), d = ctx.data;
      const q = v.size, e = d.entry_price, margin = q * e / v.leverage;
      const liq = L.liquidationPrice({ side: "long", entry_price: e, quantity: q, margin, mmr: d.mmr });
      if (!(liq > 0)) {
        throw new Error(`a ${v.leverage}x long cannot be liquidated (its liquidation price is below zero): choose leverage above 1x`);
      }
      const bkr = L.bankruptcyPrice({ side: "long", entry_price: e, quantity: q, margin });
      const mid = liq * (1.0 - v.speed * d.latency);
      const b = book(d, v, mid);
      const fill = sell(L, b.bp, b.bq, q, liq);
      let total = 0;
      for (const x of b.bq) total += x;
      const top = Math.min(total, Math.max(2.0 * q, 1.0));
      const sizes = [], vw = [];
      for (let i = 0; i <= 200; i++) {
        const x = top * i / 200;
        sizes.push(x);
        vw.push(x === 0 ? b.bp[0] : x <= total * (1 + 1e-12) ? sell(L, b.bp, b.bq, x, liq).vwap : NaN);
      }
      const balance = fill.vwap === null ? 0 : fill.filled * (fill.vwap - bkr);
      return { v, d, q, e, margin, liq, bkr, mid, book: b, fill, sizes, vw, balance };
    },

    note(r) {
      if (r.fill.unfilled > 0) {
        return `The book ran out: ${num(r.fill.unfilled, 3)} BTC found no bid. A venue would hand the ` +
          "rest to its insurance fund or auto-deleverage.";
      }
      return "";
    },

    rows(r) {
      const f = r.fill;
      const rows = [
        ["position", "Position", `long ${num(r.q, 1)} BTC at ${r.v.leverage.toFixed(0)}x, margin ${num(r.margin, 2)} USDT`],
        ["liquidation_price", "Mark at trigger (liquidation price)", price(r.liq)],
        ["bankruptcy_price", "Bankruptcy price", price(r.bkr)],
        ["mid", "Mid when the order arrives", price(r.mid)],
        ["vwap", "Fill price (VWAP)", price(f.vwap)],
        ["levels", "Levels walked / worst price", `${f.touched} / ${price(f.last)}`],
        ["slippage", "Slippage against the mark", pct(f.slippage, 3)],
      ];
      if (f.unfilled > 0) rows.push(["unfilled", "Unfilled", `${num(f.unfilled, 3)} BTC: the book ran out of bids`]);
      if (r.balance >= 0) {
        rows.push(["balance", "Margin left after the close", `${num(r.balance, 2)} USDT (to the insurance fund on Binance and Bybit)`]);
      } else {
        rows.push(["negative_balance", "Negative balance", `${num(-r.balance, 2)} USDT: the loss exceeds the margin; the insurance fund covers it`]);
      }
      return rows;
    },

    summary(r) {
      return `Liquidation at ${price(r.liq)} fills at ${price(r.fill.vwap)} after ${r.fill.touched} levels; ` +
        (r.balance >= 0 ? `${num(r.balance, 2)} USDT of margin left.` : `negative balance ${num(-r.balance, 2)} USDT.`);
    },

    draw(f, r, ctx) {
      const C = ctx.C, D = ctx.spec.dashes, d = r.d, b = r.book, fill = r.fill;
      const h = d.tick * 0.8, nA = d.ask_levels_shown;
      const worst = fill.last !== null ? fill.last : b.bp[0];
      const low = Math.min(worst, r.bkr) - 6 * d.tick;
      const high = Math.max(b.ap[nA - 1], r.liq) + d.tick;
      let qmax = 0;
      for (let k = 0; k < b.bp.length; k++) if (b.bp[k] >= low) qmax = Math.max(qmax, b.bq[k]);
      for (let k = 0; k < nA; k++) qmax = Math.max(qmax, b.aq[k]);
      const a = f.a;
      a.domain(0, 1.08 * (qmax || 1), low, high);
      const bars = (ps, qs, count) => {
        const out = [];
        for (let k = 0; k < count; k++) if (ps[k] >= low - h && qs[k] > 0) out.push([0, qs[k], ps[k] - h / 2, ps[k] + h / 2]);
        return out;
      };
      a.rects("asks", bars(b.ap, b.aq, nA), { color: C.ask, opacity: 0.4 });
      a.rects("bids", bars(b.bp, b.bq, b.bp.length), { color: C.bid, opacity: 0.35 });
      a.rects("taken", bars(b.bp, fill.taken, fill.taken.length), { color: C.liquidation });
      const vwap = fill.vwap === null ? NaN : fill.vwap;
      const xEnd = r.sizes[r.sizes.length - 1];
      const [y0, y1] = extent([r.vw, r.liq, r.bkr], 0.08);
      f.b.domain(0, xEnd, y0, y1);
      for (const p of [f.a, f.b]) {
        p.hline("liq", r.liq, { color: C.mark, width: 1.6 });
        p.hline("bkr", r.bkr, { color: C.bankruptcy, dash: D.bankruptcy, width: 1.9 });
        p.hline("vwap", vwap, { color: C.vwap, dash: "--", width: 1.3 });
      }
      a.legend([
        { label: "mark at trigger (liquidation)", color: C.mark },
        { label: "bankruptcy price", color: C.bankruptcy, dash: D.bankruptcy },
        { label: "fill price (VWAP)", color: C.vwap, dash: "--" },
      ], "right");
      a.describe(`The order book: bids from ${num(b.bp[0], 2)} down in ${d.tick} USDT steps, ` +
        `${num(b.bq[0], 2)} BTC on the best level. The liquidation sell of ${num(r.q, 1)} BTC takes ` +
        `${fill.touched} levels down to ${price(fill.last)}; fill price ${price(fill.vwap)}, ` +
        `bankruptcy price ${price(r.bkr)}.`);

      const p = f.b;
      p.rects("below", y0 < r.bkr ? [[0, xEnd, y0, r.bkr]] : [], { color: C.liquidation, opacity: 0.08 });
      p.line("curve", r.sizes, r.vw, { color: C.vwap, width: 2.2 });
      p.points("here", [fill.filled], [vwap], { color: C.liquidation, shape: "o" });
      p.describe(`Fill price (VWAP) of a market sell of 0 to ${num(xEnd, 1)} BTC in this book, ` +
        `from ${num(r.vw[0], 2)} down to ${num(r.vw.filter(Number.isFinite).slice(-1)[0], 2)} USDT; ` +
        `the shaded band lies below the bankruptcy price ${price(r.bkr)}.`);
    },
  };
})();
