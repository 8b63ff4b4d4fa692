// --memcheck code generation (memcheck_calls.h): the inline shadow check of every load and
// store of memory 0 and the replaced allocation and client-request functions (the C stack
// pointer's moves: emit_memcheck_stack.cc).
//
// The check is `cmp size ptr [shadow + index + offset], 0; jne slow`: the same operand as the
// access with the shadow base for the memory base, so it costs no address arithmetic; with
// the shadow segment (vm/shadow_segment.h), `gs:[index + offset]`, which needs no register. The
// shadow reservation mirrors the memory's (memcheck/shadow_memory.h): past the memory's end it
// is PROT_NONE, so an out-of-bounds access faults at its check, which is recorded as an access
// site of the same wasm instruction and becomes the same trap. The slow path (out of line)
// passes the wasm address and a packed description of the access to the checker, which decides
// (a shadow byte may be non-zero yet fine: part 2's undefined-but-addressable bytes) and
// reports; the access then goes ahead, as under Valgrind.
#include "vm/jit/access_site_assembler.h"
#include "vm/jit/function_compiler.h"

namespace wasmgrind::jit {

x86::Gp FunctionCompiler::ShadowBase() {
  if (env_.shadow_segment) {
    // Only stack-pointer moves want it then: a load where they are, live nowhere else.
    x86::Gp base = cc_.newGpq("shadow");
    cc_.mov(base, x86::qword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ShadowBase())));
    return base;
  }
  if (!shadow_base_loaded_) {
    shadow_base_ = cc_.newGpq("shadow");
    EmitInPrologue([&] {
      cc_.mov(shadow_base_, x86::qword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::ShadowBase())));
    });
    shadow_base_loaded_ = true;
  }
  return shadow_base_;
}

asmjit::InvokeNode* FunctionCompiler::InvokeThunk(RuntimeCall thunk,
                                                  const asmjit::FuncSignature& signature) {
  // A thunk returns, but like a no-return call it clobbers nothing: it saves what it uses.
  return InvokeNoReturn(thunk, signature);
}

// Between an access whose check was emitted and a later access to the same bytes, these keep
// the later check redundant: they read no memory, write no local (so the index register
// keeps its value) and neither trap, branch nor call (so nothing between can report, the
// later access surely follows, and the shadow cannot change). Loads and stores decide for
// themselves (EmitShadowCheck).
bool FunctionCompiler::KeepsCheckedAccess(Opcode op) {
  if (Info(op).access_bytes != 0) return true;
  if (HasFlag(op, kMayTrap | kCallsWasm | kCallsRuntime | kBranches)) return false;
  switch (CategoryOf(op)) {
    case OpCategory::Constant:
    case OpCategory::Integer:
    case OpCategory::Float:
    case OpCategory::Conversion:
    case OpCategory::Parametric: return true;
    default: return op == Opcode::LocalGet;
  }
}

// Without V bits, an access whose bytes the last checked access covered, through the same
// index register with nothing between that could change or report anything (checked_access_),
// is not checked: where that check passed, this one would; where it failed, its slow path
// has already checked this access too, right after its own, which is where this access's
// report would have come. So `x[i] += v`, a load and a store of the same bytes, pays one check.
// (With V bits a store's check also stores its value's bits, and a load's fetches them.)
bool FunctionCompiler::CoveredByCheckedAccess(const x86::Mem& address, uint32_t size,
                                              uint64_t info) {
  if (!checked_access_ || !address.hasIndex() || address.shift() != 0 ||
      address.indexId() != checked_access_->index_id) {
    return false;
  }
  const int64_t disp = address.offset();
  if (disp < checked_access_->disp ||
      disp + size > checked_access_->disp + int64_t{checked_access_->size}) {
    return false;
  }
  checked_access_->covered->emplace_back(disp, info);
  return true;
}

// The slow path's call of the checker for the access at `address` (index + displacement).
void FunctionCompiler::EmitMcAccessCall(const x86::Mem& address, uint64_t info) {
  // The wasm address: the operand's index (zero-extended i32) plus its displacement.
  x86::Gp wasm_address = cc_.newGpq("mcaddr");
  if (address.hasIndex()) {
    cc_.lea(wasm_address,
            x86::ptr(x86::gpq(address.indexId()), static_cast<int32_t>(address.offset())));
  } else {
    cc_.mov(wasm_address, asmjit::imm(address.offset()));
  }
  asmjit::InvokeNode* call = InvokeThunk(
      RuntimeCall::McAccessThunk, asmjit::FuncSignatureT<void, uintptr_t, uint64_t, uint64_t>());
  call->setArg(1, wasm_address);
  call->setArg(2, asmjit::imm(info));
}

