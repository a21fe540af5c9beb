// IEEE 754 binary16 ("FP16", "half") arithmetic as the IBM 64-core chip's LDPU does it: every
// operation rounds its exact result once, to nearest with ties to even; results beyond the largest
// finite value (65504) become +-inf; subnormals (down to 2^-24) are kept, not flushed.
//
// Self-contained (no external half-float library): values are carried as their 16 bits, and the
// arithmetic computes the exact result with wide integers before the single rounding, so there is no
// double rounding through float or double.
#pragma once

#include <cstdint>

namespace aimc::dpu {

struct Half {
    uint16_t bits = 0;

    static constexpr Half from_bits(uint16_t b) { return Half{b}; }
    // Round-to-nearest-even conversions; overflow gives +-inf, NaN stays NaN (quiet, sign kept).
    static Half from_double(double x);
    static Half from_int(int64_t x);
    double to_double() const;

    bool is_nan() const { return (bits & 0x7C00) == 0x7C00 && (bits & 0x03FF) != 0; }
    bool is_inf() const { return (bits & 0x7FFF) == 0x7C00; }
    bool is_finite() const { return (bits & 0x7C00) != 0x7C00; }
    bool is_subnormal() const { return (bits & 0x7C00) == 0 && (bits & 0x03FF) != 0; }
    bool sign() const { return (bits & 0x8000) != 0; }

    friend bool operator==(Half a, Half b) { return a.bits == b.bits; }  // bitwise
    friend bool operator!=(Half a, Half b) { return a.bits != b.bits; }
};

constexpr double kHalfMax = 65504.0;              // largest finite binary16
constexpr double kHalfMinNormal = 1.0 / 16384;    // 2^-14
constexpr double kHalfMinSubnormal = 1.0 / 16777216;  // 2^-24
constexpr Half kHalfPosInf = Half::from_bits(0x7C00);
constexpr Half kHalfNegInf = Half::from_bits(0xFC00);

// Rounds a double to the nearest integer, ties to even, whatever the FP environment's mode. Exact
// for |x| < 2^52; larger doubles are integers already. The rounding rule of every LDPU conversion.
double round_half_even(double x);

// True if x is exactly a binary16 value (finite or infinite).
bool representable_in_half(double x);

// a * b + c with a single rounding (fused multiply-add).
Half half_fma(Half a, Half b, Half c);
// a + b and a * b, each rounded once.
Half half_add(Half a, Half b);
Half half_mul(Half a, Half b);

}  // namespace aimc::dpu
