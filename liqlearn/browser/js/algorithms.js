// liqlearn browser twin: the hand-written part (what is not a closed form).
//
// Every closed form comes from FORMULAS (generated from the SymPy registry); this file
// only mirrors the package's algorithms around them -- validation with the package's
// messages, the tier bracket at the answer, cross collateral, tick rounding, an order
// book walk -- and the tests run each against the Python function it mirrors
// (tests/test_browser_twin.py).  Mirrors, by function:
//   liquidationPrice        liqlearn.formulas.liquidation.liquidation_price (+ root_bracket_index)
//   bankruptcyPrice         liqlearn.formulas.liquidation.bankruptcy_price
//   inverseLiquidationPrice liqlearn.formulas.inverse.inverse_liquidation_price
//   inverseBankruptcyPrice  liqlearn.formulas.inverse.inverse_bankruptcy_price
//   maintenanceMargin       liqlearn.formulas.margin.maintenance_margin
//   marginRatio             liqlearn.formulas.margin.margin_ratio
//   crossLiquidationPrice   liqlearn.formulas.cross.cross_liquidation_price
//   roundToTick             liqlearn.formulas.liquidation.round_to_tick
//   maintenanceTiers        liqlearn.formulas.tiers.MaintenanceTiers (amounts by the registry recursion)
//   walkLevels              liqlearn.orderbook.walk_levels
//   venueLiquidationPrice   liqlearn.venues.Venue.liquidation_price / bankruptcy_price
// Scalars only.  Bad input throws LiqError whose message is the package's.  The price
// command (the CLI's input handling around these) is in command.js.
import { FORMULAS } from "./formulas.mjs";
import { RULES, VENUES } from "./data.mjs";

export class LiqError extends Error {
  constructor(message) {
    super(message);
    this.name = "LiqError";
  }
}

function fail(message) {
  throw new LiqError(message);
}

// ---------------------------------------------------------------- Python number formats

function splitExponent(s) {
  const [mant, exp] = s.split("e");
  return [mant, exp === undefined ? 0 : parseInt(exp, 10)];
}

function pyExponent(e) {
  const sign = e < 0 ? "-" : "+";
  const digits = String(Math.abs(e));
  return `e${sign}${digits.length < 2 ? "0" + digits : digits}`;
}

// Python's repr(float): shortest round-trip digits, Python's switch to exponents
export function pyRepr(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, exp] = splitExponent(x.toExponential());
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  let out;
  if (exp < -4 || exp >= 16) {
    out = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out += pyExponent(exp);
  } else if (exp < 0) {
    out = "0." + "0".repeat(-exp - 1) + digits;
  } else if (digits.length <= exp + 1) {
    out = digits + "0".repeat(exp + 1 - digits.length) + ".0";
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return (neg ? "-" : "") + out;
}

// Python's format(x, f".{precision}g")
export function pyFormatG(x, precision = 6) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, exp] = splitExponent(x.toExponential(Math.max(precision, 1) - 1));
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= precision) return strip(mant) + pyExponent(exp);
  return strip(x.toFixed(Math.max(precision - 1 - exp, 0)));
}

// liqlearn.formulas.liquidation._num: ".12g", with ".0" added to a finite whole number
export function pyNum(x) {
  let s = pyFormatG(x, 12);
  if (Number.isFinite(x) && !/[.e]/.test(s)) s += ".0";
  return s;
}

// Python's repr(str)
export function pyStrRepr(s) {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(q === "'" ? /'/g : /"/g, "\\" + q)
    .replace(/\n/g, "\\n").replace(/\t/g, "\\t");
  return q + body + q;
}

function format(template, fields) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in fields ? fields[k] : m));
}

// ---------------------------------------------------------------- validation (RULES)

const BOUNDS = {
  finite: (x) => Number.isFinite(x),
  positive: (x) => Number.isFinite(x) && x > 0,
  nonnegative: (x) => Number.isFinite(x) && x >= 0,
  rate: (x) => Number.isFinite(x) && x >= 0 && x < 1,
};

