// The binary LDPU chain format (aimc/tile_ldpu.h): decoding into dpu::LdpuChain, every malformed
// field rejected with a message naming it, and the buffer element conversions.
#include <cstddef>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "aimc/tile_ldpu.h"
#include "tile/ldpu_chain_format.h"
#include "tile_bench.h"

namespace aimc::tile {
namespace {

using dpu::Half;
using dpu::LdpuOp;
using test::ChainBuilder;

// An LDPU memory with a chain at `at` and whatever parameter arrays the test puts in.
struct Mem {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(4096);
    void put(uint32_t at, const std::vector<uint8_t>& b) { std::memcpy(bytes.data() + at, b.data(), b.size()); }
    DecodedChain decode(uint32_t at, size_t columns, const dpu::Ldpu& ldpu = dpu::Ldpu()) const {
        return decode_ldpu_chain(bytes.data(), bytes.size(), at, columns, ldpu);
    }
};

Eigen::VectorXi random_input(size_t n, int range, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> d(-range, range);
    Eigen::VectorXi x(static_cast<Eigen::Index>(n));
    for (auto& v : x) v = d(rng);
    return x;
}

TEST(LdpuChainFormat, LayoutIsFixed) {
    EXPECT_EQ(sizeof(aimc_ldpu_chain_t), 8u);
    EXPECT_EQ(sizeof(aimc_ldpu_op_t), 88u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, multiplier), 4u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, lo), 8u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, scale_offset), 16u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, bias_offset), 20u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, in_frac_bits), 24u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, n_operands), 26u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, pool_height), 28u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, kernel_h), 34u);
    EXPECT_EQ(offsetof(aimc_ldpu_op_t, operands), 40u);
    EXPECT_EQ(AIMC_LDPU_OP_OFFSET(2), 8u + 2 * 88u);
    const uint32_t magic = AIMC_LDPU_CHAIN_MAGIC;
    EXPECT_EQ(std::memcmp(&magic, "LDPU", 4), 0);
}

TEST(LdpuChainFormat, AffineReluRequantizeMatchesTheFactoryChain) {
    const size_t n = 32;
    std::vector<double> scale(n), bias(n);
    for (size_t c = 0; c < n; ++c) {
        scale[c] = 0.01 * double(c + 1);
        bias[c] = -0.5 + 0.125 * double(c % 8);
    }
    Mem m;
    m.put(1024, test::halves_bytes(scale));
    m.put(2048, test::halves_bytes(bias));
    ChainBuilder b;
    b.add(ChainBuilder::affine_fp16(1024, 2048)).add(ChainBuilder::op(AIMC_LDPU_OP_RELU)).add(ChainBuilder::requantize(1, 0, 8));
    m.put(64, b.bytes());
    const DecodedChain d = m.decode(64, n);
    ASSERT_EQ(d.chain.size(), 3u);
    EXPECT_EQ(d.offset, 64u);
    EXPECT_EQ(d.input_type, uint32_t(AIMC_LDPU_TYPE_INT32));
    EXPECT_TRUE(d.operands.empty());
    EXPECT_EQ(d.output().format, dpu::DataFormat::integer(8));
    EXPECT_EQ(d.output().length, n);
    EXPECT_EQ(d.output_bytes(), n);

    std::vector<Half> hs, hb;
    for (size_t c = 0; c < n; ++c) {
        hs.push_back(Half::from_double(scale[c]));
        hb.push_back(Half::from_double(bias[c]));
    }
    const dpu::LdpuChain ref = {LdpuOp::affine_fp16(hs, hb), LdpuOp::relu(), LdpuOp::requantize(1, 0, 8)};
    const dpu::Ldpu ldpu;
    const Eigen::VectorXi x = random_input(n, 2000, 1);
    const auto got = ldpu.run_chain(d.chain, x), want = ldpu.run_chain(ref, x);
    EXPECT_EQ(got.output.values, want.output.values);
    EXPECT_EQ(ldpu.cost(d.chain, n).energy_pj, ldpu.cost(ref, n).energy_pj);
}

TEST(LdpuChainFormat, BroadcastAndMissingBias) {
    Mem m;
    m.put(512, test::halves_bytes({0.5}));
    ChainBuilder b;
    b.add(ChainBuilder::affine_fp16(512, AIMC_LDPU_NONE, AIMC_LDPU_F_SCALE_BROADCAST));
    m.put(0, b.bytes());
    const DecodedChain d = m.decode(0, 300);  // 300 columns but one scale: nothing else is read
    ASSERT_EQ(d.chain[0].scale_fp16.size(), 1u);
    EXPECT_EQ(d.chain[0].scale_fp16[0].to_double(), 0.5);
    ASSERT_EQ(d.chain[0].offset_fp16.size(), 1u);
    EXPECT_EQ(d.chain[0].offset_fp16[0].to_double(), 0.0);
    EXPECT_EQ(d.output().format, dpu::DataFormat::fp16());
    EXPECT_EQ(d.output_bytes(), 600u);
}

