/* wasmgrind/memcheck.h: Valgrind's memcheck client requests (valgrind/memcheck.h) for programs
 * built for wasm32-wasi, checked by `wasmgrind run --memcheck`.
 *
 * Use it as Valgrind's header: VALGRIND_MAKE_MEM_NOACCESS(p, n), VALGRIND_MALLOCLIKE_BLOCK(...),
 * the mempool requests, RUNNING_ON_VALGRIND, VALGRIND_COUNT_ERRORS, ... Each macro calls a
 * small no-op function (wasmgrind_client_<request>, listed in memcheck_requests.def) that
 * returns 0, so the program needs no import and runs unchanged on any runtime (node, wasmtime,
 * `wasmgrind run` without --memcheck). Under --memcheck wasmgrind recognises the functions by
 * their names in the name section and replaces them by the checker's requests. Link without
 * -O (see wasmgrind's README): binaryen's wasm-opt, which clang runs when linking at -O1 and
 * above, drops the name section and with it the requests.
 *
 * Native builds (not wasm) get Valgrind's own header when it is installed, so the same source
 * runs under Valgrind too; without it the no-op functions are used there as well.
 */
#ifndef WASMGRIND_MEMCHECK_H
#define WASMGRIND_MEMCHECK_H

#if !defined(__wasm__) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define WASMGRIND_MEMCHECK_IS_VALGRINDS 1
#endif
#endif

#ifndef WASMGRIND_MEMCHECK_IS_VALGRINDS

#ifdef __cplusplus
extern "C" {
#endif

/* Written by every request function (with its own row's number), so that no two of them have
 * the same body: nothing may merge them, and the stores keep the calls in place. */
__attribute__((weak)) volatile unsigned long wasmgrind_client_last_request;

/* weak: one copy per program, however many files include this header, and an interposable
 * definition, so the optimizer can neither drop a call nor assume its result is 0. */
#define WASMGRIND_CLIENT_REQUEST(Name, name)                                                 \
  __attribute__((weak, noinline, used)) unsigned long wasmgrind_client_##name(              \
      unsigned long wasmgrind_a0, unsigned long wasmgrind_a1, unsigned long wasmgrind_a2,   \
      unsigned long wasmgrind_a3) {                                                         \
    (void)wasmgrind_a0;                                                                     \
    (void)wasmgrind_a1;                                                                     \
    (void)wasmgrind_a2;                                                                     \
    (void)wasmgrind_a3;                                                                     \
    wasmgrind_client_last_request = __LINE__;                                               \
    return 0;                                                                               \
  }
#include "memcheck_requests.def"
#undef WASMGRIND_CLIENT_REQUEST

#ifdef __cplusplus
}
#endif

#define WASMGRIND_CLIENT_CALL_(name, a0, a1, a2, a3)                                   \
  wasmgrind_client_##name((unsigned long)(a0), (unsigned long)(a1), (unsigned long)(a2), \
                          (unsigned long)(a3))
#define WASMGRIND_CLIENT_STMT_(name, a0, a1, a2, a3)       \
  do {                                                     \
    (void)WASMGRIND_CLIENT_CALL_(name, a0, a1, a2, a3);    \
  } while (0)

/* Memory state. Under --memcheck these return -1, as under Valgrind. With
 * --undef-value-errors=no, MAKE_MEM_UNDEFINED only makes memory addressable. */
#define VALGRIND_MAKE_MEM_NOACCESS(addr, len) \
  WASMGRIND_CLIENT_CALL_(make_mem_noaccess, addr, len, 0, 0)
#define VALGRIND_MAKE_MEM_UNDEFINED(addr, len) \
  WASMGRIND_CLIENT_CALL_(make_mem_undefined, addr, len, 0, 0)
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) \
  WASMGRIND_CLIENT_CALL_(make_mem_defined, addr, len, 0, 0)
