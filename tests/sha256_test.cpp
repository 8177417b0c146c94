// SHA-256 against the FIPS 180-4 example vectors and HMAC-SHA-256 against RFC 4231, each on
// every block function this processor can run (the portable one, and SHA-NI where CPUID
// has it), and the two block functions against each other on every message length around
// the block boundaries.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/hmac_sha256.hpp"
#include "support/sha256.hpp"

using namespace workflow::detail;

namespace {

std::vector<Sha256Compressor> runnable() {
  std::vector<Sha256Compressor> out{Sha256Compressor::portable};
  if (sha256_sha_ni_available()) out.push_back(Sha256Compressor::sha_ni);
  return out;
}

const char* name(Sha256Compressor c) {
  return c == Sha256Compressor::sha_ni ? "sha_ni" : "portable";
}

// Puts the process's choice back whatever a check does.
struct UseCompressor {
  Sha256Compressor saved = sha256_compressor();
  explicit UseCompressor(Sha256Compressor c) { REQUIRE(use_sha256_compressor(c)); }
  ~UseCompressor() { use_sha256_compressor(saved); }
};

}  // namespace

TEST_CASE("sha256: the processor's SHA-NI is chosen when CPUID reports it") {
  CHECK((sha256_compressor() == Sha256Compressor::sha_ni) == sha256_sha_ni_available());
  if (!sha256_sha_ni_available()) {
    MESSAGE("this processor has no SHA-NI: only the portable block function is tested");
    CHECK_FALSE(use_sha256_compressor(Sha256Compressor::sha_ni));
  }
}

TEST_CASE("sha256: FIPS 180-4 example vectors, on every block function") {
  for (Sha256Compressor c : runnable()) {
    CAPTURE(name(c));
    UseCompressor use(c);
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                     "qklmnopqrlmnopqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }
}

TEST_CASE("sha256: incremental updates equal one update, across block boundaries") {
  const std::string message(1000, 'x');
  for (Sha256Compressor c : runnable()) {
    CAPTURE(name(c));
    UseCompressor use(c);
    for (std::size_t split : {0, 1, 55, 56, 63, 64, 65, 128, 999, 1000}) {
      CAPTURE(split);
      Sha256 hash;
      hash.update(std::string_view(message).substr(0, split));
      hash.update(std::string_view(message).substr(split));
      CHECK(to_hex(hash.finish()) == sha256_hex(message));
    }
    // finish() resets: the same object hashes a second message from scratch.
    Sha256 hash;
    hash.update("garbage");
    (void)hash.finish();
    hash.update("abc");
    CHECK(to_hex(hash.finish()) == sha256_hex("abc"));
  }
}

TEST_CASE("sha256: SHA-NI and the portable block function agree on every length up to 300") {
  if (!sha256_sha_ni_available()) {
    MESSAGE("no SHA-NI on this processor");
    return;
  }
  std::string message;
  for (std::size_t i = 0; i < 300; ++i) message.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  for (std::size_t len = 0; len <= message.size(); ++len) {
    CAPTURE(len);
    const std::string_view m = std::string_view(message).substr(0, len);
    std::string portable, hardware;
    {
      UseCompressor use(Sha256Compressor::portable);
      portable = sha256_hex(m);
    }
    {
      UseCompressor use(Sha256Compressor::sha_ni);
      hardware = sha256_hex(m);
    }
    CHECK(portable == hardware);
  }
  // The block functions directly, several blocks at once from an unaligned address.
  std::uint32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8}, b[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  const auto* data = reinterpret_cast<const std::uint8_t*>(message.data()) + 3;
  sha256_blocks_portable(a, data, 4);
  sha256_blocks_sha_ni(b, data, 4);
  CHECK(std::equal(a, a + 8, b));
}

TEST_CASE("hmac-sha256: RFC 4231 test case 2 and 6, on every block function") {
  for (Sha256Compressor c : runnable()) {
    CAPTURE(name(c));
    UseCompressor use(c);
    CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(to_hex(hmac_sha256(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First")) ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }
}

TEST_CASE("sha256: an empty view without storage adds nothing (UBSan: no null to memcpy)") {
  Sha256 with_empty;
  with_empty.update("abc");
  with_empty.update(std::string_view{});
  Sha256 plain;
  plain.update("abc");
  CHECK(with_empty.finish() == plain.finish());
}
