// AccessSiteAssembler (see access_site_assembler.h).
#include "vm/jit/access_site_assembler.h"

#include <cstring>

namespace wasmgrind::jit {

void MarkAccess(asmjit::x86::Compiler& cc, asmjit::BaseNode* node, const AccessMark& mark) {
  AccessMark copy = mark;
  std::memcpy(copy.tag, AccessMark::kTag, sizeof copy.tag);
  node->setInlineComment(static_cast<const char*>(cc._dataZone.dup(&copy, sizeof copy)));
}

asmjit::Error AccessSiteAssembler::_emit(asmjit::InstId inst_id, const asmjit::Operand_& o0,
                                         const asmjit::Operand_& o1, const asmjit::Operand_& o2,
                                         const asmjit::Operand_* op_ext) {
  const char* comment = inlineComment();  // the base _emit resets it
  if (comment == nullptr || std::strcmp(comment, AccessMark::kTag) != 0) {
    return asmjit::x86::Assembler::_emit(inst_id, o0, o1, o2, op_ext);
  }
  AccessMark mark;  // the zone copy may be unaligned: read it bytewise
  std::memcpy(&mark, comment, sizeof mark);
  auto begin = static_cast<uint32_t>(offset());
  asmjit::Error err = asmjit::x86::Assembler::_emit(inst_id, o0, o1, o2, op_ext);
  if (err == asmjit::kErrorOk) {
    sites_.push_back({begin, static_cast<uint32_t>(offset()), mark.wasm_offset, mark.memory,
                      mark.size, mark.is_store});
  }
  return err;
}

asmjit::Error SerializeRecordingSites(asmjit::x86::Compiler& cc,
                                      std::vector<signals::AccessSite>& sites) {
  AccessSiteAssembler assembler(cc.code(), sites);
  assembler.addEncodingOptions(cc.encodingOptions());
  assembler.addDiagnosticOptions(cc.diagnosticOptions());
  return cc.serializeTo(&assembler);
}

}  // namespace wasmgrind::jit
