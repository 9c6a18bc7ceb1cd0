/* Risk explorer (liqlearn.explorers.risk): closed forms live (FORMULAS.touch_probability_lower,
 * bgk_barrier_lower, put_price); sample paths are the seeded random walks Python ships,
 * scaled to GBM; the Monte Carlo over every path comes from Python (live). */
(function () {
  "use strict";
  const X = globalThis.liqlearnExplorers;
  const { price, pct, num, extent } = X;

  X.EXPLORERS.risk = {
    // the figures, one Panel each (explorers.js makes them)
    panels: {
      a: { title: "Sample paths (liquidated: red)", xlabel: "days",
        ylabel: "mark price (USDT)", left: 66 },
      b: { title: "Touch probability by horizon", xlabel: "horizon (days)",
        ylabel: "probability of liquidation", yfmt: (t) => `${Math.round(100 * t)} %` },
    },

    compute(v, ctx) {
      const L = X.LQ(), F = L.FORMULAS, d = ctx.data;
      const e = d.entry_price, m = d.margin, sigma = v.volatility, mu = v.drift, days = v.horizon_days;
      const q = m * v.leverage / e;
      const liq = L.liquidationPrice({ side: "long", entry_price: e, quantity: q, margin: m, mmr: d.mmr });
      const horizon = days / d.days_per_year, steps = d.steps;
      // liqlearn.risk.liquidation_probability: 0 for no barrier or no time, clipped to [0, 1]
      const touch = (barrier, t) => {
        if (!(barrier > 0) || !(t > 0)) return 0;
        const p = F.touch_probability_lower({ spot: e, barrier, volatility: sigma, horizon: t, drift: mu });
        return Math.min(1, Math.max(0, p));
      };
      const times = [], curve = [];
      for (let k = 0; k <= steps; k++) {
        const t = days * k / steps;
        times.push(t);
        curve.push(touch(liq, t / d.days_per_year));
      }
      const p = curve[steps];
      const shifted = liq > 0 ? F.bgk_barrier_lower({ spot: e, barrier: liq, volatility: sigma, dt: horizon / steps }) : 0;
      const pDisc = touch(shifted, horizon);
      let premium = null, lossCap = null;
      if (liq > 0) {
        premium = q * F.put_price({ spot: e, strike: liq, volatility: sigma, horizon, rate: 0 });
        lossCap = q * (e - liq) + premium;
      }
      // the shown paths: e * exp(nu dt k + sigma sqrt(dt) W_k) on the shipped walks W
      // (the leverage moves only the barrier: the paths are kept while it changes)
      const pathKey = `${sigma}|${horizon}|${mu}`;
      if (!ctx.paths || ctx.paths.key !== pathKey) {
        const dt = horizon / steps, nu = mu - 0.5 * sigma * sigma, sd = sigma * Math.sqrt(dt);
        ctx.paths = { key: pathKey, paths: d.walks.map((w) => {
          const out = [e];
          for (let k = 1; k <= steps; k++) out.push(e * Math.exp(nu * dt * k + sd * w[k - 1]));
          return out;
        }) };
      }
      const paths = ctx.paths.paths;
      const touched = paths.map((path) => liq > 0 && path.some((x, k) => k > 0 && x <= liq));
      const live = ctx.live;
      const mc = live && live.values && X.same(live.values, v) ? live : null;
      return { v, e, m, q, liq, p, pDisc, premium, lossCap, times, curve, paths, touched, mc, steps,
        npaths: d.paths };
    },

    rows(r) {
      const rows = [
        ["position", "Position", `long ${num(r.q, 4)} BTC at ${num(r.e, 0)}, ${num(r.m, 0)} USDT margin`],
        ["liquidation_price", "Liquidation price", r.liq > 0 ? price(r.liq) : "none (cannot be liquidated)"],
        ["probability", "P(touch), continuous (closed form)", pct(r.p, 1)],
        ["probability_discrete", `P(touch), checked ${r.steps} times (BGK correction)`, pct(r.pDisc, 1)],
        ["probability_mc", `P(touch), Monte Carlo, ${r.steps} checks`, r.mc
          ? `${pct(r.mc.probability_mc, 1)} ± ${pct(r.mc.stderr_mc, 1)}`
          : `not on the static site for this setting (${num(r.npaths, 0)} paths are simulated in Python: run the notebook)`],
      ];
      if (r.premium !== null) {
        rows.push(["put_premium", "Put struck at the liquidation price",
          `${num(r.premium, 2)} USDT (${pct(r.premium / r.m, 1)} of the margin)`]);
        rows.push(["loss_cap", "Spot + put: worst loss at expiry",
          `${num(r.lossCap, 2)} USDT on ${num(r.q * r.e, 0)} USDT of BTC bought outright, whatever the path`]);
      }
      return rows;
    },

    summary(r) {
      return `Liquidation price ${r.liq > 0 ? price(r.liq) : "none"}; probability of touching it within ` +
        `${r.v.horizon_days} days: ${pct(r.p, 1)} (continuous), ${pct(r.pDisc, 1)} (checked ${r.steps} times).`;
    },

    draw(f, r, ctx) {
      const C = ctx.C, D = ctx.spec.dashes;
      const a = f.a;
      let lo = Infinity, hi = -Infinity;
      for (const p of r.paths) for (const x of p) { if (x < lo) lo = x; if (x > hi) hi = x; }
      const [y0, y1] = extent([lo, hi, r.liq > 0 ? r.liq : NaN]);
      a.domain(0, r.v.horizon_days, y0, y1);
      const seg = (want) => {
        let dd = "";
        r.paths.forEach((p, i) => {
          if (r.touched[i] !== want) return;
          dd += a.path(r.times, p);
        });
        return dd;
      };
      const drawn = `${a.domainKey}|${r.touched.join()}`;
      if (a.drawnPaths !== r.paths || a.drawnKey !== drawn) {  // redraw only what changed
        a.mark("miss", { d: seg(false), stroke: C.neutral, "stroke-opacity": 0.55, "stroke-width": 0.8, fill: "none" });
        a.mark("hit", { d: seg(true), stroke: C.liquidation, "stroke-opacity": 0.75, "stroke-width": 0.9, fill: "none" });
        a.drawnPaths = r.paths;
        a.drawnKey = drawn;
      }
      a.hline("liq", r.liq > 0 ? r.liq : NaN, { color: C.liquidation, dash: D.liquidation, width: 1.6 });
      a.hline("entry", r.e, { color: C.entry, dash: D.entry, width: 1 });
      a.legend([{ label: "liquidation price", color: C.liquidation, dash: D.liquidation },
        { label: "entry", color: C.entry, dash: D.entry }], "left");
      const hits = r.touched.filter(Boolean).length;
      a.describe(`${r.paths.length} sample price paths over ${r.v.horizon_days} days from ${num(r.e, 0)} USDT; ` +
        `${hits} of them touch the liquidation price ${r.liq > 0 ? price(r.liq) : "(none)"} and are drawn in red.`);

      const b = f.b;
      const top = Math.max(0.05, 1.1 * Math.max(...r.curve, ...(r.mc ? r.mc.curve_mc : [0])));
      b.domain(0, r.v.horizon_days, 0, top);
      b.line("curve", r.times, r.curve, { color: C.liquidation, width: 2.2 });
      b.line("mc", r.mc ? r.times : [], r.mc ? r.mc.curve_mc : [], { color: C.entry, dash: "--", width: 1.3 });
      b.legend([{ label: "closed form (continuous)", color: C.liquidation, width: 2.2 },
        ...(r.mc ? [{ label: `Monte Carlo (${num(r.npaths, 0)} paths)`, color: C.entry, dash: "--" }] : [])], "left");
      b.describe(`Probability that the price touches the liquidation price within each horizon up to ` +
        `${r.v.horizon_days} days: ${pct(r.p, 1)} at the end (closed form)` +
        (r.mc ? `, ${pct(r.mc.probability_mc, 1)} by Monte Carlo.` : "."));
    },
  };
})();
