// The applicants of all cases, in case order, as one block of text plus end offsets: about
// 4 bytes per case beside the name itself, where a std::string each would take 32 (a county
// keeps hundreds of thousands of cases open).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace workflow::detail {

// Not thread-safe: owned and guarded by the engine.
class ApplicantTable {
 public:
  std::size_t size() const noexcept { return ends_.size(); }
  void push_back(std::string_view name) {
    text_.append(name);
    ends_.push_back(static_cast<std::uint64_t>(text_.size()));
  }
  std::string_view operator[](std::size_t i) const noexcept {
    const std::uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  // Forgets the entries from `n` on (a rolled-back submission).
  void truncate(std::size_t n) {
    if (n >= ends_.size()) return;
    ends_.resize(n);
    text_.resize(n == 0 ? 0 : ends_[n - 1]);
  }

 private:
  std::string text_;
  std::vector<std::uint64_t> ends_;
};

}  // namespace workflow::detail