// One scalar against a rule of liqlearn._validation ("finite", "positive", "nonnegative",
// "rate"); returns the number or throws the package's message.
export function check(rule, name, value) {
  if (typeof value !== "number") {
    fail(`${name} must be a number or an array of numbers; got ${typeof value === "string" ? pyStrRepr(value) : String(value)}`);
  }
  if (BOUNDS[rule](value)) return value;
  fail(format(RULES.template, { name, requirement: RULES.requirements[rule], got: pyRepr(value) }));
}

// liqlearn._validation.choice
export function choice(name, value, allowed) {
  if (typeof value !== "string" || !allowed.includes(value)) {
    const got = typeof value === "string" ? pyStrRepr(value) : String(value);
    fail(format(RULES.choice, { name, allowed: allowed.map(pyStrRepr).join(", "), got }));
  }
  return value;
}

export function sideSign(side) {
  return choice("side", side, RULES.sides) === "long" ? 1 : -1;
}

// ---------------------------------------------------------------- tier tables

// A tier table {caps, rates, floors, amounts} from (cap, mmr) rows, as MaintenanceTiers
// builds it; the amounts come from the registry's recursion (tier_maintenance_amount).
export function maintenanceTiers(rows) {
  if (!Array.isArray(rows) || rows.length === 0) {
    fail("rows must contain at least one (notional cap, mmr) pair");
  }
  const caps = rows.map((r) => r[0]);
  const rates = rows.map((r) => r[1]);
  caps.slice(0, -1).forEach((c) => check("positive", "cap", c));
  const last = caps[caps.length - 1];
  if (!(last > 0)) check("positive", "cap", last);
  rates.forEach((m) => check("rate", "mmr", m));
  for (let i = 1; i < caps.length; i++) {
    if (!(caps[i] > caps[i - 1])) {
      fail(`caps must be strictly increasing; got cap ${pyFormatG(caps[i])} at index ${i} after ${pyFormatG(caps[i - 1])}`);
    }
  }
  for (let i = 1; i < rates.length; i++) {
    if (rates[i] < rates[i - 1]) {
      fail(`mmr must be non-decreasing across tiers; got ${pyFormatG(rates[i])} at index ${i} after ${pyFormatG(rates[i - 1])}`);
    }
  }
  const floors = [0, ...caps.slice(0, -1)];
  const amounts = [0];
  for (let n = 1; n < rates.length; n++) {
    amounts.push(FORMULAS.tier_maintenance_amount({
      floor: floors[n], mmr: rates[n], previous_mmr: rates[n - 1], previous_amount: amounts[n - 1],
    }));
  }
  return { caps, rates, floors, amounts };
}

export function isTiers(mmr) {
  return mmr !== null && typeof mmr === "object" && Array.isArray(mmr.caps);
}

// MaintenanceTiers.index: the bracket of a notional (cap inclusive)
export function tierIndex(tiers, notional) {
  check("positive", "notional", notional);
  let i = 0;
  while (i < tiers.caps.length && tiers.caps[i] < notional) i++;
  if (i >= tiers.caps.length) {
    const cap = pyFormatG(tiers.caps[tiers.caps.length - 1]);
    fail(`notional ${pyFormatG(notional)} is above the last tier's cap ${cap}: notional must be in (0, ${cap}]`);
  }
  return i;
}

// liqlearn.formulas.liquidation.root_bracket_index: the bracket holding the value at the answer
export function rootBracketIndex(s, margin, entryValue, tiers, f, what, hint = "") {
  let idx = 0;
  for (let k = 0; k < tiers.caps.length; k++) {
    const cap = tiers.caps[k];
    if (cap === Infinity) continue;
    const g = margin + s * (cap - entryValue) - (cap * (tiers.rates[k] + f) - tiers.amounts[k]);
    idx += s === 1 ? (g < 0 ? 1 : 0) : (g > 0 ? 1 : 0);
  }
  if (idx >= tiers.caps.length) {
    fail(`${what} lies above the last tier's cap ${pyNum(tiers.caps[tiers.caps.length - 1])}: the tier table does not cover it${hint}`);
  }
  return idx;
}

// liqlearn.formulas.margin._flat_or_tiers
function flatOrTiers(mmr, maintenanceAmount) {
  if (isTiers(mmr)) {
    const c = check("nonnegative", "maintenance_amount", maintenanceAmount);
    if (c !== 0) {
      fail("maintenance_amount must be 0 when mmr is a MaintenanceTiers (the tiers supply their own maintenance amounts)");
    }
    return [mmr, c, true];
  }
  return [check("rate", "mmr", mmr), check("nonnegative", "maintenance_amount", maintenanceAmount), false];
}

