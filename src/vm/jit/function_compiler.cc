// FunctionCompiler core (see function_compiler.h): prologue and epilogue, the value stack and
// its materialisation rules, trap stubs, PC records, out-of-line code, and the per-instruction
// dispatch to the emitters (emit_*.cc) by the opcode's category (opcodes.def).
#include "vm/jit/function_compiler.h"

#include <fmt/format.h>

#include <algorithm>

#include "vm/decode/decode_function.h"
#include "vm/decode/function_body_reader.h"
#include "vm/feature.h"
#include "vm/jit/vreg_compactor.h"
#include "vm/libc_replacements.h"
#include "vm/runtime_calls.h"

namespace wasmgrind::jit {
namespace {

// Instructions that can trap (loads and stores among them: out of bounds) or call: their code
// gets a PC map entry, which names the wasm instruction for a fault or a return address.
bool NeedsPcRecord(Opcode op) { return HasFlag(op, kMayTrap | kCallsWasm | kCallsRuntime); }

}  // namespace

FunctionCompiler::FunctionCompiler(AsmjitCompiler& cc, ModuleEnv& env, uint32_t defined_index)
    : cc_(cc),
      env_(env),
      module_(env.module),
      defined_index_(defined_index),
      func_index_(env.module.num_imported_funcs + defined_index),
      record_(env.functions[defined_index]) {}

const FuncType& FunctionCompiler::func_type() const { return module_.func_type(func_index_); }

Result<void> FunctionCompiler::Compile() {
  const FunctionBody& body = module_.codes[defined_index_];
  current_offset_ = body.body_offset;
  if (!Supported(Feature::Simd)) {
    for (ValType t : func_type().params) {
      if (t == ValType::V128)
        return UnsupportedFeatureError(Feature::Simd, "v128 parameters", body.body_offset);
    }
    for (const LocalDecl& d : body.locals) {
      if (d.type == ValType::V128)
        return UnsupportedFeatureError(Feature::Simd, "v128 locals", body.body_offset);
    }
  }
  FindLoopsWithCalls();
  first_virt_reg_ = cc_.virtRegs().size();
  first_label_ = cc_.code()->labelCount();
  // Calls target the entry label (created before this function's Compiler): bound right
  // before the FuncNode, it is the first byte of the stack check (stack_check.h), which tests
  // the frame before the prologue allocates it. FinishFunction drops it for small leaves.
  cc_.bind(record_.entry);
  stack_check_ =
      EmitStackCheck(cc_, x86::qword_ptr(x86::rdi, static_cast<int32_t>(VMOffsets::StackLimit())));
  cc_.addFunc(record_.node);
  // An rbp frame in every wasm function: the fault report walks the JIT frames by frame pointer
  // (signals/frame_walker.h).
  record_.node->frame().setPreservedFP();
  if (env_.memcheck) {
    if (auto allocator = FindMcAllocator(module_, func_index_)) {
      TRY(ValidateFunctionBody(module_, defined_index_));  // replaced, but the module stays valid
      record_.native_replacement = true;
      EmitPrologue(/*declared_locals=*/false);
      EmitMcAllocatorBody(*allocator);
      return Ok();
    }
    if (auto request = FindMcClientRequest(module_, func_index_)) {
      TRY(ValidateFunctionBody(module_, defined_index_));  // replaced, but the module stays valid
      record_.native_replacement = true;
      EmitPrologue(/*declared_locals=*/false);
      EmitMcClientRequestBody(*request);
      return Ok();
    }
  }
  if (env_.replace_libc_functions) {
    if (auto replacement = FindLibcReplacement(module_, func_index_)) {
      TRY(ValidateFunctionBody(module_, defined_index_));  // replaced, but the module stays valid
      record_.native_replacement = true;
      EmitPrologue(/*declared_locals=*/false);
      EmitLibcReplacementBody(replacement->row);
      return Ok();
    }
  }
  uint64_t num_locals = func_type().params.size();
  for (const LocalDecl& d : body.locals) num_locals += d.count;
  // Tracking V bits adds a shadow local per local (and a few per stack height).
  if (env_.track_values) num_locals *= 2;
  locals_in_memory_ = num_locals > env_.max_register_locals;
  EmitPrologue();
  if (env_.track_values) {
    EmitParamVBits();
    shadow_frames_.emplace_back();  // the function body's
  }
  TRY(DecodeFunction(module_, defined_index_, *this));
  if (!finished_) {
    return Error::Make(ErrorKind::Internal, "function body ended without its final end",
                       body.body_end);
  }
  return Ok();
}

void FunctionCompiler::FindLoopsWithCalls() {
  FunctionBodyReader reader(module_, module_.codes[defined_index_]);
  std::vector<uint32_t> open;  // per open block: its offset if a loop, else UINT32_MAX
  // open[0, marked) are already recorded: each loop is recorded once, however many calls it
  // contains (else deep nests of loops full of calls would cost depth x calls).
  size_t marked = 0;
  Instr instr;
  while (!reader.AtEnd()) {
    if (!reader.Next(instr).ok()) return;  // DecodeFunction reports it
    if (OpensFrame(instr.op)) {
      open.push_back(instr.op == Opcode::Loop ? instr.offset : UINT32_MAX);
    } else if (instr.op == Opcode::End) {
      if (!open.empty()) open.pop_back();
      marked = std::min(marked, open.size());
    } else if (HasFlag(instr.op, kCallsWasm)) {
      for (; marked < open.size(); ++marked) {
        if (open[marked] != UINT32_MAX) loops_with_calls_.push_back(open[marked]);
      }
    }
  }
  std::sort(loops_with_calls_.begin(), loops_with_calls_.end());
  loops_with_calls_.erase(std::unique(loops_with_calls_.begin(), loops_with_calls_.end()),
                          loops_with_calls_.end());
}

void FunctionCompiler::EmitPrologue(bool declared_locals) {
  const FuncType& type = func_type();
  const FunctionBody& body = module_.codes[defined_index_];
  vmctx_ = cc_.newGpq("vmctx");
  record_.node->setArg(0, vmctx_);
  if (AbiFor(type) == WasmAbi::Buffer) {
    io_ = cc_.newGpq("io");
    record_.node->setArg(1, io_);
  }
  uint32_t num_declared = 0;
  for (const LocalDecl& d : body.locals) num_declared += declared_locals ? d.count : 0;
  area_locals_ = static_cast<uint32_t>(type.params.size() + num_declared);
  if (locals_in_memory_) locals_area_ = cc_.newStack(area_locals_ * 8, 8, "locals");
  for (size_t i = 0; i < type.params.size(); ++i) {
    ValType t = type.params[i];
    x86::Reg r = NewValueReg(cc_, t);
    if (AbiFor(type) == WasmAbi::Register) {
      record_.node->setArg(i + 1, r);
    } else {
      LoadSlot(cc_, r, t, x86::ptr(io_, static_cast<int32_t>(i * sizeof(VMVal))));
    }
    local_types_.push_back(t);
    if (locals_in_memory_) {
      StoreValue(LocalSlot(static_cast<uint32_t>(i)), JitValue::Temp(t, r));
    } else {
      locals_.push_back(r);
    }
  }
  // Declared locals are zeroed lazily, at the end of the prologue (ZeroLocalIfNeeded).
  unzeroed_.assign(local_types_.size(), false);
  for (const LocalDecl& d : body.locals) {
    if (!declared_locals) break;
    for (uint32_t k = 0; k < d.count; ++k) {
      local_types_.push_back(d.type);
      unzeroed_.push_back(!locals_in_memory_);
      if (!locals_in_memory_) locals_.push_back(NewValueReg(cc_, d.type));
    }
  }
  if (locals_in_memory_) ZeroLocalsArea(static_cast<uint32_t>(type.params.size()), num_declared);
  prologue_cursor_ = cc_.cursor();

  Frame body_frame;
  body_frame.kind = Opcode::Block;
  body_frame.results = type.results;
  // No label: a branch to the body returns (EmitBranch), so it would never be bound, and a
  // CodeHolder label costs about 100 bytes for the module's whole compilation.
  frames_.push_back(std::move(body_frame));
}

// Returns with the function's results taken from the top of the stack (left in place).
void FunctionCompiler::EmitReturnSequence() {
  const FuncType& type = func_type();
  size_t n = type.results.size();
  if (AbiFor(type) == WasmAbi::Register) {
    if (n == 0) {
      cc_.ret();
    } else {
      cc_.ret(ToReg(Top()));
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    StoreSlot(cc_, x86::ptr(io_, static_cast<int32_t>(i * sizeof(VMVal))),
              ToReg(stack_[stack_.size() - n + i]), type.results[i]);
  }
  cc_.ret();
}

void FunctionCompiler::FinishFunction() {
  // A leaf (no wasm or runtime calls) with a small frame needs no stack check: its caller's
  // check kept the caller's whole frame above the limit, and below it the host's reserve
  // (signals::kHostStackReserve, 256 KiB) holds this frame and a trap's runtime call. The
  // frame is bounded by the function's virtual registers (a spill slot of at most 16 bytes
  // each, no call buffer without calls); StackCheckPass verifies the bound after allocation.
  constexpr size_t kLeafMaxVirtRegs = 256;  // a frame of at most about 4 KiB
  static_assert(kLeafMaxVirtRegs * 16 + size_t{32} * 8 <= kUncheckedFrameMax);
  bool drop_stack_check =
      !makes_calls_ && cc_.virtRegs().size() - first_virt_reg_ <= kLeafMaxVirtRegs;
  // Deferred code may defer more (a slow path with a trap stub): iterate by index.
  std::vector<DeferredRegion> regions;
  for (size_t i = 0; i < deferred_.size(); ++i) {
    auto code = std::move(deferred_[i]);
    asmjit::BaseNode* before = cc_.cursor();
    code();
    if (cc_.cursor() != before) regions.push_back({before->next(), cc_.cursor()});
  }
  deferred_.clear();
  // asmjit's allocator costs about virtual registers x blocks (labels end blocks): past the
  // limit, compact. (Normal functions stay far below: bench/'s largest is about 0.7M.)
  // (`wasmgrind disas`'s label per instruction does not count: it shows the code `run` gets.)
  uint64_t pressure = uint64_t{cc_.virtRegs().size() - first_virt_reg_} *
                      (cc_.code()->labelCount() - first_label_ - disas_only_labels_);
  if (locals_in_memory_ || pressure > env_.max_allocator_pressure) {
    record_.virt_regs = CompactVirtRegs(cc_, record_.node, cc_.cursor(), regions).virt_regs_after;
  }
  cc_.endFunc();
  if (drop_stack_check) {
    DropStackCheck(cc_, record_.node, stack_check_);
  } else {
    asmjit::Label after = FinishStackCheck(cc_, record_.node, stack_check_);
    record_.traps.push_back(
        {after, TrapKind::CallStackExhausted, module_.codes[defined_index_].body_offset});
  }
  for (const JumpTable& table : jump_tables_) {
    cc_.align(asmjit::AlignMode::kData, 4);
    cc_.bind(table.table);
    for (const asmjit::Label& entry : table.entries) cc_.embedLabelDelta(entry, table.table, 4);
  }
  cc_.bind(record_.end);
  finished_ = true;
}

Result<void> FunctionCompiler::OnInstr(const Instr& instr, const FunctionValidator& validator,
                                       const LiveCode& live) {
  if (env_.track_values) return CompileTracked(instr, validator, live);
  return CompileInstr(instr, validator, live);
}

bool FunctionCompiler::EmitInstr(const Instr& instr, const FunctionValidator& validator) {
  switch (CategoryOf(instr.op)) {
    case OpCategory::Control: return EmitControl(instr, validator);
    case OpCategory::Call: return EmitCall(instr);
    case OpCategory::Parametric: return EmitParametric(instr);
    case OpCategory::Variable: return EmitVariable(instr);
    case OpCategory::Reference: return EmitReference(instr);
    case OpCategory::Table: return EmitTable(instr);
    case OpCategory::Memory: return EmitMemory(instr);
    case OpCategory::Bulk: return EmitBulkMemory(instr);
    case OpCategory::Constant: return EmitConstant(instr);
    case OpCategory::Integer: return EmitInteger(instr);
    case OpCategory::Float: return EmitFloat(instr);
    case OpCategory::Conversion: return EmitConversion(instr);
  }
  return false;
}

Result<void> FunctionCompiler::CompileInstr(const Instr& instr, const FunctionValidator& validator,
                                            const LiveCode& live) {
  current_offset_ = instr.offset;
  falls_through_ = live.falls_through();
  if (straight_prefix_ && HasFlag(instr.op, kBranches)) EndStraightPrefix();
  if (NeedsPcRecord(instr.op)) {
    RecordPc();
  } else if (env_.map_every_instruction) {
    RecordPc();
    ++disas_only_labels_;
  }
  if (checked_access_ && !KeepsCheckedAccess(instr.op)) checked_access_.reset();
  asmjit::BaseNode* before = cc_.cursor();
  size_t num_vregs = cc_.virtRegs().size();
  if (!EmitInstr(instr, validator)) {
    return Error::Make(ErrorKind::Unsupported,
                       fmt::format("the JIT does not support {}", OpcodeText(instr.op)),
                       instr.offset);
  }
  NoteLastResult(before, num_vregs);
  // Live code is typed exactly by the validator: a value stack of another height means an
  // emitter popped or pushed the wrong number of values.
  if (env_.verify_invariants && live.live() && stack_.size() != validator.operand_types().size()) {
    return Error::Make(
        ErrorKind::Internal,
        fmt::format("JIT value stack holds {} values after `{}`, the validator's {}", stack_.size(),
                    OpcodeText(instr.op), validator.operand_types().size()),
        instr.offset);
  }
  return Ok();
}

// --- the value stack ---

JitValue FunctionCompiler::Pop() {
  JitValue v = stack_.back();
  stack_.pop_back();
  if (v.kind == JitValue::Kind::Slot) v = JitValue::Temp(v.type, ToReg(v));
  return v;
}

void FunctionCompiler::SpillDeepValue() {
  uint32_t index = static_cast<uint32_t>(stack_.size() - 1 - kMaxRegisterValues);
  JitValue& v = stack_[index];
  if (v.kind != JitValue::Kind::Const && v.kind != JitValue::Kind::Slot) {
    StoreValue(SpillSlot(index), v);
    JitValue spilled;
    spilled.kind = JitValue::Kind::Slot;
    spilled.type = v.type;
    spilled.slot = index;
    v = spilled;
  }
  // MaterializeAliases scans from alias_floor_: keep it off the spilled part of a deep stack.
  if (alias_floor_ == index) alias_floor_ = index + 1;
}

x86::Mem FunctionCompiler::SpillSlot(uint32_t index) {
  if (index >= spill_slots_) {
    uint32_t slots = std::max(index + 1, 2 * spill_slots_);
    if (spill_slots_ == 0) {
      spill_area_ = cc_.newStack(slots * 8, 8, "spill");
    } else {
      cc_.setStackSize(spill_area_.baseId(), slots * 8, 8);
    }
    spill_slots_ = slots;
  }
  return spill_area_.cloneAdjusted(static_cast<int64_t>(index) * 8);
}

x86::Mem FunctionCompiler::LocalSlot(uint32_t local) const {
  if (local >= area_locals_) return extra_local_slots_[local - area_locals_];
  return locals_area_.cloneAdjusted(static_cast<int64_t>(local) * 8);
}

void FunctionCompiler::StoreValue(const x86::Mem& slot, const JitValue& v) {
  x86::Mem m = slot;
  bool wide = ValTypeSize(v.type) >= 8;
  m.setSize(wide ? 8 : 4);
  if (v.is_const() && (!wide || static_cast<int64_t>(v.bits) == static_cast<int32_t>(v.bits))) {
    cc_.mov(m, asmjit::imm(static_cast<int32_t>(v.bits)));
    return;
  }
  x86::Reg r = ToReg(v);
  switch (v.type) {
    case ValType::I32: cc_.mov(m, r.as<x86::Gp>().r32()); break;
    case ValType::F32: cc_.movss(m, r.as<x86::Xmm>()); break;
    case ValType::F64: cc_.movsd(m, r.as<x86::Xmm>()); break;
    default: cc_.mov(m, r.as<x86::Gp>().r64()); break;
  }
}

void FunctionCompiler::ZeroLocalsArea(uint32_t first, uint32_t count) {
  constexpr uint32_t kUnrolled = 8;
  if (count <= kUnrolled) {
    for (uint32_t i = 0; i < count; ++i) {
      x86::Mem m = LocalSlot(first + i);
      m.setSize(8);
      cc_.mov(m, asmjit::imm(0));
    }
    return;
  }
  // A loop, so that the code stays small however many locals there are.
  x86::Gp cursor = cc_.newGpq();
  x86::Gp left = cc_.newGpq();
  cc_.lea(cursor, LocalSlot(first));
  cc_.mov(left.r32(), asmjit::imm(count));
  asmjit::Label loop = cc_.newLabel();
  cc_.bind(loop);
  cc_.mov(x86::qword_ptr(cursor), asmjit::imm(0));
  cc_.add(cursor, asmjit::imm(8));
  cc_.sub(left.r32(), asmjit::imm(1));
  cc_.jnz(loop);
}

x86::Reg FunctionCompiler::ToReg(const JitValue& v) {
  if (v.kind == JitValue::Kind::Reg) return v.reg;
  x86::Reg r = NewValueReg(cc_, v.type);
  if (v.kind == JitValue::Kind::Cond) {
    x86::Gp g = r.as<x86::Gp>();
    cc_.xor_(g, g);  // before the compare: xor clobbers the flags
    EmitFlags(v.cond);
    cc_.set(v.cond.cond, g.r8());
    return r;
  }
  MoveValue(r, v);
  return r;
}

x86::Reg FunctionCompiler::TakeReg(const JitValue& v) {
  if (v.is_owned_reg() || v.kind != JitValue::Kind::Reg) return ToReg(v);
  x86::Reg r = NewValueReg(cc_, v.type);
  MoveValue(r, v);
  return r;
}

void FunctionCompiler::MoveValue(const x86::Reg& dst, const JitValue& v) {
  switch (v.kind) {
    case JitValue::Kind::Reg:
      if (dst.id() == v.reg.id()) return;
      if (dst.isGp()) {
        if (v.type == ValType::I32) {
          cc_.mov(dst.as<x86::Gp>().r32(), v.reg.as<x86::Gp>().r32());
        } else {
          cc_.mov(dst.as<x86::Gp>().r64(), v.reg.as<x86::Gp>().r64());
        }
      } else {
        cc_.movaps(dst.as<x86::Xmm>(), v.reg.as<x86::Xmm>());
      }
      return;
    case JitValue::Kind::Cond: {
      // setcc goes to a fresh register, zeroed before the compare (xor clobbers the flags),
      // then moves to dst: a byte write into dst itself would make the allocator load dst's
      // old value (a spilled local) only to overwrite it, and dst may be read by the compare.
      x86::Gp byte = cc_.newGpd();
      cc_.xor_(byte, byte);
      EmitFlags(v.cond);
      cc_.set(v.cond.cond, byte.r8());
      cc_.mov(dst.as<x86::Gp>().r32(), byte);
      return;
    }
    case JitValue::Kind::Slot: LoadSlot(cc_, dst, v.type, SpillSlot(v.slot)); return;
    case JitValue::Kind::Const: break;
  }
  switch (v.type) {
    case ValType::F32:
    case ValType::F64: {
      x86::Xmm x = dst.as<x86::Xmm>();
      if (v.bits == 0) {
        cc_.xorps(x, x);
      } else if (v.type == ValType::F32) {
        x86::Gp t = cc_.newGpd();
        cc_.mov(t, asmjit::imm(static_cast<uint32_t>(v.bits)));
        cc_.movd(x, t);
      } else {
        x86::Gp t = cc_.newGpq();
        cc_.mov(t, asmjit::imm(v.bits));
        cc_.movq(x, t);
      }
      return;
    }
    default: {
      x86::Gp g = dst.as<x86::Gp>();
      if (v.bits == 0) {
        cc_.xor_(g.r32(), g.r32());
      } else if (v.bits <= UINT32_MAX) {
        cc_.mov(g.r32(), asmjit::imm(static_cast<uint32_t>(v.bits)));
      } else {
        cc_.mov(g.r64(), asmjit::imm(v.bits));
      }
      return;
    }
  }
}

x86::Gp FunctionCompiler::ZeroExtend32(const x86::Gp& src) {
  if (env_.testing_unsafe_wrap) return src.r32();  // the i64's register itself (see EngineOptions)
  x86::Gp d = cc_.newGpd();
  cc_.lea(d, x86::ptr(src.r64()));
  return d;
}

void FunctionCompiler::VerifyUpperHalfZero(const x86::Gp& i32) {
  if (!env_.verify_invariants) return;
  // Fewer than 32 leading zeros: a bit of the upper half is set. Not a copy and a shift: a
  // move from `i32` would be an allocation hint that changes the code being checked.
  x86::Gp zeros = cc_.newGpq();
  cc_.lzcnt(zeros, i32.r64());
  cc_.cmp(zeros.r32(), 32);
  asmjit::Label failed = cc_.newLabel();
  cc_.jb(failed);
  uint32_t wasm_offset = current_offset_;
  Defer([this, failed, wasm_offset] {
    cc_.bind(failed);
    InvokeNoReturn<RuntimeCall::JitInvariantFailed>()->setArg(1, asmjit::imm(wasm_offset));
    EndNoReturnStub();
  });
}

void FunctionCompiler::EmitFlags(const Condition& c) {
  switch (c.form) {
    case Condition::Form::CmpInt: {
      x86::Gp lhs =
          c.wide ? x86::Gp(c.lhs.as<x86::Gp>().r64()) : x86::Gp(c.lhs.as<x86::Gp>().r32());
      if (c.rhs_is_imm) {
        cc_.cmp(lhs, asmjit::imm(c.imm));
      } else {
        cc_.cmp(lhs,
                c.wide ? x86::Gp(c.rhs.as<x86::Gp>().r64()) : x86::Gp(c.rhs.as<x86::Gp>().r32()));
      }
      return;
    }
    case Condition::Form::TestInt: {
      x86::Gp lhs =
          c.wide ? x86::Gp(c.lhs.as<x86::Gp>().r64()) : x86::Gp(c.lhs.as<x86::Gp>().r32());
      cc_.test(lhs, lhs);
      return;
    }
    case Condition::Form::CmpFloat:
      if (c.wide) {
        cc_.ucomisd(c.lhs.as<x86::Xmm>(), c.rhs.as<x86::Xmm>());
      } else {
        cc_.ucomiss(c.lhs.as<x86::Xmm>(), c.rhs.as<x86::Xmm>());
      }
      return;
  }
}

void FunctionCompiler::NoteLastResult(asmjit::BaseNode* before, size_t num_vregs) {
  last_result_ = {};
  if (!stack_.empty() && stack_.back().is_owned_reg() && cc_.cursor() != before &&
      asmjit::Operand::virtIdToIndex(stack_.back().reg.id()) >= num_vregs) {
    last_result_ = {before, cc_.cursor(), stack_.back().reg.id()};
  }
}

void FunctionCompiler::MaterializeAliases(uint32_t local) {
  auto reads = [local](uint32_t l) { return l != kNoLocal && (local == kNoLocal || l == local); };
  uint32_t lowest = static_cast<uint32_t>(stack_.size());
  for (uint32_t i = std::min<uint32_t>(alias_floor_, stack_.size()); i < stack_.size(); ++i) {
    JitValue& v = stack_[i];
    bool is_alias = v.kind == JitValue::Kind::Reg && v.local != kNoLocal;
    bool is_cond = v.kind == JitValue::Kind::Cond;
    if (!is_alias && !is_cond) continue;
    bool affected = is_alias
                        ? reads(v.local)
                        : local == kNoLocal || reads(v.cond.lhs_local) || reads(v.cond.rhs_local);
    if (affected) {
      x86::Reg r = is_alias ? TakeReg(v) : ToReg(v);
      v = JitValue::Temp(v.type, r);
    } else {
      lowest = std::min(lowest, i);
    }
  }
  alias_floor_ = lowest;
}

void FunctionCompiler::DropFrameValues() {
  stack_.resize(frames_.back().base);
  alias_floor_ = std::min<uint32_t>(alias_floor_, stack_.size());
}

// --- traps, PC records, out-of-line code ---

void FunctionCompiler::RecordPc() {
  asmjit::Label here = cc_.newLabel();
  cc_.bind(here);
  record_.pc_labels.push_back({here, current_offset_});
}

asmjit::InvokeNode* FunctionCompiler::InvokeNoReturn(RuntimeCall fn,
                                                     const asmjit::FuncSignature& signature) {
  asmjit::InvokeNode* call = nullptr;
  cc_.invoke(&call, RuntimeCallTarget(cc_, vmctx_, fn), signature);
  UseNoReturnCallConv(call->detail());
  call->setArg(0, vmctx_);
  return call;
}

// asmjit's allocator does not know that `ud2` ends a block: without the jump, its CFG has the stub
// fall through into the next out-of-line code (a loop exit's write-back stub, say), so everything
// live there is live into the stub, hence at the branch to it. A stack pointer check at a
// function's entry then made the copies of its innermost loop live from the entry on, and they lost
// their registers (bench/notes.md, "the C stack check made cheap"). The jump is never executed.
asmjit::Label FunctionCompiler::EndNoReturnStub() {
  asmjit::Label returned = cc_.newLabel();
  cc_.bind(returned);
  cc_.ud2();  // the call never returns
  cc_.jmp(returned);
  return returned;
}

asmjit::Label FunctionCompiler::TrapStub(TrapKind kind) {
  asmjit::Label stub = cc_.newLabel();
  uint32_t wasm_offset = current_offset_;
  Defer([this, stub, kind, wasm_offset] {
    cc_.bind(stub);
    InvokeNoReturn<RuntimeCall::Trap>()->setArg(1, asmjit::imm(static_cast<uint32_t>(kind)));
    record_.traps.push_back({EndNoReturnStub(), kind, wasm_offset});
  });
  return stub;
}

asmjit::Label FunctionCompiler::ElementTrapStub(TrapKind kind, const x86::Gp& index) {
  asmjit::Label stub = cc_.newLabel();
  uint32_t wasm_offset = current_offset_;
  Defer([this, stub, kind, wasm_offset, index] {
    cc_.bind(stub);
    asmjit::InvokeNode* call = InvokeNoReturn<RuntimeCall::TrapElement>();
    call->setArg(1, asmjit::imm(static_cast<uint32_t>(kind)));
    call->setArg(2, index);
    record_.traps.push_back({EndNoReturnStub(), kind, wasm_offset});
  });
  return stub;
}

void FunctionCompiler::EmitInPrologue(const std::function<void()>& emit) {
  asmjit::BaseNode* resume = cc_.setCursor(prologue_cursor_);
  bool resume_is_prologue = resume == prologue_cursor_;
  emit();
  // Loops that open the function have their pre-header at the prologue's end: their copies
  // (of locals, of the memory base) must follow the new code.
  for (Frame& frame : frames_) {
    if (frame.pre_header == prologue_cursor_) frame.pre_header = cc_.cursor();
  }
  if (last_result_.before == prologue_cursor_) last_result_ = {};
  prologue_cursor_ = cc_.cursor();
  cc_.setCursor(resume_is_prologue ? prologue_cursor_ : resume);
}

void FunctionCompiler::ZeroLocalIfNeeded(uint32_t local) {
  if (!unzeroed_[local]) return;
  unzeroed_[local] = false;
  EmitInPrologue([&] { MoveValue(locals_[local], JitValue::Const(local_types_[local], 0)); });
}

void FunctionCompiler::EndStraightPrefix() {
  straight_prefix_ = false;
  for (uint32_t i = 0; i < unzeroed_.size(); ++i) ZeroLocalIfNeeded(i);
}

x86::Gp FunctionCompiler::VmctxField(uint32_t offset) {
  x86::Gp r = cc_.newGpq();
  cc_.mov(r, x86::qword_ptr(vmctx_, static_cast<int32_t>(offset)));
  return r;
}

x86::Mem FunctionCompiler::CallBuffer(uint32_t slots) {
  slots = std::max<uint32_t>(slots, 1);
  if (call_buffer_slots_ == 0) {
    call_buffer_ = cc_.newStack(slots * sizeof(VMVal), 16, "call_io");
    call_buffer_slots_ = slots;
  } else if (slots > call_buffer_slots_) {
    cc_.setStackSize(call_buffer_.baseId(), slots * sizeof(VMVal), 16);
    call_buffer_slots_ = slots;
  }
  return call_buffer_;
}

}  // namespace wasmgrind::jit
