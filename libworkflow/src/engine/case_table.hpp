// The engine's case records, case id i at index i - 1, in fixed-size chunks rather than one
// vector: a county holds a million open cases (168 MB of records), and a vector doubling
// past a million would copy all of them under the engine's lock while every command waits
// (and briefly hold both blocks). Growing by a chunk copies nothing, records never move (a
// reference stays valid while the table grows), and the slack is at most one chunk (2 MiB of
// huge pages, faulted in when it is added).
#pragma once

#include <cstddef>
#include <iterator>

#include "lifecycle/case_record.hpp"
#include "support/chunked_log.hpp"

namespace workflow::detail {

// Not thread-safe: owned and guarded by the engine.
class CaseTable : public ChunkedLog<CaseRecord> {  // as many records as 2 MiB holds a chunk
 public:
  CaseTable() = default;
  CaseTable(const CaseTable&) = delete;
  CaseTable& operator=(const CaseTable&) = delete;

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
  iterator end() noexcept { return {this, size()}; }
  const_iterator begin() const noexcept { return {this, 0}; }
  const_iterator end() const noexcept { return {this, size()}; }
};

}  // namespace workflow::detail
