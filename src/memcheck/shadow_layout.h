// The shadow encoding: the one memcheck fact the JIT knows. Memory 0 has one shadow byte per
// guest byte, at shadow_base + address. 0 means "addressable and defined", so an access is
// checked on the fast path with a single compare against zero (`cmp dword [shadow+a], 0`);
// any other value sends it to the out-of-line slow path, which decides with the functions below.
//
// Values below kFirstUnaddressable are addressable; they are the room for uninitialised-value
// tracking (part 2): Undefined for a wholly undefined byte, PartlyDefined for a byte whose
// bit-level state lives in a side table. Values from kFirstUnaddressable up say why a byte may
// not be touched, so a report can say so without another lookup. This header must stay
// dependency-free: the JIT includes it.
#pragma once

#include <cstdint>

namespace wasmgrind::memcheck {

enum class ShadowState : uint8_t {
  Defined = 0x00,        // addressable, every bit defined
  Undefined = 0x01,      // addressable, no bit defined (part 2)
  PartlyDefined = 0x02,  // addressable, some bits defined: see the side table (part 2)

  HeapRedzone = 0x80,        // padding memcheck added around a heap block
  HeapFreed = 0x81,          // a freed block waiting in the quarantine
  HeapUnallocated = 0x82,    // heap memory no live block covers
  BelowStackPointer = 0x83,  // C stack below __stack_pointer (wasm has no red zone)
  NoAccess = 0x84,           // made so by a client request (VALGRIND_MAKE_MEM_NOACCESS)
  OutsideMemory = 0xff,      // never stored: what FirstBad says past the memory's size
};

inline constexpr uint8_t kFirstUnaddressable = 0x80;

constexpr uint8_t ToByte(ShadowState s) { return static_cast<uint8_t>(s); }
constexpr bool IsAddressable(ShadowState s) { return ToByte(s) < kFirstUnaddressable; }
constexpr bool IsDefined(ShadowState s) { return s == ShadowState::Defined; }

// A short phrase for reports and tests ("heap redzone", "freed heap memory", ...).
const char* ShadowStateName(ShadowState s);

}  // namespace wasmgrind::memcheck
