// NativeDisassembler: x86-64 machine code as text, with Capstone, for people (fault reports,
// `wasmgrind disas`) and for one after-the-fact question about a faulting instruction: which
// memory operand it had (so the report can give the access's effective address). Never used
// inside the signal handler.
//
// RAII over Capstone: the constructor opens a handle (cs_open, detail on) and allocates one
// instruction (cs_malloc) that cs_disasm_iter reuses; the destructor frees both (cs_free,
// cs_close). Not thread-safe: one per thread or per report.
#pragma once

#include <capstone/capstone.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmgrind {

struct NativeInstr {
  uint64_t address = 0;
  uint32_t size = 0;
  std::string bytes;     // hex, space-separated
  std::string mnemonic;  // "mov"; ".byte" for an undecodable byte
  std::string operands;  // "dword ptr [rax + rcx], edx"
};

// `[base + index * scale + disp]` of an instruction. Register numbers are
// signals::SavedRegister values (the order of TrapInfo::registers), -1 for none; `wide`
// false means the 32-bit form of that register.
struct NativeMemOperand {
  int base = -1;
  bool base_wide = true;
  int index = -1;
  bool index_wide = true;
  int scale = 1;
  int64_t disp = 0;
  uint32_t size = 0;  // bytes accessed
};

class NativeDisassembler {
 public:
  NativeDisassembler();
  ~NativeDisassembler();
  NativeDisassembler(const NativeDisassembler&) = delete;
  NativeDisassembler& operator=(const NativeDisassembler&) = delete;

  bool ok() const { return insn_ != nullptr; }

  // Every instruction of [code, code + size), addressed as if loaded at `address`. An
  // undecodable byte is shown as ".byte 0xNN" and skipped.
  std::vector<NativeInstr> Disassemble(const uint8_t* code, size_t size, uint64_t address) const;

  // The explicit memory operand of the one instruction at `code` (nullopt if it has none or
  // does not decode). A RIP-relative operand comes back as an absolute disp with no base.
  std::optional<NativeMemOperand> MemoryOperand(const uint8_t* code, size_t max_size,
                                                uint64_t address) const;

 private:
  csh handle_ = 0;
  cs_insn* insn_ = nullptr;
};

}  // namespace wasmgrind