void FunctionCompiler::EmitShadowCheck(const x86::Mem& address, uint32_t size, bool is_store) {
  const uint64_t info = McAccessInfo(current_offset_, size, is_store, IsLeafFrameFunction());
  if (CoveredByCheckedAccess(address, size, info)) return;
  checked_access_.reset();
  x86::Mem shadow = address;
  if (env_.shadow_segment) {
    if (address.hasIndex() && address.shift() == 0) {
      // The index as the base: `gs:[r11]` takes 5 bytes, `gs:[r11*1 + 0]` (an index with no
      // base needs a 32-bit displacement) 10, and a hot loop's checks crowd the decoder.
      shadow = x86::ptr(x86::gpq(address.indexId()), static_cast<int32_t>(address.offset()));
    } else {
      shadow.resetBase();
      // gs:[disp] without an index is an absolute address, never rip-relative.
      if (!shadow.hasIndex()) shadow.setAddrType(x86::Mem::AddrType::kAbs);
    }
    shadow.setSegment(x86::gs);
  } else {
    shadow.setBase(ShadowBase());
  }
  shadow.setSize(size);
  if (size != 1 && size != 2 && size != 4 && size != 8) return;  // v128 is not compiled yet
  asmjit::Label slow = cc_.newLabel();
  asmjit::Label resume = cc_.newLabel();
  // V bits (emit_value_shadows.cc): a load's are 0 unless the slow path says otherwise; a
  // store of a value with undefined bits takes the slow path, which gives them to the checker.
  const uint32_t vbits_local = env_.track_values && !is_store ? load_vbits_local_ : kNoLocal;
  const bool load_vbits = vbits_local != kNoLocal;
  const bool store_vbits = env_.track_values && is_store;
  const JitValue stored = store_vbits_;
  const Pending stored_pending = store_vbits_pending_;
  x86::Gp vbits, origin;
  if (load_vbits && !locals_in_memory_) {
    // Written in place: the load's result slot owns the shadow local (value_shadows.h), whose
    // old V bits (the address's, maybe) were tested above and are read by nothing else.
    load_vbits_in_place_ = true;
    for (uint32_t local : {vbits_local, OriginLocal(vbits_local)}) {
      if (local == kNoLocal) continue;
      MaterializeAliases(local);
      if (straight_prefix_) unzeroed_[local] = false;
    }
    vbits = LocalReg(vbits_local).as<x86::Gp>();
    if (uint32_t o = OriginLocal(vbits_local); o != kNoLocal) origin = LocalReg(o).as<x86::Gp>();
  } else if (load_vbits) {
    const bool wide = ValTypeSize(SigLetterType(Info(load_op_).signature.back())) == 8;
    vbits = wide ? cc_.newGpq("vbits") : cc_.newGpd("vbits");
    load_vbits_ = vbits;
    if (env_.track_origins) {
      origin = cc_.newGpd("origin");
      load_origin_ = origin;
    }
  }
  x86::Gp stored_origin;
  if (store_vbits && env_.track_origins && !store_origin_.is_const()) {
    stored_origin = ToGp(store_origin_).r32();
  }
  x86::Gp stored_reg;
  if (store_vbits && !stored.is_const()) {
    stored_reg = ToGp(stored).r64();
    cc_.test(stored_reg, stored_reg);
    cc_.jnz(slow);
  }
  cc_.cmp(shadow, asmjit::imm(0));
  MarkAccess(cc_, cc_.cursor(),
             AccessMark{.wasm_offset = current_offset_,
                        .memory = 0,
                        .size = static_cast<uint8_t>(size),
                        .is_store = is_store});
  cc_.jne(slow);
  // Set on each path to `resume` (here and in the slow path), so that it is not live across
  // the check, where the allocator would rather spill it than give it a register.
  if (load_vbits) cc_.xor_(vbits.r32(), vbits.r32());
  if (origin.isValid()) cc_.xor_(origin, origin);
  cc_.bind(resume);
  const Opcode load_op = load_op_;
  std::shared_ptr<std::vector<std::pair<int64_t, uint64_t>>> covered;
  if (!env_.track_values && address.hasIndex() && address.shift() == 0) {
    covered = std::make_shared<std::vector<std::pair<int64_t, uint64_t>>>();
    checked_access_ = CheckedAccess{address.indexId(), address.offset(), size, covered};
  }
  Defer([this, slow, resume, info, address, covered, load_vbits, store_vbits, stored_reg,
         stored_pending, vbits, load_op, shadow, size, origin, stored_origin] {
    cc_.bind(slow);
    if (store_vbits) {
      // A defined value stored over addressable bytes that are each wholly defined or wholly
      // undefined (a new block's first writes: the common case) only zeroes their shadow:
      // Defined is 0 and Undefined 1 (kMcShadowUndefined, memcheck_calls.h), every other state
      // has a bit of 0xfe.
      asmjit::Label call_checker = cc_.newLabel();
      if (stored_reg.isValid()) {
        cc_.test(stored_reg, stored_reg);
        cc_.jnz(call_checker);
      }
      if (size == 8) {
        x86::Gp mask = cc_.newGpq("mask");
        cc_.mov(mask, asmjit::imm(uint64_t{0xfefefefefefefefe}));
        cc_.test(shadow, mask);
      } else {
        cc_.test(shadow, asmjit::imm(size == 4 ? 0xfefefefe : size == 2 ? 0xfefe : 0xfe));
      }
      cc_.jnz(call_checker);
      cc_.mov(shadow, asmjit::imm(0));
      cc_.jmp(resume);
      cc_.bind(call_checker);
    }
    x86::Mem mc_vbits = x86::qword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::McVBits()));
    if (store_vbits) {
      if (stored_reg.isValid() && stored_pending != Pending::None) {
        // Completed here (see pending_): approx(x) is all ones, smear(x) is x | -x.
        x86::Gp exact = cc_.newGpq("pending");
        cc_.mov(exact, stored_reg);
        cc_.neg(exact);
        if (stored_pending == Pending::Approx) {
          cc_.sbb(exact, exact);
        } else {
          cc_.or_(exact, stored_reg);
        }
        cc_.mov(mc_vbits, exact);
      } else if (stored_reg.isValid()) {
        cc_.mov(mc_vbits, stored_reg);
      } else {
        cc_.mov(mc_vbits, asmjit::imm(0));
      }
      if (stored_origin.isValid()) {
        cc_.mov(x86::dword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::McOrigin())), stored_origin);
      }
    }
    EmitMcAccessCall(address, info);
    // The accesses this check stands for, in order, before any of them runs.
    if (covered) {
      for (auto [disp, covered_info] : *covered) {
        x86::Mem other = address;
        other.setOffset(disp);
        EmitMcAccessCall(other, covered_info);
      }
    }
    if (load_vbits) EmitLoadVBits(load_op, vbits, mc_vbits);
    if (origin.isValid()) {
      cc_.mov(origin, x86::dword_ptr(vmctx_, static_cast<int32_t>(VMOffsets::McOrigin())));
    }
    cc_.jmp(resume);
  });
}

