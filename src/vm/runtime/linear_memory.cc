// LinearMemory: a 32-bit wasm memory backed by one fixed reservation (see linear_memory.h).
// Growing only changes page protections, so the base pointer cached by compiled code and by
// every importing instance stays valid for the memory's life. The reservation is registered
// with the signal layer's memory registry (so a fault in it names this memory) and released by
// the destructor (RAII), which unregisters it first.
#include "vm/runtime/linear_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "signals/memory_registry.h"
#include "vm/runtime/runtime_access.h"

namespace wasmgrind {

uint64_t MaxPages(const MemoryType& type) {
  return std::min<uint64_t>(type.limits.max.value_or(kMaxMemory32Pages), kMaxMemory32Pages);
}

Result<std::unique_ptr<LinearMemory>> RuntimeAccess::CreateMemory(const MemoryType& type) {
  if (type.limits.min > MaxPages(type))
    return Error::Make(ErrorKind::Usage, "memory size must be at most 65536 pages (4GiB)");
  void* base = mmap(nullptr, kMemoryReservationBytes, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    return Error::Make(ErrorKind::Internal,
                       std::string("cannot reserve linear memory: ") + std::strerror(errno));
  std::unique_ptr<LinearMemory> memory(new LinearMemory);
  memory->type_ = type;
  memory->reserved_ = kMemoryReservationBytes;
  memory->def_.base = static_cast<uint8_t*>(base);
  memory->def_.current_length = 0;
  // From here until the destructor unmaps it, a fault in the reservation names this memory.
  auto begin = reinterpret_cast<uintptr_t>(base);
  signals::RegisterMemoryRange(
      {begin, begin + kMemoryReservationBytes, memory.get(), &memory->def_.current_length});
  if (type.limits.min > 0) TRY(memory->Grow(type.limits.min));
  return memory;
}

LinearMemory::~LinearMemory() {
  if (def_.base == nullptr) return;
  signals::UnregisterMemoryRange(reinterpret_cast<uintptr_t>(def_.base));
  munmap(def_.base, reserved_);
}

MemoryType LinearMemory::type() const {
  MemoryType t = type_;
  t.limits.min = pages();  // the current size, as the spec's external type reports it
  return t;
}

uint8_t* LinearMemory::data() const { return def_.base; }
uint64_t LinearMemory::size_bytes() const { return def_.current_length; }
VMMemoryDefinition* LinearMemory::definition() { return &def_; }
uint64_t LinearMemory::reserved_bytes() const { return reserved_; }

Result<uint64_t> LinearMemory::Grow(uint64_t delta_pages) {
  uint64_t old_pages = pages();
  if (delta_pages > MaxPages(type_) - old_pages)
    return Error::Make(ErrorKind::Usage, "memory.grow beyond the memory's maximum");
  if (delta_pages == 0) return old_pages;
  uint64_t new_length = (old_pages + delta_pages) * kWasmPageSize;
  // Fresh anonymous pages read as zero, as the spec requires of grown memory.
  if (mprotect(def_.base + def_.current_length, new_length - def_.current_length,
               PROT_READ | PROT_WRITE) != 0)
    return Error::Make(ErrorKind::Usage,
                       std::string("cannot commit linear memory: ") + std::strerror(errno));
  def_.current_length = new_length;
  return old_pages;
}

}  // namespace wasmgrind
