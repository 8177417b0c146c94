// The applicants of all cases, in case order, as blocks of text plus end offsets: about
// 4 bytes per case beside the name itself, where a std::string each would take 32 (a county
// keeps hundreds of thousands of cases open). The entries are kept in chunks of kChunk, each
// with its own text and 32-bit offsets into it, for the same reason as the case records
// (case_table.hpp): growing never copies the text of a million applicants under the lock.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "workflow/error.hpp"

namespace workflow::detail {

// Not thread-safe: owned and guarded by the engine.
class ApplicantTable {
 public:
  static constexpr unsigned kShift = 14;  // 16,384 applicants a chunk
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;

  std::size_t size() const noexcept { return size_; }
  // Throws invalid_argument (before adding anything) if the names of the chunk's cases
  // would pass 4 GiB, which 32-bit offsets cannot hold.
  void push_back(std::string_view name) {
    if ((size_ >> kShift) == chunks_.size()) {
      chunks_.emplace_back();
      chunks_.back().ends.reserve(kChunk);
    }
    Chunk& c = chunks_.back();
    if (name.size() > UINT32_MAX - c.text.size()) {
      throw Error(ErrorCode::invalid_argument,
                  fmt::format("the applicant's name ({} bytes) is too long: the names of "
                              "{} consecutive cases may take at most 4 GiB",
                              name.size(), kChunk));
    }
    c.text.append(name);
    c.ends.push_back(static_cast<std::uint32_t>(c.text.size()));
    ++size_;
  }
  std::string_view operator[](std::size_t i) const noexcept {
    const Chunk& c = chunks_[i >> kShift];
    const std::size_t j = i & kMask;
    const std::uint32_t begin = j == 0 ? 0 : c.ends[j - 1];
    return std::string_view(c.text).substr(begin, c.ends[j] - begin);
  }
  // Asks for entry i's offsets, then (once they are in) its name: the commit reads both to
  // write the snapshot, and among a million cases both are cold. Issued as a command begins,
  // the misses overlap its checks instead of stalling the commit. Hints only.
  void prefetch_offsets(std::size_t i) const noexcept {
    if ((i >> kShift) < chunks_.size()) {
      __builtin_prefetch(chunks_[i >> kShift].ends.data() + (i & kMask));
    }
  }
  void prefetch_name(std::size_t i) const noexcept {
    if (i < size_) __builtin_prefetch((*this)[i].data());
  }
  // Forgets the entries from `n` on (a rolled-back submission).
  void truncate(std::size_t n) noexcept {
    if (n >= size_) return;
    size_ = n;
    chunks_.resize((n + kMask) >> kShift);
    if (chunks_.empty() || (n & kMask) == 0) return;  // the last chunk stays full
    Chunk& c = chunks_.back();
    c.ends.resize(n & kMask);
    c.text.resize(c.ends.back());
  }

 private:
  struct Chunk {
    std::string text;
    std::vector<std::uint32_t> ends;  // each entry's end in text
  };
  std::vector<Chunk> chunks_;
  std::size_t size_ = 0;
};

}  // namespace workflow::detail
