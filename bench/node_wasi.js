// Runs a WASI (preview1) command module under node's V8, for bench/run.
//
//   node [V8 flags] bench/node_wasi.js PROG.wasm [ARGS...]
//       Compile, instantiate with node's WASI and run _start; exits with the program's status.
//   node [V8 flags] bench/node_wasi.js --time-compile PROG.wasm
//       Only compile (WebAssembly.compile) and print `compile_ms=<milliseconds>`: the time from
//       having the bytes in memory to a compiled module, excluding node's own start-up and file
//       reading. What "compiled" means depends on the V8 flags (lazy compilation, tiers): see
//       bench/README.md.
//
// The program sees no environment variables and no preopened directories: the benchmarks read
// nothing but their arguments.
'use strict';

// Work around a node 20 bug: with V8's fast API calls, a WASI call made after the module has
// grown its memory past 64 MiB can crash node with SIGSEGV (see nodejs/node#51303 and #53087).
// On the slow path, each WASI call costs a little more; the benchmarks make only a handful.
require('v8').setFlagsFromString('--no-turbo-fast-api-calls');

const fs = require('fs');
const { WASI } = require('wasi');

function usage() {
  process.stderr.write('usage: node node_wasi.js PROG.wasm [ARGS...]\n' +
                       '       node node_wasi.js --time-compile PROG.wasm\n');
  process.exit(2);
}

async function timeCompile(path) {
  const bytes = fs.readFileSync(path);
  const start = process.hrtime.bigint();
  await WebAssembly.compile(bytes);
  const ns = process.hrtime.bigint() - start;
  process.stdout.write(`compile_ms=${(Number(ns) / 1e6).toFixed(3)}\n`);
}

async function run(path, args) {
  const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true });
  const module = await WebAssembly.compile(fs.readFileSync(path));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  process.exitCode = wasi.start(instance);
}

const argv = process.argv.slice(2);
if (argv.length === 0) usage();
const done = argv[0] === '--time-compile' ? (argv.length === 2 ? timeCompile(argv[1]) : usage())
                                          : run(argv[0], argv.slice(1));
done.catch((e) => {
  process.stderr.write(`node_wasi: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
