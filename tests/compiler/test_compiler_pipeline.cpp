// Quantization, mapping and the model image on the test networks of tests/compiler/models
// (make_test_models.py); the reference evaluator's own tests are in test_ref_eval.cpp. Accuracy checks
// use the first test images of Fashion-MNIST with the tolerance stated at each check; the analog runs
// use fixed seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <set>

#include "aimc/tile_ldpu.h"
#include "compiled_test_models.h"
#include "dpu/ldpu.h"
#include "float_exec.h"
#include "mapper.h"
#include "model_image_io.h"
#include "onnx_import.h"
#include "quantize.h"
#include "ref_eval.h"
#include "tile/ldpu_chain_format.h"

using namespace aimc::compiler;
using namespace aimc::test::compiler;

namespace {

double float_accuracy(const Graph& g, int n) {
    int correct = 0;
    const Shape& in = g.tensor_shapes[size_t(g.inputs[0])];
    for (int i = 0; i < n; ++i) {
        const Tensor y = run_float(g, {image_tensor(test_images(), i, Normalization{}, in)});
        correct += std::max_element(y.data.begin(), y.data.end()) - y.data.begin() == test_images().labels[size_t(i)];
    }
    return double(correct) / n;
}

std::vector<aimc_image_block_t> blocks_of(const ModelImage& img, const std::string& layer) {
    std::vector<aimc_image_block_t> out;
    for (const auto& b : img.blocks)
        if (img.string_at(img.layers[b.layer].name_offset) == layer) out.push_back(b);
    return out;
}

}  // namespace

// Negative sums are the common case of a residual add; the UBSan build caught a left shift of a
// negative quotient here. Reference: nearbyint in the default mode rounds ties to even.
TEST(Quantize, RoundHalfToEvenDivisionMatchesNearbyintForNegativeAndPositiveSums) {
    for (int shift = 0; shift <= 31; ++shift)
        for (int64_t x = -1100; x <= 1100; ++x)
            ASSERT_EQ(rne_div_pow2(x, shift), int64_t(std::nearbyint(std::ldexp(double(x), -shift))))
                << x << " / 2^" << shift;
    EXPECT_EQ(rne_div_pow2(-(int64_t(1) << 40) - 3, 2), -(int64_t(1) << 38) - 1);  // -2^38 - 0.75
    EXPECT_EQ(rne_div_pow2(-6, 2), -2);  // -1.5 -> -2
    EXPECT_EQ(rne_div_pow2(-10, 2), -2); // -2.5 -> -2
    EXPECT_THROW(rne_div_pow2(1, 63), std::invalid_argument);
}

TEST(Quantize, WeightsUseTheCrossbarRangePerChannelAndRescalesFitInt16) {
    const Compiled& c = cached("mlp.onnx");
    int crossbar = 0;
    for (const QLayer& l : c.q.layers) {
        if (l.kind != QKind::kCrossbar) continue;
        ++crossbar;
        ASSERT_EQ(l.weights.size(), size_t(l.K) * size_t(l.Cout));
        for (int o = 0; o < l.Cout; ++o) {
            int peak = 0;
            for (int k = 0; k < l.K; ++k) peak = std::max(peak, std::abs(int(l.weights[size_t(k * l.Cout + o)])));
            EXPECT_EQ(peak, 127) << l.name << " channel " << o;  // per-channel scale: the largest weight maps to 127
            EXPECT_GE(l.multiplier[size_t(o)], 1);
            EXPECT_LE(l.multiplier[size_t(o)], 32767);
        }
        EXPECT_GE(l.shift, 0);
        EXPECT_LE(l.shift, 31);
    }
    EXPECT_EQ(crossbar, 2);
}

TEST(Quantize, FoldsBatchNormFusesReluAndKeepsHostLayers) {
    const Compiled& c = cached("cnn.onnx");
    std::vector<QKind> kinds;
    for (const QLayer& l : c.q.layers) kinds.push_back(l.kind);
    const std::vector<QKind> want = {QKind::kCrossbar, QKind::kMaxPool, QKind::kCrossbar, QKind::kCrossbar,
                                     QKind::kAdd,      QKind::kCrossbar, QKind::kAvgPool, QKind::kCrossbar};
    EXPECT_EQ(kinds, want);
    EXPECT_EQ(c.q.layers[0].activation, AIMC_ACT_RELU);  // Conv + BN + Relu in one layer
    EXPECT_EQ(c.q.layers[3].activation, AIMC_ACT_NONE);  // Conv + BN before the residual add
    EXPECT_TRUE(c.q.layers[4].add_relu);                 // Add + Relu
}

