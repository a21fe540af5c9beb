// Each LDPU op against a straightforward reference (int64 arithmetic, explicit loops), including
// saturation and overflow counting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "dpu/activation_lut.h"
#include "dpu/ldpu_ops.h"

using namespace aimc::dpu;

namespace {

// Runs one op on a vector of the given format, after the same static check the chain executor does.
struct OpRun {
    LdpuVector out;
    OpStats stats;
};
OpRun run(const LdpuOp& op, DataFormat format, const Eigen::VectorXd& values,
          const std::vector<Eigen::VectorXi>& operands = {}) {
    static const ActivationLut lut{ActivationLutParams{}};
    const VectorShape out_shape = check_op(op, 0, {format, size_t(values.size())});
    OpRun r;
    r.out = {format, values};
    run_op(op, OpContext{0, &lut, &operands}, r.out, r.stats);
    EXPECT_EQ(r.out.format, out_shape.format);
    EXPECT_EQ(size_t(r.out.values.size()), out_shape.length);
    return r;
}

Eigen::VectorXd random_ints(size_t n, int64_t lo, int64_t hi, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int64_t> d(lo, hi);
    Eigen::VectorXd v(n);
    for (auto& x : v) x = double(d(rng));
    return v;
}

// Reference: round(num / 2^shift) to nearest, ties to even, in integers.
int64_t rne_shift(int64_t num, unsigned shift) {
    if (shift == 0) return num;
    const int64_t div = int64_t(1) << shift;
    int64_t q = num >> shift;        // floor
    const int64_t r = num - q * div;  // 0 <= r < div
    if (2 * r > div || (2 * r == div && (q & 1))) ++q;
    return q;
}

int64_t clamp_count(int64_t x, int bits, uint64_t& count) {
    const int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
    if (x < lo || x > hi) ++count;
    return std::min(std::max(x, lo), hi);
}

const DataFormat kInt32 = DataFormat::integer(32), kInt8 = DataFormat::integer(8), kFp16 = DataFormat::fp16();

}  // namespace

TEST(LdpuOps, PartialSumAddSaturatesAndCountsPerAdd) {
    const size_t n = 300;
    const Eigen::VectorXd x = random_ints(n, INT32_MIN, INT32_MAX, 1);
    std::vector<Eigen::VectorXi> operands;
    for (uint64_t s = 2; s < 5; ++s) operands.push_back(random_ints(n, INT32_MIN, INT32_MAX, s).cast<int>());
    const OpRun r = run(LdpuOp::partial_sum_add({0, 2, 1}), kInt32, x, operands);
    uint64_t expected_sat = 0;
    for (size_t c = 0; c < n; ++c) {
        int64_t acc = int64_t(x[c]);
        for (int k : {0, 2, 1}) acc = clamp_count(acc + operands[k][c], 32, expected_sat);  // saturating adder
        ASSERT_EQ(r.out.values[c], double(acc)) << c;
    }
    EXPECT_GT(expected_sat, 0u);
    EXPECT_EQ(r.stats.saturated, expected_sat);
}

TEST(LdpuOps, PartialSumAddErrorPolicyThrows) {
    Eigen::VectorXd x(2);
    x << 5, INT32_MAX;
    const std::vector<Eigen::VectorXi> ops{Eigen::VectorXi::Ones(2)};
    const OpRun fine = run(LdpuOp::partial_sum_add({0}, OverflowPolicy::kError), kInt32, x.head(1), {ops[0].head(1)});
    EXPECT_EQ(fine.out.values[0], 6);
    try {
        run(LdpuOp::partial_sum_add({0}, OverflowPolicy::kError), kInt32, x, ops);
        FAIL() << "no overflow reported";
    } catch (const std::overflow_error& e) {
        EXPECT_NE(std::string(e.what()).find("column 1"), std::string::npos) << e.what();
    }
}

TEST(LdpuOps, AffineFp16IsOneFmaPerColumn) {
    const size_t n = 256;
    std::mt19937_64 rng(3);
    std::uniform_int_distribution<int> mant(1024, 2047), ex(-8, 4), sign(0, 1);
    std::vector<Half> scale(n), offset(n);
    for (size_t c = 0; c < n; ++c) {
        scale[c] = Half::from_double((sign(rng) ? -1 : 1) * std::ldexp(mant(rng), ex(rng) - 11));  // < 16
        offset[c] = Half::from_double((sign(rng) ? -1 : 1) * std::ldexp(mant(rng), ex(rng) - 6));
    }
    const Eigen::VectorXd x = random_ints(n, -2048, 2048, 4);  // exact in FP16
    const OpRun r = run(LdpuOp::affine_fp16(scale, offset), kInt32, x);
    EXPECT_EQ(r.out.format, kFp16);
    for (size_t c = 0; c < n; ++c) {
        // |x * s + o| spans < 53 bits: exact in double, then one rounding.
        const double exact = x[c] * scale[c].to_double() + offset[c].to_double();
        ASSERT_EQ(r.out.values[c], Half::from_double(exact).to_double()) << c;
    }
    EXPECT_EQ(r.stats.fp16_overflow, 0u);
}

