// SavedRegisterCheckPass (see saved_register_check.h).
#include "vm/jit/saved_register_check.h"

namespace wasmgrind::jit {
namespace {

uint32_t GpBit(asmjit::RegType type, uint32_t id) {
  if (id >= 32) return 0;  // a virtual id would mean allocation did not run: not ours to judge
  switch (type) {
    case asmjit::RegType::kX86_GpbLo:
    case asmjit::RegType::kX86_GpbHi:
    case asmjit::RegType::kX86_Gpw:
    case asmjit::RegType::kX86_Gpd:
    case asmjit::RegType::kX86_Gpq: return 1u << id;
    default: return 0;
  }
}

}  // namespace

uint32_t GpRegistersOf(const asmjit::InstNode& inst) {
  uint32_t mask = 0;
  for (uint32_t i = 0; i < inst.opCount(); ++i) {
    const asmjit::Operand& op = inst.op(i);
    if (op.isPhysReg()) {
      const auto& reg = op.as<asmjit::BaseReg>();
      mask |= GpBit(reg.type(), reg.id());
    } else if (op.isMem()) {
      const auto& mem = op.as<asmjit::BaseMem>();
      if (mem.hasBaseReg()) mask |= GpBit(mem.baseType(), mem.baseId());
      if (mem.hasIndexReg()) mask |= GpBit(mem.indexType(), mem.indexId());
    }
  }
  return mask;
}

SavedRegisterCheckPass& SavedRegisterCheckPass::Of(asmjit::x86::Compiler& cc) {
  if (auto* pass = static_cast<SavedRegisterCheckPass*>(cc.passByName(kName))) return *pass;
  auto* pass = cc.newPassT<SavedRegisterCheckPass>();
  cc.addPass(pass);
  return *pass;
}

asmjit::Error SavedRegisterCheckPass::run(asmjit::Zone*, asmjit::Logger*) {
  findings_.clear();
  asmjit::FuncNode* func = nullptr;
  uint32_t used = 0;
  auto close = [&] {
    if (func == nullptr) return;
    const asmjit::FuncFrame& frame = func->frame();
    uint32_t frame_regs = (1u << asmjit::x86::Gp::kIdSp) | (1u << asmjit::x86::Gp::kIdBp);
    uint32_t unsaved = used & frame.preservedRegs(asmjit::RegGroup::kGp) &
                       ~frame.dirtyRegs(asmjit::RegGroup::kGp) & ~frame_regs;
    if (unsaved != 0) findings_.push_back({func, unsaved});
  };
  for (asmjit::BaseNode* node = cb()->firstNode(); node != nullptr; node = node->next()) {
    if (node->type() == asmjit::NodeType::kFunc) {
      close();
      func = node->as<asmjit::FuncNode>();
      used = 0;
    } else if (func != nullptr && node == func->endNode()) {
      close();
      func = nullptr;
    } else if (func != nullptr && node->isInst()) {
      used |= GpRegistersOf(*node->as<asmjit::InstNode>());
    }
  }
  close();
  return asmjit::kErrorOk;
}

}  // namespace wasmgrind::jit
