// FunctionCompiler: translates one wasm function body into native code with asmjit's
// x86::Compiler (its register allocator assigns and spills our virtual registers). It is a
// DecodeFunction consumer: it sees each instruction once, already validated, and emits code
// for it immediately; it never parses bytes.
//
// Model (in the spirit of Liftoff's value stack, but with a real register allocator behind it):
//  - every local is one virtual register for the whole function;
//  - the operand stack holds JitValues: a virtual register (a fresh temporary owned by the
//    stack, or an alias of a local's register), a constant (folded into the consumer as an
//    immediate), or a lazy condition (a compare whose flags are produced by the consumer, so
//    that compare+br_if/if/select fuse and nothing between compare and use clobbers flags);
//  - a block's label values arrive in "merge" registers created on the first branch to it;
//  - at most kMaxRegisterValues values of the operand stack are in registers: deeper ones are
//    stored to the function's spill area (JitValue::Kind::Slot) and come back on Pop.
// Large functions (compile cost, see EngineOptions::max_allocator_pressure): their virtual
// registers are compacted at the end (vreg_compactor.h), and with many locals the locals live
// in a stack area instead of registers (locals_in_memory_), so that asmjit's allocator, whose
// cost grows with blocks x virtual registers, sees a bounded number of registers.
// Invariants:
//  - an i32 in a 64-bit register has its upper half zero (x86-64 32-bit ops zero-extend), so
//    its 64-bit view can index memory, tables and jump tables. It is kept structurally: every
//    instruction producing an i32 writes a 32-bit register (which zero-extends), except where
//    an i32 is taken from a 64-bit value (i32.wrap_i64, a C function's uint32_t result): there
//    ZeroExtend32 emits `lea r32, [r64]`, never `mov r32, r32`, which asmjit's allocator
//    deletes when both registers coincide. VerifyUpperHalfZero checks it at every 64-bit use
//    when EngineOptions::verify_jit_invariants is on;
//  - aliases and conditions never survive a write to the local they read (local.set/tee
//    materialises them first) nor the entry to a block/loop/if (so a copy made inside a block
//    never has to dominate a use after it);
//  - dead code (after br/br_table/return/unreachable, after a block nothing reaches) is never
//    seen: DecodeFunction hands over only live code (live_code.h), with the else/end of every
//    frame opened in it; with verify_invariants, the value stack's height is checked against
//    the validator's after each live instruction.
// The memory checker hooks in at EmitMemoryAccess / EmitBulkMemoryAccess (emit_memory.cc).
#pragma once

#include <asmjit/x86.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "vm/c_stack.h"
#include "vm/decode/function_validator.h"
#include "vm/decode/live_code.h"
#include "vm/instr.h"
#include "vm/jit/abi.h"
#include "vm/jit/asmjit_shim.h"
#include "vm/jit/defined_values.h"
#include "vm/jit/stack_check.h"
#include "vm/memcheck_calls.h"
#include "vm/module_info.h"
#include "vm/result.h"
#include "vm/trap.h"
#include "vm/vmcontext.h"

