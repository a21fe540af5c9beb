// The reference evaluator (sw/compiler/ref_eval) on the test networks of tests/compiler/models: seeds,
// device models, drift and calibration, images it must refuse, and mutated images it must reject or
// run without crashing. Accuracy checks use the first test images of Fashion-MNIST with the tolerance
// stated at each check; the analog runs and the mutations use fixed seeds.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "compiled_test_models.h"
#include "model_image_io.h"
#include "ref_eval.h"

using namespace aimc::compiler;
using namespace aimc::test::compiler;

namespace {

// The first n test images through a, b and other: a and b (the same seed and age) must agree on each;
// returns on how many of them `other` gives another output.
int agree_and_count_differing(RefEvaluator& a, RefEvaluator& b, RefEvaluator& other, const QNet& q, int n) {
    int differ = 0;
    for (int i = 0; i < n; ++i) {
        const std::vector<int8_t> x = quantize_input(q, test_images().image(i));
        const auto ya = a.run(x);
        EXPECT_EQ(ya, b.run(x)) << i;
        differ += ya != other.run(x);
    }
    return differ;
}

}  // namespace

TEST(RefEvaluator, SameSeedReproducesEveryOutputAndAnotherSeedChangesThem) {
    const Compiled& c = cached("mlp.onnx");
    PlatformGeometry p2 = c.p;
    p2.seed = 7;
    RefEvaluator a(c.img, c.p, Devices::kPlatform), b(c.img, c.p, Devices::kPlatform), d(c.img, p2, Devices::kPlatform);
    EXPECT_GT(agree_and_count_differing(a, b, d, c.q, 5), 0);
}

TEST(RefEvaluator, IdealAndPcmDevicesStayNearTheDigitalNetwork) {
    // 300 images, fixed seed 1. Measured (1000 images): MLP digital 82.2, ideal 84.6; CNN digital 72.5,
    // ideal 69.1 (the 8-bit ADC's range of 10 full rows costs the CNN's small layers resolution).
    for (const char* m : {"mlp.onnx", "cnn.onnx"}) {
        const Compiled& c = cached(m);
        const double d = eval_accuracy(c, Devices::kDigital, 300);
        EXPECT_NEAR(eval_accuracy(c, Devices::kIdeal, 300), d, 0.05) << m;
        EXPECT_NEAR(eval_accuracy(c, Devices::kPlatform, 300), d, 0.07) << m;
    }
}

TEST(RefEvaluator, ImagesForAnotherCrossbarOrTooFewTilesAreRefused) {
    const Compiled& c = cached("mlp.onnx");
    PlatformGeometry tiny = read_platform("tiny");
    EXPECT_THROW(RefEvaluator(c.img, tiny, Devices::kDigital), ImageError);  // needs 5 tiles
    PlatformGeometry isaac = read_platform("isaac");
    try {
        RefEvaluator ev(c.img, isaac, Devices::kDigital);
        ADD_FAILURE() << "accepted a 256x256 image on 128x128 crossbars";
    } catch (const ImageError& e) {
        EXPECT_NE(std::string(e.what()).find("256x256"), std::string::npos) << e.what();
    }
}

TEST(RefEvaluator, AnInputOfTheWrongSizeIsAnErrorNamingBothSizes) {
    // The evaluator copies exactly the header's input_c x h x w bytes: a shorter or longer input is
    // refused before anything is read (a mutated header once made it read past the caller's buffer).
    const Compiled& c = cached("cnn.onnx");
    RefEvaluator ev(c.img, c.p, Devices::kDigital);
    std::vector<int8_t> x = quantize_input(c.q, test_images().image(0));
    const size_t n = x.size();
    x.pop_back();
    try {
        ev.run(x);
        FAIL() << "a short input was accepted";
    } catch (const ImageError& e) {
        EXPECT_NE(std::string(e.what()).find("input of " + std::to_string(n - 1) + " bytes"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("= " + std::to_string(n)), std::string::npos) << e.what();
    }
    x.resize(n + 1);
    EXPECT_THROW(ev.run(x), ImageError);
    x.resize(n);
    EXPECT_NO_THROW(ev.run(x));
}

TEST(RefEvaluator, DriftAgeOnceAfterProgrammingAsTheTileDoes) {
    // tile.drift_age: the PCM weights read a month after programming give other outputs than at t = 0,
    // and the same age reproduces them (seed 1, 5 images).
    const Compiled& c = cached("mlp.onnx");
    PlatformGeometry aged = c.p;
    aged.drift_age = 30 * 86400.0;
    RefEvaluator fresh(c.img, c.p, Devices::kPlatform), a(c.img, aged, Devices::kPlatform), b(c.img, aged, Devices::kPlatform);
    EXPECT_EQ(agree_and_count_differing(a, b, fresh, c.q, 5), 5);
}

TEST(RefEvaluator, CalibrateFlagRecalibratesEveryTileAfterProgrammingAndEveryNthRun) {
    // An image flagged CALIBRATE, every 2nd run: a month after programming the evaluator calibrates every
    // analog tile once at setup and again before runs 2 and 4 (as the runtime does); the refitted scale
    // changes the outputs of the uncalibrated image; digital devices have nothing to calibrate.
    const Compiled& c = cached("mlp.onnx");
    PlatformGeometry aged = c.p;
    aged.drift_age = 30 * 86400.0;
    ModelImage img = c.img;
    img.header.flags |= AIMC_IMAGE_FLAG_CALIBRATE;
    img.header.calibrate_every = 2;
    RefEvaluator cal(img, aged, Devices::kPlatform), plain(c.img, aged, Devices::kPlatform),
        dig(img, aged, Devices::kDigital);
    const uint64_t tiles = img.tiles.size();
    EXPECT_EQ(cal.stats().calibrations, tiles);
    int differ = 0;
    for (int i = 0; i < 5; ++i) {
        const std::vector<int8_t> x = quantize_input(c.q, test_images().image(i));
        differ += cal.run(x) != plain.run(x);
        dig.run(x);
    }
    EXPECT_EQ(cal.stats().calibrations, 3 * tiles);
    EXPECT_EQ(dig.stats().calibrations, 0u);
    EXPECT_GE(differ, 3);
}

TEST(ModelImage, MutatedImagesAreRejectedOrRunWithoutCrashing) {
    // 300 images with random bytes changed (fixed seed) and the CRC made valid again: parse_image and
    // the evaluator either accept them or throw ImageError; nothing else may happen.
    const Compiled& c = cached("cnn.onnx");
    const std::vector<uint8_t> good = serialize(c.img);
    const uint32_t records_end = parse_image(good.data(), good.size()).header.strings_offset;
    std::mt19937 rng(12345);
    int rejected = 0, ran = 0;
    for (int k = 0; k < 300; ++k) {
        std::vector<uint8_t> b = good;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f) {
            // Mostly the records (header, layers, blocks, tiles, steps), sometimes anywhere.
            const size_t span = rng() % 4 ? size_t(records_end) : b.size();
            b[rng() % span] = uint8_t(rng());
        }
        const uint32_t crc = image_crc32(b.data(), b.size());
        std::memcpy(b.data() + offsetof(aimc_image_header_t, crc32), &crc, 4);
        try {
            const ModelImage m = parse_image(b.data(), b.size());
            RefEvaluator ev(m, c.p, Devices::kDigital);
            const std::vector<int8_t> x = quantize_input(c.q, test_images().image(0));
            ev.run(x);
            ++ran;
        } catch (const ImageError&) {
            ++rejected;
        }
    }
    EXPECT_GT(rejected, 0);
    EXPECT_GT(ran, 0);
}
