// binary16 rounding: round to nearest even at every output, overflow to inf, subnormals kept.
// The compiler's _Float16 conversion (where available) is the independent reference.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "dpu/half_float.h"

using aimc::dpu::Half;
using aimc::dpu::half_add;
using aimc::dpu::half_fma;
using aimc::dpu::half_mul;

namespace {

uint16_t bits(double x) { return Half::from_double(x).bits; }
Half h(double x) { return Half::from_double(x); }
const double kSub = std::ldexp(1.0, -24);  // smallest subnormal

#ifdef __FLT16_MAX__
uint16_t reference_bits(double x) {
    const _Float16 r = static_cast<_Float16>(x);
    uint16_t b;
    std::memcpy(&b, &r, 2);
    return b;
}
#endif

}  // namespace

TEST(HalfFloat, EveryHalfRoundTripsThroughDouble) {
    for (uint32_t b = 0; b < 0x10000; ++b) {
        const Half x = Half::from_bits(uint16_t(b));
        if (x.is_nan()) {
            EXPECT_TRUE(std::isnan(x.to_double()));
            EXPECT_TRUE(Half::from_double(x.to_double()).is_nan());
            continue;
        }
        ASSERT_EQ(Half::from_double(x.to_double()).bits, b) << std::hex << b;
        EXPECT_TRUE(aimc::dpu::representable_in_half(x.to_double()));
    }
}

TEST(HalfFloat, KnownValues) {
    EXPECT_EQ(bits(0.0), 0x0000);
    EXPECT_EQ(bits(-0.0), 0x8000);
    EXPECT_EQ(bits(1.0), 0x3C00);
    EXPECT_EQ(bits(-2.0), 0xC000);
    EXPECT_EQ(bits(0.5), 0x3800);
    EXPECT_EQ(bits(65504.0), 0x7BFF);
    EXPECT_EQ(bits(std::ldexp(1.0, -14)), 0x0400);  // smallest normal
    EXPECT_EQ(bits(kSub), 0x0001);                   // smallest subnormal
    EXPECT_EQ(bits(1023 * kSub), 0x03FF);            // largest subnormal
    EXPECT_EQ(Half::from_bits(0x7BFF).to_double(), aimc::dpu::kHalfMax);
}

TEST(HalfFloat, OverflowGoesToInfinity) {
    EXPECT_EQ(bits(65519.0), 0x7BFF);      // below the midpoint to 65536: rounds down
    EXPECT_EQ(bits(65520.0), 0x7C00);      // the midpoint, ties to even: 65536 -> inf
    EXPECT_EQ(bits(-65520.0), 0xFC00);
    EXPECT_EQ(bits(1e9), 0x7C00);
    EXPECT_EQ(bits(std::numeric_limits<double>::max()), 0x7C00);
    EXPECT_EQ(bits(std::numeric_limits<double>::infinity()), 0x7C00);
    EXPECT_EQ(Half::from_int(65519).bits, 0x7BFF);
    EXPECT_EQ(Half::from_int(65520).bits, 0x7C00);
    EXPECT_EQ(Half::from_int(INT64_MIN).bits, 0xFC00);
    EXPECT_EQ(half_mul(h(256), h(256)).bits, 0x7C00);
    EXPECT_EQ(half_add(h(65504), h(16)).bits, 0x7C00);  // 65520: tie -> inf
    EXPECT_EQ(half_add(h(65504), h(8)).bits, 0x7BFF);   // 65512: rounds down
}

TEST(HalfFloat, SubnormalsAndUnderflow) {
    EXPECT_EQ(bits(kSub / 2), 0x0000);        // tie between 0 and 2^-24: even is 0
    EXPECT_EQ(bits(-kSub / 2), 0x8000);       // keeps the sign
    EXPECT_EQ(bits(kSub * 0.5000001), 0x0001);  // just above the tie
    EXPECT_EQ(bits(kSub * 1.5), 0x0002);      // tie between 1 and 2 units: even is 2
    EXPECT_EQ(bits(kSub * 2.5), 0x0002);      // tie between 2 and 3 units: even is 2
    EXPECT_EQ(bits(kSub * 1023.5), 0x0400);   // rounds up into the smallest normal
    EXPECT_EQ(bits(1e-300), 0x0000);
    EXPECT_TRUE(Half::from_bits(0x0001).is_subnormal());
    EXPECT_EQ(half_mul(h(std::ldexp(1.0, -14)), h(0.5)).bits, 0x0200);  // normal * 0.5 -> subnormal, exact
    EXPECT_EQ(half_mul(h(kSub), h(0.5)).bits, 0x0000);                  // tie -> 0
    EXPECT_EQ(half_mul(h(3 * kSub), h(0.5)).bits, 0x0002);              // 1.5 units -> 2
}

TEST(HalfFloat, TiesToEvenAmongNormals) {
    // Between 2048 and 4096 the spacing is 2: odd integers are ties.
    EXPECT_EQ(Half::from_int(2049).to_double(), 2048);
    EXPECT_EQ(Half::from_int(2051).to_double(), 2052);
    EXPECT_EQ(Half::from_int(-2051).to_double(), -2052);
    EXPECT_EQ(Half::from_int(2050).to_double(), 2050);
    EXPECT_EQ(h(1.0 + std::ldexp(1.0, -11)).bits, 0x3C00);      // 1 + half ulp: tie -> 1
    EXPECT_EQ(h(1.0 + 3 * std::ldexp(1.0, -11)).bits, 0x3C02);  // 1 + 1.5 ulp: tie -> 1 + 2 ulp
    EXPECT_EQ(Half::from_int(2147483647).to_double(), INFINITY);
    EXPECT_EQ(Half::from_int(40000).to_double(), 40000);        // spacing 32 there: 40000 = 1250 * 32
    EXPECT_EQ(Half::from_int(40016).to_double(), 40000);        // tie -> even (1250)
    EXPECT_EQ(Half::from_int(40048).to_double(), 40064);        // tie -> even (1252)
}

