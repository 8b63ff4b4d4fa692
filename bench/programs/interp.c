/* interp: a stack-machine bytecode interpreter, one big switch in a loop (no computed goto),
 * running two small programs assembled at run time: Collatz chain lengths (arithmetic and
 * branches) and a sieve in the machine's own memory (loads and stores).
 * Measures an indirect jump per bytecode, hard-to-predict branches and a memory-resident stack.
 * SIZE = the Collatz range; the sieve is scaled from it. Checksum: both programs' results. */
#include <string.h>

#include "common.h"

enum Op {
  OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_INC, OP_DUP, OP_DROP, OP_SWAP, OP_OVER,
  OP_ADD, OP_SUB, OP_MUL, OP_DIVU, OP_REMU, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHRU,
  OP_LTU, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_MLOAD, OP_MSTORE,
};

#define MEM_WORDS (1 << 22)

typedef struct {
  int32_t code[256];
  int len;
} Program;

static void Emit(Program *p, int32_t op) { p->code[p->len++] = op; }
static void Emit2(Program *p, int32_t op, int32_t imm) { Emit(p, op); Emit(p, imm); }
static int Here(const Program *p) { return p->len; }
/* Emit a jump with an unknown target; returns where to patch it. */
static int EmitJump(Program *p, int32_t op) { Emit2(p, op, -1); return p->len - 1; }
static void Patch(Program *p, int at, int target) { p->code[at] = target; }

static int64_t Run(const int32_t *code, int64_t *locals, int64_t *mem) {
  int64_t stack[64];
  int sp = 0, pc = 0;
  for (;;) {
    switch ((enum Op)code[pc++]) {
      case OP_HALT: return sp ? stack[sp - 1] : 0;
      case OP_PUSH: stack[sp++] = code[pc++]; break;
      case OP_LOAD: stack[sp++] = locals[code[pc++]]; break;
      case OP_STORE: locals[code[pc++]] = stack[--sp]; break;
      case OP_INC: locals[code[pc++]]++; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_DROP: sp--; break;
      case OP_SWAP: { int64_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
      case OP_OVER: stack[sp] = stack[sp - 2]; sp++; break;
      case OP_ADD: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] + (uint64_t)stack[sp]); break;
      case OP_SUB: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] - (uint64_t)stack[sp]); break;
      case OP_MUL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)stack[sp]); break;
      case OP_DIVU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] / (uint64_t)stack[sp]); break;
      case OP_REMU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] % (uint64_t)stack[sp]); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] << (stack[sp] & 63)); break;
      case OP_SHRU: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63)); break;
      case OP_LTU: sp--; stack[sp - 1] = (uint64_t)stack[sp - 1] < (uint64_t)stack[sp]; break;
      case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_JMP: pc = code[pc]; break;
      case OP_JZ: pc = stack[--sp] == 0 ? code[pc] : pc + 1; break;
      case OP_JNZ: pc = stack[--sp] != 0 ? code[pc] : pc + 1; break;
      case OP_MLOAD: stack[sp - 1] = mem[(uint64_t)stack[sp - 1] % MEM_WORDS]; break;
      case OP_MSTORE: sp -= 2; mem[(uint64_t)stack[sp] % MEM_WORDS] = stack[sp + 1]; break; /* addr value */
      default: fprintf(stderr, "bad opcode %d at %d\n", code[pc - 1], pc - 1); exit(1);
    }
  }
}

