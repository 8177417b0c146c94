// The engine's case records, case id i at index i - 1, in fixed-size chunks rather than one
// vector: a county holds a million open cases (168 MB of records), and a vector doubling
// past a million would copy all of them under the engine's lock while every command waits
// (and briefly hold both blocks). Growing by a chunk copies nothing, records never move (a
// reference stays valid while the table grows), and the slack is at most one partly filled
// chunk, whose untouched pages cost no memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "lifecycle/case_record.hpp"

namespace workflow::detail {

// Not thread-safe: owned and guarded by the engine.
class CaseTable {
 public:
  static constexpr unsigned kShift = 14;  // 16,384 records (2.7 MB) a chunk
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  CaseTable() = default;
  CaseTable(const CaseTable&) = delete;
  CaseTable& operator=(const CaseTable&) = delete;
  ~CaseTable() { truncate(0); }

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  CaseRecord& operator[](std::size_t i) noexcept { return at(i); }
  const CaseRecord& operator[](std::size_t i) const noexcept {
    return const_cast<CaseTable*>(this)->at(i);
  }

  // A default record at the end (its id is the caller's to set).
  CaseRecord& emplace_back() {
    if ((size_ >> kShift) == chunks_.size()) chunks_.push_back(std::unique_ptr<Chunk>(new Chunk));  // not zeroed
    CaseRecord* r = ::new (static_cast<void*>(&at(size_))) CaseRecord();
    ++size_;
    return *r;
  }
  void push_back(const CaseRecord& c) { emplace_back() = c; }

  // Forgets the records from `n` on (a rolled-back submission); chunks left empty are given
  // back, but for one spare so that submit-and-roll-back at a chunk boundary does not churn.
  void truncate(std::size_t n) noexcept {
    static_assert(std::is_trivially_destructible_v<CaseRecord>);
    if (n < size_) size_ = n;
    const std::size_t keep = (size_ + kMask) >> kShift;
    if (chunks_.size() > keep + 1) chunks_.resize(keep + 1);
    if (size_ == 0) chunks_.clear();
  }

  template <class Table, class Record>
  class Iter {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CaseRecord;
    using difference_type = std::ptrdiff_t;
    using pointer = Record*;
    using reference = Record&;
    Iter() = default;
    Iter(Table* t, std::size_t i) : t_(t), i_(i) {}
    Record& operator*() const noexcept { return (*t_)[i_]; }
    Record* operator->() const noexcept { return &(*t_)[i_]; }
    Iter& operator++() noexcept {
      ++i_;
      return *this;
    }
    Iter operator++(int) noexcept {
      Iter old = *this;
      ++i_;
      return old;
    }
    bool operator==(const Iter& o) const noexcept { return i_ == o.i_; }

   private:
    Table* t_ = nullptr;
    std::size_t i_ = 0;
  };
  using iterator = Iter<CaseTable, CaseRecord>;
  using const_iterator = Iter<const CaseTable, const CaseRecord>;
  iterator begin() noexcept { return {this, 0}; }
  iterator end() noexcept { return {this, size_}; }
  const_iterator begin() const noexcept { return {this, 0}; }
  const_iterator end() const noexcept { return {this, size_}; }

 private:
  // Raw storage: a record is constructed when it is added, so a new chunk's pages are
  // touched (and cost memory) only as cases fill it.
  struct Chunk {
    alignas(CaseRecord) std::byte bytes[kChunk * sizeof(CaseRecord)];
  };
  CaseRecord& at(std::size_t i) noexcept {
    return std::launder(reinterpret_cast<CaseRecord*>(chunks_[i >> kShift]->bytes))[i & kMask];
  }

  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace workflow::detail
