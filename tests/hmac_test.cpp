// HMAC-SHA-256 against the test vectors of RFC 4231 (section 4), the keyed chain's primitive.
#include <doctest/doctest.h>

#include <string>

#include "support/hmac_sha256.hpp"

using workflow::detail::HmacSha256;
using workflow::detail::hmac_sha256;
using workflow::detail::to_hex;

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace

TEST_CASE("hmac-sha256: RFC 4231 test cases 1 to 4, 6 and 7") {
  struct Vector {
    std::string key, data;
    const char* mac;
  };
  const Vector vectors[] = {
      {std::string(20, '\x0b'), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {std::string(20, '\xaa'), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      // Keys longer than the block are hashed first.
      {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {std::string(131, '\xaa'),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const Vector& v : vectors) {
    CHECK(to_hex(hmac_sha256(v.key, v.data)) == v.mac);
  }
}

TEST_CASE("hmac-sha256: test case 5 truncated to 128 bits, and an object reused per message") {
  HmacSha256 h(std::string(20, '\x0c'));
  h.update("Test With ");
  h.update("Truncation");
  CHECK(to_hex(h.finish()).substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
  h.update("Test With Truncation");  // the same key again, after finish()
  CHECK(to_hex(h.finish()).substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
}