function rejectTop(rate, tiered, f) {
  const top = (tiered ? rate.rates[rate.rates.length - 1] : rate) + f;
  if (top >= 1) fail(`mmr + fee_rate must be < 1; got ${pyFormatG(top)}`);
}

function rejectLiquidatedAtEntry(margin, mm, fee) {
  const what = fee ? "maintenance margin plus the close fee" : "maintenance margin";
  fail(`margin ${pyNum(margin)} is at or below the ${what} ${pyNum(mm)} at entry: the position would be liquidated at once`);
}

// ---------------------------------------------------------------- linear contracts

function linearFormula(side, basis, values) {
  const p = FORMULAS[`liquidation_price_${side}_${basis}`](values);
  return side === "long" && !(p > 0) ? 0 : p;
}

// liquidation_price(side, entry_price, quantity, margin, mmr, maintenance_amount, fee_rate,
// mm_basis); mmr is a rate or a tier table from maintenanceTiers (or a VENUES preset's tiers)
export function liquidationPrice({ side, entry_price, quantity, margin, mmr,
  maintenance_amount = 0, fee_rate = 0, mm_basis = "mark" }, checkEntry = true) {
  const s = sideSign(side);
  const basis = choice("mm_basis", mm_basis, RULES.mm_bases);
  const e = check("positive", "entry_price", entry_price);
  const q = check("positive", "quantity", quantity);
  // isolated margin is >= 0; a cross collateral (checkEntry false) may be negative
  const m = check(checkEntry ? "nonnegative" : "finite", "margin", margin);
  const [rate, c0, tiered] = flatOrTiers(mmr, maintenance_amount);
  const f = check("rate", "fee_rate", fee_rate);
  rejectTop(rate, tiered, f);
  const fee = f !== 0;
  let mf;
  let mRate = rate;
  let c = c0;
  if (tiered) {
    if (checkEntry) {
      const k = tierIndex(rate, q * e);
      const tmf = rate.rates[k] + f;
      if ((m + rate.amounts[k]) / q <= e * tmf) rejectLiquidatedAtEntry(m, q * e * tmf - rate.amounts[k], fee);
    }
    const k = basis === "entry" ? tierIndex(rate, q * e)
      : rootBracketIndex(s, m, q * e, rate, f, "the liquidation notional", " (add a higher tier, or lower the margin)");
    mRate = rate.rates[k];
    mf = mRate + f;
    c = rate.amounts[k];
  } else {
    mf = rate + f;
    if (checkEntry && c !== 0 && q * e * rate < c) {
      fail(`maintenance_amount ${pyFormatG(c)} exceeds notional * mmr ${pyFormatG(q * e * rate)} at entry: maintenance_amount must be in [0, notional * mmr] (the maintenance margin would be negative)`);
    }
    if (checkEntry && (m + c) / q <= e * mf) rejectLiquidatedAtEntry(m, q * e * mf - c, fee);
  }
  // the registry's closed form with the bracket's rate and amount
  return linearFormula(side, basis, { entry_price: e, quantity: q, margin: m, mmr: mRate,
    maintenance_amount: c, fee_rate: f });
}

// bankruptcy_price(side, entry_price, quantity, margin, fee_rate)
export function bankruptcyPrice({ side, entry_price, quantity, margin, fee_rate = 0 }) {
  sideSign(side);
  const e = check("positive", "entry_price", entry_price);
  const q = check("positive", "quantity", quantity);
  const m = check("nonnegative", "margin", margin);
  const f = check("rate", "fee_rate", fee_rate);
  const p = FORMULAS[`bankruptcy_price_${side}`]({ entry_price: e, quantity: q, margin: m, fee_rate: f });
  return side === "long" && !(p > 0) ? 0 : p;
}

