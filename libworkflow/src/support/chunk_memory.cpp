#include "support/chunk_memory.hpp"

#include <cstdint>
#include <new>
#include <utility>

#include <sys/mman.h>

namespace workflow::detail {
namespace {

// The mapping of `bytes` at a kBlock boundary: a larger mapping with the ends cut off, so
// that each block is one huge page's range.
std::byte* map_aligned(std::size_t bytes) {
  const std::size_t over = bytes + ChunkMemory::kBlock;
  void* raw = ::mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + ChunkMemory::kBlock - 1) & ~(ChunkMemory::kBlock - 1);
  if (aligned > start) ::munmap(raw, aligned - start);
  const std::uintptr_t end = start + over;
  if (end > aligned + bytes) ::munmap(reinterpret_cast<void*>(aligned + bytes), end - (aligned + bytes));
  return reinterpret_cast<std::byte*>(aligned);
}

}  // namespace

ChunkMemory::ChunkMemory(std::size_t bytes) : size_(rounded(bytes == 0 ? 1 : bytes)) {
  data_ = map_aligned(size_);
#ifdef MADV_HUGEPAGE
  ::madvise(data_, size_, MADV_HUGEPAGE);  // a hint: refused or ignored, 4 KiB pages come
#endif
#ifdef MADV_POPULATE_WRITE
  // Faulted in now, in one system call, rather than a fault per page as entries fill it
  // (Linux 5.14; a no-op before).
  ::madvise(data_, size_, MADV_POPULATE_WRITE);
#endif
}

ChunkMemory::~ChunkMemory() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

ChunkMemory& ChunkMemory::operator=(ChunkMemory&& o) noexcept {
  if (this != &o) {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = std::exchange(o.data_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

}  // namespace workflow::detail
