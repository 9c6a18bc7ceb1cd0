/* Insurance fund explorer (liqlearn.explorers.insurance_fund): the liquidation engine
 * runs in Python only.  The static site carries its runs over the fund x crash grid
 * (data.grid); a running kernel publishes the run for every setting (live.run). */
(function () {
  "use strict";
  const X = globalThis.liqlearnExplorers;
  const { num, h } = X;

  function key(x) { return String(+(+x).toFixed(6)); }

  X.EXPLORERS.insurance_fund = {
    // the figures, one Panel each (explorers.js makes them)
    panels: {
      a: { title: "Insurance fund through the crash", xlabel: "step",
        ylabel: "fund balance (USDT)", left: 66 },
      b: { title: "Surplus or shortfall per liquidation",
        xlabel: "liquidation number (in order)", ylabel: "to (+) / from (−) the fund (USDT)", left: 66 },
    },

    compute(v, ctx) {
      const live = ctx.live;
      let run = null;
      if (live && live.values && X.same(live.values, v)) run = live.run;
      const g = ctx.data.grid;
      const atDefaults = Object.keys(g.defaults).every((k) => X.same({ x: g.defaults[k] }, { x: v[k] }));
      if (!run && atDefaults) run = g.runs[`${key(v.fund)}|${key(v.crash)}`] || null;
      if (!run) {
        throw new Error(ctx.static
          ? "this setting was not precomputed: the static site has engine runs for the fund and crash sliders only; run the notebook for any other"
          : "the engine is running in the kernel for this setting…");
      }
      return { v, run, accounts: ctx.data.accounts };
    },

    rows(r) {
      const u = r.run;
      return [
        ["liquidations", "Liquidations", `${u.liquidations} of ${r.accounts} accounts`],
        ["surplus", "Into the fund (surplus, fees)", `${num(u.surplus, 2)} USDT`],
        ["shortfall", "Paid by the fund (shortfall)", `${num(u.shortfall, 2)} USDT`],
        ["fund", "Fund: start / lowest / end", `${num(r.v.fund, 0)} / ${num(u.fund_min, 0)} / ${num(u.fund_end, 0)} USDT`],
        ["adl", "Auto-deleveraging", u.first_adl_step === null ? "none: the fund covered every shortfall"
          : `${u.adl_events} liquidations from step ${u.first_adl_step}: ${u.adl_count} closes against ${u.adl_accounts} opposite accounts`],
      ];
    },

    extra(r, ctx) {
      const u = r.run;
      if (ctx.extraOf === u) return null;  // the same run: the list stands
      ctx.extraOf = u;
      if (!u.adl.length) return [];
      const items = u.adl.map(([liq, acc, role, side, lev, qty, px, pnl, score]) => h("li", {
        text: `#${liq} → #${acc} (${role}, ${side}${lev === null ? "" : ", " + lev.toFixed(1) + "x"}): ` +
          `${qty.toFixed(4)} BTC at ${num(px, 2)}, realized P&L ${num(pnl, 2)}, rank score ${score.toFixed(3)}` }));
      const more = u.adl_count > u.adl.length ? ` (first ${u.adl.length} of ${u.adl_count})` : "";
      return [h("div", { text: "Who was deleveraged (ranked by PnL% × effective leverage)" + more,
        style: "font-weight:600;font-size:.9rem" }), h("ul", { class: "lqx-list" }, items)];
    },

    summary(r) {
      const u = r.run;
      return `${u.liquidations} liquidations; fund ${num(r.v.fund, 0)} to ${num(u.fund_end, 0)} USDT, lowest ` +
        `${num(u.fund_min, 0)}; ` + (u.first_adl_step === null ? "no auto-deleveraging."
        : `auto-deleveraging from step ${u.first_adl_step}.`);
    },

    draw(f, r, ctx) {
      const C = ctx.C, u = r.run, d = ctx.data;
      const steps = u.fund.map((_, i) => i);
      const top = Math.max(Math.max(...u.fund), 1);
      const a = f.a;
      a.domain(0, steps.length - 1, Math.min(0, Math.min(...u.fund)) - 0.05 * top, 1.18 * top);
      a.rects("crash", [[d.crash_start, d.crash_start + d.crash_steps, -1e12, 1e12]], { color: C.neutral, opacity: 0.15 });
      a.hline("zero", 0, { color: C.neutral, width: 0.8 });
      const xs = [], ys = [];
      u.fund.forEach((y, i) => { if (i > 0) { xs.push(i); ys.push(u.fund[i - 1]); } xs.push(i); ys.push(y); });
      a.line("fund", xs, ys, { color: C.fund, width: 2.2 });
      a.points("adl", u.adl_steps, u.adl_steps.map((s) => u.fund[s]), { color: C.adl, shape: "v", size: 5 });
      a.legend([{ label: "insurance fund", color: C.fund, width: 2.2 },
        { label: "auto-deleveraging", color: C.adl, shape: "v" },
        { label: `crash: index falls ${(100 * r.v.crash).toFixed(1)} %`, color: C.neutral, box: true, opacity: 0.3 }], "right");
      a.describe(`The insurance fund over ${steps.length - 1} steps while the index falls ` +
        `${(100 * r.v.crash).toFixed(1)} % (steps ${d.crash_start} to ${d.crash_start + d.crash_steps}): ` +
        `from ${num(r.v.fund, 0)} to ${num(u.fund_end, 0)} USDT, lowest ${num(u.fund_min, 0)}` +
        (u.adl_steps.length ? `; auto-deleveraging at steps ${u.adl_steps.join(", ")}.` : "; no auto-deleveraging."));

      const b = f.b, n = u.changes.length;
      const lo = Math.min(0, ...u.changes), hi = Math.max(0, ...u.changes);
      const pad = 0.08 * Math.max(hi - lo, 1);
      b.domain(0, Math.max(n, 1) + 1, n ? lo - pad : -1, n ? hi + pad : 1);
      b.hline("zero", 0, { color: C.neutral, width: 0.8 });
      const gain = [], loss = [];
      u.changes.forEach((c, i) => (c > 0 ? gain : loss).push([i + 0.6, i + 1.4, 0, c]));
      b.rects("gain", gain, { color: C.surplus });
      b.rects("loss", loss.filter((x) => x[3] < 0), { color: C.shortfall });
      const flagged = [];
      u.adl_flags.forEach((x, i) => { if (x) flagged.push(i + 1); });
      b.points("adl", flagged, flagged.map(() => 0), { color: C.adl, shape: "v", size: 4.5 });
      b.legend([{ label: "to the fund", color: C.surplus, box: true }, { label: "from the fund", color: C.shortfall, box: true },
        { label: "needed ADL", color: C.adl, shape: "v" }], "bottom");
      b.describe(`${n} liquidations in order: ${gain.length} paid into the fund (largest ${num(hi, 2)} USDT), ` +
        `${loss.filter((x) => x[3] < 0).length} were paid by it (largest ${num(-lo, 2)} USDT); ${flagged.length} needed auto-deleveraging.`);
    },
  };
})();
