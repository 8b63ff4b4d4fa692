// AccessSiteAssembler: the x86::Assembler that x86::Compiler serializes into, which also records
// the exact native offsets of every instruction that accesses linear memory (V8's "protected
// instructions"). The signal handler turns a fault into a wasm trap only at those offsets
// (signals/code_sites.h); fault reports read the access's size and direction from them.
//
// The FunctionCompiler marks an access instruction by attaching an AccessMark as the node's
// inline comment (MarkAccess); asmjit hands each node's inline comment to the assembler right
// before emitting it (BaseBuilder::serializeTo), so the mark arrives with its instruction,
// whatever the register allocator inserted around it. Nothing else in the JIT sets inline
// comments; the tag guards against one anyway.
#pragma once

#include <asmjit/x86.h>

#include <cstdint>
#include <vector>

#include "signals/code_sites.h"

namespace wasmgrind::jit {

struct AccessMark {
  static constexpr char kTag[8] = "\x01wgacc";  // also terminates it as a C string
  char tag[8] = {};
  uint32_t wasm_offset = 0;
  uint32_t memory = 0;
  uint8_t size = 0;
  bool is_store = false;
};

// Attaches a copy of `mark` (in the Compiler's data zone) to the instruction node `node`.
void MarkAccess(asmjit::x86::Compiler& cc, asmjit::BaseNode* node, const AccessMark& mark);

class AccessSiteAssembler : public asmjit::x86::Assembler {
 public:
  // Appends every marked instruction, in code order, to `sites` (offsets in `code`'s text).
  AccessSiteAssembler(asmjit::CodeHolder* code, std::vector<signals::AccessSite>& sites)
      : asmjit::x86::Assembler(code), sites_(sites) {}

  asmjit::Error _emit(asmjit::InstId inst_id, const asmjit::Operand_& o0, const asmjit::Operand_& o1,
                      const asmjit::Operand_& o2, const asmjit::Operand_* op_ext) override;

 private:
  std::vector<signals::AccessSite>& sites_;
};

// Serializes the Compiler's code into its CodeHolder once its passes (register allocation) have
// run, as x86::Compiler::finalize does after runPasses, recording the access sites.
asmjit::Error SerializeRecordingSites(asmjit::x86::Compiler& cc,
                                     std::vector<signals::AccessSite>& sites);

}  // namespace wasmgrind::jit