TEST(Quantize, DigitalAccuracyWithinTwoPointsOfFloat) {
    // 300 test images: a point is 3 images. Measured: MLP 82.6 % float vs 82.2 % digital over 1000.
    for (const char* m : {"mlp.onnx", "cnn.onnx"}) {
        const Compiled& c = cached(m);
        const double f = float_accuracy(c.g, 300), d = eval_accuracy(c, Devices::kDigital, 300);
        EXPECT_GT(f, 0.6) << m;
        EXPECT_NEAR(d, f, 0.02) << m;
    }
}

TEST(Quantize, EveryOperatorOfTheOpsNetworkTracksFloatWithinQuantizationError) {
    // Conv, LeakyRelu, padded AveragePool, Sigmoid, Tanh, Reshape, MatMul + Add, Clip: the dequantized
    // digital output stays within 6 output steps (int8 LSBs) of float on every image and class.
    const Compiled& c = cached("ops.onnx");
    RefEvaluator ev(c.img, c.p, Devices::kDigital);
    const double scale = c.img.header.output_scale;
    const Shape& in = c.g.tensor_shapes[size_t(c.g.inputs[0])];
    double worst = 0;
    for (int i = 0; i < 50; ++i) {
        const Tensor want = run_float(c.g, {image_tensor(test_images(), i, Normalization{}, in)});
        const std::vector<int8_t> x = quantize_input(c.q, test_images().image(i));
        const std::vector<int8_t> got = ev.run(x);
        for (size_t k = 0; k < got.size(); ++k) worst = std::max(worst, std::fabs(got[k] * scale - want.data[k]) / scale);
    }
    EXPECT_LT(worst, 6.0);
    EXPECT_GT(worst, 0.0);  // quantized, so not exact
}

TEST(Mapping, MlpFirstLayerSplitsIntoRowAndColumnBlocksWithPartialSumChains) {
    const Compiled& c = cached("mlp.onnx");
    const auto fc1 = blocks_of(c.img, "/fc1/Gemm");
    ASSERT_EQ(fc1.size(), 8u);  // 784 rows: 256 + 256 + 256 + 16; 300 columns: 256 + 44
    std::multiset<int> rows, cols;
    aimc::dpu::Ldpu ldpu;
    for (const auto& b : fc1) {
        rows.insert(b.rows);
        cols.insert(b.cols);
        if (b.row_block == 0) {
            ASSERT_NE(b.chain_offset, AIMC_IMAGE_NO_CHAIN);
            const aimc_image_tile_t* t = nullptr;
            for (const auto& r : c.img.tiles)
                if (r.tile == b.tile) t = &r;
            ASSERT_TRUE(t);
            const auto chain = aimc::tile::decode_ldpu_chain(c.img.blob.data() + t->ldpu_offset, t->ldpu_bytes,
                                                             b.chain_offset, b.cols, ldpu);
            EXPECT_EQ(chain.chain.front().kind, aimc::dpu::LdpuOpKind::kPartialSumAdd);
            EXPECT_EQ(chain.operands.size(), 3u);  // the other three row blocks
            EXPECT_EQ(chain.chain.back().kind, aimc::dpu::LdpuOpKind::kRequantize);
        } else {
            EXPECT_EQ(b.chain_offset, AIMC_IMAGE_NO_CHAIN);  // producers send raw int32 partial sums
        }
    }
    EXPECT_EQ(rows, (std::multiset<int>{16, 16, 256, 256, 256, 256, 256, 256}));
    EXPECT_EQ(cols, (std::multiset<int>{44, 44, 44, 44, 256, 256, 256, 256}));
    int sends = 0;
    for (const auto& s : c.img.steps) sends += s.kind == AIMC_STEP_SEND;
    EXPECT_EQ(sends, 6 + 1);  // fc1: 3 producers x 2 column blocks; fc2 (300 rows): 1
}