namespace wasmgrind::jit {

inline constexpr uint32_t kNoLocal = UINT32_MAX;

// What a function's compilation leaves behind until the module's code has addresses.
struct FunctionRecord {
  asmjit::FuncNode* node = nullptr;  // lives only as long as its x86::Compiler
  asmjit::Label entry;               // bound at the FuncNode; the CodeHolder's (calls use it)
  asmjit::Label end;                 // bound after the function's out-of-line code
  bool native_replacement = false;   // compiled as a call to a libc replacement
  uint32_t virt_regs = 0;            // distinct virtual registers after compaction (tests)
  struct PcLabel {
    asmjit::Label label;
    uint32_t wasm_offset;
  };
  struct TrapLabel {
    asmjit::Label after_call;  // the return address of the stub's wg_rt_Trap call
    TrapKind kind;
    uint32_t wasm_offset;
  };
  std::vector<PcLabel> pc_labels;
  std::vector<TrapLabel> traps;
};

// Module-wide facts shared by every FunctionCompiler of one CompileModule.
struct ModuleEnv {
  const ModuleInfo& module;
  std::span<const uint32_t> type_ids;  // canonical id of each module type
  VMOffsets offsets;
  std::vector<FunctionRecord> functions{};  // by defined index
  // A PC map entry for every instruction (for `wasmgrind disas`), not only for those that can
  // trap, touch memory or call. Each entry is a label, which splits asmjit's basic blocks, so it
  // is off for code that runs.
  bool map_every_instruction = false;
  bool replace_libc_functions = false;  // EngineOptions::replace_libc_functions
  bool verify_invariants = false;       // EngineOptions::verify_jit_invariants
  bool testing_unsafe_wrap = false;     // EngineOptions::testing_unsafe_wrap
  // The compile thread's range (module_compiler.cc) of each defined function: a call within a
  // range is a label call, across ranges it goes through the callee's VMFuncRef in the vmctx.
  std::vector<uint32_t> chunk_of{};
  uint64_t max_allocator_pressure = uint64_t{2} << 20;  // EngineOptions::max_allocator_pressure
  uint32_t max_register_locals = 512;                   // EngineOptions::max_register_locals
  // The C stack of the module (c_stack.h); none: neither checks nor memcheck's tracking.
  std::optional<CStackRegion> c_stack{};
  bool check_c_stack = false;   // EngineOptions::check_c_stack: trap when sp leaves c_stack
  bool memcheck = false;        // EngineOptions::memcheck
  bool shadow_segment = false;  // EngineOptions::memcheck_shadow_segment (vm/shadow_segment.h)
  bool track_values = false;    // EngineOptions::memcheck_values (emit_value_shadows.cc)
  bool track_origins = false;   // EngineOptions::memcheck_origins (needs track_values)
};

// Flags of `cmp lhs, rhs|imm`, `test lhs, lhs` or `ucomis lhs, rhs`, true when `cond` holds.
struct Condition {
  enum class Form : uint8_t { CmpInt, TestInt, CmpFloat };
  Form form = Form::CmpInt;
  bool wide = false;  // 64-bit integers / f64
  x86::CondCode cond = x86::CondCode::kE;
  x86::Reg lhs;
  x86::Reg rhs;
  bool rhs_is_imm = false;
  int32_t imm = 0;
  uint32_t lhs_local = kNoLocal;
  uint32_t rhs_local = kNoLocal;
};

// Operand-stack values in registers at most; deeper ones go to the spill area. Wasm from
// compilers rarely stacks more than a few; a deep stack kept in registers would make every one
// of its values live across all the code (and blocks) up to its use.
inline constexpr uint32_t kMaxRegisterValues = 32;

struct JitValue {
  enum class Kind : uint8_t { Reg, Const, Cond, Slot };
  Kind kind = Kind::Const;
  ValType type = ValType::I32;
  x86::Reg reg;               // Reg
  uint32_t local = kNoLocal;  // Reg: the local whose register this is (read-only alias)
  uint64_t bits = 0;          // Const: value / raw float bits, i32 zero-extended
  Condition cond;             // Cond (type is i32)
  uint32_t slot = 0;          // Slot: index in the spill area

  static JitValue Temp(ValType t, x86::Reg r) {
    JitValue v;
    v.kind = Kind::Reg;
    v.type = t;
    v.reg = r;
    return v;
  }
  static JitValue Const(ValType t, uint64_t bits) {
    JitValue v;
    v.type = t;
    v.bits = bits;
    return v;
  }
  bool is_const() const { return kind == Kind::Const; }
  bool is_owned_reg() const { return kind == Kind::Reg && local == kNoLocal; }
};

// A loop's copy of a local: the loop body reads and writes `copy`; `parent` (the register the
// local was in when the loop was entered) gets it back on every exit.
struct LocalCopy {
  uint32_t local;
  x86::Reg copy;
  x86::Reg parent;
};

// A runtime call's asmjit signature and arity, from its row's C prototype (the type of its
// entry in VMRuntimeCalls, vm/runtime_calls.h), so that the JIT's calls cannot disagree with the
// functions they call.
template <typename F>
struct RuntimeCallTraits;
template <typename R, typename... Args>
struct RuntimeCallTraits<R (*)(VMContext*, Args...)> {
  static constexpr size_t kArity = sizeof...(Args);  // after the vmctx
  static asmjit::FuncSignature Signature() {
    return asmjit::FuncSignatureT<R, VMContext*, Args...>();
  }
};
template <RuntimeCall call>
using RuntimeCallTraitsOf = RuntimeCallTraits<RuntimeCallType<call>>;
// The arguments after the vmctx of runtime call `call`.
template <RuntimeCall call>
using RuntimeCallArgs = std::array<JitValue, RuntimeCallTraitsOf<call>::kArity>;

// A shadow local's V bits not computed yet (FunctionCompiler::pending_).
enum class Pending : uint8_t { None, Approx, Smear };

class FunctionCompiler {
 public:
  FunctionCompiler(AsmjitCompiler& cc, ModuleEnv& env, uint32_t defined_index);
  FunctionCompiler(const FunctionCompiler&) = delete;
  FunctionCompiler& operator=(const FunctionCompiler&) = delete;

  // Emits the whole function (DecodeFunction drives OnInstr). Validation errors come back
  // unchanged.
  Result<void> Compile();
  Result<void> OnInstr(const Instr& instr, const FunctionValidator& validator,
                       const LiveCode& live);