// maintenance_margin(notional, mmr, maintenance_amount)
export function maintenanceMargin(notional, mmr, maintenance_amount = 0) {
  const n = check("positive", "notional", notional);
  const [rate, c, tiered] = flatOrTiers(mmr, maintenance_amount);
  if (tiered) {
    const k = tierIndex(rate, n);
    return FORMULAS.maintenance_margin({ notional: n, mmr: rate.rates[k], maintenance_amount: rate.amounts[k] });
  }
  const mm = FORMULAS.maintenance_margin({ notional: n, mmr: rate, maintenance_amount: c });
  if (mm < 0) {
    fail(`maintenance_amount ${pyFormatG(c)} exceeds notional * mmr ${pyFormatG(n * rate)}: maintenance_amount must be in [0, notional * mmr]`);
  }
  return mm;
}

function unrealizedPnl(side, entry_price, mark_price, quantity) {
  sideSign(side);
  const e = check("positive", "entry_price", entry_price);
  const p = check("positive", "mark_price", mark_price);
  const q = check("positive", "quantity", quantity);
  return FORMULAS[`unrealized_pnl_${side}`]({ entry_price: e, mark_price: p, quantity: q });
}

// margin_ratio(side, entry_price, mark_price, quantity, margin, mmr, maintenance_amount):
// MM / equity at the mark (inf when equity <= 0)
export function marginRatio({ side, entry_price, mark_price, quantity, margin, mmr, maintenance_amount = 0 }) {
  sideSign(side);
  const e = check("positive", "entry_price", entry_price);
  const p = check("positive", "mark_price", mark_price);
  const q = check("positive", "quantity", quantity);
  const m = check("nonnegative", "margin", margin);
  const eq = FORMULAS[`equity_${side}`]({ entry_price: e, mark_price: p, quantity: q, margin: m });
  const mm = maintenanceMargin(FORMULAS.notional({ quantity: q, price: p }), mmr, maintenance_amount);
  return eq > 0 ? mm / eq : Infinity;
}

// ---------------------------------------------------------------- inverse contracts

function faceValue(contracts, contract_size) {
  return check("positive", "contracts", contracts) * check("positive", "contract_size", contract_size);
}

// inverse_liquidation_price(side, entry_price, contracts, contract_size, margin, mmr,
// maintenance_amount, fee_rate, mm_basis); tier caps are coin values
export function inverseLiquidationPrice({ side, entry_price, contracts, contract_size, margin, mmr,
  maintenance_amount = 0, fee_rate = 0, mm_basis = "mark" }) {
  const s = sideSign(side);
  const basis = choice("mm_basis", mm_basis, RULES.mm_bases);
  const e = check("positive", "entry_price", entry_price);
  check("positive", "contracts", contracts);
  check("positive", "contract_size", contract_size);
  const face = contracts * contract_size;
  const m = check("nonnegative", "margin", margin);
  const [rate, c0, tiered] = flatOrTiers(mmr, maintenance_amount);
  const f = check("rate", "fee_rate", fee_rate);
  rejectTop(rate, tiered, f);
  const value = face / e;
  const fee = f !== 0;
  let mf;
  let mRate = rate;
  let c = c0;
  if (tiered) {
    const k0 = tierIndex(rate, value);
    const mmEntry = value * (rate.rates[k0] + f) - rate.amounts[k0];
    if (m <= mmEntry) rejectLiquidatedAtEntry(m, mmEntry, fee);
    const k = basis === "entry" ? tierIndex(rate, value)
      : rootBracketIndex(-s, m, value, rate, f, "the coin value at the liquidation price");
    mRate = rate.rates[k];
    mf = mRate + f;
    c = rate.amounts[k];
  } else {
    if (c > value * rate) {
      fail(`maintenance_amount ${pyFormatG(c)} exceeds the coin value at entry * mmr ${pyFormatG(value * rate)}: maintenance_amount must be in [0, contracts * contract_size / entry_price * mmr]`);
    }
    mf = rate + f;
    if (m <= value * mf - c) rejectLiquidatedAtEntry(m, value * mf - c, fee);
  }
  const den = basis === "mark" ? m + c + s * value : m + c + (s - mf) * value;
  if (s === 1 && !(den > 0)) return 0;
  if (s === -1 && !(den < 0)) return Infinity;
  return FORMULAS[`inverse_liquidation_price_${side}_${basis}`]({ entry_price: e, contracts,
    contract_size, margin: m, mmr: mRate, maintenance_amount: c, fee_rate: f });
}