/* locals: 0 = limit, 1 = i, 2 = x, 3 = sum. Returns the total length of the Collatz chains of 1..limit-1. */
static void AssembleCollatz(Program *p) {
  Emit2(p, OP_PUSH, 1); Emit2(p, OP_STORE, 1);
  int loop = Here(p);
  Emit2(p, OP_LOAD, 1); Emit2(p, OP_LOAD, 0); Emit(p, OP_LTU);
  int to_end = EmitJump(p, OP_JZ);
  Emit2(p, OP_LOAD, 1); Emit2(p, OP_STORE, 2);
  int inner = Here(p);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_PUSH, 1); Emit(p, OP_EQ);
  int to_done = EmitJump(p, OP_JNZ);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_PUSH, 1); Emit(p, OP_AND);
  int to_even = EmitJump(p, OP_JZ);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_PUSH, 3); Emit(p, OP_MUL); Emit2(p, OP_PUSH, 1); Emit(p, OP_ADD);
  Emit2(p, OP_STORE, 2);
  int to_next = EmitJump(p, OP_JMP);
  Patch(p, to_even, Here(p));
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_PUSH, 1); Emit(p, OP_SHRU); Emit2(p, OP_STORE, 2);
  Patch(p, to_next, Here(p));
  Emit2(p, OP_INC, 3);
  Emit2(p, OP_JMP, inner);
  Patch(p, to_done, Here(p));
  Emit2(p, OP_INC, 1);
  Emit2(p, OP_JMP, loop);
  Patch(p, to_end, Here(p));
  Emit2(p, OP_LOAD, 3); Emit(p, OP_HALT);
}

/* locals: 0 = limit, 1 = i, 2 = j, 3 = count. mem[k] = 1 marks k composite. Returns the prime count below limit. */
static void AssembleSieve(Program *p) {
  Emit2(p, OP_PUSH, 2); Emit2(p, OP_STORE, 1);
  int loop = Here(p);
  Emit2(p, OP_LOAD, 1); Emit2(p, OP_LOAD, 0); Emit(p, OP_LTU);
  int to_end = EmitJump(p, OP_JZ);
  Emit2(p, OP_LOAD, 1); Emit(p, OP_MLOAD);
  int to_next = EmitJump(p, OP_JNZ);
  Emit2(p, OP_INC, 3);
  Emit2(p, OP_LOAD, 1); Emit(p, OP_DUP); Emit(p, OP_MUL); Emit2(p, OP_STORE, 2); /* j = i*i */
  int mark = Here(p);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_LOAD, 0); Emit(p, OP_LTU);
  int to_next2 = EmitJump(p, OP_JZ);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_PUSH, 1); Emit(p, OP_MSTORE);
  Emit2(p, OP_LOAD, 2); Emit2(p, OP_LOAD, 1); Emit(p, OP_ADD); Emit2(p, OP_STORE, 2);
  Emit2(p, OP_JMP, mark);
  Patch(p, to_next, Here(p));
  Patch(p, to_next2, Here(p));
  Emit2(p, OP_INC, 1);
  Emit2(p, OP_JMP, loop);
  Patch(p, to_end, Here(p));
  Emit2(p, OP_LOAD, 3); Emit(p, OP_HALT);
}

int main(int argc, char **argv) {
  long limit = SizeArg(argc, argv, 400000);
  int64_t *mem = calloc(MEM_WORDS, sizeof(int64_t));
  if (!mem) return 1;
  Program collatz = {.len = 0}, sieve = {.len = 0};
  AssembleCollatz(&collatz);
  AssembleSieve(&sieve);

  int64_t locals[8] = {limit, 0, 0, 0};
  int64_t chains = Run(collatz.code, locals, mem);
  long sieve_limit = limit * 8 < MEM_WORDS ? limit * 8 : MEM_WORDS;
  uint64_t h = 0;
  int64_t primes = 0;
  for (int round = 0; round < 3; round++) {
    memset(mem, 0, sizeof(int64_t) * MEM_WORDS);
    int64_t sl[8] = {sieve_limit - round * (sieve_limit / 16), 0, 0, 0};
    primes = Run(sieve.code, sl, mem);
    h = Mix(h, (uint64_t)primes);
  }
  printf("interp limit=%ld collatz_steps=%lld primes(%ld)=%lld hash=%016llx\n", limit, (long long)chains,
         sieve_limit, (long long)primes, (unsigned long long)h);
  free(mem);
  return 0;
}