 private:
  Result<void> CompileInstr(const Instr& instr, const FunctionValidator& validator,
                            const LiveCode& live);
  // The emitter of the instruction's category; false if it does not compile it.
  bool EmitInstr(const Instr& instr, const FunctionValidator& validator);

  struct Frame {
    Opcode kind = Opcode::Block;  // Block (also the function body), Loop or If
    std::vector<ValType> params;
    std::vector<ValType> results;
    uint32_t base = 0;            // stack height below the params
    asmjit::Label label;          // Loop: the header; otherwise the end
    asmjit::Label else_label;     // If
    std::vector<x86::Reg> merge;  // where the label's values arrive
    bool branched = false;        // some edge reaches `label` (besides falling through)
    bool has_else = false;
    std::vector<JitValue> saved_params;      // If: the params again, for the else branch
    asmjit::BaseNode* pre_header = nullptr;  // Loop: the last node before the header
    x86::Gp memory_base;                     // Loop: its copy of the memory base, once used
    // Loop: its copies of locals (see LocalReg); shared with the exit stubs, which run after
    // the loop is closed and write back every copy it ended up with.
    std::shared_ptr<std::vector<LocalCopy>> copies;
    // Loop: no copies at all if it contains a call (FindLoopsWithCalls: a copy live across the
    // call is spilled around it, where the local's own register may be callee-saved), and no
    // new copies once a loop was opened inside (its code used the outer registers).
    bool copies_closed = false;
    const std::vector<ValType>& label_types() const {
      return kind == Opcode::Loop ? params : results;
    }
  };

  // --- function_compiler.cc: frame, stack, traps, out-of-line code ---
  // Reads the body once ahead of compilation for the offsets of loops that contain a call.
  void FindLoopsWithCalls();
  // `declared_locals`: create the body's declared locals, not only the params.
  void EmitPrologue(bool declared_locals = true);
  void EmitReturnSequence();
  void FinishFunction();
  const FuncType& func_type() const;
  void Push(const JitValue& v) {
    stack_.push_back(v);
    if (stack_.size() > kMaxRegisterValues) SpillDeepValue();
  }
  void PushTemp(ValType t, const x86::Reg& r) { Push(JitValue::Temp(t, r)); }
  // Never returns a Slot: a spilled value comes back in a fresh register.
  JitValue Pop();
  // Stores the value kMaxRegisterValues below the top to its spill slot, if in a register.
  void SpillDeepValue();
  x86::Mem SpillSlot(uint32_t index);
  x86::Mem LocalSlot(uint32_t local) const;  // locals_in_memory_
  // Stores `v` with its type's width (an i32 or f32 writes 4 bytes).
  void StoreValue(const x86::Mem& slot, const JitValue& v);
  void ZeroLocalsArea(uint32_t first, uint32_t count);
  JitValue& Top(uint32_t depth = 0) { return stack_[stack_.size() - 1 - depth]; }
  // Read-only register holding `v` (materialises constants and conditions).
  x86::Reg ToReg(const JitValue& v);
  x86::Gp ToGp(const JitValue& v) { return ToReg(v).as<x86::Gp>(); }
  x86::Xmm ToXmm(const JitValue& v) { return ToReg(v).as<x86::Xmm>(); }
  // A register holding `v` that the caller may overwrite.
  x86::Reg TakeReg(const JitValue& v);
  x86::Xmm TakeXmm(const JitValue& v) { return TakeReg(v).as<x86::Xmm>(); }
  void MoveValue(const x86::Reg& dst, const JitValue& v);  // dst = v
  // A new i32 register holding the low half of `src` with its upper half zero (see the
  // invariants above).
  x86::Gp ZeroExtend32(const x86::Gp& src);
  // With verify_invariants: abort with an internal error if `i32`'s upper half is not zero.
  // Called right before each use of an i32's 64-bit view.
  void VerifyUpperHalfZero(const x86::Gp& i32);
  void EmitFlags(const Condition& c);
  // Replaces aliases of `local` (kNoLocal: of any local) and conditions reading it by temps.
  void MaterializeAliases(uint32_t local);
  void RecordPc();  // PC map entry for the instruction being compiled
  // Calls runtime function `fn`, which never returns (a trap or an internal error), with the
  // vmctx as its first argument; the caller sets the others. Declared as clobbering nothing, so
  // it forces neither spills nor saves.
  template <RuntimeCall call>
  asmjit::InvokeNode* InvokeNoReturn() {
    return InvokeNoReturn(call, RuntimeCallTraitsOf<call>::Signature());
  }
  asmjit::InvokeNode* InvokeNoReturn(RuntimeCall fn, const asmjit::FuncSignature& signature);
  // Ends the stub after an InvokeNoReturn; returns the label of its return address (the trap
  // record's PC).
  asmjit::Label EndNoReturnStub();
  // Label of a fresh out-of-line stub that traps with `kind` at the current instruction.
  asmjit::Label TrapStub(TrapKind kind);
  // A trap stub whose message names a table element (`index` must stay live until the jump).
  asmjit::Label ElementTrapStub(TrapKind kind, const x86::Gp& index);
  void Defer(std::function<void()> code) { deferred_.push_back(std::move(code)); }
  // Emits `emit`'s code at the end of the prologue (so that it dominates every use), wherever
  // the cursor is now.
  void EmitInPrologue(const std::function<void()>& emit);
  // Declared locals start at zero, but most are written before they are read (clang's code
  // starts with `global.get $sp; local.tee`): zeroing them anyway lengthens their live ranges
  // (callee-saved registers to push in small functions). So the zeroing of a declared local is
  // emitted only once something may read it: a local.get, or the end of the straight-line
  // prefix of the body (the first branch, if or loop), after which a set no longer proves that
  // every path writes before it reads.
  void ZeroLocalIfNeeded(uint32_t local);
  void EndStraightPrefix();
  x86::Gp VmctxField(uint32_t offset);  // loads a pointer-sized VMContext field
  x86::Mem CallBuffer(uint32_t slots);  // the function's VMVal scratch area for Buffer-ABI calls
  // Control does not continue after this instruction: the values of the current frame are
  // dead (the decoder hands over nothing more until the frame's else/end).
  void DropFrameValues();