TEST(LdpuOps, AffineFp16CountsOverflowAndNan) {
    Eigen::VectorXd x(5);
    x << 70000, 60000, 0, 3, 100;  // 70000 overflows the int -> FP16 conversion
    std::vector<Half> scale{Half::from_double(1), Half::from_double(2), kHalfPosInf, Half::from_double(1),
                            Half::from_double(0.5)};
    std::vector<Half> offset(5, Half::from_double(0));
    const OpRun r = run(LdpuOp::affine_fp16(scale, offset), kInt32, x);
    EXPECT_EQ(r.out.values[0], INFINITY);
    EXPECT_EQ(r.out.values[1], INFINITY);  // 120000: FMA overflow
    EXPECT_TRUE(std::isnan(r.out.values[2]));  // inf * 0
    EXPECT_EQ(r.out.values[3], 3);
    EXPECT_EQ(r.out.values[4], 50);
    EXPECT_EQ(r.stats.fp16_overflow, 2u);
    EXPECT_EQ(r.stats.nan, 1u);
    // Broadcast scale and offset; integer input that FP16 rounds (2049 -> 2048).
    Eigen::VectorXd y(2);
    y << 2049, -3;
    const OpRun b = run(LdpuOp::affine_fp16({Half::from_double(1)}, {Half::from_double(0.25)}), kInt32, y);
    EXPECT_EQ(b.out.values[0], 2048);  // 2048 + 0.25 rounds back to 2048 (spacing 2)
    EXPECT_EQ(b.out.values[1], -2.75);
}

TEST(LdpuOps, AffineFixedMatchesIntegerReference) {
    const size_t n = 200;
    const Eigen::VectorXd x = random_ints(n, INT32_MIN, INT32_MAX, 5);
    const Eigen::VectorXd sc = random_ints(n, -32768, 32767, 6), of = random_ints(n, INT32_MIN, INT32_MAX, 7);
    std::vector<int32_t> scale(n), offset(n);
    for (size_t c = 0; c < n; ++c) scale[c] = int32_t(sc[c]), offset[c] = int32_t(of[c]);
    for (uint32_t shift : {0u, 1u, 7u, 15u, 31u}) {
        const OpRun r = run(LdpuOp::affine_fixed(scale, offset, shift), kInt32, x);
        uint64_t sat = 0;
        for (size_t c = 0; c < n; ++c) {
            const int64_t ref = clamp_count(rne_shift(int64_t(x[c]) * scale[c], shift) + offset[c], 32, sat);
            ASSERT_EQ(r.out.values[c], double(ref)) << "shift " << shift << " column " << c;
        }
        EXPECT_EQ(r.stats.saturated, sat) << shift;
    }
    // Ties: 3 * 1 / 2 = 1.5 -> 2, 5 / 2 = 2.5 -> 2, -3 / 2 -> -2, -5 / 2 -> -2.
    Eigen::VectorXd t(4);
    t << 3, 5, -3, -5;
    const OpRun r = run(LdpuOp::affine_fixed({1}, {0}, 1), kInt32, t);
    EXPECT_EQ(r.out.values, Eigen::Vector4d(2, 2, -2, -2));
}

TEST(LdpuOps, ReluMaxClip) {
    Eigen::VectorXd x(6);
    x << -5, -1, 0, 3, 6, 100;
    EXPECT_EQ(run(LdpuOp::relu(), kInt8, x).out.values, (Eigen::VectorXd(6) << 0, 0, 0, 3, 6, 100).finished());
    EXPECT_EQ(run(LdpuOp::max(-2), kInt8, x).out.values, (Eigen::VectorXd(6) << -2, -1, 0, 3, 6, 100).finished());
    EXPECT_EQ(run(LdpuOp::clip(0, 6), kInt32, x).out.values, (Eigen::VectorXd(6) << 0, 0, 0, 3, 6, 6).finished());
    Eigen::VectorXd f(4);
    f << -0.0, NAN, 6.5, -INFINITY;
    const OpRun relu = run(LdpuOp::relu(), kFp16, f);
    EXPECT_FALSE(std::signbit(relu.out.values[0]));  // -0 -> +0
    EXPECT_EQ(relu.out.values[1], 0);                // maxNum: NaN loses
    const OpRun clip = run(LdpuOp::clip(0, 6), kFp16, f);
    EXPECT_EQ(clip.out.values, Eigen::Vector4d(0, 0, 6, 0));
    EXPECT_EQ(clip.stats.saturated, 0u);  // clipping is the op, not a saturation
}

