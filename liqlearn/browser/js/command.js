// liqlearn browser twin: `python -m liqlearn price` in the browser (liqlearn._cli_price).
//
// priceCommand takes the CLI's long option names, checks them as argparse and the command
// do (same messages), and computes with the algorithms (algorithms.js), so a page that calls
// it shows what the CLI prints; tests/test_browser_twin.py compares the two on drawn input.
import { PRICE_FORMULAS, RULES } from "./data.mjs";
import {
  LiqError, bankruptcyPrice, check, crossCollateral, crossLiquidationPrice, inverseBankruptcyPrice,
  inverseLiquidationPrice, isTiers, liquidationPrice, marginRatio, othersTotals, pyStrRepr,
  roundToTick, venue, venuePrices,
} from "./algorithms.mjs";

function fail(message) {
  throw new LiqError(message);
}

const PRICE_FLOATS = ["entry", "margin", "leverage", "quantity", "mmr", "fee-rate",
  "maintenance-amount", "contract-size", "mark", "tick"];
const PRICE_REQUIRED = ["side", "entry", "margin", "mmr"];
const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?|inf(?:inity)?|nan)$/i;

// Python's float(text)
export function pyFloat(text) {
  if (typeof text === "number") return text;
  const t = String(text).trim();
  if (!PY_FLOAT.test(t)) return undefined;
  const low = t.toLowerCase().replace(/_/g, "");
  if (low.endsWith("inf") || low.endsWith("infinity")) return low.startsWith("-") ? -Infinity : Infinity;
  if (low.endsWith("nan")) return NaN;
  return Number(low);
}

function argparseChoice(option, value, allowed) {
  if (!allowed.includes(value)) {
    fail(`argument --${option}: invalid choice: ${pyStrRepr(value)} (choose from ${allowed.map(pyStrRepr).join(", ")})`);
  }
  return value;
}

function isSet(options, key) {
  return options[key] !== undefined && options[key] !== null && options[key] !== "";
}

function parseOther(text) {
  const fields = text.split(":");
  const bad = () => fail(`--other must be SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT]; got ${pyStrRepr(text)}`);
  if (fields.length !== 5 && fields.length !== 6) bad();
  const [side, ...rest] = fields;
  const numbers = rest.map(pyFloat);
  if (numbers.some((x) => x === undefined)) bad();
  const [q, e, p, m, amount] = numbers;
  return { side, quantity: q, entry_price: e, mark_price: p, mmr: m, maintenance_amount: amount ?? 0 };
}

