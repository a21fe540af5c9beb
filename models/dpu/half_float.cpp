// binary16 rounding: an exact value sign * mag * 2^exp (mag a wide integer) is rounded once.
#include "dpu/half_float.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace aimc::dpu {

namespace {

using u128 = unsigned __int128;
using i128 = __int128;

int msb_index(u128 v) {
    const auto hi = uint64_t(v >> 64);
    if (hi) return 127 - __builtin_clzll(hi);
    return 63 - __builtin_clzll(uint64_t(v));
}

// Rounds +-mag * 2^exp to binary16, to nearest with ties to even. mag < 2^120.
Half round_to_half(bool negative, u128 mag, int exp) {
    const uint16_t sign = negative ? 0x8000 : 0;
    if (mag == 0) return Half::from_bits(sign);
    const int p = msb_index(mag);
    const int e = p + exp;                        // weight of the leading bit: 2^e
    if (e > 15) return Half::from_bits(sign | 0x7C00);  // >= 2^16 > 65520: overflows to inf
    int lsb = std::max(e - 10, -24);              // weight of the result's last significand bit
    const int shift = lsb - exp;
    u128 q;
    if (shift <= 0) {
        q = mag << -shift;  // exact
    } else if (shift > p + 1) {
        q = 0;              // below half of the smallest subnormal: rounds to zero
    } else {
        q = mag >> shift;
        const u128 rem = mag & ((u128(1) << shift) - 1);
        const u128 halfway = u128(1) << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1))) ++q;
    }
    if (q >= 2048) {  // rounding carried into a new binade
        q >>= 1;
        ++lsb;
    }
    if (q < 1024) return Half::from_bits(sign | uint16_t(q));  // subnormal or zero (lsb == -24)
    const int biased = lsb + 25;
    if (biased >= 31) return Half::from_bits(sign | 0x7C00);
    return Half::from_bits(uint16_t(sign | (biased << 10) | uint16_t(q - 1024)));
}

// A finite half as significand * 2^exponent with an integer significand.
struct Decoded {
    bool negative;
    uint32_t significand;
    int exponent;
};

Decoded decode(Half h) {
    const uint32_t e = (h.bits >> 10) & 0x1F;
    const uint32_t m = h.bits & 0x3FF;
    if (e == 0) return {h.sign(), m, -24};
    return {h.sign(), m | 0x400, int(e) - 25};
}

}  // namespace

Half Half::from_double(double x) {
    if (std::isnan(x)) return Half::from_bits(std::signbit(x) ? 0xFE00 : 0x7E00);
    if (std::isinf(x)) return Half::from_bits(x < 0 ? 0xFC00 : 0x7C00);
    int e = 0;
    const double m = std::frexp(std::fabs(x), &e);  // |x| = m * 2^e, m in [0.5, 1)
    const auto mag = uint64_t(std::ldexp(m, 53));   // exact: 53 significand bits
    return round_to_half(std::signbit(x), mag, e - 53);
}

Half Half::from_int(int64_t x) {
    const bool negative = x < 0;
    const u128 mag = negative ? u128(-(i128(x))) : u128(x);
    return round_to_half(negative, mag, 0);
}

double Half::to_double() const {
    const uint32_t e = (bits >> 10) & 0x1F;
    const uint32_t m = bits & 0x3FF;
    double v;
    if (e == 0x1F)
        v = m ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    else if (e == 0)
        v = std::ldexp(double(m), -24);
    else
        v = std::ldexp(double(m | 0x400), int(e) - 25);
    return sign() ? -v : v;
}

double round_half_even(double x) {
    if (!std::isfinite(x) || std::fabs(x) >= 4503599627370496.0) return x;  // 2^52: already integral
    const double lo = std::floor(x);
    const double diff = x - lo;  // exact
    if (diff > 0.5) return lo + 1;
    if (diff < 0.5) return lo;
    return std::fmod(lo, 2.0) == 0 ? lo : lo + 1;
}

bool representable_in_half(double x) {
    if (std::isnan(x)) return false;
    return Half::from_double(x).to_double() == x;
}

Half half_fma(Half a, Half b, Half c) {
    if (!a.is_finite() || !b.is_finite() || !c.is_finite())  // inf/NaN rules as IEEE: let double do it
        return Half::from_double(std::fma(a.to_double(), b.to_double(), c.to_double()));
    const Decoded da = decode(a), db = decode(b), dc = decode(c);
    // Exact sum in units of 2^-48 (the product's smallest weight): < 2^82, fits in 128 bits.
    const u128 prod = u128(da.significand) * db.significand << (da.exponent + db.exponent + 48);
    const u128 addend = u128(dc.significand) << (dc.exponent + 48);
    const bool prod_negative = da.negative != db.negative;
    if (prod == 0 && addend == 0)  // exact zero: -0 only for (-0) + (-0)
        return Half::from_bits(prod_negative && dc.negative ? 0x8000 : 0);
    const i128 sum = (prod_negative ? -i128(prod) : i128(prod)) + (dc.negative ? -i128(addend) : i128(addend));
    if (sum == 0) return Half::from_bits(0);  // exact cancellation gives +0 when rounding to nearest
    return round_to_half(sum < 0, sum < 0 ? u128(-sum) : u128(sum), -48);
}

// Sums and products of two halves are exact in double (at most 40 and 22 significant bits).
Half half_add(Half a, Half b) { return Half::from_double(a.to_double() + b.to_double()); }
Half half_mul(Half a, Half b) { return Half::from_double(a.to_double() * b.to_double()); }

}  // namespace aimc::dpu