TEST(LdpuOps, TanhSigmoidOnFp16AndFixedPoint) {
    const ActivationLut lut{ActivationLutParams{}};
    Eigen::VectorXd f(4);
    f << -3, -0.5, 0.25, 20;
    const OpRun t = run(LdpuOp::tanh(), kFp16, f);
    const OpRun s = run(LdpuOp::sigmoid(), kFp16, f);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(t.out.values[i], lut.tanh(Half::from_double(f[i])).to_double());
        EXPECT_EQ(s.out.values[i], lut.sigmoid(Half::from_double(f[i])).to_double());
    }
    EXPECT_EQ(t.stats.lut_clamped, 1u);  // 20 > 8
    EXPECT_EQ(s.stats.lut_clamped, 1u);  // 10 > 8
    // int8 Q2.5 in, Q0.7 out: tanh(1.0) * 128 = 97.5 -> rne; tanh(3.96875) * 128 = 127.9 -> 127 (saturated).
    Eigen::VectorXd q(3);
    q << 32, 127, -128;
    const OpRun ti = run(LdpuOp::tanh(5, 7), kInt8, q);
    for (int i = 0; i < 3; ++i) {
        const double y = lut.tanh(Half::from_double(q[i] / 32)).to_double() * 128;
        EXPECT_EQ(ti.out.values[i], std::min(127.0, std::max(-128.0, round_half_even(y))));
    }
    EXPECT_EQ(ti.out.values[1], 127);
    EXPECT_EQ(ti.out.values[2], -128);  // -0.9993 * 128 = -127.9 -> -128 is in range
    EXPECT_EQ(ti.stats.saturated, 1u);
}

TEST(LdpuOps, RequantizeMatchesReferenceAndCountsSaturation) {
    const size_t n = 500;
    const Eigen::VectorXd x = random_ints(n, -(1 << 20), 1 << 20, 8);
    for (const auto& [mult, shift, bits] : {std::tuple{1, 0u, 8u}, {77, 12u, 8u}, {-300, 9u, 8u}, {32767, 20u, 16u},
                                           {5, 3u, 12u}, {1, 62u, 8u}}) {
        const OpRun r = run(LdpuOp::requantize(mult, shift, bits), kInt32, x);
        EXPECT_EQ(r.out.format, DataFormat::integer(bits));
        uint64_t sat = 0;
        for (size_t c = 0; c < n; ++c)
            ASSERT_EQ(r.out.values[c], double(clamp_count(rne_shift(int64_t(x[c]) * mult, shift), int(bits), sat)))
                << mult << " " << shift << " " << c;
        EXPECT_EQ(r.stats.saturated, sat);
        if (bits == 8 && shift == 0) {
            EXPECT_GT(sat, 400u);
        }
    }
    // From FP16: ties to even, inf saturates (counted), NaN -> 0 (counted).
    Eigen::VectorXd f(7);
    f << 0.5, 1.5, 2.5, -2.5, 127.5, INFINITY, NAN;
    const OpRun r = run(LdpuOp::requantize(1, 0, 8), kFp16, f);
    EXPECT_EQ(r.out.values, (Eigen::VectorXd(7) << 0, 2, 2, -2, 127, 127, 0).finished());
    EXPECT_EQ(r.stats.saturated, 2u);  // 127.5 -> 128 -> 127, inf
    EXPECT_EQ(r.stats.nan, 1u);
    const OpRun scaled = run(LdpuOp::requantize(3, 2, 8), kFp16, f.head(3));  // x * 3 / 4
    EXPECT_EQ(scaled.out.values, Eigen::Vector3d(0, 1, 2));  // 0.375, 1.125, 1.875
}

TEST(LdpuOps, EltwiseAddWithRequantization) {
    const size_t n = 400;
    const Eigen::VectorXd a = random_ints(n, -128, 127, 9);
    const std::vector<Eigen::VectorXi> b{random_ints(n, -128, 127, 10).cast<int>()};
    const OpRun r = run(LdpuOp::eltwise_add(0, 3, 5, 2, 8), kInt8, a, b);
    uint64_t sat = 0;
    for (size_t c = 0; c < n; ++c)
        ASSERT_EQ(r.out.values[c], double(clamp_count(rne_shift(int64_t(a[c]) * 3 + b[0][c] * 5, 2), 8, sat)));
    EXPECT_GT(sat, 0u);
    EXPECT_EQ(r.stats.saturated, sat);
    // Operand values outside the vector's format are an error naming the operand.
    const std::vector<Eigen::VectorXi> bad{Eigen::VectorXi::Constant(n, 300)};
    EXPECT_THROW(run(LdpuOp::eltwise_add(0, 1, 1, 0), kInt8, a, bad), std::invalid_argument);
    EXPECT_THROW(run(LdpuOp::eltwise_add(1, 1, 1, 0), kInt8, a, b), std::invalid_argument);  // no operand 1
}