// python -m liqlearn price --json: options keyed by the long option names (strings as typed,
// or numbers); "inverse" true/false; "other" a list of SIDE:QUANTITY:ENTRY:MARK:MMR[:AMOUNT].
// Returns the CLI's JSON object (numbers stay numbers: Infinity where the CLI's JSON writes
// "inf"); bad input throws LiqError with the CLI's message (argparse's,
// or the package's ValueError).  "venue" (a key of VENUES.presets, not a CLI option) prices the
// position as liqlearn.venues.get(venue).liquidation_price does: the preset's contract, basis,
// tiers and reserved fee; "mmr" and "fee-rate" then override the preset's table and taker fee.
export function priceCommand(options) {
  const vn = isSet(options, "venue") ? venue(String(options.venue)) : null;
  const required = vn ? PRICE_REQUIRED.filter((k) => k !== "mmr") : PRICE_REQUIRED;
  const missing = required.filter((k) => !isSet(options, k));
  if (missing.length) fail(`the following arguments are required: ${missing.map((k) => "--" + k).join(", ")}`);
  const side = argparseChoice("side", String(options.side), RULES.sides);
  const a = { basis: "mark", "fee-rate": 0, "maintenance-amount": 0 };
  for (const k of PRICE_FLOATS) {
    if (!isSet(options, k)) continue;
    const x = pyFloat(options[k]);
    if (x === undefined) fail(`argument --${k}: invalid float value: ${pyStrRepr(String(options[k]))}`);
    a[k] = x;
  }
  if (isSet(options, "basis")) a.basis = argparseChoice("basis", String(options.basis), RULES.mm_bases);
  if (isSet(options, "leverage") && isSet(options, "quantity")) {
    fail("argument --quantity: not allowed with argument --leverage");
  }
  if (!isSet(options, "leverage") && !isSet(options, "quantity")) {
    fail("one of the arguments --leverage --quantity is required");
  }
  const flag = options.inverse === true || ["1", "true", "yes", "on"].includes(String(options.inverse).toLowerCase());
  const inverse = vn ? vn.contract === "inverse" : flag;
  if (vn) {  // liqlearn.cli.price.apply_venue: what the preset fixes, and what it refuses
    if (isSet(options, "basis") && a.basis !== vn.mm_basis) {
      fail(`--basis: the ${vn.name} preset computes on the ${vn.mm_basis} basis; leave --basis out or drop --venue`);
    }
    a.basis = vn.mm_basis;
    const feeSet = isSet(options, "fee-rate");
    if (feeSet && a["fee-rate"] !== 0 && !vn.fee_in_trigger) {
      fail(`--fee-rate: ${vn.name} reserves no close fee in its trigger; leave --fee-rate out or drop --venue`);
    }
    if ((!feeSet || !vn.fee_in_trigger) && vn.fee_in_trigger && (vn.taker_fee ?? null) === null) {
      fail(`${vn.name} reserves the close fee in the trigger but no fee rate is recorded in its preset: give --fee-rate`);
    }
    if (isSet(options, "contract-size") && a["contract-size"] !== (vn.contract_size ?? null)) {
      fail(`--contract-size: the ${vn.name} preset's contract is ${vn.contract_size ? `${vn.contract_size} USD` : "linear"}; leave --contract-size out or drop --venue`);
    }
    if (vn.contract !== "inverse" && flag) fail(`--inverse: the ${vn.name} preset is a linear contract (${vn.product})`);
    if (!isSet(options, "mmr")) {
      if (vn.tiers === null) fail(`no tier table is recorded for ${vn.name} (see its preset's notes): give --mmr`);
      if (a["maintenance-amount"]) {
        fail("--maintenance-amount needs --mmr: the venue's tier table carries its own maintenance amounts");
      }
    }
    a["contract-size"] = vn.contract_size ?? undefined;
  }

  const entry = check("positive", "entry_price", a.entry);
  const margin = check("nonnegative", "margin", a.margin);
  if (a["contract-size"] !== undefined && !inverse) fail("--contract-size only applies with --inverse");
  let lev;
  if (a.leverage !== undefined) {
    lev = check("positive", "leverage", a.leverage);
    if (margin === 0) fail("margin must be > 0 when --leverage is given (the position size is margin * leverage)");
  }
  const others = (options.other ?? []).map(parseOther);
  const feeGiven = isSet(options, "fee-rate");
  if (others.length) {
    if (inverse) fail("--other (cross margin) applies to linear contracts only, not with --inverse");
    if (a.basis !== "mark") fail("--other (cross margin) uses the maintenance margin at the trigger price: --basis must be mark");
    if ((vn ? vn.fee_in_trigger : a["fee-rate"] !== 0)) fail("--other (cross margin) reserves no close fee: --fee-rate must be 0");
  }
  const mark = a.mark === undefined ? null : check("positive", "mark_price", a.mark);
  const out = { side, entry_price: entry, margin, mmr: a.mmr, fee_rate: a["fee-rate"],
    maintenance_amount: a["maintenance-amount"], mm_basis: a.basis };
  if (vn) Object.assign(out, { venue: vn.key });
  let liq;
  let bkr;
  let leverage;
  let rate = a.mmr;
  const preset = (quantity) => {
    const r = venuePrices(vn.key, { side, entry_price: entry, quantity, margin, mmr: a.mmr ?? null,
      taker_fee: feeGiven ? a["fee-rate"] : null });
    rate = r.mmr;
    out.fee_rate = r.fee_rate;
    out.mmr = isTiers(r.mmr) ? "tiers" : r.mmr;
    return r;
  };
  if (inverse) {
    if (mark !== null) fail("--mark (margin ratio) is computed for linear contracts only, not with --inverse");
    if (a["contract-size"] === undefined) fail("--inverse needs --contract-size (USD value of one contract)");
    const size = check("positive", "contract_size", a["contract-size"]);
    const contracts = lev !== undefined ? margin * lev * entry / size : check("positive", "contracts", a.quantity);
    if (vn) {
      ({ liquidation: liq, bankruptcy: bkr } = preset(contracts));
    } else {
      liq = inverseLiquidationPrice({ side, entry_price: entry, contracts, contract_size: size, margin,
        mmr: a.mmr, maintenance_amount: a["maintenance-amount"], fee_rate: a["fee-rate"], mm_basis: a.basis });
      bkr = inverseBankruptcyPrice({ side, entry_price: entry, contracts, contract_size: size, margin });
    }
    leverage = margin > 0 ? contracts * size / entry / margin : Infinity;
    Object.assign(out, { contract: "inverse", contracts, contract_size: size });
  } else {
    const quantity = lev !== undefined ? margin * lev / entry : check("positive", "quantity", a.quantity);
    let backing = margin;
    if (vn) ({ liquidation: liq, bankruptcy: bkr } = preset(quantity));
    if (others.length) {
      const me = { side, quantity, entry_price: entry, mark_price: mark === null ? entry : mark,
        mmr: rate, maintenance_amount: a["maintenance-amount"] };
      const positions = [me, ...others];
      liq = crossLiquidationPrice({ wallet_balance: margin, positions, which: 0 });
      const [othersMm, othersUpnl] = othersTotals(positions, 0);
      backing = crossCollateral(margin, othersMm, othersUpnl);
      bkr = bankruptcyPrice({ side, entry_price: entry, quantity, margin: margin + othersUpnl });
      Object.assign(out, { margin_mode: "cross", others, collateral: backing });
    } else if (!vn) {
      liq = liquidationPrice({ side, entry_price: entry, quantity, margin, mmr: a.mmr,
        maintenance_amount: a["maintenance-amount"], fee_rate: a["fee-rate"], mm_basis: a.basis });
      bkr = bankruptcyPrice({ side, entry_price: entry, quantity, margin, fee_rate: a["fee-rate"] });
    }
    leverage = margin > 0 ? quantity * entry / margin : Infinity;
    Object.assign(out, { contract: "linear", quantity });
    if (mark !== null) {
      Object.assign(out, { mark_price: mark, margin_ratio: marginRatio({ side, entry_price: entry,
        mark_price: mark, quantity, margin: backing, mmr: rate, maintenance_amount: a["maintenance-amount"] }) });
    }
  }
  const kind = out.contract;
  Object.assign(out, { leverage, liquidation_price: liq, bankruptcy_price: bkr,
    formula: others.length ? PRICE_FORMULAS.cross_liquidation : PRICE_FORMULAS.liquidation[`${kind}/${a.basis}`],
    bankruptcy_formula: others.length ? PRICE_FORMULAS.cross_bankruptcy : PRICE_FORMULAS.bankruptcy[kind] });
  const reference = mark === null ? entry : mark;
  out.distance_to_liquidation = Math.abs(liq - reference) / reference;
  if (a.tick !== undefined) {
    Object.assign(out, { tick: a.tick, liquidation_price_rounded: roundToTick(liq, a.tick, side),
      bankruptcy_price_rounded: roundToTick(bkr, a.tick, side) });
  }
  return out;
}