  // --- the emitters, one per OpCategory (opcodes.def): false for an instruction they do not
  // compile ---
  // --- emit_control.cc ---
  bool EmitControl(const Instr& instr, const FunctionValidator& validator);
  bool EmitParametric(const Instr& instr);  // drop, select
  void EnterBlock(Opcode kind, const FunctionValidator& validator);
  void EmitIf(const FunctionValidator& validator);
  void EmitElse();
  void EmitEnd();
  void EnsureMerge(Frame& frame);
  // Moves the top label-arity values into `frame`'s merge registers (stack unchanged).
  void MoveToMerge(Frame& frame);
  void EmitBranch(Frame& frame);  // moves + jmp; leaves the stack as is
  // Where a branch to `frame` jumps: its label, or, when the branch leaves loops, a stub that
  // writes their copies of locals back first.
  asmjit::Label BranchTarget(Frame& frame);
  void WriteBackCopies(const std::vector<LocalCopy>& copies);
  void EmitBrIf(uint32_t depth);
  void EmitBrTable(const Instr& instr);
  void EmitSelect();
  // Jumps to `target` when `cond` (an i32 JitValue) is zero (jump_if_true = false) or not.
  void EmitCondJump(const JitValue& cond, bool jump_if_true, const asmjit::Label& target);

  // --- emit_variable.cc: locals, globals, constants, references ---
  bool EmitVariable(const Instr& instr);
  bool EmitConstant(const Instr& instr);
  bool EmitReference(const Instr& instr);
  void EmitLocalSet(uint32_t local, bool tee);
  // The register holding `local` here: in the innermost loop, a copy made for that loop.
  x86::Reg LocalReg(uint32_t local);
  // local.set of the value the previous instruction just computed: rewrites that instruction's
  // code to compute straight into the local's register (no `mov local, temp`) when that is
  // provably the same. False if it does not apply.
  bool RetargetLastResult(const JitValue& v, uint32_t local);

  // --- emit_memory.cc ---
  bool EmitMemory(const Instr& instr);
  bool EmitBulkMemory(const Instr& instr);
  x86::Gp MemoryBase();          // for the innermost loop (or the function body)
  x86::Gp FunctionMemoryBase();  // loaded in the prologue
  x86::Mem EffectiveAddress(const JitValue& index, uint64_t offset, uint32_t size);
  enum class AccessKind : uint8_t { Load, Store };
  // THE hook for every load and store: computes the address operand, marks the PC, and calls
  // `access` to emit the instruction touching memory. memcheck emits its inline shadow check
  // here, before `access`.
  void EmitMemoryAccess(AccessKind kind, const JitValue& index, uint64_t offset, uint32_t size,
                        const std::function<void(const x86::Mem&)>& access);
  // The hook for bulk operations (memory.fill/copy/init): called before the runtime call with
  // the operands as wasm values.
  void EmitBulkMemoryAccess(Opcode op, std::span<const JitValue> operands);
  void EmitLoad(const Instr& instr);
  void EmitStore(const Instr& instr);

  // --- emit_integer.cc ---
  bool EmitInteger(const Instr& instr);
  void EmitIntBinary(asmjit::InstId inst, bool wide, bool commutative);
  bool EmitAddAsLea(asmjit::InstId inst, const JitValue& lhs, const JitValue& rhs, bool wide);
  void EmitShift(asmjit::InstId inst, bool wide);
  void EmitIntCompare(x86::CondCode cond, bool wide);
  void EmitEqz(bool wide);
  void EmitDivRem(bool wide, bool is_signed, bool is_rem);
  void EmitIntUnary(Opcode op);
  bool FoldIntBinary(Opcode op);

