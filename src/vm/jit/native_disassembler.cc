// NativeDisassembler (see native_disassembler.h): Capstone in x86-64 mode with details on.
#include "vm/jit/native_disassembler.h"

#include <fmt/format.h>

#include "signals/jump_target.h"

namespace wasmgrind {
namespace {

struct RegName {
  x86_reg reg;
  int saved;  // signals::SavedRegister
  bool wide;
};

constexpr RegName kRegs[] = {
    {X86_REG_RAX, signals::kRegRax, true}, {X86_REG_EAX, signals::kRegRax, false},
    {X86_REG_RBX, signals::kRegRbx, true}, {X86_REG_EBX, signals::kRegRbx, false},
    {X86_REG_RCX, signals::kRegRcx, true}, {X86_REG_ECX, signals::kRegRcx, false},
    {X86_REG_RDX, signals::kRegRdx, true}, {X86_REG_EDX, signals::kRegRdx, false},
    {X86_REG_RSI, signals::kRegRsi, true}, {X86_REG_ESI, signals::kRegRsi, false},
    {X86_REG_RDI, signals::kRegRdi, true}, {X86_REG_EDI, signals::kRegRdi, false},
    {X86_REG_RBP, signals::kRegRbp, true}, {X86_REG_EBP, signals::kRegRbp, false},
    {X86_REG_RSP, signals::kRegRsp, true}, {X86_REG_ESP, signals::kRegRsp, false},
    {X86_REG_R8, signals::kRegR8, true},   {X86_REG_R8D, signals::kRegR8, false},
    {X86_REG_R9, signals::kRegR9, true},   {X86_REG_R9D, signals::kRegR9, false},
    {X86_REG_R10, signals::kRegR10, true}, {X86_REG_R10D, signals::kRegR10, false},
    {X86_REG_R11, signals::kRegR11, true}, {X86_REG_R11D, signals::kRegR11, false},
    {X86_REG_R12, signals::kRegR12, true}, {X86_REG_R12D, signals::kRegR12, false},
    {X86_REG_R13, signals::kRegR13, true}, {X86_REG_R13D, signals::kRegR13, false},
    {X86_REG_R14, signals::kRegR14, true}, {X86_REG_R14D, signals::kRegR14, false},
    {X86_REG_R15, signals::kRegR15, true}, {X86_REG_R15D, signals::kRegR15, false},
    {X86_REG_RIP, signals::kRegRip, true},
};

// false if `reg` is not a general register we save (e.g. a segment register).
bool MapReg(unsigned reg, int& saved, bool& wide) {
  if (reg == X86_REG_INVALID) {
    saved = -1;
    return true;
  }
  for (const RegName& r : kRegs) {
    if (r.reg == reg) {
      saved = r.saved;
      wide = r.wide;
      return true;
    }
  }
  return false;
}

}  // namespace

NativeDisassembler::NativeDisassembler() {
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle_) != CS_ERR_OK) {
    handle_ = 0;
    return;
  }
  cs_option(handle_, CS_OPT_DETAIL, CS_OPT_ON);
  insn_ = cs_malloc(handle_);
}

NativeDisassembler::~NativeDisassembler() {
  if (insn_ != nullptr) cs_free(insn_, 1);
  if (handle_ != 0) cs_close(&handle_);
}

std::vector<NativeInstr> NativeDisassembler::Disassemble(const uint8_t* code, size_t size,
                                                         uint64_t address) const {
  std::vector<NativeInstr> out;
  if (!ok()) return out;
  while (size > 0) {
    const uint8_t* p = code;
    size_t left = size;
    uint64_t at = address;
    if (cs_disasm_iter(handle_, &p, &left, &at, insn_)) {
      NativeInstr instr{insn_->address, insn_->size, "", insn_->mnemonic, insn_->op_str};
      for (uint16_t i = 0; i < insn_->size; ++i)
        instr.bytes += fmt::format("{}{:02x}", i == 0 ? "" : " ", insn_->bytes[i]);
      out.push_back(std::move(instr));
    } else {
      out.push_back(NativeInstr{address, 1, fmt::format("{:02x}", *code), ".byte",
                                fmt::format("0x{:02x}", *code)});
      p = code + 1;
      left = size - 1;
      at = address + 1;
    }
    code = p;
    size = left;
    address = at;
  }
  return out;
}

std::optional<NativeMemOperand> NativeDisassembler::MemoryOperand(const uint8_t* code,
                                                                  size_t max_size,
                                                                  uint64_t address) const {
  if (!ok()) return std::nullopt;
  const uint8_t* p = code;
  size_t left = max_size;
  uint64_t at = address;
  if (!cs_disasm_iter(handle_, &p, &left, &at, insn_) || insn_->detail == nullptr)
    return std::nullopt;
  const cs_x86& x86 = insn_->detail->x86;
  for (uint8_t i = 0; i < x86.op_count; ++i) {
    const cs_x86_op& op = x86.operands[i];
    if (op.type != X86_OP_MEM) continue;
    if (op.mem.segment != X86_REG_INVALID) return std::nullopt;  // fs:/gs: is not linear memory
    NativeMemOperand m;
    if (!MapReg(op.mem.base, m.base, m.base_wide) || !MapReg(op.mem.index, m.index, m.index_wide))
      return std::nullopt;
    m.scale = op.mem.scale;
    m.disp = op.mem.disp;
    m.size = op.size;
    if (m.base == signals::kRegRip) {  // rip-relative: an absolute address
      m.base = -1;
      m.disp += static_cast<int64_t>(insn_->address + insn_->size);
    }
    return m;
  }
  return std::nullopt;
}

}  // namespace wasmgrind
