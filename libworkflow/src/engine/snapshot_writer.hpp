// The writing half of the snapshot codec (case_codec.cpp): fixed-width little-endian
// fields and length-prefixed texts appended to one buffer. Kept apart from the codec's
// field lists so the hot path's byte work reads on its own.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "workflow/clock.hpp"
#include "workflow/date.hpp"

namespace workflow::detail {

// The bytes a value takes in a snapshot: fixed per type, so a list of fields asks for its
// room once (see transfer).
template <class T>
constexpr std::size_t encoded_size() {
  if constexpr (std::is_same_v<T, Date>) {  // as Writer::store writes them
    return sizeof(decltype(std::declval<Date>().day_number()));
  } else if constexpr (std::is_same_v<T, DateTime>) {
    return sizeof(decltype(std::declval<DateTime>().seconds()));
  } else if constexpr (std::is_enum_v<T>) {
    return sizeof(std::underlying_type_t<T>);
  } else if constexpr (std::is_same_v<T, bool>) {
    return 1;
  } else {
    static_assert(std::is_integral_v<T>);
    return sizeof(T);
  }
}

// Appends into a buffer it grows itself, so writing a field is a bounds check and a few
// byte stores (a snapshot is written on every command: this is on the hot path). A list of
// fields takes one bounds check for all of them (`room`, then `store` per field); growing is
// out of line, so the check inlines.
class Writer {
 public:
  explicit Writer(std::size_t expected) { buf_.resize(expected); }
  // Writes into `reuse`'s storage (its contents are dropped), growing it only if it holds
  // fewer than `expected` bytes: a caller that keeps its buffer allocates once, not per call.
  // A buffer far larger than expected (it once held an unusually long snapshot) is let go,
  // so that it is not passed on from case to case for good.
  Writer(std::string&& reuse, std::size_t expected) : buf_(std::move(reuse)) {
    if (buf_.capacity() > 4 * expected) std::string().swap(buf_);
    buf_.resize(expected);
  }
  template <class T>
  void put(T v) {
    store(room(encoded_size<T>()), v);
  }
  void put_text(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    if (!s.empty()) std::memcpy(room(s.size()), s.data(), s.size());
  }
  std::string finish() && {
    buf_.resize(used_);
    return std::move(buf_);
  }
  char* room(std::size_t n) {
    if (used_ + n > buf_.size()) [[unlikely]] grow(n);
    char* at = buf_.data() + used_;
    used_ += n;
    return at;
  }
  // Writes `v` at `at` (room for encoded_size<T>() bytes), returns the byte after it.
  template <class T>
  static char* store(char* at, T v) {
    if constexpr (std::is_same_v<T, Date>) {
      return store(at, v.day_number());
    } else if constexpr (std::is_same_v<T, DateTime>) {
      return store(at, v.seconds());
    } else if constexpr (std::is_enum_v<T>) {
      return store(at, static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_same_v<T, bool>) {
      *at = static_cast<char>(v ? 1 : 0);
      return at + 1;
    } else {
      static_assert(std::is_integral_v<T>);
      auto u = static_cast<std::make_unsigned_t<T>>(v);
      for (std::size_t i = 0; i < sizeof(T); ++i) {  // little-endian whatever the host
        at[i] = static_cast<char>(u & 0xFF);
        u = static_cast<decltype(u)>(u >> 8);
      }
      return at + sizeof(T);
    }
  }

 private:
  [[gnu::noinline]] void grow(std::size_t n) {
    buf_.resize(std::max(buf_.size() * 2, used_ + n));
  }
  std::string buf_;
  std::size_t used_ = 0;
};

}  // namespace workflow::detail
