// The writing half of the snapshot codec (case_codec.cpp): fields in one of two encodings
// (fixed-width little-endian, or packed) and length-prefixed texts appended to one buffer.
// Kept apart from the codec's field lists so the hot path's byte work reads on its own.
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

// How a snapshot writes its values.
//
// FixedWidth (snapshot formats 1 to 7, and the engine state): every value in its own width,
// little-endian; a Date as its day number (4 bytes), a DateTime as its seconds (8 bytes).
//
// Packed (format 8): a case is mostly small numbers, "none" and unset days, so each takes
// what it needs (a snapshot of about 180 bytes takes about 80):
//  - a bool, or an integer or enum one byte wide: that byte;
//  - a wider unsigned integer (or enum): (v + 1) modulo 2^width as LEB128 (7 bits a byte,
//    low first, the high bit set on every byte but the last), so that "none" (all ones, the
//    rules' kNone) takes one byte as 0 does;
//  - a wider signed integer: its zigzag form ((v << 1) ^ (v >> (width - 1))) as LEB128;
//  - a Date: 0 if unset (day 0, 1970-01-01), else 1 + the zigzag form of its day number minus
//    kPackedDayBase (2020-01-01) taken modulo 2^32: a day of this era takes two bytes;
//  - a DateTime: the zigzag form of its seconds minus kPackedSecondBase (2020-01-01T00:00),
//    modulo 2^64.
// A text is its byte length, written as an unsigned 32-bit integer above, then its bytes.
struct FixedWidth {
  template <class T>
  static constexpr std::size_t max_size() {
    return encoded_size<T>();
  }
  // Writes `v` at `at` (room for max_size<T>() bytes), returns the byte after it.
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
};

inline constexpr std::int32_t kPackedDayBase = 18262;              // 2020-01-01
inline constexpr std::int64_t kPackedSecondBase = 1'577'836'800;  // 2020-01-01T00:00:00

struct Packed {
  template <class T>
  static constexpr std::size_t max_size() {
    if constexpr (std::is_same_v<T, Date>) {
      return 5;  // up to 2^32: 33 bits
    } else if constexpr (std::is_same_v<T, DateTime>) {
      return 10;
    } else if constexpr (std::is_enum_v<T>) {
      return max_size<std::underlying_type_t<T>>();
    } else if constexpr (std::is_same_v<T, bool> || sizeof(T) == 1) {
      return 1;
    } else {
      return (sizeof(T) * 8 + 6) / 7;
    }
  }
  template <class T>
  static char* store(char* at, T v) {
    if constexpr (std::is_same_v<T, Date>) {
      if (v.day_number() == 0) return varint(at, 0u);
      const auto delta = static_cast<std::uint32_t>(v.day_number()) -
                         static_cast<std::uint32_t>(kPackedDayBase);
      return varint(at, std::uint64_t{zigzag(static_cast<std::int32_t>(delta))} + 1);
    } else if constexpr (std::is_same_v<T, DateTime>) {
      const auto delta = static_cast<std::uint64_t>(v.seconds()) -
                         static_cast<std::uint64_t>(kPackedSecondBase);
      return varint(at, zigzag(static_cast<std::int64_t>(delta)));
    } else if constexpr (std::is_enum_v<T>) {
      return store(at, static_cast<std::underlying_type_t<T>>(v));
    } else if constexpr (std::is_same_v<T, bool>) {
      *at = static_cast<char>(v ? 1 : 0);
      return at + 1;
    } else if constexpr (sizeof(T) == 1) {
      *at = static_cast<char>(v);
      return at + 1;
    } else if constexpr (std::is_signed_v<T>) {
      return varint(at, zigzag(v));
    } else {
      return varint(at, static_cast<T>(v + 1));
    }
  }
  template <class S>
  static constexpr std::make_unsigned_t<S> zigzag(S v) {
    using U = std::make_unsigned_t<S>;
    return static_cast<U>((static_cast<U>(v) << 1) ^ static_cast<U>(v >> (sizeof(S) * 8 - 1)));
  }
  template <class U>
  static constexpr std::make_signed_t<U> unzigzag(U u) {
    return static_cast<std::make_signed_t<U>>((u >> 1) ^ (~(u & 1) + 1));
  }
  template <class U>
  static char* varint(char* at, U u) {
    while (u >= 0x80) {
      *at++ = static_cast<char>((u & 0x7F) | 0x80);
      u = static_cast<U>(u >> 7);
    }
    *at++ = static_cast<char>(u);
    return at;
  }
};

// Appends into a buffer it grows itself, so writing a field is a bounds check and a few
// byte stores (a snapshot is written on every command: this is on the hot path). A list of
// fields takes one bounds check for all of them (`room` for their largest size, `store` per
// field, `give_back` what they did not use); growing is out of line, so the check inlines.
template <class Encoding>
class BasicWriter {
 public:
  using encoding = Encoding;
  explicit BasicWriter(std::size_t expected) { buf_.resize(expected); }
  // Writes into `reuse`'s storage (its contents are dropped), growing it only if it holds
  // fewer than `expected` bytes: a caller that keeps its buffer allocates once, not per call.
  // A buffer far larger than expected (it once held an unusually long snapshot) is let go,
  // so that it is not passed on from case to case for good.
  BasicWriter(std::string&& reuse, std::size_t expected) : buf_(std::move(reuse)) {
    if (buf_.capacity() > 4 * expected) std::string().swap(buf_);
    buf_.resize(expected);
  }
  template <class T>
  void put(T v) {
    give_back(Encoding::store(room(Encoding::template max_size<T>()), v));
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
  // The end of what was written since the last `room`: the rest of its room is free again.
  void give_back(const char* end) { used_ = static_cast<std::size_t>(end - buf_.data()); }

 private:
  [[gnu::noinline]] void grow(std::size_t n) {
    buf_.resize(std::max(buf_.size() * 2, used_ + n));
  }
  std::string buf_;
  std::size_t used_ = 0;
};

using Writer = BasicWriter<FixedWidth>;
using PackedWriter = BasicWriter<Packed>;

}  // namespace workflow::detail