  // --- emit_float.cc ---
  bool EmitFloat(const Instr& instr);
  void EmitFloatBinary(asmjit::InstId inst, bool wide);
  void EmitFloatCompare(Opcode op, bool wide);
  void EmitMinMax(bool is_min, bool wide);
  void EmitFloatBitOp(Opcode op, bool wide);
  void EmitRound(bool wide, uint32_t mode);

  // --- emit_conversion.cc ---
  bool EmitConversion(const Instr& instr);
  void EmitTrunc(bool to64, bool from64, bool is_signed, bool saturating);
  void EmitConvertInt(bool to64, bool from64, bool is_signed);

  // --- emit_call.cc ---
  bool EmitCall(const Instr& instr);
  // Calls `target` (a label, register or memory operand) of wasm type `type` with `callee_vmctx`,
  // popping the params and pushing the results.
  void EmitWasmCall(const FuncType& type, const asmjit::Operand& target,
                    const x86::Gp& callee_vmctx);
  // Calls runtime call `call` (vm/runtime_calls.h) with (vmctx, args...) through the table; its
  // result, if any, in a register (a uint32_t with its upper half zero). Types come from the
  // call's prototype.
  template <RuntimeCall call>
  x86::Gp EmitRuntimeCall(const RuntimeCallArgs<call>& args) {
    return EmitNativeCall(call, RuntimeCallTraitsOf<call>::Signature(), args);
  }
  // Calls entry `fn` of the runtime-call table, of `signature`, whose first parameter is the
  // vmctx, with args (i32/i64/reference JitValues) for the rest.
  x86::Gp EmitNativeCall(RuntimeCall fn, const asmjit::FuncSignature& signature,
                         std::span<const JitValue> args);
  // The whole body of a function replaced by native code: pass the params to the replacement
  // of libc_replacements.def row `row`, trap if it says so, else return its result.
  void EmitLibcReplacementBody(uint32_t row);
  // Traps with CStackOverflow unless `sp`, the new value of the C stack pointer, is in
  // env_.c_stack (emit_c_stack.cc).
  void EmitCStackCheck(const x86::Gp& sp);

  // --- emit_memcheck.cc (EngineOptions::memcheck; memcheck_calls.h) ---
  // Compares the shadow of the access at `address` (an operand on the memory base) with 0 and
  // calls the checker's slow path out of line when it is not.
  void EmitShadowCheck(const x86::Mem& address, uint32_t size, bool is_store);
  // The access (McAccessInfo `info`) needs no check of its own: checked_access_ covers it.
  bool CoveredByCheckedAccess(const x86::Mem& address, uint32_t size, uint64_t info);
  // The slow path's call of the checker for the access at `address`, described by `info`.
  void EmitMcAccessCall(const x86::Mem& address, uint64_t info);
  // --- emit_memcheck_stack.cc ---
  // Tells the checker that the C stack pointer became `sp` (after its global.set): small
  // moves repaint the frame's shadow inline, the rest call the checker.
  void EmitStackPointerMoved(const JitValue& sp);
  // This function reads the C stack pointer and never writes it (clang's leaf functions):
  // its accesses below the pointer are its frame (McAccessInfo's leaf_frame).
  bool IsLeafFrameFunction();
  // A leaf-frame function read the C stack pointer into `sp`: its frame below it becomes
  // addressable now, inline, as a move of the pointer would make it (see the .cc).
  void EmitLeafFrameEntered(const x86::Gp& sp);
  // Paints the shadow of [begin, end) with `pattern` in 8-byte stores; a range shorter than 8
  // bytes or longer than the inline limit jumps to `too_long` instead.
  void EmitStackRepaint(const x86::Gp& shadow, const x86::Gp& begin, const x86::Gp& end,
                        const x86::Gp& pattern, asmjit::Label too_long);
  // The whole body of an allocation function, replaced by the checker's (wg_mc_Allocator).
  void EmitMcAllocatorBody(const McAllocator& allocator);
  // The whole body of a client request's no-op function, replaced by the checker's
  // (wg_mc_ClientRequest).
  void EmitMcClientRequestBody(McClientRequest request);
  void EmitLoadVBits(Opcode load, const x86::Gp& vbits, const x86::Mem& word);
  x86::Gp ShadowBase();  // loaded in the prologue; with the shadow segment, where it is used
  // Calls a memcheck thunk (an entry of memcheck_calls.def), declared as clobbering nothing
  // (it saves what it uses).
  asmjit::InvokeNode* InvokeThunk(RuntimeCall thunk, const asmjit::FuncSignature& signature);