TEST(Mapping, BlocksSharingACrossbarDoNotOverlapAndSmallLayersArePacked) {
    for (const char* m : {"mlp.onnx", "cnn.onnx", "ops.onnx"}) {
        const Compiled& c = cached(m);
        std::map<int, std::vector<aimc_image_block_t>> per_tile;
        for (const auto& b : c.img.blocks) {
            EXPECT_LE(b.row0 + b.rows, 256);
            EXPECT_LE(b.col0 + b.cols, 256);
            per_tile[b.tile].push_back(b);
        }
        for (const auto& [t, bs] : per_tile)
            for (size_t i = 0; i < bs.size(); ++i)
                for (size_t j = i + 1; j < bs.size(); ++j) {
                    const bool apart = bs[i].row0 + bs[i].rows <= bs[j].row0 || bs[j].row0 + bs[j].rows <= bs[i].row0 ||
                                       bs[i].col0 + bs[i].cols <= bs[j].col0 || bs[j].col0 + bs[j].cols <= bs[i].col0;
                    EXPECT_TRUE(apart) << m << " tile " << t << " blocks " << i << ", " << j;
                }
    }
    // The CNN's five crossbar layers (first copies) all fit one crossbar.
    const Compiled& cnn = cached("cnn.onnx");
    std::set<int> layers_on_first_tile;
    for (const auto& b : cnn.img.blocks)
        if (b.tile == cnn.img.tiles.front().tile) layers_on_first_tile.insert(b.layer);
    EXPECT_EQ(layers_on_first_tile.size(), 5u);
}

TEST(Mapping, ReplicatesConvLayersOnSpareTilesWithoutChangingResults) {
    const Compiled& rep = cached("cnn.onnx");
    const Compiled one = compile("cnn.onnx", "hermes64", false);
    for (size_t i = 0; i < rep.img.layers.size(); ++i) {
        if (rep.img.layers[i].kind != AIMC_LAYER_CONV) continue;
        EXPECT_EQ(rep.img.layers[i].replicas, 4) << i;
        EXPECT_EQ(one.img.layers[i].replicas, 1) << i;
    }
    EXPECT_GT(rep.rep.tiles_used, one.rep.tiles_used);
    EXPECT_EQ(one.rep.tiles_used, 1);
    // Digital devices are exact: replicas split the pixels but compute the same numbers.
    RefEvaluator a(rep.img, rep.p, Devices::kDigital), b(one.img, one.p, Devices::kDigital);
    for (int i = 0; i < 10; ++i) {
        const std::vector<int8_t> x = quantize_input(rep.q, test_images().image(i));
        EXPECT_EQ(a.run(x), b.run(x)) << i;
    }
}

TEST(Mapping, ANetworkTooLargeForThePlatformNamesTheLayerAndTheTiles) {
    try {
        compile("mlp.onnx", "tiny");
        FAIL() << "mlp.onnx fits tiny?";
    } catch (const CompileError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("'/fc1/Gemm'"), std::string::npos) << what;
        EXPECT_NE(what.find("needs 5 tiles"), std::string::npos) << what;
        EXPECT_NE(what.find("'tiny' has 4"), std::string::npos) << what;
    }
    const Compiled small = compile("cnn.onnx", "tiny");  // the CNN fits the 2x2 chip
    EXPECT_LE(small.rep.tiles_used, 4);
    EXPECT_NEAR(eval_accuracy(small, Devices::kDigital, 100), eval_accuracy(cached("cnn.onnx"), Devices::kDigital, 100), 1e-12);
}

TEST(ModelImage, RoundTripsByteForByteAndPrintsItsLayers) {
    const Compiled& c = cached("cnn.onnx");
    const std::vector<uint8_t> bytes = serialize(c.img);
    const ModelImage back = parse_image(bytes.data(), bytes.size());
    EXPECT_EQ(serialize(back), bytes);
    EXPECT_EQ(back.header.magic, AIMC_IMAGE_MAGIC);
    EXPECT_EQ(back.header.total_bytes, bytes.size());
    EXPECT_EQ(back.header.n_classes, 10);
    EXPECT_STREQ(back.header.platform_name, "hermes64");
    const std::string text = image_summary(back);
    for (const char* name : {"/c1/Conv", "/MaxPool", "/Add", "/GlobalAveragePool", "/fc/Gemm"})
        EXPECT_NE(text.find(name), std::string::npos) << name;
}

