/* Leverage explorer (liqlearn.explorers.leverage): live from the registry.
 * Mirrors compute_leverage: liquidationPrice/bankruptcyPrice/tierIndex/maintenanceMargin
 * of the browser twin, FORMULAS.equity_<side>, maintenance_margin, rule_of_thumb_move. */
(function () {
  "use strict";
  const X = globalThis.liqlearnExplorers;
  const { price, pct, num, extent } = X;

  function linspace(a, b, n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = a + (b - a) * i / (n - 1);
    out[n - 1] = b;
    return out;
  }

  X.EXPLORERS.leverage = {
    // the figures, one Panel each (explorers.js makes them)
    panels: {
      a: { title: "Equity and maintenance margin", xlabel: "mark price (USDT)",
        ylabel: "USDT", left: 66 },
      b: { title: "Exact move − rule of thumb 1/L − m",
        xlabel: "leverage (x, log scale)", ylabel: "basis points of entry", xlog: true,
        xticks: [1, 2, 5, 10, 20, 50, 125] },
    },

    compute(v, ctx) {
      const L = X.LQ(), F = L.FORMULAS;
      const side = v.side, s = side === "long" ? 1 : -1, basis = v.basis;
      const e = v.entry_price, m = v.margin, lev = v.leverage;
      const q = m * lev / e, n = q * e;
      let tiers = null, venue = null, rate, amount = 0, allowed = null;
      if (v.tiers !== "flat") {
        venue = L.VENUES.presets[v.tiers];
        tiers = venue.tiers;
        const k = L.tierIndex(tiers, n);
        rate = tiers.rates[k];
        amount = tiers.amounts[k];
        if (venue.max_leverage) allowed = venue.max_leverage[k];
      } else {
        rate = v.mmr;
      }
      const mmr = tiers || rate;
      const liq = L.liquidationPrice({ side, entry_price: e, quantity: q, margin: m, mmr, mm_basis: basis });
      const bkr = L.bankruptcyPrice({ side, entry_price: e, quantity: q, margin: m });
      const move = s * (e - liq) / e;
      const rough = F.rule_of_thumb_move({ leverage: lev, mmr: rate });
      // price grid: from beyond bankruptcy (adverse side) to a little past entry
      const far = 1.35 / lev;
      const [lo, hi] = s === 1 ? [e * (1 - far), e * (1 + 0.35 / lev)] : [e * (1 - 0.35 / lev), e * (1 + far)];
      const prices = linspace(Math.max(lo, e * 1e-3), hi, 240);
      const equity = prices.map((p) => F[`equity_${side}`]({ entry_price: e, mark_price: p, quantity: q, margin: m }));
      const top = tiers ? tiers.caps[tiers.caps.length - 1] : Infinity;
      const maint = prices.map((p) => {
        const notional = q * (basis === "mark" ? p : e);
        if (tiers) return notional <= top ? L.maintenanceMargin(notional, tiers) : NaN;
        return F.maintenance_margin({ notional, mmr: rate, maintenance_amount: 0 });
      });
      // exact move minus the rule of thumb over 1x-125x, at the same margin
      const levs = ctx.data.curve_leverage;
      const gapCurve = levs.map((lk) => {
        const nk = m * lk;
        let rk = rate, ck = 0;
        if (tiers) {
          if (!(nk <= top)) return NaN;
          const k = L.tierIndex(tiers, nk);
          rk = tiers.rates[k];
          ck = tiers.amounts[k];
        }
        if (!(m > nk * rk - ck)) return NaN;
        let lk2;
        try {
          lk2 = L.liquidationPrice({ side, entry_price: e, quantity: nk / e, margin: m, mmr, mm_basis: basis });
        } catch (err) {
          return NaN;
        }
        return 1e4 * (s * (e - lk2) / e - F.rule_of_thumb_move({ leverage: lk, mmr: rk }));
      });
      return { side, s, basis, e, m, lev, q, n, rate, amount, tiered: !!tiers, venue, allowed,
        liq, bkr, move, rough, gap: move - rough, prices, equity, maint, levs, gapCurve,
        canLiq: liq > 0 && Number.isFinite(liq) };
    },

    note(r) {
      if (r.allowed !== null && r.lev > r.allowed) {
        return `${r.venue.name} allows at most ${r.allowed}x on a notional of ${num(r.n, 0)} ` +
          `${r.venue.settlement}: this position could not be opened there (the numbers below ` +
          "apply the table anyway).";
      }
      return "";
    },

    rows(r) {
      const rate = pct(r.rate) + (r.tiered ? ` (bracket of ${num(r.n, 0)}, maintenance amount ${num(r.amount, 2)})` : "");
      const gap = 1e4 * r.gap;
      const rows = [
        ["position", "Position", `${r.side} ${num(r.q, 6)} units, notional ${num(r.n, 2)} USDT`],
        ["mmr", "Maintenance rate", rate],
        ["liquidation_price", "Liquidation price", r.canLiq ? price(r.liq) : "none: a 1x-or-less long cannot be liquidated"],
        ["bankruptcy_price", "Bankruptcy price", price(r.bkr)],
        ["distance", "Distance to liquidation", r.canLiq
          ? `${num(r.s * (r.e - r.liq), 2)} USDT (${pct(r.move)} of entry)` : "the whole price (to zero)"],
        ["rough_move", "Rule of thumb 1/L − m", pct(r.rough, 3) + (r.rough <= 0 ? " (says: liquidated at once)" : "")],
        ["move", "Exact move", pct(r.move, 3)],
        ["gap", "Gap exact − rough", `${gap >= 0 ? "+" : "−"}${Math.abs(gap).toFixed(2)} bp of entry`],
      ];
      if (r.venue) {
        rows.push(["convention", "Venue's own convention", `${r.venue.name}: maintenance margin at ` +
          `${r.venue.mm_basis} price` + (r.venue.fee_in_trigger ? ", close fee reserved" : "")]);
      }
      return rows;
    },

    summary(r) {
      return `${r.side} at ${num(r.lev, 1)}x: liquidation price ` +
        (r.canLiq ? price(r.liq) : "none") + `, bankruptcy price ${price(r.bkr)}` +
        (r.canLiq ? `, ${pct(r.move)} of entry away.` : ".");
    },

    draw(f, r, ctx) {
      const C = ctx.C, D = ctx.spec.dashes;
      const a = f.a, x0 = r.prices[0], x1 = r.prices[r.prices.length - 1];
      const [y0, y1] = extent([r.equity, r.maint, 0]);
      a.domain(x0, x1, y0, y1);
      if (r.canLiq) {
        const [p, q] = r.side === "long" ? [x0, r.liq] : [r.liq, x1];
        a.rects("zone", [[p, q, y0, y1]], { color: C.liquidation, opacity: 0.08 });
      } else a.rects("zone", [], { color: C.liquidation });
      a.hline("zero", 0, { color: C.neutral, width: 0.8 });
      a.line("eq", r.prices, r.equity, { color: C.equity, width: 2.2 });
      a.line("mm", r.prices, r.maint, { color: C.maintenance, width: 1.6 });
      a.vline("entry", r.e, { color: C.entry, dash: D.entry, width: 1 });
      a.vline("liq", r.canLiq ? r.liq : NaN, { color: C.liquidation, dash: D.liquidation, width: 1.6 });
      a.vline("bkr", r.bkr, { color: C.bankruptcy, dash: D.bankruptcy, width: 1.8 });
      a.legend([
        { label: "equity", color: C.equity, width: 2.2 },
        { label: "maintenance margin", color: C.maintenance },
        { label: "entry", color: C.entry, dash: D.entry },
        { label: "liquidation " + (r.canLiq ? num(r.liq, 0) : "none"), color: C.liquidation, dash: D.liquidation },
        { label: `bankruptcy ${num(r.bkr, 0)}`, color: C.bankruptcy, dash: D.bankruptcy },
      ], r.side === "long" ? "left" : "bottom");
      a.describe(`Equity of the ${r.side} (blue) against the mark price from ${num(x0, 0)} to ` +
        `${num(x1, 0)} USDT, with the maintenance margin (red). They meet at the liquidation price ` +
        (r.canLiq ? price(r.liq) : "(none: the long cannot be liquidated)") +
        `; equity reaches zero at the bankruptcy price ${price(r.bkr)}; entry ${price(r.e)}.`);

      const b = f.b;
      const fin = r.gapCurve.filter(Number.isFinite);
      const lo = Math.min(0, ...fin), hi = Math.max(0, ...fin);
      const pad = Math.max(0.08 * (hi - lo), 1);
      b.domain(1, 125, lo - pad, hi + pad);
      b.hline("zero", 0, { color: C.neutral, width: 0.8 });
      b.line("gap", r.levs, r.gapCurve, { color: C.liquidation, width: 2.2 });
      b.points("here", [r.lev], [1e4 * r.gap], { color: C.liquidation, shape: "o" });
      b.describe(`The exact adverse move to liquidation minus the rule of thumb 1/L − m, in basis ` +
        `points of entry, for leverage 1x to 125x at this margin: from ${lo.toFixed(1)} to ` +
        `${hi.toFixed(1)} bp; at ${num(r.lev, 1)}x it is ${(1e4 * r.gap).toFixed(2)} bp.`);
    },
  };
})();