  // --- emit_table.cc ---
  bool EmitTable(const Instr& instr);

  // --- uninitialised-value tracking (ModuleEnv::track_values; value_shadows.h): the walk in
  // emit_value_shadows.cc, the Shadow column's rules in value_shadow_rules.cc, shadow locals
  // in value_shadow_locals.cc, params, results, calls and labels in value_shadow_edges.cc ---
  struct ShadowFrame {
    std::vector<uint32_t> merge;     // by label value: the shadow local its V bits arrive in
    std::vector<bool> undefined_in;  // by label value: some edge may bring undefined bits
    std::vector<uint32_t> params;    // if: where the params' V bits wait for the else arm
    bool branched = false;
    // loop: the wasm locals its body's straight-line start writes before any read or branch,
    // dead at its header, so that a back edge may leave their V bits pending.
    std::vector<uint32_t> written_first;
  };
  // What the V-bit code does around one instruction (emit_value_shadows.cc).
  struct ShadowStep {
    std::vector<uint32_t> pushed;  // the V bits of the values it pushes (kNoLocal: defined)
    enum class After : uint8_t { None, Load, Call, LocalWrite, GlobalGet } after = After::None;
    uint32_t after_local = kNoLocal;  // LocalWrite: the shadow local written
    uint32_t after_vbits = kNoLocal;  // LocalWrite: from where
    const FuncType* call_type = nullptr;
  };
  void ShadowControl(const Instr& instr, const FunctionValidator& validator, const LiveCode& live,
                     ShadowStep& step);
  Result<void> ShadowBefore(const Instr& instr, ShadowStep& step);
  void ShadowAfter(const Instr& instr, const ShadowStep& step);
  // OnInstr with V bits: the instruction's shadow code around CompileInstr.
  Result<void> CompileTracked(const Instr& instr, const FunctionValidator& validator,
                              const LiveCode& live);
  // Before plain value instruction `op` (ValueShadow other than Structural): computes its
  // result's V bits; returns where they are (kNoLocal: statically defined).
  uint32_t EmitValueRule(Opcode op);
  // Compiles a synthetic instruction (on shadow locals) at the current wasm offset.
  void Synth(Opcode op, uint32_t index = 0, uint64_t bits = 0);
  // A V-bit local; with origins, its origin local (an i32) comes with it (OriginLocal).
  uint32_t AddShadowLocal(ValType shadow_type, bool with_origin = true);
  uint32_t OriginLocal(uint32_t vbits) const {
    return vbits == kNoLocal || vbits >= origin_of_.size() ? kNoLocal : origin_of_[vbits];
  }
  // The origin of Va | Vb: Va's if it has an undefined bit, else Vb's (a scratch local, or
  // one of theirs when the other is statically defined).
  uint32_t UnionOrigin(uint32_t va, uint32_t vb, ValType shadow_type);
  void PushOrigin(uint32_t origin_local);
  uint32_t OwnVBits(uint32_t height, ValType value_type);  // the slot's own shadow local
  bool IsOwnVBits(uint32_t height, uint32_t vbits) const;  // is vbits that local, if made
  bool IsAnyOwnVBits(uint32_t vbits) const;                // some height's own local
  uint32_t PooledVBits(std::vector<std::vector<uint32_t>>& pool, uint32_t depth, uint32_t i,
                       ValType value_type);
  uint32_t ScratchVBits(uint32_t k, ValType value_type);
  void PushVBits(uint32_t vbits, ValType shadow_type);
  // Before `local` is written: slots whose V bits are read from it get a copy of their own.
  void RescueVBits(uint32_t local, uint32_t from = 0);
  void RescueAllVBits();
  // local.set of the V bits on top, after RescueVBits; with origins, the local's origin
  // becomes `origin`'s (an origin local; kNoLocal: none).
  void SetVBits(uint32_t local, uint32_t origin);
  void CopyVBits(uint32_t slot, uint32_t dst_local, ValType shadow_type);
  // The V bits in local `vbits` (a constant 0 for kDefinedVBits). `raw`: a pending
  // completion (see pending_) may stay pending: the caller only tests for 0.
  JitValue VBitsValue(uint32_t vbits, ValType shadow_type, bool raw = false);
  Pending PendingOf(uint32_t local) const {
    return local < pending_.size() ? pending_[local] : Pending::None;
  }
  void SetPending(uint32_t local, Pending kind);
  // Replaces the V bits on top (of type `from`) by 0 if they are 0, else all ones of `to`.
  void EmitApproxVBits(ValType from, ValType to);
  // The shadow local an instruction's result V bits go to (value_shadow_rules.cc).
  uint32_t ResultVBitsLocal(uint32_t a, uint32_t height, ValType result_type);
  // The V bits of `and`/`or` of slots a and b (V bits va, vb) into a new register.
  x86::Gp EmitAndOrVBits(bool is_or, ValType pst, uint32_t va, uint32_t vb, uint32_t a, uint32_t b);
  // Completes the pending approximation or smear in `local` (pending_), or in every local.
  void MaterializePending(uint32_t local);
  void EmitSmearVBits(uint32_t local, ValType shadow_type);            // local = local | -local
  void MaterializeAllPending(const std::vector<uint32_t>& keep = {});  // but those in `keep`
  // Notes what the straight-line start of the innermost loop's body reads and writes first.
  void NoteLoopPrefix(const Instr& instr);
  // Reports (wg_mc_Uninit) when the value in `slot` has an undefined bit.
  void EmitVBitsUse(uint32_t slot, McUninitUse use, uint32_t size);
  void EmitParamVBits();
  void InitLocal(uint32_t local, const JitValue& v);  // in the prologue
  void EmitResultVBits(uint32_t first_slot);
  void ZeroResultVBits(const x86::Gp& vmctx, const FuncType& type);
  void EmitCallVBitsBefore(const FuncType& type, const x86::Gp& callee_vmctx, bool may_reach_host);
  // Around a call through another context: GS's base to the callee's shadow segment and back.
  void EmitSegmentSwitch(const x86::Gp& callee_vmctx, bool to_callee);
  void EmitCallVBitsAfter(const FuncType& type, const x86::Gp& callee_vmctx);
  void WriteLabelVBits(uint32_t frame_index, uint32_t first_slot);
  void OpenShadowFrame(const std::vector<ValType>& label_types, const std::vector<ValType>& params,
                       bool share_params);
  bool IsStackPointer(uint32_t global) const {
    return env_.c_stack && global == env_.c_stack->global_index;
  }

