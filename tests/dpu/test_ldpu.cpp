// The LDPU unit: chains end to end, chain validation errors, the cost model's scaling, determinism
// and the parameter declarations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "dpu/ldpu.h"

using namespace aimc::dpu;

namespace {

Eigen::VectorXi random_acc(size_t n, int lo, int hi, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> d(lo, hi);
    Eigen::VectorXi v(Eigen::Index(n), 1);
    for (auto& x : v) x = d(rng);
    return v;
}

// The example chain of docs/models/ldpu.md: per-column FP16 affine, ReLU, requantize to int8.
LdpuChain affine_relu_requantize(size_t n) {
    std::vector<Half> scale(n, Half::from_double(0.0625)), offset(n, Half::from_double(-1.5));
    return {LdpuOp::affine_fp16(scale, offset), LdpuOp::relu(), LdpuOp::requantize(1, 0, 8)};
}

std::string validation_error(const Ldpu& ldpu, const LdpuChain& chain, size_t n) {
    try {
        ldpu.validate(chain, n);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Ldpu, ChainEqualsItsOpsOneByOne) {
    const Ldpu ldpu;
    const size_t n = 256;
    const Eigen::VectorXi acc = random_acc(n, -4000, 4000, 1);
    const LdpuChain chain = affine_relu_requantize(n);
    const LdpuResult r = ldpu.run_chain(chain, acc);
    ASSERT_EQ(r.output.format, DataFormat::integer(8));
    ASSERT_EQ(r.stats.per_op.size(), 3u);
    uint64_t sat = 0;
    for (size_t c = 0; c < n; ++c) {
        const Half y = half_fma(Half::from_int(acc[c]), Half::from_double(0.0625), Half::from_double(-1.5));
        const double relu = std::max(y.to_double(), 0.0);
        double q = round_half_even(relu);
        if (q > 127) q = 127, ++sat;
        ASSERT_EQ(r.output.values[c], q) << c;
    }
    EXPECT_GT(sat, 0u);  // 4000 / 16 = 250: saturates at 127
    EXPECT_EQ(r.stats.per_op[2].saturated, sat);
    EXPECT_EQ(r.stats.total.saturated, sat);
    const std::vector<int8_t> bytes = r.output.to_int8();
    EXPECT_EQ(bytes.size(), n);
    EXPECT_THROW(r.output.to_fp16_bits(), std::logic_error);
}

TEST(Ldpu, SplitLayerResidualAndPooling) {
    // A layer split over three crossbars (partial sums), scaled, a residual added, then a 2x2 max pool
    // over a 4 x 4 x 16 HWC tensor.
    const Ldpu ldpu;
    const size_t n = 256;
    const std::vector<Eigen::VectorXi> operands{random_acc(n, -1000, 1000, 2), random_acc(n, -1000, 1000, 3),
                                                random_acc(n, -128, 127, 4)};
    const LdpuChain chain{LdpuOp::partial_sum_add({0, 1}), LdpuOp::affine_fixed({1}, {0}, 5),
                          LdpuOp::requantize(1, 0, 8), LdpuOp::eltwise_add(2, 1, 1, 1, 8),
                          LdpuOp::max_pool(PoolWindow{4, 4, 16, 2, 2, 2, 2})};
    const Eigen::VectorXi acc = random_acc(n, -1000, 1000, 5);
    const LdpuResult r = ldpu.run_chain(chain, acc, operands);
    ASSERT_EQ(r.output.values.size(), 64);
    Eigen::VectorXd full(n);
    for (size_t c = 0; c < n; ++c) {
        const int64_t s = int64_t(acc[c]) + operands[0][c] + operands[1][c];
        const double q = std::clamp(round_half_even(double(s) / 32), -128.0, 127.0);
        full[c] = std::clamp(round_half_even((q + operands[2][c]) / 2), -128.0, 127.0);
    }
    for (int oh = 0; oh < 2; ++oh)
        for (int ow = 0; ow < 2; ++ow)
            for (int c = 0; c < 16; ++c) {
                double m = -1e9;
                for (int kh = 0; kh < 2; ++kh)
                    for (int kw = 0; kw < 2; ++kw) m = std::max(m, full[((2 * oh + kh) * 4 + 2 * ow + kw) * 16 + c]);
                EXPECT_EQ(r.output.values[(oh * 2 + ow) * 16 + c], m);
            }
    // The shapes validate() reports: int32 x3, int8 x2, then 64 values.
    const auto shapes = ldpu.validate(chain, n);
    EXPECT_EQ(shapes.size(), 6u);
    EXPECT_EQ(shapes[3].format, DataFormat::integer(8));
    EXPECT_EQ(shapes[5].length, 64u);
}

TEST(Ldpu, DeterministicAcrossRunsAndInstances) {
    const size_t n = 1024;
    const Eigen::VectorXi acc = random_acc(n, -70000, 70000, 6);
    std::vector<Half> scale(n), offset(n);
    for (size_t c = 0; c < n; ++c) scale[c] = Half::from_double(0.001 * double(c % 97)), offset[c] = Half::from_double(-0.3);
    const LdpuChain chain{LdpuOp::affine_fp16(scale, offset), LdpuOp::sigmoid(), LdpuOp::requantize(255, 8, 8)};
    const LdpuResult a = Ldpu().run_chain(chain, acc), b = Ldpu().run_chain(chain, acc);
    EXPECT_EQ(a.output.values, b.output.values);
    EXPECT_EQ(a.stats.total.saturated, b.stats.total.saturated);
    EXPECT_EQ(a.stats.total.fp16_overflow, b.stats.total.fp16_overflow);
    EXPECT_GT(a.stats.total.fp16_overflow, 0u);  // |acc| > 65519 overflows the FP16 conversion
}

TEST(Ldpu, ValidationErrorsNameOpAndField) {
    const Ldpu ldpu;
    const size_t n = 16;
    auto expect = [&](const LdpuChain& chain, const std::string& op, const std::string& field, size_t len = 16) {
        const std::string e = validation_error(ldpu, chain, len);
        EXPECT_NE(e.find(op), std::string::npos) << e;
        EXPECT_NE(e.find(field), std::string::npos) << e;
    };
    LdpuOp unknown = LdpuOp::relu();
    unknown.kind = LdpuOpKind(99);
    expect({LdpuOp::relu(), unknown}, "op 1", "'kind'");
    expect({LdpuOp::affine_fp16(std::vector<Half>(15), std::vector<Half>(16))}, "op 0 (affine_fp16)", "'scale_fp16'");
    expect({LdpuOp::relu(), LdpuOp::affine_fixed({1}, std::vector<int32_t>(3), 0)}, "op 1 (affine_fixed)", "'offset'");
    expect({LdpuOp::affine_fixed({40000}, {0}, 0)}, "op 0", "'scale'");
    expect({LdpuOp::affine_fixed({1}, {0}, 32)}, "op 0 (affine_fixed)", "'shift'");
    expect({LdpuOp::requantize(1, 63, 8)}, "op 0 (requantize)", "'shift'");
    expect({LdpuOp::requantize(1, 0, 1)}, "op 0 (requantize)", "'out_bits'");
    expect({LdpuOp::requantize(1 << 16, 0, 8)}, "op 0 (requantize)", "'multiplier'");
    expect({LdpuOp::requantize(1, 0, 8), LdpuOp::partial_sum_add({0})}, "op 1 (partial_sum_add)", "'input'");
    expect({LdpuOp::partial_sum_add({})}, "op 0", "'operands'");
    expect({LdpuOp::eltwise_add(0, 1, 1, 0)}, "op 0 (eltwise_add)", "'input'");  // int32 input: needs <= 16 bits
    expect({LdpuOp::requantize(1, 0, 8), LdpuOp::clip(0, 6.5)}, "op 1 (clip)", "'hi'");
    expect({LdpuOp::requantize(1, 0, 8), LdpuOp::clip(0, 300)}, "op 1 (clip)", "'hi'");
    expect({LdpuOp::clip(6, 0)}, "op 0 (clip)", "'hi'");
    expect({LdpuOp::affine_fp16({Half{}}, {Half{}}), LdpuOp::max(0.1)}, "op 1 (max)", "'lo'");  // not an FP16 value
    expect({LdpuOp::affine_fp16({Half{}}, {Half{}}), LdpuOp::tanh(3, 0)}, "op 1 (tanh)", "'in_frac_bits'");
    expect({LdpuOp::requantize(1, 0, 8), LdpuOp::sigmoid(0, 8)}, "op 1 (sigmoid)", "'out_frac_bits'");
    expect({LdpuOp::max_pool(PoolWindow{4, 4, 2, 2, 2, 2, 2})}, "op 0 (max_pool)", "'pool'");  // 32 != 16
    expect({LdpuOp::avg_pool(PoolWindow{2, 8, 1, 3, 2, 1, 1})}, "op 0 (avg_pool)", "'pool.kernel_h'");
    expect({LdpuOp::avg_pool(PoolWindow{2, 8, 1, 1, 2, 0, 1})}, "op 0 (avg_pool)", "'pool.stride_h'");
    expect({LdpuOp::relu()}, "LDPU chain", "empty", 0);
    expect({LdpuOp::relu()}, "LDPU chain", "max_columns", 1025);
    EXPECT_EQ(validation_error(ldpu, affine_relu_requantize(n), n), "");
    EXPECT_EQ(validation_error(ldpu, {}, n), "");  // an empty chain passes the int32 vector through
    // Run-time checks: missing or mis-sized operands.
    EXPECT_THROW(ldpu.run_chain({LdpuOp::partial_sum_add({0})}, random_acc(n, 0, 1, 7)), std::invalid_argument);
    EXPECT_THROW(ldpu.run_chain({LdpuOp::partial_sum_add({0})}, random_acc(n, 0, 1, 7), {Eigen::VectorXi::Zero(8)}),
                 std::invalid_argument);
}

TEST(Ldpu, InvalidParametersNameTheKey) {
    auto message = [](const LdpuParams& p) -> std::string {
        try {
            Ldpu ldpu(p);
        } catch (const std::invalid_argument& e) {
            return e.what();
        }
        return "";
    };
    LdpuParams p;
    p.tanh_lut.input_range = 0;  // LUT range 0
    EXPECT_NE(message(p).find("tanh_lut.input_range"), std::string::npos) << message(p);
    p = {};
    p.cost.lanes = 0;
    EXPECT_NE(message(p).find("ldpu.lanes = 0 is out of range"), std::string::npos) << message(p);
    p = {};
    p.tanh_lut.interpolation = "cubic";
    EXPECT_NE(message(p).find("tanh_lut.interpolation"), std::string::npos);
    p = {};
    p.cost.energy.pj_45nm[size_t(Action::kFp16Mult)] = -1;
    EXPECT_NE(message(p).find("energy.fp16_mult_pj"), std::string::npos);
    EXPECT_EQ(message(LdpuParams{}), "");
}

TEST(Ldpu, ParametersDeclaredWithUnitsRangesAndDescriptions) {
    struct Collect : aimc::ParamVisitor {
        std::vector<std::string> path, keys;
        void enter_group(const std::string& n, const std::string& d) override {
            EXPECT_FALSE(d.empty()) << n;
            path.push_back(n);
        }
        void leave_group() override { path.pop_back(); }
        void visit(const aimc::ParamInfo& info, aimc::ParamRef) override {
            std::string k;
            for (auto& p : path) k += p + ".";
            keys.push_back(k + info.name);
            EXPECT_FALSE(info.description.empty()) << keys.back();
        }
    } c;
    LdpuParams p;
    p.describe(c);
    auto has = [&](const std::string& k) { return std::find(c.keys.begin(), c.keys.end(), k) != c.keys.end(); };
    EXPECT_TRUE(has("lanes"));
    EXPECT_TRUE(has("clock_hz"));
    EXPECT_TRUE(has("cycles.affine_fp16"));
    EXPECT_TRUE(has("cycles.avg_pool"));
    EXPECT_TRUE(has("energy.technology_factor"));
    EXPECT_TRUE(has("energy.sram_read32_pj"));
    EXPECT_TRUE(has("tanh_lut.entries"));
    EXPECT_EQ(p.cost.energy.pj_45nm[size_t(Action::kFp16Mult)], 1.1);  // Horowitz
    EXPECT_EQ(p.cost.energy.pj_45nm[size_t(Action::kSramRead32)], 5.0);
}

TEST(Ldpu, CostOfTheDocumentedExample) {
    // docs/models/ldpu.md: 256 columns, affine_fp16 + relu + requantize, default parameters.
    const Ldpu ldpu;
    const LdpuCost c = ldpu.cost(affine_relu_requantize(256), 256);
    // 4 (chain) + 3 ops x (2 startup + 256 / 16 lane groups x 1 cycle) = 58 cycles at 1 GHz.
    EXPECT_EQ(c.cycles, 58u);
    EXPECT_DOUBLE_EQ(c.latency_s, 58e-9);
    // Per column at 45 nm: affine 0.05 + 1.1 + 0.4 + 5 (scale+offset read) = 6.55; relu (fp16 compare)
    // 0.05; requantize from FP16 1.1 + 3 x 0.05 = 1.25. Total 7.85 pJ x 256 x 0.25 = 502.4 pJ.
    EXPECT_NEAR(c.energy_pj, 502.4, 1e-9);
    ASSERT_EQ(c.ops.size(), 3u);
    EXPECT_NEAR(c.ops[0].energy_pj, 6.55 * 256 * 0.25, 1e-9);
    EXPECT_EQ(c.ops[1].cycles, 18u);
}

TEST(Ldpu, CostScalesWithColumnsAndLanes) {
    LdpuParams params;
    params.cost.cycles.op_startup = 0;
    params.cost.cycles.chain_startup = 0;
    const Ldpu ldpu(params);
    const LdpuCost c256 = ldpu.cost(affine_relu_requantize(256), 256);
    const LdpuCost c512 = ldpu.cost(affine_relu_requantize(512), 512);
    const LdpuCost c1024 = ldpu.cost(affine_relu_requantize(1024), 1024);
    EXPECT_EQ(c512.cycles, 2 * c256.cycles);  // linear in N (multiples of the lane count)
    EXPECT_EQ(c1024.cycles, 4 * c256.cycles);
    EXPECT_NEAR(c512.energy_pj, 2 * c256.energy_pj, 1e-9);  // energy linear in N
    EXPECT_NEAR(c1024.energy_pj, 4 * c256.energy_pj, 1e-9);
    // A partial lane group costs a whole group.
    EXPECT_EQ(ldpu.cost(affine_relu_requantize(257), 257).cycles, c256.cycles + 3);
    // Twice the lanes: half the cycles, same energy.
    params.cost.lanes = 32;
    const LdpuCost wide = Ldpu(params).cost(affine_relu_requantize(256), 256);
    EXPECT_EQ(2 * wide.cycles, c256.cycles);
    EXPECT_NEAR(wide.energy_pj, c256.energy_pj, 1e-9);
    // Clock and technology factor scale latency and energy.
    params.cost.clock_hz = 500e6;
    params.cost.energy.technology_factor = 0.5;
    const LdpuCost slow = Ldpu(params).cost(affine_relu_requantize(256), 256);
    EXPECT_DOUBLE_EQ(slow.latency_s, 2 * wide.latency_s);
    EXPECT_NEAR(slow.energy_pj, 2 * wide.energy_pj, 1e-9);
    // Per-kind cycles and steps: a partial sum of 3 operands takes 3 passes; a 2x2 pool of a
    // 16 x 16 x 1 tensor produces 64 values in 4 steps each.
    const LdpuCost psum = ldpu.cost({LdpuOp::partial_sum_add({0, 1, 2})}, 256);
    EXPECT_EQ(psum.cycles, 3u * 16);
    const LdpuCost pool = ldpu.cost({LdpuOp::max_pool(PoolWindow{16, 16, 1, 2, 2, 2, 2})}, 256);
    EXPECT_EQ(pool.cycles, 4u * 4);
    // cost() validates like run_chain().
    EXPECT_THROW(ldpu.cost({LdpuOp::requantize(1, 99, 8)}, 256), std::invalid_argument);
}

TEST(Ldpu, CostDependsOnLutInterpolation) {
    LdpuParams params;
    const LdpuChain chain{LdpuOp::affine_fp16({Half::from_double(1)}, {Half{}}), LdpuOp::tanh()};
    const double linear = Ldpu(params).cost(chain, 256).ops[1].energy_pj;
    params.tanh_lut.interpolation = "nearest";
    const double nearest = Ldpu(params).cost(chain, 256).ops[1].energy_pj;
    EXPECT_LT(nearest, linear);
}