TEST(HalfFloat, NonFiniteArithmetic) {
    const Half inf = aimc::dpu::kHalfPosInf, ninf = aimc::dpu::kHalfNegInf;
    EXPECT_TRUE(half_fma(inf, h(0), h(1)).is_nan());
    EXPECT_TRUE(half_fma(inf, h(1), ninf).is_nan());
    EXPECT_EQ(half_fma(inf, h(-2), h(1)).bits, 0xFC00);
    EXPECT_EQ(half_fma(h(2), h(3), inf).bits, 0x7C00);
    EXPECT_TRUE(half_add(inf, ninf).is_nan());
    EXPECT_TRUE(Half::from_bits(0x7E00).is_nan());
    EXPECT_FALSE(inf.is_finite());
}

TEST(HalfFloat, FmaRoundsOnce) {
    // a * a = 1 + 2^-9 + 2^-20 exactly; minus 2^-22 it is still within half an ulp of 1 + 2^-9.
    const Half a = h(1 + std::ldexp(1.0, -10)), one = h(1);
    EXPECT_EQ(half_fma(a, a, h(-std::ldexp(1.0, -22))).to_double(), 1 + std::ldexp(1.0, -9));
    // (1 + 2^-10)^2 = 1 + 2^-9 + 2^-20: rounding the product alone gives 1 + 2^-9; adding 2^-11 then
    // is a tie that rounds to even (1 + 2^-9). Fused: 1 + 2^-9 + 2^-11 + 2^-20 is above the tie -> up.
    const double fused = half_fma(a, a, h(std::ldexp(1.0, -11))).to_double();
    const double unfused = half_add(half_mul(a, a), h(std::ldexp(1.0, -11))).to_double();
    EXPECT_EQ(unfused, 1 + std::ldexp(1.0, -9));
    EXPECT_EQ(fused, 1 + std::ldexp(1.0, -9) + std::ldexp(1.0, -10));
    EXPECT_EQ(half_fma(one, one, h(-1)).bits, 0x0000);             // exact cancellation: +0
    EXPECT_EQ(half_fma(h(-0.0), h(1), h(-0.0)).bits, 0x8000);      // (-0) + (-0) = -0
    EXPECT_EQ(half_fma(h(kSub), h(0.5), h(0)).bits, 0x0000);       // tiny product: tie -> 0
    EXPECT_EQ(half_fma(h(65504), h(65504), h(-65504)).bits, 0x7C00);
}

#ifdef __FLT16_MAX__
TEST(HalfFloat, ConversionMatchesCompilerFloat16) {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> exponent(-30, 17);
    std::uniform_real_distribution<double> unit(-1, 1);
    for (int i = 0; i < 200000; ++i) {
        const double x = unit(rng) * std::exp2(exponent(rng));
        ASSERT_EQ(bits(x), reference_bits(x)) << x;
    }
    // Every midpoint between adjacent halves (and a hair either side): the ties.
    for (uint32_t b = 0; b < 0x7BFF; ++b) {
        const double lo = Half::from_bits(uint16_t(b)).to_double(), hi = Half::from_bits(uint16_t(b + 1)).to_double();
        const double mid = (lo + hi) / 2;
        ASSERT_EQ(bits(mid), reference_bits(mid)) << mid;
        ASSERT_EQ(bits(-mid), reference_bits(-mid)) << mid;
        ASSERT_EQ(bits(std::nextafter(mid, 0)), reference_bits(std::nextafter(mid, 0)));
        ASSERT_EQ(bits(std::nextafter(mid, 1e9)), reference_bits(std::nextafter(mid, 1e9)));
    }
    for (int64_t v = -70000; v <= 70000; v += 7) ASSERT_EQ(Half::from_int(v).bits, reference_bits(double(v))) << v;
}

TEST(HalfFloat, FmaMatchesExactReference) {
    // Operands whose exact a * b + c fits in a double (span < 53 bits): the double result is exact
    // and the compiler's conversion rounds it once.
    std::mt19937_64 rng(2);
    std::uniform_int_distribution<int> mant(0, 2047), ex(-4, 6), sign(0, 1);
    auto random_half = [&] {
        return Half::from_double((sign(rng) ? -1 : 1) * std::ldexp(double(mant(rng)), ex(rng) - 10));
    };
    for (int i = 0; i < 200000; ++i) {
        const Half a = random_half(), b = random_half(), c = random_half();
        const double exact = a.to_double() * b.to_double() + c.to_double();
        ASSERT_EQ(half_fma(a, b, c).bits, reference_bits(exact))
            << a.to_double() << " * " << b.to_double() << " + " << c.to_double();
        // Near-cancellation: d close to -a * b, so the result is small and its low bits matter.
        const Half d = Half::from_double(-(a.to_double() * b.to_double()) * 1.0009765625);
        const double exact2 = a.to_double() * b.to_double() + d.to_double();
        ASSERT_EQ(half_fma(a, b, d).bits, reference_bits(exact2));
    }
}
#endif