  AsmjitCompiler& cc_;
  ModuleEnv& env_;
  const ModuleInfo& module_;
  uint32_t defined_index_;
  uint32_t func_index_;
  FunctionRecord& record_;

  x86::Gp vmctx_;
  x86::Gp io_;  // Buffer ABI: the VMVal* argument
  // Large functions (see the file comment): every local in an 8-byte slot of locals_area_
  // (locals_ is then empty); the operand stack's spill area, grown as deep values need it.
  bool locals_in_memory_ = false;
  x86::Mem locals_area_;
  x86::Mem spill_area_;
  uint32_t spill_slots_ = 0;
  std::vector<x86::Reg> locals_;
  std::vector<ValType> local_types_;
  x86::Gp memory_base_;
  bool memory_base_loaded_ = false;
  x86::Gp shadow_base_;  // --memcheck: VMContextHeader::shadow_base
  bool shadow_base_loaded_ = false;
  // --memcheck without V bits: the last access whose shadow check was emitted, while only
  // instructions that neither touch the shadow nor trap nor report have followed it
  // (KeepsCheckedAccess). A later access to bytes it covered, through the same index register,
  // needs no check of its own: its slow path checks them too (emit_memcheck.cc).
  struct CheckedAccess {
    uint32_t index_id;
    int64_t disp;
    uint32_t size;
    // The (displacement, McAccessInfo) of each access it stands for, in order.
    std::shared_ptr<std::vector<std::pair<int64_t, uint64_t>>> covered;
  };
  std::optional<CheckedAccess> checked_access_;
  static bool KeepsCheckedAccess(Opcode op);
  std::optional<bool> leaf_frame_;  // IsLeafFrameFunction, once decided
  // A leaf-frame function's frame size: the largest K of `global.get sp; i32.const K; i32.sub`
  // (0: none found), decided with leaf_frame_.
  uint32_t leaf_frame_bytes_ = 0;
  asmjit::BaseNode* prologue_cursor_ = nullptr;
  std::vector<uint32_t> loops_with_calls_;  // sorted wasm offsets of `loop`s containing a call
  // The stack check before the prologue (stack_check.h; FinishFunction: leaves drop it), and
  // the virtual-register count before this function.
  StackCheck stack_check_;
  size_t first_virt_reg_ = 0;
  size_t first_label_ = 0;        // the CodeHolder's label count before this function
  size_t disas_only_labels_ = 0;  // PC labels only ModuleEnv::map_every_instruction asked for
  bool makes_calls_ = false;      // a wasm or runtime call (trap stubs' calls do not count)
  std::vector<bool> unzeroed_;    // by local: a declared local whose zeroing is not emitted yet
  bool straight_prefix_ = true;   // no branch, if or loop compiled yet (see ZeroLocalIfNeeded)
  x86::Mem call_buffer_;
  uint32_t call_buffer_slots_ = 0;

