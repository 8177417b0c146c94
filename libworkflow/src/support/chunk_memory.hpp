// Memory for the chunks of the big append-only tables (chunked_log.hpp: the engine's case
// records, the memory store's events and their texts): whole blocks of 2 MiB, aligned to
// 2 MiB, asked for as transparent huge pages and faulted in at once.
//
// Why huge pages: these tables are written once, front to back, a few hundred megabytes in a
// long run, so nearly every page they touch is new. A new 4 KiB page costs its first write
// a trip through the page tables, and under a hypervisor that keeps shadow page tables far
// more: on the 2-core benchmark VM the first write to each 4 KiB page cost 5.6 us even after
// MADV_POPULATE_WRITE had faulted it in, and 0.15 us when the range was a huge page (one
// entry maps 2 MiB). On any machine, one TLB entry then covers 512 pages of a table that is
// read back by case id at random. Where the kernel has no huge page to give (THP off, memory
// fragmented), the same range comes as 4 KiB pages: a hint, never a failure.
#pragma once

#include <cstddef>

namespace workflow::detail {

// One block of chunk memory. Not thread-safe: owned by the table that holds it.
class ChunkMemory {
 public:
  static constexpr std::size_t kBlock = std::size_t{2} << 20;  // a huge page on x86-64

  // `bytes` rounded up to whole blocks.
  static constexpr std::size_t rounded(std::size_t bytes) noexcept {
    return (bytes + kBlock - 1) / kBlock * kBlock;
  }

  ChunkMemory() noexcept = default;
  // At least `bytes` (rounded up to whole blocks), zero-filled, aligned to kBlock. Throws
  // std::bad_alloc when the system has no memory to map.
  explicit ChunkMemory(std::size_t bytes);
  ~ChunkMemory();
  ChunkMemory(ChunkMemory&& o) noexcept : data_(o.data_), size_(o.size_) {
    o.data_ = nullptr;
    o.size_ = 0;
  }
  ChunkMemory& operator=(ChunkMemory&& o) noexcept;
  ChunkMemory(const ChunkMemory&) = delete;
  ChunkMemory& operator=(const ChunkMemory&) = delete;

  std::byte* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace workflow::detail
