// The preview1 function wasmgrind does not implement: proc_raise (signals). It returns NoSys so
// that guests can tell "not here" from failure. (Sockets are in wasi_sock.cc.)
#include "wasi_functions.h"

namespace wasmgrind::wasi {

Errno ProcRaise(WasiContext&, uint32_t) { return Errno::NoSys; }

}  // namespace wasmgrind::wasi