TEST(ModelImage, CorruptImagesAreRejectedWithTheReason) {
    const std::vector<uint8_t> good = serialize(cached("mlp.onnx").img);
    auto expect_error = [&](std::vector<uint8_t> bytes, const std::string& words) {
        try {
            parse_image(bytes.data(), bytes.size());
            ADD_FAILURE() << "accepted; expected: " << words;
        } catch (const ImageError& e) {
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    auto with_crc = [](std::vector<uint8_t> b) {
        const uint32_t crc = image_crc32(b.data(), b.size());
        std::memcpy(b.data() + offsetof(aimc_image_header_t, crc32), &crc, 4);
        return b;
    };
    std::vector<uint8_t> b = good;
    b[0] ^= 1;
    expect_error(b, "bad magic");
    b = good;
    b[offsetof(aimc_image_header_t, version_major)] = 9;
    expect_error(with_crc(b), "format version 9.0 is not supported");
    b = good;
    b[b.size() - 7] ^= 0x40;
    expect_error(b, "CRC mismatch");
    expect_error(std::vector<uint8_t>(good.begin(), good.begin() + 100), "shorter than its");
    // Found by the fuzz harness model_image: images the firmware runtime refuses were accepted.
    b = good;
    const uint32_t odd_empty_tiles[2] = {uint32_t(good.size() / 2) | 1, 0};  // tiles_offset, n_tiles
    std::memcpy(b.data() + offsetof(aimc_image_header_t, tiles_offset), odd_empty_tiles, sizeof odd_empty_tiles);
    expect_error(with_crc(b), "tile section at offset");
    b = good;
    for (const size_t field : {offsetof(aimc_image_header_t, n_layers), offsetof(aimc_image_header_t, n_blocks),
                               offsetof(aimc_image_header_t, n_tiles), offsetof(aimc_image_header_t, n_steps),
                               offsetof(aimc_image_header_t, strings_bytes)})
        std::memset(b.data() + field, 0, 4);
    expect_error(with_crc(b), "string section is empty");
    expect_error(std::vector<uint8_t>(good.begin(), good.end() - 4), "total_bytes");
    // A record pointing outside the chip, with a valid CRC: caught by the record checks.
    b = good;
    aimc_image_header_t h;
    std::memcpy(&h, b.data(), sizeof h);
    aimc_image_block_t blk;
    std::memcpy(&blk, b.data() + h.blocks_offset, sizeof blk);
    blk.tile = 60;
    std::memcpy(b.data() + h.blocks_offset, &blk, sizeof blk);
    expect_error(with_crc(b), "block 0: tile 60 >= tiles_needed");
    b = good;
    aimc_image_step_t st;
    std::memcpy(&st, b.data() + h.steps_offset, sizeof st);
    st.kind = 77;
    std::memcpy(b.data() + h.steps_offset, &st, sizeof st);
    expect_error(with_crc(b), "step 0: unknown kind 77");
    // Header flags this reader does not know, and a recalibration period without the CALIBRATE flag.
    b = good;
    b[offsetof(aimc_image_header_t, flags)] = 0x82;
    expect_error(with_crc(b), "flags 0x82 has bits this reader does not know");
    b = good;
    b[offsetof(aimc_image_header_t, calibrate_every)] = 5;
    expect_error(with_crc(b), "calibrate_every = 5 without the CALIBRATE flag");
}

extern "C" size_t aimc_model_image_c_sizes(size_t out[5]);

TEST(ModelImage, TheHeaderHasTheSameLayoutInCAndCpp) {
    size_t c[5];
    EXPECT_EQ(aimc_model_image_c_sizes(c), offsetof(aimc_image_header_t, crc32));
    EXPECT_EQ(c[0], sizeof(aimc_image_header_t));
    EXPECT_EQ(c[1], sizeof(aimc_image_layer_t));
    EXPECT_EQ(c[2], sizeof(aimc_image_block_t));
    EXPECT_EQ(c[3], sizeof(aimc_image_tile_t));
    EXPECT_EQ(c[4], sizeof(aimc_image_step_t));
}

TEST(Quantize, AReluThenAClipFuseIntoOneClampOfTheChain) {
    // image -> Flatten -> Gemm 784x10 -> Relu -> Clip(-1, 3): one crossbar layer clamping to [0, 3].
    Graph g;
    g.file = "built-in";
    g.inputs = {g.add_tensor("image", {1, 1, 28, 28})};
    auto op = [&](OpKind k, int in, const Shape& out) {
        Op o;
        o.kind = k;
        o.name = op_kind_name(k);
        o.onnx_op = o.name;
        o.inputs = {in};
        o.output = g.add_tensor(o.name, out);
        g.ops.push_back(o);
        return o.output;
    };
    const int flat = op(OpKind::kReshape, g.inputs[0], {1, 784});
    const int fc = op(OpKind::kMatrix, flat, {1, 10});
    g.ops.back().weight = Tensor({10, 784, 1, 1});
    for (size_t i = 0; i < g.ops.back().weight.data.size(); ++i) g.ops.back().weight.data[i] = float(int(i % 7) - 3) * 0.01f;
    g.ops.back().bias.assign(10, 0.1f);
    const int relu = op(OpKind::kRelu, fc, {1, 10});
    g.output = op(OpKind::kClip, relu, {1, 10});
    g.ops.back().lo = -1.0f;
    g.ops.back().hi = 3.0f;
    const QNet q = quantize(g, train_images(), Normalization{}, QuantOptions{});
    ASSERT_EQ(q.layers.size(), 1u);
    EXPECT_EQ(q.layers[0].activation, AIMC_ACT_CLIP);
    EXPECT_EQ(q.layers[0].act_lo, 0);
    const double top = 3.0 / q.tensors[size_t(q.layers[0].output)].scale;
    EXPECT_EQ(q.layers[0].act_hi, int32_t(std::min(127.0, std::nearbyint(top))));
}

TEST(Mapping, SmallLayersAreRepeatedDownTheRowsToUseTheAdcRange) {
    const Compiled& with = cached("cnn.onnx");
    const Compiled without = compile("cnn.onnx", "hermes64", true, false);
    std::map<std::string, int> copies;
    for (const QLayer& l : with.q.layers)
        if (l.kind == QKind::kCrossbar) copies[l.name] = l.row_copies;
    // c1 (9 rows of large pixel sums, 47 % of the ADC range at most) fits twice; the 108-row convs fit
    // twice; the 24-row head as often as the rows allow (10 times) with its calibrated sums inside the
    // ADC's full scale; c4's sums already reach 93 % of it.
    EXPECT_EQ(copies, (std::map<std::string, int>{{"/c1/Conv", 2}, {"/c2/Conv", 2}, {"/c3/Conv", 2}, {"/c4/Conv", 1},
                                                  {"/fc/Gemm", 10}}));
    for (const QLayer& l : without.q.layers) EXPECT_EQ(l.row_copies, 1);
    for (const auto& s : with.img.steps) {
        if (s.kind == AIMC_STEP_GATHER) {
            EXPECT_EQ(s.a[11] % s.a[13], 0u);  // whole copies of the patch
        }
    }
    // The outputs with ideal devices (ADC quantization only) stay closer to the digital network's:
    // mean |ideal - digital| of the output codes over 50 images, seed 1.
    auto ideal_error = [](const Compiled& c) {
        RefEvaluator ideal(c.img, c.p, Devices::kIdeal), digital(c.img, c.p, Devices::kDigital);
        double err = 0;
        for (int i = 0; i < 50; ++i) {
            const std::vector<int8_t> x = quantize_input(c.q, test_images().image(i));
            const auto a = ideal.run(x), b = digital.run(x);
            for (size_t k = 0; k < a.size(); ++k) err += std::abs(a[k] - b[k]);
        }
        return err / 500;
    };
    const double e_with = ideal_error(with), e_without = ideal_error(without);
    RecordProperty("ideal_error_with_copies", std::to_string(e_with));
    RecordProperty("ideal_error_without_copies", std::to_string(e_without));
    EXPECT_LT(e_with, 0.7 * e_without) << e_with << " vs " << e_without;
    EXPECT_NEAR(eval_accuracy(with, Devices::kDigital, 300), eval_accuracy(without, Devices::kDigital, 300), 0.02);
}

namespace {

// image -> Conv 1->32 (3x3, stride 2, pad 1) -> Relu -> Conv 32->40 (3x3, pad 1: 288 rows, two row
// blocks) -> Relu -> GlobalAveragePool -> Flatten -> Gemm 40x10, random weights (fixed seed).
Graph row_split_conv_graph() {
    Graph g;
    g.file = "built-in";
    g.inputs = {g.add_tensor("image", {1, 1, 28, 28})};
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    auto op = [&](OpKind k, int in, const Shape& out, const char* name) {
        Op o;
        o.kind = k;
        o.name = name;
        o.onnx_op = op_kind_name(k);
        o.inputs = {in};
        o.output = g.add_tensor(name, out);
        g.ops.push_back(o);
        return o.output;
    };
    auto matrix = [&](int in, const Shape& out, int co, int ci, int k, int stride, int pad, const char* name) {
        const int t = op(OpKind::kMatrix, in, out, name);
        Op& o = g.ops.back();
        o.conv = k > 0;
        o.kernel_h = o.kernel_w = std::max(k, 1);
        o.stride_h = o.stride_w = stride;
        o.pad_t = o.pad_l = o.pad_b = o.pad_r = pad;
        o.weight = Tensor({co, ci, o.kernel_h, o.kernel_w});
        const float s = 1.0f / std::sqrt(float(ci * o.kernel_h * o.kernel_w));
        for (float& w : o.weight.data) w = normal(rng) * s;
        o.bias.resize(size_t(co));
        for (float& b : o.bias) b = 0.1f * normal(rng);
        return t;
    };
    int x = matrix(g.inputs[0], {1, 32, 14, 14}, 32, 1, 3, 2, 1, "conv_a");
    x = op(OpKind::kRelu, x, {1, 32, 14, 14}, "relu_a");
    x = matrix(x, {1, 40, 14, 14}, 40, 32, 3, 1, 1, "conv_b");
    x = op(OpKind::kRelu, x, {1, 40, 14, 14}, "relu_b");
    x = op(OpKind::kGlobalAvgPool, x, {1, 40, 1, 1}, "gap");
    x = op(OpKind::kReshape, x, {1, 40}, "flatten");
    g.output = matrix(x, {1, 10}, 10, 40, 0, 1, 0, "fc");
    return g;
}

}  // namespace

TEST(Mapping, ConvRowBlocksAddPartialSumsOfEveryPixelInTheConsumer) {
    Compiled c;
    c.g = row_split_conv_graph();
    c.p = read_platform("hermes64");
    c.q = quantize(c.g, train_images(), Normalization{}, QuantOptions{});
    c.img = map_network(c.q, c.p, MapOptions{}, &c.rep);
    const auto conv_b = blocks_of(c.img, "conv_b");
    ASSERT_EQ(conv_b.size(), 2u * 4u);  // two row blocks (256 + 32 rows), four replicas
    int multi_vector_mvms = 0;
    for (const auto& s : c.img.steps)
        multi_vector_mvms += s.kind == AIMC_STEP_TILE_CMD && s.a[4] > 1 && c.img.string_at(c.img.layers[s.layer].name_offset) == "conv_b";
    EXPECT_GT(multi_vector_mvms, 0);
    // The digital network against float, and against a mapping without replicas (other chunks).
    Compiled one = c;
    MapOptions no_rep;
    no_rep.replicate = false;
    one.img = map_network(one.q, one.p, no_rep, &one.rep);
    RefEvaluator ev(c.img, c.p, Devices::kDigital), ev1(one.img, one.p, Devices::kDigital);
    const double scale = c.img.header.output_scale;
    double worst = 0;
    for (int i = 0; i < 20; ++i) {
        const Tensor want = run_float(c.g, {image_tensor(test_images(), i, Normalization{}, {1, 1, 28, 28})});
        const std::vector<int8_t> x = quantize_input(c.q, test_images().image(i));
        const std::vector<int8_t> got = ev.run(x);
        EXPECT_EQ(got, ev1.run(x)) << i;
        for (size_t k = 0; k < got.size(); ++k) worst = std::max(worst, std::fabs(got[k] * scale - want.data[k]) / scale);
    }
    EXPECT_LT(worst, 4.0);  // output codes of quantization error at most
}
