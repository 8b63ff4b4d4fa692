"""wasmgrind's benchmark runner, as a package; `bench/run` is its command line (see bench/README.md).

  paths     where the bench files are
  util      logging, short commands' output
  configs   what runs: the programs, the configurations, optional wasmgrind flags
  build     compiling the programs, the generated module and the measure launcher
  measure   running a command under bench/measure.c and checking its output
  runs      every configuration of a program, probing runtimes, counting problems
  sections  the compile-speed and start-up sections
  tables    number formats and Markdown tables
  report    the Markdown report and the raw JSON
  cli       the command line: arguments, --list, the order of the run
"""