// inverse_bankruptcy_price(side, entry_price, contracts, contract_size, margin)
export function inverseBankruptcyPrice({ side, entry_price, contracts, contract_size, margin }) {
  const s = sideSign(side);
  const e = check("positive", "entry_price", entry_price);
  const face = faceValue(contracts, contract_size);
  const m = check("nonnegative", "margin", margin);
  if (!(s * m + face / e > 0)) return Infinity;
  return FORMULAS[`inverse_bankruptcy_price_${side}`]({ entry_price: e, contracts, contract_size, margin: m });
}

// ---------------------------------------------------------------- cross margin

function named(j, fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LiqError) fail(`positions[${j}]: ${err.message}`);
    throw err;
  }
}

// cross_liquidation_price(wallet_balance, positions, which): positions are objects with
// side, quantity, entry_price, mark_price, mmr and optional maintenance_amount
export function crossLiquidationPrice({ wallet_balance, positions, which = 0 }) {
  if (!Array.isArray(positions)) fail("positions must be a sequence of mappings (one per position)");
  if (positions.length === 0) fail("positions must contain at least one position");
  if (!Number.isInteger(which) || which < -positions.length || which >= positions.length) {
    fail(`which must be an integer index in [0, ${positions.length - 1}]; got ${which}`);
  }
  which = ((which % positions.length) + positions.length) % positions.length;
  check("nonnegative", "wallet_balance", wallet_balance);
  const [othersMm, othersUpnl] = othersTotals(positions, which);
  const me = positions[which];
  return named(which, () => crossFromTotals(me, wallet_balance, othersMm, othersUpnl));
}

// others_totals(positions, which): [maintenance margin, unrealized P&L] of the other positions
export function othersTotals(positions, which) {
  let othersMm = 0;
  let othersUpnl = 0;
  positions.forEach((pos, j) => {
    if (j === which) return;
    const c = pos.maintenance_amount ?? 0;
    const n = named(j, () => check("positive", "quantity", pos.quantity) * check("positive", "mark_price", pos.mark_price));
    othersMm += named(j, () => maintenanceMargin(n, pos.mmr, c));
    othersUpnl += named(j, () => unrealizedPnl(pos.side, pos.entry_price, pos.mark_price, pos.quantity));
  });
  return [othersMm, othersUpnl];
}

// cross_collateral(wallet_balance, others_maintenance_margin, others_unrealized_pnl)
export function crossCollateral(w, mm, u) {
  check("nonnegative", "wallet_balance", w);
  check("nonnegative", "others_maintenance_margin", mm);
  check("finite", "others_unrealized_pnl", u);
  // may be <= 0: the position's own profit can still carry the account (checked at its mark)
  return w - mm + u;
}

function crossFromTotals(me, w, othersMm, othersUpnl) {
  const side = me.side;
  sideSign(side);
  const collateral = crossCollateral(w, othersMm, othersUpnl);
  const amount = me.maintenance_amount ?? 0;
  // validation as liquidation_price's, then the position must be alive at its mark
  const e = check("positive", "entry_price", me.entry_price);
  const q = check("positive", "quantity", me.quantity);
  const [rate, , tiered] = flatOrTiers(me.mmr, amount);
  rejectTop(rate, tiered, 0);
  const p = check("positive", "mark_price", me.mark_price);
  const eq = collateral + unrealizedPnl(side, e, p, q);
  const mm = maintenanceMargin(q * p, me.mmr, amount);
  if (eq <= mm) {
    fail(`the position's equity ${pyFormatG(eq)} at its mark is at or below its maintenance margin ${pyFormatG(mm)}: the account is already being liquidated`);
  }
  return liquidationPrice({ side, entry_price: e, quantity: q, margin: collateral, mmr: me.mmr,
    maintenance_amount: amount, fee_rate: 0, mm_basis: "mark" }, false);
}

// ---------------------------------------------------------------- ticks and books

