// JSON-lines server for tests/test_browser_twin.py: one Node process per test session.
// argv[2]: a folder written by liqlearn.browser.write.  Each input line is a JSON array of
// calls [kind, name, args]; kind "formula" calls FORMULAS[name](args), kind "call" calls
// the algorithm (algorithms.mjs, command.mjs, or a formulas.mjs export such as Phi) `name` with the argument list `args`.  The answer line holds, per call,
// {"value": v} or {"error": message} (LiqError) -- any other exception is a failure.
// Non-finite numbers travel as {"$num": "inf" | "-inf" | "nan"}; {"$tiers": rows} becomes
// maintenanceTiers(rows).
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import path from "node:path";

const dir = process.argv[2];
const load = (name) => import(pathToFileURL(path.join(dir, name)).href);
const formulas = await load("formulas.mjs");
const { FORMULAS } = formulas;
const algorithms = await load("algorithms.mjs");
const command = await load("command.mjs");

function decode(x) {
  if (Array.isArray(x)) return x.map(decode);
  if (x !== null && typeof x === "object") {
    if ("$num" in x) return { inf: Infinity, "-inf": -Infinity, nan: NaN }[x.$num];
    if ("$tiers" in x) return algorithms.maintenanceTiers(decode(x.$tiers));
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
  }
  return x;
}

function encode(key, x) {
  if (typeof x === "number" && !Number.isFinite(x)) {
    return { $num: Number.isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf") };
  }
  return x;
}

function run([kind, name, args]) {
  try {
    if (kind === "formula") return { value: FORMULAS[name](decode(args)) };
    return { value: (algorithms[name] ?? command[name] ?? formulas[name])(...decode(args)) };
  } catch (err) {
    if (err instanceof algorithms.LiqError) return { error: err.message };
    return { crash: `${err.name}: ${err.message}` };
  }
}

const meta = { formulas: Object.keys(FORMULAS), algorithms: [...Object.keys(algorithms), ...Object.keys(command)] };
process.stdout.write(JSON.stringify(meta) + "\n");
for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(run), encode) + "\n");
}