// The loaded value's V bits from the slow path's little-endian word, extended as the load
// extends its value (a sign extension copies the sign bit's state).
void FunctionCompiler::EmitLoadVBits(Opcode load, const x86::Gp& vbits, const x86::Mem& word) {
  auto sized = [&](uint32_t bytes) {
    x86::Mem m = word;
    m.setSize(bytes);
    return m;
  };
  switch (load) {
    case Opcode::I64Load:
    case Opcode::F64Load: cc_.mov(vbits.r64(), sized(8)); break;
    case Opcode::I32Load8S: cc_.movsx(vbits.r32(), sized(1)); break;
    case Opcode::I64Load8S: cc_.movsx(vbits.r64(), sized(1)); break;
    case Opcode::I32Load8U:
    case Opcode::I64Load8U: cc_.movzx(vbits.r32(), sized(1)); break;
    case Opcode::I32Load16S: cc_.movsx(vbits.r32(), sized(2)); break;
    case Opcode::I64Load16S: cc_.movsx(vbits.r64(), sized(2)); break;
    case Opcode::I32Load16U:
    case Opcode::I64Load16U: cc_.movzx(vbits.r32(), sized(2)); break;
    case Opcode::I64Load32S: cc_.movsxd(vbits.r64(), sized(4)); break;
    default: cc_.mov(vbits.r32(), sized(4)); break;  // i32/f32.load, i64.load32_u
  }
}

void FunctionCompiler::EmitMcAllocatorBody(const McAllocator& allocator) {
  // The PC map entry and trap site name this function (the report's "at malloc" frame).
  current_offset_ = module_.codes[defined_index_].body_offset;
  RecordPc();
  auto param = [&](uint32_t i) {
    return i < allocator.num_params ? JitValue::Temp(ValType::I32, locals_[i])
                                    : JitValue::Const(ValType::I32, 0);
  };
  if (env_.track_values) ZeroResultVBits(vmctx_, func_type());  // a pointer is defined
  x86::Gp result = EmitRuntimeCall<RuntimeCall::McAllocator>(
      {JitValue::Const(ValType::I32, PackMcAllocatorCall(allocator.kind, allocator.row)), param(0),
       param(1), param(2)});
  if (allocator.has_result) {
    cc_.ret(result);
  } else {
    cc_.ret();
  }
  FinishFunction();
}

void FunctionCompiler::EmitMcClientRequestBody(McClientRequest request) {
  current_offset_ = module_.codes[defined_index_].body_offset;
  RecordPc();
  auto param = [&](uint32_t i) { return JitValue::Temp(ValType::I32, locals_[i]); };
  if (env_.track_values) ZeroResultVBits(vmctx_, func_type());
  x86::Gp result = EmitRuntimeCall<RuntimeCall::McClientRequest>(
      {JitValue::Const(ValType::I32, static_cast<uint32_t>(request)), param(0), param(1), param(2),
       param(3)});
  cc_.ret(result);
  FinishFunction();
}

}  // namespace wasmgrind::jit
