// The reading half of the snapshot codec (case_codec.cpp): what a BasicWriter wrote, in
// either encoding (snapshot_writer.hpp), every length and number checked against the bytes
// left, so damaged bytes are refused by name and never read past.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "engine/snapshot_writer.hpp"
#include "workflow/case.hpp"
#include "workflow/error.hpp"

namespace workflow::detail {

// Reads what a BasicWriter<Encoding> wrote, checking every length against the bytes left.
template <class Encoding>
class BasicReader {
 public:
  static constexpr bool packed = std::is_same_v<Encoding, Packed>;
  // `case_id` names the snapshot in errors (0: the engine state). The text is formatted only
  // when something is wrong: a reopening decodes every case.
  BasicReader(std::string_view bytes, CaseId case_id, std::size_t pos = 0)
      : in_(bytes), pos_(pos), case_id_(case_id) {}
  template <class T>
  void get(T& v) {
    if constexpr (std::is_enum_v<T>) {
      std::underlying_type_t<T> raw{};
      get(raw);
      v = static_cast<T>(raw);
    } else if constexpr (std::is_same_v<T, bool>) {
      std::uint8_t raw = 0;
      get(raw);
      v = raw != 0;
    } else if constexpr (packed && sizeof(T) > 1) {
      using U = std::make_unsigned_t<T>;
      const U u = varint<U>();
      if constexpr (std::is_signed_v<T>) {
        v = Packed::unzigzag(u);
      } else {
        v = static_cast<T>(u - 1);  // written as v + 1: "none" (all ones) as 0
      }
    } else {
      need(sizeof(T));
      std::make_unsigned_t<T> u = 0;
      for (std::size_t i = 0; i < sizeof(T); ++i) {
        u = static_cast<decltype(u)>(
            u | (static_cast<decltype(u)>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i)));
      }
      pos_ += sizeof(T);
      v = static_cast<T>(u);
    }
  }
  void get(Date& d) {
    if constexpr (packed) {
      const std::uint64_t u = varint<std::uint64_t>(5);
      if (u == 0) {
        d = Date{};
        return;
      }
      if (u - 1 > UINT32_MAX) fail("a day out of range");
      const auto delta = static_cast<std::uint32_t>(
          Packed::unzigzag(static_cast<std::uint32_t>(u - 1)));
      d = Date::from_day_number(
          static_cast<std::int32_t>(delta + static_cast<std::uint32_t>(kPackedDayBase)));
    } else {
      std::int32_t n = 0;
      get(n);
      d = Date::from_day_number(n);
    }
  }
  void get(DateTime& t) {
    if constexpr (packed) {
      const auto delta = static_cast<std::uint64_t>(Packed::unzigzag(varint<std::uint64_t>()));
      t = DateTime::from_seconds(
          static_cast<std::int64_t>(delta + static_cast<std::uint64_t>(kPackedSecondBase)));
    } else {
      std::int64_t s = 0;
      get(s);
      t = DateTime::from_seconds(s);
    }
  }
  void get_text(std::string& s) {
    std::uint32_t n = 0;
    get(n);
    need(n);
    s.assign(in_.substr(pos_, n));
    pos_ += n;
  }
  void finish() const {
    if (pos_ != in_.size()) fail(fmt::format("{} trailing bytes", in_.size() - pos_));
  }
  // A count read from the bytes that sizes a table is checked against the bytes left first:
  // a corrupt count must not ask for gigabytes before the reading runs short. `fixed_bytes`
  // and `packed_bytes`: the fewest bytes an entry takes in each encoding.
  void need_entries(std::uint32_t n, std::size_t fixed_bytes, std::size_t packed_bytes) const {
    const std::size_t entry_bytes = packed ? packed_bytes : fixed_bytes;
    if (n > (in_.size() - pos_) / entry_bytes) {
      fail(fmt::format("{} entries announced, {} bytes left", n, in_.size() - pos_));
    }
  }

 private:
  void need(std::size_t n) const {
    if (in_.size() - pos_ < n) fail("truncated");
  }
  // A LEB128 number of at most `max_bytes` bytes whose value fits in U.
  template <class U>
  U varint(std::size_t max_bytes = (sizeof(U) * 8 + 6) / 7) {
    std::uint64_t u = 0;
    for (std::size_t i = 0;; ++i) {
      need(1);
      const auto byte = static_cast<unsigned char>(in_[pos_++]);
      u |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) {
        const int bits = 7 * static_cast<int>(i) + 7;  // the bits this byte could have set
        if (bits > 64 && (byte >> (64 - 7 * i)) != 0) fail("a number out of range");
        if (sizeof(U) < 8 && u > std::numeric_limits<U>::max()) fail("a number out of range");
        return static_cast<U>(u);
      }
      if (i + 1 == max_bytes) fail("a number out of range");
    }
  }
  [[noreturn]] void fail(const std::string& why) const {
    const std::string what = case_id_ == 0 ? std::string("the engine state")
                                           : fmt::format("the snapshot of case {}", case_id_);
    throw Error(ErrorCode::store_error, fmt::format("{} is corrupt: {}", what, why));
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  CaseId case_id_ = 0;
};
using Reader = BasicReader<FixedWidth>;

}  // namespace workflow::detail