#define VALGRIND_MAKE_MEM_DEFINED_IF_ADDRESSABLE(addr, len) \
  WASMGRIND_CLIENT_CALL_(make_mem_defined_if_addressable, addr, len, 0, 0)

/* Checks: report an error and return the first bad address, or 0. */
#define VALGRIND_CHECK_MEM_IS_ADDRESSABLE(addr, len) \
  WASMGRIND_CLIENT_CALL_(check_mem_is_addressable, addr, len, 0, 0)
#define VALGRIND_CHECK_MEM_IS_DEFINED(addr, len) \
  WASMGRIND_CLIENT_CALL_(check_mem_is_defined, addr, len, 0, 0)
#define VALGRIND_CHECK_VALUE_IS_DEFINED(lvalue) \
  VALGRIND_CHECK_MEM_IS_DEFINED((volatile unsigned char*)&(lvalue), sizeof(lvalue))

/* A custom allocator's blocks. */
#define VALGRIND_MALLOCLIKE_BLOCK(addr, sizeB, rzB, is_zeroed) \
  WASMGRIND_CLIENT_STMT_(malloclike_block, addr, sizeB, rzB, is_zeroed)
#define VALGRIND_RESIZEINPLACE_BLOCK(addr, oldSizeB, newSizeB, rzB) \
  WASMGRIND_CLIENT_STMT_(resizeinplace_block, addr, oldSizeB, newSizeB, rzB)
#define VALGRIND_FREELIKE_BLOCK(addr, rzB) WASMGRIND_CLIENT_STMT_(freelike_block, addr, rzB, 0, 0)

/* Memory pools (Valgrind's manual, "Memory Pools"). */
#define VALGRIND_MEMPOOL_AUTO_FREE 1
#define VALGRIND_MEMPOOL_METAPOOL 2
#define VALGRIND_CREATE_MEMPOOL(pool, rzB, is_zeroed) \
  WASMGRIND_CLIENT_STMT_(create_mempool, pool, rzB, is_zeroed, 0)
#define VALGRIND_CREATE_MEMPOOL_EXT(pool, rzB, is_zeroed, flags) \
  WASMGRIND_CLIENT_STMT_(create_mempool, pool, rzB, is_zeroed, flags)
#define VALGRIND_DESTROY_MEMPOOL(pool) WASMGRIND_CLIENT_STMT_(destroy_mempool, pool, 0, 0, 0)
#define VALGRIND_MEMPOOL_ALLOC(pool, addr, size) \
  WASMGRIND_CLIENT_STMT_(mempool_alloc, pool, addr, size, 0)
#define VALGRIND_MEMPOOL_FREE(pool, addr) WASMGRIND_CLIENT_STMT_(mempool_free, pool, addr, 0, 0)
#define VALGRIND_MEMPOOL_TRIM(pool, addr, size) \
  WASMGRIND_CLIENT_STMT_(mempool_trim, pool, addr, size, 0)
#define VALGRIND_MOVE_MEMPOOL(poolA, poolB) \
  WASMGRIND_CLIENT_STMT_(move_mempool, poolA, poolB, 0, 0)
#define VALGRIND_MEMPOOL_CHANGE(pool, addrA, addrB, size) \
  WASMGRIND_CLIENT_STMT_(mempool_change, pool, addrA, addrB, size)
#define VALGRIND_MEMPOOL_EXISTS(pool) \
  ((unsigned)WASMGRIND_CLIENT_CALL_(mempool_exists, pool, 0, 0, 0))

/* 1 under `wasmgrind run --memcheck`, 0 elsewhere; the errors reported so far. */
#define RUNNING_ON_VALGRIND ((unsigned)WASMGRIND_CLIENT_CALL_(running_on_valgrind, 0, 0, 0, 0))
#define VALGRIND_COUNT_ERRORS ((unsigned)WASMGRIND_CLIENT_CALL_(count_errors, 0, 0, 0, 0))

