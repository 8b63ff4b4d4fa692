// Uninitialised-value tracking in JIT code (ModuleEnv::track_values): the helpers shared by
// the FunctionCompiler files that implement it (emit_value_shadows.cc, the instruction walk;
// value_shadow_rules.cc, opcodes.def's Shadow column; value_shadow_locals.cc, the shadow
// locals; value_shadow_edges.cc, calls, returns and labels).
//
// The V bits of a value (a set bit: that bit is undefined) live in a "shadow local": a local
// the compiler adds to the function, of type i32 for i32/f32 values and i64 for i64/f64
// values (references and v128 are not tracked: always defined). The shadow computations are
// compiled as wasm instructions on those locals (Synth), so they get the same register
// allocation, loop copies and spilling as the program's own code, and this file only decides
// which instructions; the rules per opcode are opcodes.def's Shadow column (ValueShadow).
//
// Where each shadow lives, at compile time (vshadow_, one entry per operand-stack slot):
//  - kNoLocal: statically defined (constants, results of defined operands): no code at all;
//  - the slot's own shadow local (one per stack height and width), written when the slot's
//    value is produced;
//  - the shadow local of a wasm local (after local.get) or a frame's merge local (after a
//    block's end), also as the result of an operation that leaves its operand's V bits as they
//    are (`x + 16` with x's closed, `x ^ 5`: EmitValueRule), so that stepping a pointer costs
//    no shadow code at all. Such a reference is rescued (copied into the slot's own local)
//    before the referenced local is written, and at the entry of every block, loop and if, so
//    that a copy made inside a block never has to dominate a use after it (as the compiler
//    does with its aliases of locals).
// A label's values arrive in its frame's merge locals (pooled by nesting depth: a sibling
// frame's entry rescues the references to them); an if's params wait in them for the else arm.
//
// Uses: the V bits are tested where an undefined value changes behaviour (a branch condition, an
// address, a call_indirect index, a divisor, a bulk operation's operands) and a thunk reports it
// (wg_mc_Uninit). A select is Valgrind's conditional move: its condition's undefinedness passes
// into the result, reported where that is used. Calls pass V bits through the callee's VMContext
// header (param_vbits / result_vbits); globals have a word each in global_vbits; loads and stores
// exchange them with the checker on the slow path of their shadow check (mc_vbits; a load's go
// straight into its result slot's own local, 0 on the fast path).
#pragma once

#include <cstdint>
#include <string_view>

#include "vm/jit/function_compiler.h"
#include "vm/opcode.h"
#include "vm/value_type.h"

namespace wasmgrind::jit {

inline constexpr uint32_t kDefinedVBits = kNoLocal;

inline bool Tracked(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
inline ValType ShadowTypeOf(ValType t) {
  return t == ValType::I64 || t == ValType::F64 ? ValType::I64 : ValType::I32;
}
inline uint32_t WidthIndex(ValType shadow_type) { return shadow_type == ValType::I64 ? 1 : 0; }

// The operand count and result type of a plain value instruction, from its signature.
struct PlainSignature {
  uint32_t params = 0;
  ValType param_type = ValType::I32;
  ValType result = ValType::I32;
};
inline PlainSignature SignatureOf(Opcode op) {
  std::string_view sig = Info(op).signature;
  PlainSignature s;
  size_t colon = sig.find(':');
  s.params = static_cast<uint32_t>(colon);
  if (colon > 0) s.param_type = SigLetterType(sig[0]);
  s.result = SigLetterType(sig[colon + 1]);
  return s;
}

inline Opcode Op32or64(ValType shadow_type, Opcode op32, Opcode op64) {
  return shadow_type == ValType::I64 ? op64 : op32;
}

}  // namespace wasmgrind::jit