// round_to_tick(price, tick, side): a long's trigger rounds up, a short's down
export function roundToTick(price, tick, side) {
  const s = sideSign(side);
  if (typeof price !== "number") check("finite", "price", price);
  const shown = price === Infinity ? 0 : price;
  if (!(Number.isFinite(shown) && shown >= 0)) {
    fail(format(RULES.template, { name: "price", requirement: "in [0, inf]", got: pyRepr(shown) }));
  }
  const t = check("positive", "tick", tick);
  if (price === Infinity) return price;
  const ticks = price / t;
  const nearest = roundHalfEven(ticks);
  const onGrid = Math.abs(ticks - nearest) <= 1e-9 * Math.max(1, Math.abs(ticks));
  const steps = onGrid ? nearest : (s === 1 ? Math.ceil(ticks) : Math.floor(ticks));
  const inv = 1 / t;
  const invInt = roundHalfEven(inv);
  return Math.abs(inv - invInt) <= 1e-9 * invInt ? steps / (invInt > 0 ? invInt : 1) : steps * t;
}

function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// walk_levels(prices, quantities, size, limit_count): {taken, touched}
export function walkLevels(prices, quantities, size, limitCount = null) {
  const n = limitCount === null ? quantities.length : Math.min(limitCount, quantities.length);
  const taken = quantities.map(() => 0);
  if (n === 0 || size <= 0) return { taken, touched: 0 };
  let cum = 0;
  for (let j = 0; j < n; j++) {
    const before = cum;
    cum += quantities[j];
    if (cum >= size) {
      for (let k = 0; k < j; k++) taken[k] = quantities[k];
      taken[j] = size - before;
      return { taken, touched: j + 1 };
    }
  }
  let touched = 0;
  for (let k = 0; k < n; k++) {
    taken[k] = quantities[k];
    if (quantities[k] > 0) touched = k + 1;
  }
  return { taken, touched };
}

// ---------------------------------------------------------------- venue presets

export function venue(key) {
  const k = typeof key === "string" ? key.toLowerCase() : key;
  return VENUES.presets[choice("venue", k, Object.keys(VENUES.presets))];
}

function venueRate(vn, value, mmr) {
  if (mmr !== undefined && mmr !== null) return mmr;
  if (vn.tiers === null) {
    fail(`no tier table is recorded for ${vn.name} (see its notes): pass mmr= (a rate or a MaintenanceTiers)`);
  }
  if (vn.tier_rule === "marginal") return vn.tiers;
  if (vn.mm_basis === "entry") return vn.tiers.rates[tierIndex(vn.tiers, value)];
  fail(`${vn.name} charges the whole position its step's rate on basis 'mark', where the step depends on the answer: pass mmr=`);
}

function venueFee(vn, takerFee) {
  if (!vn.fee_in_trigger) return 0;
  const fee = takerFee ?? vn.taker_fee;
  if (fee === null || fee === undefined) {
    fail(`${vn.name} reserves the close fee: pass taker_fee (no rate is recorded)`);
  }
  return check("rate", "taker_fee", fee);
}

// Venue.liquidation_price and Venue.bankruptcy_price for a preset key: {liquidation, bankruptcy,
// mmr (the rate or tier table used), fee_rate, mm_basis}; quantity is contracts when inverse
export function venuePrices(key, { side, entry_price, quantity, margin, mmr = null, taker_fee = null }) {
  const vn = venue(key);
  sideSign(side);
  if (vn.contract === "inverse") {
    const value = check("positive", "quantity", quantity) * vn.contract_size / check("positive", "entry_price", entry_price);
    const rate = venueRate(vn, value, mmr);
    const fee = venueFee(vn, taker_fee);
    const args = { side, entry_price, contracts: quantity, contract_size: vn.contract_size, margin };
    return { liquidation: inverseLiquidationPrice({ ...args, mmr: rate, fee_rate: fee, mm_basis: vn.mm_basis }),
      bankruptcy: inverseBankruptcyPrice(args), mmr: rate, fee_rate: fee, mm_basis: vn.mm_basis, contract: "inverse" };
  }
  const value = check("positive", "quantity", quantity) * check("positive", "entry_price", entry_price);
  const rate = venueRate(vn, value, mmr);
  const fee = venueFee(vn, taker_fee);
  return { liquidation: liquidationPrice({ side, entry_price, quantity, margin, mmr: rate, fee_rate: fee, mm_basis: vn.mm_basis }),
    bankruptcy: bankruptcyPrice({ side, entry_price, quantity, margin }), mmr: rate, fee_rate: fee,
    mm_basis: vn.mm_basis, contract: "linear" };
}
