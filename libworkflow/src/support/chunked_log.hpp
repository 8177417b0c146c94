// Append-only storage in fixed-size chunks, for tables that grow to millions of entries under
// a lock (the engine's case records, the memory store's events and their texts). A std::vector or std::string doubling
// past a million events copies tens of megabytes while every command waits for the lock
// (lifecycle-mem's slowest command: 14 ms with per-case vectors, 43-50 ms with one log
// vector); growing by a chunk copies nothing and entries never move.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace workflow::detail {

// Faults a new chunk's pages in at once, in the kernel (MADV_POPULATE_WRITE, Linux 5.14):
// one system call instead of a page fault per 4 KiB as entries fill it. A hint: on an older
// kernel it does nothing and the pages come as they are touched.
inline void populate(void* p, std::size_t bytes) noexcept {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const auto from = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const auto to = (reinterpret_cast<std::uintptr_t>(p) + bytes) & ~(page - 1);
  if (to > from) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
}

// Entries of a trivially copyable T, index i at chunk i >> kShift. Not thread-safe: the owner
// guards it.
template <class T, unsigned kShift = 14>
class ChunkedLog {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return at(i); }
  const T& operator[](std::size_t i) const noexcept { return const_cast<ChunkedLog*>(this)->at(i); }
  T& back() noexcept { return at(size_ - 1); }

  // A value-initialized entry at the end.
  T& emplace_back() {
    // Raw storage (no constructor runs over the chunk), its pages faulted in at once: a
    // table holds at most one chunk more than its entries need (1-3 MB).
    if ((size_ >> kShift) == chunks_.size()) {
      chunks_.push_back(std::unique_ptr<Chunk>(new Chunk));
      populate(chunks_.back().get(), sizeof(Chunk));
    }
    T* e = ::new (static_cast<void*>(&at(size_))) T();
    ++size_;
    return *e;
  }
  void push_back(const T& v) { emplace_back() = v; }

  // Forgets the entries from `n` on. Chunks left empty are given back, but for one spare, so
  // that adding and forgetting at a chunk's edge (a rolled-back submission) does not churn.
  void truncate(std::size_t n) noexcept {
    if (n < size_) size_ = n;
    const std::size_t keep = (size_ + kMask) >> kShift;
    if (chunks_.size() > keep + 1) chunks_.resize(keep + 1);
    if (size_ == 0) chunks_.clear();
  }

 private:
  struct Chunk {
    alignas(T) std::byte bytes[kChunk * sizeof(T)];
  };
  T& at(std::size_t i) noexcept {
    return std::launder(reinterpret_cast<T*>(chunks_[i >> kShift]->bytes))[i & kMask];
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::size_t size_ = 0;
};

// Texts appended side by side in chunks of 1 MiB; one append never straddles two chunks (a
// longer one gets a chunk of its own), so a position and a length name a contiguous view.
// Not thread-safe: the owner guards it.
class TextLog {
 public:
  static constexpr unsigned kShift = 20;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;

  // Appends `a` then `b` together; returns their position.
  std::uint64_t append(std::string_view a, std::string_view b) {
    const std::size_t n = a.size() + b.size();
    if (chunks_.empty() || used_ >= kChunk || n > kChunk - used_) {
      chunks_.push_back(std::unique_ptr<char[]>(new char[n > kChunk ? n : kChunk]));
      populate(chunks_.back().get(), n > kChunk ? n : kChunk);
      used_ = 0;
    }
    char* at = chunks_.back().get() + used_;
    if (!a.empty()) std::memcpy(at, a.data(), a.size());
    if (!b.empty()) std::memcpy(at + a.size(), b.data(), b.size());
    const std::uint64_t position = (std::uint64_t{chunks_.size() - 1} << kShift) | used_;
    used_ += n;  // past kChunk for a chunk of its own: the next append starts a new one
    return position;
  }
  // The `size` bytes appended at `position`.
  std::string_view view(std::uint64_t position, std::size_t size) const noexcept {
    return {chunks_[position >> kShift].get() + (position & (kChunk - 1)), size};
  }

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t used_ = 0;  // bytes used of the last chunk
};

}  // namespace workflow::detail