  // V bits (emit_value_shadows.cc): by operand-stack slot, the shadow local holding its V bits
  // (kNoLocal: statically defined); by wasm local, its shadow local (kNoLocal: not tracked).
  std::vector<uint32_t> vshadow_;
  std::vector<uint32_t> local_vbits_;
  DefinedValues defined_values_;  // which local.gets read statically defined values
  // By shadow local: it holds x whose V bits are approx(x) (0 if x is 0, else all ones) or
  // smear(x) (x | -x: every bit from x's lowest set bit up, what an add carries), not
  // computed yet. Both chain: approx(approx(a) | b) is approx(a | b), smear(smear(a) | b) is
  // smear(a | b), and approx(smear(a) | b) is approx(a | b). So only a chain's last consumer
  // that needs exact bits pays the neg/sbb or the neg/or, and a use that only tests for 0 (an
  // address, a condition, a store's fast path) never does: both are 0 exactly when x is.
  // A local.set moves a pending completion to the local's shadow. None stays pending across
  // control flow, but in a local a loop's back edge reaches dead (ShadowFrame::written_first).
  std::vector<Pending> pending_;
  // What Synth's local.gets may read as it is: Approx, any pending kind; Smear, a smear only.
  Pending raw_vbits_ = Pending::None;
  std::array<std::vector<uint32_t>, 2> height_vbits_;  // by width (i32, i64), by height
  std::vector<std::vector<uint32_t>> merge_vbits_;     // by frame depth
  std::vector<std::vector<uint32_t>> param_vbits_;     // by frame depth (if params)
  std::vector<uint32_t> scratch_vbits_;
  std::vector<uint32_t> origin_of_;                           // by V-bit local: its origin local
  std::vector<x86::Reg> call_result_origins_;                 // EmitCallVBitsAfter's
  JitValue store_origin_ = JitValue::Const(ValType::I32, 0);  // the stored value's origin
  x86::Gp load_origin_;
  std::vector<ShadowFrame> shadow_frames_;
  // The loop (index in frames_) whose body's straight-line start is being compiled, and the
  // wasm locals read in it so far (NoteLoopPrefix).
  std::optional<uint32_t> loop_prefix_;
  std::vector<uint32_t> prefix_reads_;
  const FunctionValidator* validator_ = nullptr;
  bool synth_failed_ = false;                // a synthetic instruction did not compile (our bug)
  std::vector<x86::Reg> call_result_vbits_;  // EmitCallVBitsAfter's, for CompileTracked
  JitValue store_vbits_ = JitValue::Const(ValType::I32, 0);  // the stored value's V bits
  Pending store_vbits_pending_ = Pending::None;              // store_vbits_ is pending (see above)
  // The load being compiled: the shadow local of its result (kNoLocal: no V bits wanted), and
  // whether EmitShadowCheck wrote it in place (else it left them in load_vbits_).
  uint32_t load_vbits_local_ = kNoLocal;
  bool load_vbits_in_place_ = false;
  Opcode load_op_ = Opcode::Nop;
  x86::Gp load_vbits_;
  // Stack slots of locals added after the locals area was sized (locals_in_memory_).
  std::vector<x86::Mem> extra_local_slots_;
  uint32_t area_locals_ = 0;

  std::vector<JitValue> stack_;
  uint32_t alias_floor_ = 0;  // no alias or condition below this stack index
  std::vector<Frame> frames_;
  // Indexes in frames_ of the open loops, outermost first, so that finding the innermost loop
  // or the loops a branch leaves does not walk every frame (deep nesting would make that
  // quadratic). The first loops_closed_ of them make no more copies of locals (a call or a
  // nested loop was compiled inside them: see Frame::copies_closed).
  std::vector<uint32_t> loop_frames_;
  size_t loops_closed_ = 0;
  void CloseOpenLoops() { loops_closed_ = loop_frames_.size(); }
  // The instruction being compiled is reached by falling through (always, except at an
  // else/end after a branch: LiveCode::falls_through).
  bool falls_through_ = true;
  uint32_t current_offset_ = 0;  // wasm offset of the instruction being compiled
  // The code of the last instruction, if it pushed a register it created itself (see
  // RetargetLastResult): the node before its first node, its last node, and the register.
  struct LastResult {
    asmjit::BaseNode* before = nullptr;
    asmjit::BaseNode* last = nullptr;
    uint32_t reg_id = 0;
  };
  LastResult last_result_;
  // After an instruction emitted from `before` on: last_result_, if it pushed a register of its
  // own, created since the virtual-register count was `num_vregs`.
  void NoteLastResult(asmjit::BaseNode* before, size_t num_vregs);
  bool finished_ = false;

  std::vector<std::function<void()>> deferred_;  // out-of-line code, emitted after the body
  struct JumpTable {
    asmjit::Label table;
    std::vector<asmjit::Label> entries;
  };
  std::vector<JumpTable> jump_tables_;  // embedded after the function
};

}  // namespace wasmgrind::jit
