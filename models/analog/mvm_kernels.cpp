#include "analog/mvm_kernels.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define AIMC_X86 1
#endif

namespace aimc::analog {
namespace {

[[maybe_unused]] void scalar_sums(const int16_t* M, int ld, int cols, const int16_t* x, int, int64_t* out) {
  for (int j = 0; j < cols; ++j) {
    const int16_t* m = M + size_t(j) * ld;
    int64_t total = 0;
    for (int i = 0; i < ld; ++i) total += int32_t(m[i]) * x[i];
    out[j] = total;
  }
}

#ifdef AIMC_X86
inline __m128i hsum4_sse2(__m128i a0, __m128i a1, __m128i a2, __m128i a3) {
  const __m128i t0 = _mm_unpacklo_epi32(a0, a1), t1 = _mm_unpackhi_epi32(a0, a1);
  const __m128i t2 = _mm_unpacklo_epi32(a2, a3), t3 = _mm_unpackhi_epi32(a2, a3);
  return _mm_add_epi32(_mm_add_epi32(_mm_unpacklo_epi64(t0, t2), _mm_unpackhi_epi64(t0, t2)),
                       _mm_add_epi32(_mm_unpacklo_epi64(t1, t3), _mm_unpackhi_epi64(t1, t3)));
}

void sse2_sums(const int16_t* M, int ld, int cols, const int16_t* x, int block, int64_t* out) {
  for (int j = 0; j < cols; j += 4) {
    const int16_t* m0 = M + size_t(j) * ld;
    const int16_t* m1 = m0 + ld;
    const int16_t* m2 = m1 + ld;
    const int16_t* m3 = m2 + ld;
    int64_t t[4] = {0, 0, 0, 0};
    for (int b = 0; b < ld; b += block) {
      __m128i a0 = _mm_setzero_si128(), a1 = a0, a2 = a0, a3 = a0;
      const int e = std::min(ld, b + block);
      for (int i = b; i < e; i += 8) {
        const __m128i xv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x + i));
        a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m0 + i)), xv));
        a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m1 + i)), xv));
        a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m2 + i)), xv));
        a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m3 + i)), xv));
      }
      alignas(16) int32_t s[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(s), hsum4_sse2(a0, a1, a2, a3));
      for (int k = 0; k < 4; ++k) t[k] += s[k];
    }
    for (int k = 0; k < 4; ++k) out[j + k] = t[k];
  }
}

__attribute__((target("avx2"))) void avx2_sums(const int16_t* M, int ld, int cols, const int16_t* x, int block,
                                                 int64_t* out) {
  for (int j = 0; j < cols; j += 4) {
    const int16_t* m0 = M + size_t(j) * ld;
    const int16_t* m1 = m0 + ld;
    const int16_t* m2 = m1 + ld;
    const int16_t* m3 = m2 + ld;
    int64_t t[4] = {0, 0, 0, 0};
    for (int b = 0; b < ld; b += block) {
      __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
      const int e = std::min(ld, b + block);
      for (int i = b; i < e; i += 16) {
        const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
        a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m0 + i)), xv));
        a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m1 + i)), xv));
        a2 = _mm256_add_epi32(a2, _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m2 + i)), xv));
        a3 = _mm256_add_epi32(a3, _mm256_madd_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(m3 + i)), xv));
      }
      const __m256i h = _mm256_hadd_epi32(_mm256_hadd_epi32(a0, a1), _mm256_hadd_epi32(a2, a3));
      const __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
      alignas(16) int32_t s[4];
      _mm_store_si128(reinterpret_cast<__m128i*>(s), s4);
      for (int k = 0; k < 4; ++k) t[k] += s[k];
    }
    for (int k = 0; k < 4; ++k) out[j + k] = t[k];
  }
}

// AIMC_ANALOG_ISA=sse2 forces the SSE2 path (to test that both paths give the same bits).
bool has_avx2() {
  static const bool yes = [] {
    const char* force = std::getenv("AIMC_ANALOG_ISA");
    if (force && std::strcmp(force, "sse2") == 0) return false;
    return bool(__builtin_cpu_supports("avx2"));
  }();
  return yes;
}
#endif

}  // namespace

void column_sums_i16(const int16_t* M, int ld, int cols, const int16_t* x, int block_rows, int64_t* out) {
#ifdef AIMC_X86
  if (has_avx2()) return avx2_sums(M, ld, cols, x, block_rows, out);
  return sse2_sums(M, ld, cols, x, block_rows, out);
#else
  scalar_sums(M, ld, cols, x, block_rows, out);
#endif
}

int safe_block_rows(int ld, long long max_abs_m, long long max_abs_x) {
  const long long prod = std::max(1LL, max_abs_m * max_abs_x);
  long long b = (4LL * 2147483647LL) / prod;  // each 32-bit lane sums block/4 products
  b = std::min<long long>(b, ld);
  b = (b / 16) * 16;
  return int(std::max<long long>(b, 16));
}

const char* column_sums_isa() {
#ifdef AIMC_X86
  return has_avx2() ? "avx2" : "sse2";
#else
  return "scalar";
#endif
}

}  // namespace aimc::analog
