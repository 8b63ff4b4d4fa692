"""Where the benchmark's own files are."""
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
NOTES = BENCH_DIR / 'notes.md'  # appended to every report (bench/README.md)
REPO = BENCH_DIR.parent
PROGRAMS_DIR = BENCH_DIR / 'programs'
NODE_WASI = BENCH_DIR / 'node_wasi.js'
GENERATOR = BENCH_DIR / 'gen_bigmodule.py'
MEASURE_C = BENCH_DIR / 'measure.c'
