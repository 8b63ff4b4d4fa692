// Runs every exported function of each module given on the command line under node's V8, in
// export order on one instance, and prints one JSON line per module:
//   {"file": F, "exports": [{"name": N, "values": [...]} | {"name": N, "trap": MESSAGE}]}
//   {"file": F, "error": MESSAGE}            (the module failed to compile or instantiate)
// Values are strings: integers in decimal (i64 from BigInt), floats as JavaScript's shortest
// round-trip form, "-0", "inf", "-inf" or "nan" (NaN payloads do not survive JavaScript).
// Usage: node node_harness.js A.wasm [B.wasm ...]
'use strict';
const fs = require('fs');

function format(v) {
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function runModule(file) {
  let instance, module;
  try {
    module = new WebAssembly.Module(fs.readFileSync(file));
    instance = new WebAssembly.Instance(module, {});
  } catch (e) {
    return { file, error: String(e) };
  }
  const exports = [];
  for (const exp of WebAssembly.Module.exports(module)) {
    if (exp.kind !== 'function') continue;
    try {
      const r = instance.exports[exp.name]();
      const values = r === undefined ? [] : Array.isArray(r) ? r : [r];
      exports.push({ name: exp.name, values: values.map(format) });
    } catch (e) {
      // A wasm trap is a WebAssembly.RuntimeError; stack exhaustion is a RangeError.
      exports.push({ name: exp.name, trap: `${e.constructor.name}: ${e.message}` });
    }
  }
  return { file, exports };
}

for (const file of process.argv.slice(2)) process.stdout.write(JSON.stringify(runModule(file)) + '\n');
