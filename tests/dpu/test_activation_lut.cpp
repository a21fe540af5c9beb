// The tanh LUT against std::tanh over every finite FP16 input, with the error bound stated in
// activation_lut.h; sigmoid = 0.5 * tanh(x / 2) + 0.5 against 1 / (1 + exp(-x)).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "dpu/activation_lut.h"

using aimc::dpu::ActivationLut;
using aimc::dpu::ActivationLutParams;
using aimc::dpu::Half;

namespace {

const double kHalfUlpBelowOne = std::ldexp(1.0, -12);  // FP16 rounding error for |y| <= 1
const double kMaxTanh2 = 4 / (3 * std::sqrt(3.0));     // max |tanh''|

// The stated tolerance: interpolation error + FP16 rounding of entries (and output) + the tail.
double tanh_bound(const ActivationLut& lut) {
    const double h = lut.step();
    const double tail = 1 - std::tanh(lut.input_range());
    if (lut.interpolation() == aimc::dpu::LutInterpolation::kLinear)
        return h * h / 8 * kMaxTanh2 + 2 * kHalfUlpBelowOne + tail;
    return h / 2 + kHalfUlpBelowOne + tail;
}

struct Sweep {
    double max_error = 0;
    uint64_t clamped = 0;
};

template <class F, class Ref>
Sweep sweep(F f, Ref ref) {
    Sweep s;
    for (uint32_t b = 0; b < 0x10000; ++b) {
        const Half x = Half::from_bits(uint16_t(b));
        if (!x.is_finite()) continue;
        bool clamped = false;
        const double y = f(x, &clamped).to_double();
        s.max_error = std::max(s.max_error, std::fabs(y - ref(x.to_double())));
        s.clamped += clamped;
    }
    return s;
}

}  // namespace

class LutAccuracy : public ::testing::TestWithParam<std::tuple<uint32_t, double, std::string>> {};

TEST_P(LutAccuracy, TanhWithinStatedBound) {
    const auto [entries, range, interpolation] = GetParam();
    const ActivationLut lut(ActivationLutParams{entries, range, interpolation});
    const Sweep s = sweep([&](Half x, bool* c) { return lut.tanh(x, c); }, [](double x) { return std::tanh(x); });
    const double bound = tanh_bound(lut);
    EXPECT_LE(s.max_error, bound) << entries << " entries over +-" << range << ", " << interpolation;
    EXPECT_GT(s.clamped, 0u);  // FP16 reaches 65504: inputs beyond the table are reported
}

TEST_P(LutAccuracy, SigmoidWithinHalfTheTanhBoundPlusRounding) {
    const auto [entries, range, interpolation] = GetParam();
    const ActivationLut lut(ActivationLutParams{entries, range, interpolation});
    const Sweep s = sweep([&](Half x, bool* c) { return lut.sigmoid(x, c); },
                          [](double x) { return 1 / (1 + std::exp(-x)); });
    // 0.5 * (tanh error) + FMA output rounding (y in [0, 1]) + halving x (subnormals: <= 2^-25 * 0.5).
    EXPECT_LE(s.max_error, 0.5 * tanh_bound(lut) + kHalfUlpBelowOne + std::ldexp(1.0, -26));
}

INSTANTIATE_TEST_SUITE_P(Configs, LutAccuracy,
                         ::testing::Values(std::make_tuple(256u, 8.0, std::string("linear")),   // the default
                                           std::make_tuple(64u, 4.0, std::string("linear")),
                                           std::make_tuple(1024u, 6.0, std::string("linear")),
                                           std::make_tuple(255u, 8.0, std::string("linear")),   // odd: 0 on the grid
                                           std::make_tuple(256u, 8.0, std::string("nearest")),
                                           std::make_tuple(4096u, 8.0, std::string("nearest"))),
                         [](const auto& info) {  // e.g. "e256_r8_linear": stable test names
                             return "e" + std::to_string(std::get<0>(info.param)) + "_r" +
                                    std::to_string(int(std::get<1>(info.param))) + "_" + std::get<2>(info.param);
                         });

TEST(ActivationLut, DefaultTableMeetsOneMilliTolerance) {
    // The figure quoted in docs/models/ldpu.md: default table (256 FP16 entries, +-8, linear).
    const ActivationLut lut{ActivationLutParams{}};
    const Sweep t = sweep([&](Half x, bool* c) { return lut.tanh(x, c); }, [](double x) { return std::tanh(x); });
    const Sweep s = sweep([&](Half x, bool* c) { return lut.sigmoid(x, c); },
                          [](double x) { return 1 / (1 + std::exp(-x)); });
    EXPECT_LT(t.max_error, 1e-3);
    EXPECT_LT(s.max_error, 1e-3);
}

TEST(ActivationLut, ExactPointsAndSymmetry) {
    for (uint32_t entries : {255u, 256u}) {
        const ActivationLut lut(ActivationLutParams{entries, 8.0, "linear"});
        EXPECT_EQ(lut.tanh(Half::from_double(0)).to_double(), 0.0);
        EXPECT_EQ(lut.sigmoid(Half::from_double(0)).to_double(), 0.5);
        EXPECT_EQ(lut.tanh(Half::from_double(100)).to_double(), 1.0);
        EXPECT_EQ(lut.tanh(Half::from_double(-100)).to_double(), -1.0);
        EXPECT_EQ(lut.sigmoid(Half::from_double(-60000)).to_double(), 0.0);
        for (double x : {0.1, 0.7, 1.3, 2.9, 5.5})  // the table is odd
            EXPECT_EQ(lut.tanh(Half::from_double(-x)).to_double(), -lut.tanh(Half::from_double(x)).to_double());
    }
    const ActivationLut lut{ActivationLutParams{}};
    bool clamped = true;
    lut.tanh(Half::from_double(8.0), &clamped);
    EXPECT_FALSE(clamped);  // the range's end is inside the table
    lut.tanh(Half::from_double(8.0078125), &clamped);
    EXPECT_TRUE(clamped);
    EXPECT_TRUE(lut.tanh(Half::from_bits(0x7E00)).is_nan());
}

TEST(ActivationLut, InvalidConfigurationsNameTheField) {
    auto message = [](ActivationLutParams p) -> std::string {
        try {
            ActivationLut lut(p);
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(message({1, 8.0, "linear"}).find("'entries'"), std::string::npos);
    EXPECT_NE(message({256, 0.0, "linear"}).find("'input_range'"), std::string::npos);
    EXPECT_NE(message({256, -1.0, "linear"}).find("'input_range'"), std::string::npos);
    EXPECT_NE(message({256, NAN, "linear"}).find("'input_range'"), std::string::npos);
    EXPECT_NE(message({256, 8.0, "cubic"}).find("'interpolation'"), std::string::npos);
}