TEST(LdpuOps, PoolingOverHwcTensor) {
    const uint32_t H = 5, W = 6, C = 3;
    const Eigen::VectorXd x = random_ints(H * W * C, -128, 127, 11);
    auto at = [&](uint32_t h, uint32_t w, uint32_t c) { return x[(h * W + w) * C + c]; };
    for (const PoolWindow p : {PoolWindow{H, W, C, 2, 2, 2, 2}, PoolWindow{H, W, C, 3, 2, 1, 2},
                               PoolWindow{1, H * W, C, 1, 4, 1, 4}}) {
        const LdpuOp maxp = LdpuOp::max_pool(p), avgp = LdpuOp::avg_pool(p);
        const Eigen::VectorXd xin = x;
        const OpRun m = run(maxp, kInt8, xin), a = run(avgp, kInt8, xin);
        ASSERT_EQ(size_t(m.out.values.size()), size_t(p.out_height()) * p.out_width() * C);
        for (uint32_t oh = 0; oh < p.out_height(); ++oh)
            for (uint32_t ow = 0; ow < p.out_width(); ++ow)
                for (uint32_t c = 0; c < C; ++c) {
                    double mx = -1e9;
                    int64_t sum = 0;
                    for (uint32_t kh = 0; kh < p.kernel_h; ++kh)
                        for (uint32_t kw = 0; kw < p.kernel_w; ++kw) {
                            const uint32_t hh = oh * p.stride_h + kh, ww = ow * p.stride_w + kw;
                            const double v = p.height == 1 ? x[ww * C + c] : at(hh, ww, c);
                            mx = std::max(mx, v);
                            sum += int64_t(v);
                        }
                    const size_t o = (size_t(oh) * p.out_width() + ow) * C + c;
                    EXPECT_EQ(m.out.values[o], mx);
                    const double mean = double(sum) / (p.kernel_h * p.kernel_w);
                    EXPECT_EQ(a.out.values[o], round_half_even(mean)) << sum;
                }
    }
    // Averages that are ties round to even.
    Eigen::VectorXd t(8);
    t << 1, 2, 2, 3, -1, -2, -2, -3;
    const OpRun a = run(LdpuOp::avg_pool(PoolWindow{1, 8, 1, 1, 2, 1, 2}), kInt8, t);
    EXPECT_EQ(a.out.values, Eigen::Vector4d(2, 2, -2, -2));
    // FP16: max exact; average = fp16 sum times fp16(1/window).
    Eigen::VectorXd f(4);
    f << 0.5, 1.25, -3, 7;
    EXPECT_EQ(run(LdpuOp::max_pool(PoolWindow{1, 4, 1, 1, 4, 1, 1}), kFp16, f).out.values[0], 7);
    EXPECT_EQ(run(LdpuOp::avg_pool(PoolWindow{1, 4, 1, 1, 4, 1, 1}), kFp16, f).out.values[0], 1.4375);
}

TEST(LdpuOps, WorkFollowsParametersAndShape) {
    const VectorShape in{kInt32, 256}, fp{kFp16, 256};
    const OpWork affine = op_work(LdpuOp::affine_fp16(std::vector<Half>(256), std::vector<Half>(256)), in, fp, 32);
    EXPECT_EQ(affine.elements, 256u);
    EXPECT_EQ(affine.actions[size_t(Action::kFp16Mult)], 256);
    EXPECT_EQ(affine.actions[size_t(Action::kFp16Add)], 256);
    EXPECT_EQ(affine.actions[size_t(Action::kSramRead32)], 256);  // 16 + 16 parameter bits per column
    const OpWork broadcast = op_work(LdpuOp::affine_fp16({Half{}}, {Half{}}), in, fp, 32);
    EXPECT_EQ(broadcast.actions[size_t(Action::kSramRead32)], 1);
    const OpWork psum = op_work(LdpuOp::partial_sum_add({0, 1, 2}), in, in, 32);
    EXPECT_EQ(psum.steps_per_element, 3u);
    EXPECT_EQ(psum.actions[size_t(Action::kAdd32)], 3 * 256);
    const PoolWindow p{4, 4, 16, 2, 2, 2, 2};
    const OpWork pool = op_work(LdpuOp::max_pool(p), {kInt8, 256}, {kInt8, 64}, 32);
    EXPECT_EQ(pool.elements, 64u);
    EXPECT_EQ(pool.steps_per_element, 4u);
    EXPECT_EQ(pool.actions[size_t(Action::kAdd8)], 3 * 64);
}
