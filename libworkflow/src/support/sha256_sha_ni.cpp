// SHA-256's block function on the x86 SHA extensions (SHA-NI: sha256rnds2, sha256msg1/2),
// after Intel's "New Instructions Supporting the Secure Hash Algorithm on Intel Architecture
// Processors" (2013). Compiled for every x86-64 build with the target attribute and called
// only after CPUID said the processor has the instructions (sha256.cpp chooses).
#include "support/sha256.hpp"

#include "support/sha256_constants.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define WORKFLOW_SHA_NI 1
#endif

namespace workflow::detail {

#ifdef WORKFLOW_SHA_NI

bool sha256_sha_ni_available() noexcept {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) == 0) return false;
  const bool ssse3 = (c & bit_SSSE3) != 0, sse41 = (c & bit_SSE4_1) != 0;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0) return false;
  const bool sha = (b & (1u << 29)) != 0;  // CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29]
  return ssse3 && sse41 && sha;
}

// The state lives in two registers as ABEF and CDGH (the order sha256rnds2 wants); each
// sha256rnds2 does two rounds, so four message words take two of them.
__attribute__((target("sha,sse4.1"))) void sha256_blocks_sha_ni(std::uint32_t* state,
                                                                const std::uint8_t* data,
                                                                std::size_t blocks) noexcept {
  // Message words are big-endian: byte-swap each 32-bit lane.
  const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));          // DCBA
  __m128i cdgh = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));     // HGFE
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                                              // CDAB
  cdgh = _mm_shuffle_epi32(cdgh, 0x1B);                                            // EFGH
  __m128i abef = _mm_alignr_epi8(tmp, cdgh, 8);                                    // ABEF
  cdgh = _mm_blend_epi16(cdgh, tmp, 0xF0);                                         // CDGH
  const auto* k = reinterpret_cast<const __m128i*>(k_sha256_round_constants.data());

  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_saved = abef, cdgh_saved = cdgh;
    __m128i w[4];  // w[i % 4]: message words 4i .. 4i+3
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      __m128i& cur = w[i & 3];
      if (i < 4) {
        cur = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)),
                               swap);
      } else {
        // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time: msg1 adds the
        // σ0 terms to W[t-16..], alignr brings W[t-7..], msg2 adds the σ1 terms.
        const __m128i prev = w[(i - 1) & 3], prev2 = w[(i - 2) & 3];
        cur = _mm_sha256msg1_epu32(cur, w[(i - 3) & 3]);
        cur = _mm_add_epi32(cur, _mm_alignr_epi8(prev, prev2, 4));
        cur = _mm_sha256msg2_epu32(cur, prev);
      }
      __m128i msg = _mm_add_epi32(cur, _mm_loadu_si128(k + i));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, msg);
    }
    abef = _mm_add_epi32(abef, abef_saved);
    cdgh = _mm_add_epi32(cdgh, cdgh_saved);
  }

  tmp = _mm_shuffle_epi32(abef, 0x1B);          // FEBA
  cdgh = _mm_shuffle_epi32(cdgh, 0xB1);         // DCHG
  abef = _mm_blend_epi16(tmp, cdgh, 0xF0);      // DCBA
  cdgh = _mm_alignr_epi8(cdgh, tmp, 8);         // HGFE
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), abef);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), cdgh);
}

#else

bool sha256_sha_ni_available() noexcept { return false; }

// Never chosen on other processors; kept so the choice compiles everywhere.
void sha256_blocks_sha_ni(std::uint32_t* state, const std::uint8_t* data,
                          std::size_t blocks) noexcept {
  sha256_blocks_portable(state, data, blocks);
}

#endif

}  // namespace workflow::detail
