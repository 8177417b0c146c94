// Append-only storage in fixed-size chunks, for tables that grow to millions of entries under
// a lock (the engine's case records, the memory store's events and their texts). A std::vector or std::string doubling
// past a million events copies tens of megabytes while every command waits for the lock
// (lifecycle-mem's slowest command: 14 ms with per-case vectors, 43-50 ms with one log
// vector); growing by a chunk copies nothing and entries never move. A chunk is a whole
// number of 2 MiB blocks of huge pages, faulted in when it is added (chunk_memory.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

#include "support/chunk_memory.hpp"

namespace workflow::detail {

// What the two tables below share: entries of T at fixed places, kPerChunk to a chunk (by
// default as many as one 2 MiB block holds: the division by it is a multiplication), and
// the entries' count. Not thread-safe: the owner guards it.
template <class T, std::size_t kPerChunk>
class ChunkedEntries {
  static_assert(kPerChunk > 0);

 public:
  static constexpr std::size_t kChunk = kPerChunk;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return at(i); }
  const T& operator[](std::size_t i) const noexcept {
    return const_cast<ChunkedEntries*>(this)->at(i);
  }

 protected:
  T& at(std::size_t i) noexcept {
    return std::launder(reinterpret_cast<T*>(chunks_[i / kChunk].data()))[i % kChunk];
  }
  // Chunks enough for `n` entries; the entries themselves are the table's to make.
  void reserve_chunks(std::size_t n) {
    while (chunks_.size() * kChunk < n) chunks_.emplace_back(kChunk * sizeof(T));
  }

  std::vector<ChunkMemory> chunks_;
  std::size_t size_ = 0;
};

// Entries of a trivially copyable T, appended and forgotten from the end.
template <class T, std::size_t kPerChunk = ChunkMemory::kBlock / sizeof(T)>
class ChunkedLog : public ChunkedEntries<T, kPerChunk> {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  using Base = ChunkedEntries<T, kPerChunk>;
  using Base::at;
  using Base::chunks_;
  using Base::size_;

 public:
  using Base::kChunk;

  T& back() noexcept { return at(size_ - 1); }

  // A value-initialized entry at the end. A table holds at most one chunk more than its
  // entries need (2-4 MB).
  T& emplace_back() {
    this->reserve_chunks(size_ + 1);
    T* e = ::new (static_cast<void*>(&at(size_))) T();
    ++size_;
    return *e;
  }
  void push_back(const T& v) { emplace_back() = v; }

  // Forgets the entries from `n` on. Chunks left empty are given back, but for one spare, so
  // that adding and forgetting at a chunk's edge (a rolled-back submission) does not churn.
  void truncate(std::size_t n) noexcept {
    if (n < size_) size_ = n;
    const std::size_t keep = (size_ + kChunk - 1) / kChunk;
    if (chunks_.size() > keep + 1) chunks_.resize(keep + 1);
    if (size_ == 0) chunks_.clear();
  }
};

// Default-constructed entries of any T, indexed densely from 0: for a table whose entries
// own memory (the memory store's case slots, each with its snapshot's bytes). Growing
// constructs the new entries in place and moves none of the old, where a vector growing past
// a million slots moved every one of them into new pages.
template <class T, std::size_t kPerChunk = ChunkMemory::kBlock / sizeof(T)>
class ChunkedArray : public ChunkedEntries<T, kPerChunk> {
  using Base = ChunkedEntries<T, kPerChunk>;
  using Base::at;
  using Base::size_;

 public:
  ChunkedArray() = default;
  ChunkedArray(const ChunkedArray&) = delete;
  ChunkedArray& operator=(const ChunkedArray&) = delete;
  ~ChunkedArray() {
    for (std::size_t i = 0; i < size_; ++i) at(i).~T();
  }

  // Grows to `n` entries (never shrinks): the new ones default-constructed. If a chunk cannot
  // be had (std::bad_alloc), the entries made so far stay and the size says how many.
  void grow_to(std::size_t n) {
    this->reserve_chunks(n);
    for (; size_ < n; ++size_) ::new (static_cast<void*>(&at(size_))) T();
  }
};

// Texts appended side by side in chunks of 2 MiB; one append never straddles two chunks (a
// longer one gets a chunk of its own), so a position and a length name a contiguous view.
// Not thread-safe: the owner guards it.
class TextLog {
 public:
  static constexpr unsigned kShift = 21;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static_assert(kChunk == ChunkMemory::kBlock);

  // Appends `a`, `b` and `c` together; returns their position.
  std::uint64_t append(std::string_view a, std::string_view b, std::string_view c = {}) {
    const std::size_t n = a.size() + b.size() + c.size();
    if (chunks_.empty() || used_ >= kChunk || n > kChunk - used_) {
      chunks_.emplace_back(n > kChunk ? n : kChunk);
      used_ = 0;
    }
    char* at = reinterpret_cast<char*>(chunks_.back().data()) + used_;
    for (const std::string_view part : {a, b, c}) {
      if (!part.empty()) std::memcpy(at, part.data(), part.size());
      at += part.size();
    }
    const std::uint64_t position = (std::uint64_t{chunks_.size() - 1} << kShift) | used_;
    used_ += n;  // past kChunk for a chunk of its own: the next append starts a new one
    return position;
  }
  // The first byte appended at `position` (the rest follow it, in the same chunk).
  const char* data(std::uint64_t position) const noexcept {
    return reinterpret_cast<const char*>(chunks_[position >> kShift].data()) +
           (position & (kChunk - 1));
  }
  // The `size` bytes appended at `position`.
  std::string_view view(std::uint64_t position, std::size_t size) const noexcept {
    return {data(position), size};
  }

 private:
  std::vector<ChunkMemory> chunks_;
  std::size_t used_ = 0;  // bytes used of the last chunk
};

}  // namespace workflow::detail