/* Errors at addresses inside [addr, addr + len) say "inside a <desc> of size len
 * client-defined" and where the block was described; CREATE_BLOCK returns a handle (0 on other
 * runtimes), DISCARD forgets it (1 for a handle naming no block, else 0). */
#define VALGRIND_CREATE_BLOCK(addr, len, desc) \
  ((unsigned)WASMGRIND_CLIENT_CALL_(create_block, addr, len, desc, 0))
#define VALGRIND_DISCARD(handle) ((unsigned)WASMGRIND_CLIENT_CALL_(discard, handle, 0, 0, 0))

/* The V bits of zznbytes bytes at zza (a byte of bits per byte, bit set: undefined), copied
 * into (GET) or from (SET) the array zzvbits. 1 when copied, 3 when a byte of either range is
 * not addressable, 0 on other runtimes. With --undef-value-errors=no every byte reads as
 * defined and SET changes nothing. */
#define VALGRIND_GET_VBITS(zza, zzvbits, zznbytes) \
  ((unsigned)WASMGRIND_CLIENT_CALL_(get_vbits, zza, zzvbits, zznbytes, 0))
#define VALGRIND_SET_VBITS(zza, zzvbits, zznbytes) \
  ((unsigned)WASMGRIND_CLIENT_CALL_(set_vbits, zza, zzvbits, zznbytes, 0))

/* Leak searches mid-run, as at exit, whatever --leak-check says: a full one (the loss records
 * and the summary); one reporting only the records that grew (ADDED), changed (CHANGED) or
 * appeared (NEW) since the previous search, each number with its change; a summary (QUICK). */
#define VALGRIND_DO_LEAK_CHECK WASMGRIND_CLIENT_STMT_(do_leak_check, 0, 0, 0, 0)
#define VALGRIND_DO_ADDED_LEAK_CHECK WASMGRIND_CLIENT_STMT_(do_leak_check, 0, 1, 0, 0)
#define VALGRIND_DO_CHANGED_LEAK_CHECK WASMGRIND_CLIENT_STMT_(do_leak_check, 0, 2, 0, 0)
#define VALGRIND_DO_NEW_LEAK_CHECK WASMGRIND_CLIENT_STMT_(do_leak_check, 0, 3, 0, 0)
#define VALGRIND_DO_QUICK_LEAK_CHECK WASMGRIND_CLIENT_STMT_(do_leak_check, 1, 0, 0, 0)

/* The last leak search's bytes (COUNT_LEAKS) or blocks (COUNT_LEAK_BLOCKS): leaked (definitely
 * and indirectly lost), dubious (possibly lost), reachable and suppressed; 0 before the first
 * search and on other runtimes. As Valgrind's, through unsigned long temporaries, so the
 * lvalues may have any integer type. */
#define WASMGRIND_COUNT_LEAKS_(name, leaked, dubious, reachable, suppressed)          \
  do {                                                                               \
    unsigned long wasmgrind_leaked = 0, wasmgrind_dubious = 0;                       \
    unsigned long wasmgrind_reachable = 0, wasmgrind_suppressed = 0;                 \
    WASMGRIND_CLIENT_STMT_(name, &wasmgrind_leaked, &wasmgrind_dubious,              \
                           &wasmgrind_reachable, &wasmgrind_suppressed);             \
    leaked = wasmgrind_leaked;                                                       \
    dubious = wasmgrind_dubious;                                                     \
    reachable = wasmgrind_reachable;                                                 \
    suppressed = wasmgrind_suppressed;                                               \
  } while (0)
#define VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed) \
  WASMGRIND_COUNT_LEAKS_(count_leaks, leaked, dubious, reachable, suppressed)
#define VALGRIND_COUNT_LEAK_BLOCKS(leaked, dubious, reachable, suppressed) \
  WASMGRIND_COUNT_LEAKS_(count_leak_blocks, leaked, dubious, reachable, suppressed)

#endif /* !WASMGRIND_MEMCHECK_IS_VALGRINDS */
#endif /* WASMGRIND_MEMCHECK_H */