TEST(LdpuChainFormat, AffineFixedReadsInt16ScaleAndInt32Bias) {
    const size_t n = 4;
    const int16_t scale[n] = {3, -7, 100, 32767};
    const int32_t bias[n] = {-100000, 5, 0, 70000};
    Mem m;
    std::memcpy(m.bytes.data() + 256, scale, sizeof scale);
    std::memcpy(m.bytes.data() + 512, bias, sizeof bias);
    auto o = ChainBuilder::op(AIMC_LDPU_OP_AFFINE_FIXED);
    o.scale_offset = 256;
    o.bias_offset = 512;
    o.shift = 4;
    m.put(0, ChainBuilder().add(o).bytes());
    const DecodedChain d = m.decode(0, n);
    EXPECT_EQ(d.chain[0].scale, (std::vector<int32_t>{3, -7, 100, 32767}));
    EXPECT_EQ(d.chain[0].offset, (std::vector<int32_t>{-100000, 5, 0, 70000}));
    EXPECT_EQ(d.chain[0].shift, 4u);
    EXPECT_EQ(d.output_bytes(), 16u);  // int32 out
}

TEST(LdpuChainFormat, OperandsBecomeRunChainOperandIndices) {
    auto ps = ChainBuilder::op(AIMC_LDPU_OP_PARTIAL_SUM_ADD);
    ps.n_operands = 2;
    ps.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT32, 0x100, 64);
    ps.operands[1] = ChainBuilder::operand(AIMC_LDPU_MEM_OUT, AIMC_LDPU_TYPE_INT16, 0x800, 0);
    auto rq = ChainBuilder::requantize(1, 2, 8);
    auto add = ChainBuilder::op(AIMC_LDPU_OP_ELTWISE_ADD);
    add.n_operands = 1;
    add.multiplier = 1;
    add.multiplier_b = 2;
    add.out_bits = 8;
    add.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT8, 0x2000, 16);
    Mem m;
    m.put(0, ChainBuilder().add(ps).add(rq).add(add).bytes());
    const DecodedChain d = m.decode(0, 16);
    ASSERT_EQ(d.operands.size(), 3u);
    EXPECT_EQ(d.chain[0].operands, (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(d.chain[2].operands, (std::vector<uint32_t>{2}));
    EXPECT_EQ(d.operands[1].memory, uint32_t(AIMC_LDPU_MEM_OUT));
    EXPECT_EQ(d.operands[1].type, uint32_t(AIMC_LDPU_TYPE_INT16));
    EXPECT_EQ(d.operands[1].offset, 0x800u);
    EXPECT_EQ(d.operands[2].stride, 16u);
    EXPECT_EQ(d.operands[2].length, 16u);

    const dpu::Ldpu ldpu;
    const Eigen::VectorXi x = random_input(16, 300, 2);
    const std::vector<Eigen::VectorXi> ops = {random_input(16, 300, 3), random_input(16, 300, 4),
                                              random_input(16, 100, 5)};
    const dpu::LdpuChain ref = {LdpuOp::partial_sum_add({0, 1}), LdpuOp::requantize(1, 2, 8),
                                LdpuOp::eltwise_add(2, 1, 2, 0, 8)};
    EXPECT_EQ(ldpu.run_chain(d.chain, x, ops).output.values, ldpu.run_chain(ref, x, ops).output.values);
}

TEST(LdpuChainFormat, PoolingShrinksTheVector) {
    auto rq = ChainBuilder::requantize(1, 0, 8);
    auto pool = ChainBuilder::op(AIMC_LDPU_OP_MAX_POOL);
    pool.pool_height = 4;
    pool.pool_width = 4;
    pool.pool_channels = 2;
    pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 2;
    Mem m;
    m.put(0, ChainBuilder().add(rq).add(pool).bytes());
    const DecodedChain d = m.decode(0, 32);
    EXPECT_EQ(d.output().length, 8u);
    EXPECT_EQ(d.output_bytes(), 8u);
    pool.kind = AIMC_LDPU_OP_AVG_POOL;
    m.put(0, ChainBuilder().add(rq).add(pool).bytes());
    EXPECT_EQ(m.decode(0, 32).chain[1].kind, dpu::LdpuOpKind::kAvgPool);
}

TEST(LdpuChainFormat, BoundsActivationsAndFrac) {
    Mem m;
    m.put(100, test::halves_bytes({1.0}));
    auto clip = ChainBuilder::op(AIMC_LDPU_OP_CLIP);
    clip.flags = AIMC_LDPU_F_FP16_BOUNDS;
    clip.lo = Half::from_double(-1.5).bits;
    clip.hi = Half::from_double(6.0).bits;
    auto mx = ChainBuilder::op(AIMC_LDPU_OP_MAX);
    mx.lo = -3;  // on int8 data
    auto th = ChainBuilder::op(AIMC_LDPU_OP_TANH);
    th.in_frac_bits = 4;
    th.out_frac_bits = 6;
    ChainBuilder b;
    b.add(ChainBuilder::affine_fp16(100, AIMC_LDPU_NONE, AIMC_LDPU_F_SCALE_BROADCAST))
        .add(clip)
        .add(ChainBuilder::op(AIMC_LDPU_OP_SIGMOID))
        .add(ChainBuilder::requantize(64, 0, 8))
        .add(mx)
        .add(th);
    m.put(0, b.bytes());
    const DecodedChain d = m.decode(0, 8);
    EXPECT_EQ(d.chain[1].lo, -1.5);
    EXPECT_EQ(d.chain[1].hi, 6.0);
    EXPECT_EQ(d.chain[2].kind, dpu::LdpuOpKind::kSigmoid);
    EXPECT_EQ(d.chain[4].lo, -3.0);
    EXPECT_EQ(d.chain[5].in_frac_bits, 4u);
    EXPECT_EQ(d.chain[5].out_frac_bits, 6u);
}

// Every malformed field: rejected, and the message says where.
TEST(LdpuChainFormat, MalformedChainsAreRejectedWithTheField) {
    auto expect_bad = [](const Mem& m, uint32_t at, size_t columns, const std::string& needle) {
        try {
            m.decode(at, columns);
            ADD_FAILURE() << "accepted; expected an error mentioning '" << needle << "'";
        } catch (const ChainFormatError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    const auto good = ChainBuilder().add(ChainBuilder::op(AIMC_LDPU_OP_RELU)).bytes();
    {
        Mem m;
        expect_bad(m, 0, 8, "magic");  // zeroed memory
        expect_bad(m, 4090, 8, "header runs past the end");
        expect_bad(m, 0xFFFFFFF0u, 8, "header runs past the end");
    }
    {
        Mem m;
        m.put(0, good);
        EXPECT_NO_THROW(m.decode(0, 8));
        m.bytes[4] = 0;  // n_ops
        expect_bad(m, 0, 8, "n_ops = 0");
        m.bytes[4] = AIMC_LDPU_MAX_OPS + 1;
        expect_bad(m, 0, 8, "n_ops = 17");
        m.bytes[4] = 1;
        m.bytes[5] = 7;  // input_type
        expect_bad(m, 0, 8, "input_type = 7");
        m.bytes[5] = 0;
        m.bytes[6] = 1;
        expect_bad(m, 0, 8, "reserved");
    }
    {
        Mem m;
        m.put(4096 - 8, std::vector<uint8_t>(good.begin(), good.begin() + 8));  // header fits, op does not
        expect_bad(m, 4096 - 8, 8, "1 ops run past the end");
    }
    auto one = [](const aimc_ldpu_op_t& o) {
        Mem m;
        m.put(0, ChainBuilder().add(o).bytes());
        return m;
    };
    expect_bad(one(ChainBuilder::op(0)), 0, 8, "kind = 0");
    expect_bad(one(ChainBuilder::op(99)), 0, 8, "kind = 99");
    {
        auto o = ChainBuilder::op(AIMC_LDPU_OP_RELU);
        o.flags = AIMC_LDPU_F_SCALE_BROADCAST;
        expect_bad(one(o), 0, 8, "relu: flags 0x1");
        o.flags = 0;
        o.reserved1 = 3;
        expect_bad(one(o), 0, 8, "reserved");
        o.reserved1 = 0;
        o.n_operands = 1;
        expect_bad(one(o), 0, 8, "n_operands = 1 is not 0..0");
    }
    {
        auto ps = ChainBuilder::op(AIMC_LDPU_OP_PARTIAL_SUM_ADD);
        expect_bad(one(ps), 0, 8, "n_operands = 0 is not 1..4");
        ps.n_operands = 5;
        expect_bad(one(ps), 0, 8, "n_operands = 5");
        ps.n_operands = 1;
        ps.operands[0] = ChainBuilder::operand(2, AIMC_LDPU_TYPE_INT32, 0, 0);
        expect_bad(one(ps), 0, 8, "operands[0].memory = 2");
        ps.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, 9, 0, 0);
        expect_bad(one(ps), 0, 8, "operands[0].type = 9");
        ps.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT32, 0, 0);
        ps.operands[0].reserved = 1;
        expect_bad(one(ps), 0, 8, "operands[0].reserved");
    }
    {
        auto add = ChainBuilder::op(AIMC_LDPU_OP_ELTWISE_ADD);
        add.n_operands = 2;
        expect_bad(one(add), 0, 8, "n_operands = 2 is not 1..1");
    }
    expect_bad(one(ChainBuilder::affine_fp16(4000, AIMC_LDPU_NONE)), 0, 256, "'scale_offset' = 0xfa0");
    expect_bad(one(ChainBuilder::affine_fp16(0, 0xFFFFFFFE)), 0, 8, "'bias_offset'");
    // The LDPU's own checks, with the op index and field.
    expect_bad(one(ChainBuilder::requantize(1, 0, 1)), 0, 8, "out_bits");
    {
        auto add = ChainBuilder::op(AIMC_LDPU_OP_ELTWISE_ADD);  // on int32 data: wrong input format
        add.n_operands = 1;
        add.out_bits = 8;
        expect_bad(one(add), 0, 8, "op 0 (eltwise_add)");
    }
    {
        auto pool = ChainBuilder::op(AIMC_LDPU_OP_MAX_POOL);  // 2x2x2 = 8 elements, not 12
        pool.pool_height = pool.pool_width = pool.pool_channels = 2;
        pool.kernel_h = pool.kernel_w = pool.stride_h = pool.stride_w = 1;
        expect_bad(one(pool), 0, 12, "max_pool");
    }
    {
        Mem m;
        m.put(0, good);
        expect_bad(m, 0, 0, "empty");
        expect_bad(m, 0, 5000, "max_columns");
    }
}

TEST(LdpuChainFormat, ElementConversionsRoundTrip) {
    const uint8_t raw8[] = {0x7F, 0x80, 0xFF, 0x00};
    EXPECT_EQ(load_elements(raw8, AIMC_LDPU_TYPE_INT8, 4), (Eigen::Vector4i(127, -128, -1, 0)));
    const int16_t raw16[] = {-32768, 32767, -2};
    EXPECT_EQ(load_elements(reinterpret_cast<const uint8_t*>(raw16), AIMC_LDPU_TYPE_INT16, 3),
              (Eigen::Vector3i(-32768, 32767, -2)));
    const int32_t raw32[] = {INT32_MIN, 123456789};
    EXPECT_EQ(load_elements(reinterpret_cast<const uint8_t*>(raw32), AIMC_LDPU_TYPE_INT32, 2),
              (Eigen::Vector2i(INT32_MIN, 123456789)));
    EXPECT_EQ(ldpu_type_bytes(AIMC_LDPU_TYPE_INT16), 2u);
    EXPECT_EQ(ldpu_type_bytes(42), 0u);

    dpu::LdpuVector v;
    v.format = dpu::DataFormat::integer(8);
    v.values = Eigen::Vector3d(-128, 5, 127);
    uint8_t b8[3];
    store_vector(v, b8);
    EXPECT_EQ(load_elements(b8, AIMC_LDPU_TYPE_INT8, 3), (Eigen::Vector3i(-128, 5, 127)));
    v.format = dpu::DataFormat::integer(12);
    v.values = Eigen::Vector3d(-2048, 0, 2047);
    uint8_t b16[6];
    store_vector(v, b16);
    EXPECT_EQ(load_elements(b16, AIMC_LDPU_TYPE_INT16, 3), (Eigen::Vector3i(-2048, 0, 2047)));
    v.format = dpu::DataFormat::fp16();
    v.values = Eigen::Vector3d(1.5, -0.25, 65504);
    store_vector(v, b16);
    uint16_t h[3];
    std::memcpy(h, b16, 6);
    EXPECT_EQ(Half::from_bits(h[0]).to_double(), 1.5);
    EXPECT_EQ(Half::from_bits(h[1]).to_double(), -0.25);
    EXPECT_EQ(Half::from_bits(h[2]).to_double(), 65504);
    uint8_t b32[8];
    store_int32(Eigen::Vector2i(-7, 1 << 30), b32);
    EXPECT_EQ(load_elements(b32, AIMC_LDPU_TYPE_INT32, 2), (Eigen::Vector2i(-7, 1 << 30)));
}

}  // namespace
}  // namespace aimc::tile
