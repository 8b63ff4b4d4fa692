// wasmgrind's entry point; everything else lives in the wasmgrind_tool library (cli.cc).
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) { return wasmgrind::RunCli(argc, argv, std::cout, std::cerr); }
