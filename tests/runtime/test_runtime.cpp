// The firmware runtime through the inference app (sw/apps/infer) on aimc-vp's `tiny` platform, with the
// test CNN (tests/compiler/models/cnn.onnx, 4 tiles) compiled for it:
//  - with PCM noise on and the same seed, the platform's outputs equal the reference evaluator's bit
//    for bit (the tiles' clocks held at t = 0, as the evaluator's: tile.drift_update_interval = 1000 s);
//  - with ideal devices (the evaluator's `--devices ideal`, the platform's kIdealDevices --set keys) as well,
//    and with GATHERs written by host stores instead of the DMA engine;
//  - a small batch's accuracy equals the evaluator's and is that of a trained network;
//  - every layer is a region of the simulator's --stats and report, with its tiles, MVMs and energy by part;
//  - every bad input (no model, bad magic, version, CRC, too few tiles, no batch, wrong input size,
//    corrupt batch) prints what is wrong and exits non-zero within the time limit.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <regex>

#include "infer_run.h"

namespace {

using namespace aimc::test;
using namespace aimc::test::runtime;

// The evaluator's `--devices ideal` (ideal_crossbar() in sw/compiler/ref_eval.cpp) as platform parameters:
// no programming, drift, read, retention or device-to-device noise, no stuck devices, ADC gain 1 and
// offset 0 without spread. The drift law is DriftModel{}'s (exponent 0). The ADC's conversion noise and
// INL are periphery, kept by both.
const std::vector<std::string> kIdealDevices = {
    "tile.crossbar.technology.prog_noise.form=constant", "tile.crossbar.technology.prog_noise.coeffs=[0]",
    "tile.crossbar.technology.prog_noise.scale=1", "tile.crossbar.technology.first_pulse_noise=0",
    "tile.crossbar.technology.step_noise=0", "tile.crossbar.technology.step_noise_floor_us=0",
    "tile.crossbar.technology.drift.t0_s=20", "tile.crossbar.technology.drift.mu_a=0",
    "tile.crossbar.technology.drift.mu_b=0", "tile.crossbar.technology.drift.mu_min=0",
    "tile.crossbar.technology.drift.mu_max=1", "tile.crossbar.technology.drift.sd_a=0",
    "tile.crossbar.technology.drift.sd_b=0", "tile.crossbar.technology.drift.sd_min=0",
    "tile.crossbar.technology.drift.sd_max=1", "tile.crossbar.technology.drift.mu_poly=[]",
    "tile.crossbar.technology.drift.sd_poly=[]", "tile.crossbar.technology.drift.mu_split=1",
    "tile.crossbar.technology.drift.sd_split=1", "tile.crossbar.technology.drift.sd_scale=1",
    "tile.crossbar.technology.drift.abs_exponent=false", "tile.crossbar.technology.read_noise.form=none",
    "tile.crossbar.technology.retention_noise.form=constant", "tile.crossbar.technology.retention_noise.coeffs=[0]",
    "tile.crossbar.technology.retention_noise.scale=1", "tile.crossbar.technology.d2d_gmax_std=0",
    "tile.crossbar.technology.stuck_probability=0", "tile.crossbar.adc.gain=1", "tile.crossbar.adc.gain_std=0",
    "tile.crossbar.adc.offset_lsb=0", "tile.crossbar.adc.offset_std_lsb=0"};

// Compiled once for the whole suite: the CNN for tiny, a batch of 24 images with the evaluator's outputs
// (platform devices, and ideal devices).
class Runtime : public ::testing::Test {
protected:
  static constexpr int kImages = 24;
  static constexpr int kSeed = 7;
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const RunResult c = compile("cnn.onnx", "tiny", path("cnn.aimg"));
    ASSERT_EQ(c.exit_code, 0) << describe(c);
    const RunResult d = dataset(path("cnn.aimg"), kImages, path("batch.bin"), path("ref.bin"), "platform", "tiny", kSeed);
    ASSERT_EQ(d.exit_code, 0) << describe(d);
    dataset_out_ = new std::string(d.out);
    const RunResult i =
        dataset(path("cnn.aimg"), kImages, path("batch-ideal.bin"), path("ref-ideal.bin"), "ideal", "tiny", kSeed);
    ASSERT_EQ(i.exit_code, 0) << describe(i);
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete dataset_out_;
  }
  static fs::path path(const std::string& name) { return dir_->path() / name; }

  // The app with `model` and `batch` loaded (either may be empty: not loaded).
  static RunResult infer(const fs::path& model, const fs::path& batch, const std::string& platform = "tiny",
                         const std::vector<std::string>& sets = {}) {
    return aimc::test::runtime::infer(model, batch, platform, kSeed, sets);
  }
  // A copy of `from` with `bytes` at `offset` replaced.
  static fs::path patched(const fs::path& from, const std::string& name, size_t offset, const std::vector<char>& bytes) {
    std::vector<char> b = read_bytes(from);
    std::memcpy(b.data() + offset, bytes.data(), bytes.size());
    write_bytes(path(name), b);
    return path(name);
  }
  static void expect_refused(const RunResult& r, const std::string& message) {
    EXPECT_FALSE(r.timed_out) << describe(r);
    EXPECT_NE(r.exit_code, 0) << describe(r);
    EXPECT_NE(r.exit_code, 124) << "ran into --max-time\n" << describe(r);
    EXPECT_TRUE(contains(r.out, message)) << "missing '" << message << "'\n" << describe(r);
    EXPECT_FALSE(contains(r.out, "accuracy ")) << describe(r);
  }

  static TempDir* dir_;
  static std::string* dataset_out_;
};
TempDir* Runtime::dir_ = nullptr;
std::string* Runtime::dataset_out_ = nullptr;

constexpr int kClasses = 10;

TEST_F(Runtime, OutputsBitIdenticalToEvaluatorWithNoise) {
  ASSERT_TRUE(fs::exists(kInfer)) << kInfer;
  const RunResult r = infer(path("cnn.aimg"), path("batch.bin"));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  expect_outputs_equal(r, read_bytes(path("ref.bin")), kImages, kClasses);
  // Per-layer regions carry the layers' names in the simulator's report.
  EXPECT_TRUE(contains(r.err, "/c1/Conv")) << describe(r);
  EXPECT_TRUE(contains(r.err, "/fc/Gemm")) << describe(r);
  // GATHERs went through the DMA engine: it spent energy.
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\n +dma +[0-9.]*[1-9][0-9.]* uJ)"))) << describe(r);
}

TEST_F(Runtime, EveryLayerIsARegionWithItsTilesMvmsAndEnergyByPart) {
  const fs::path stats_file = path("stats.json");
  const RunResult r = aimc::test::runtime::infer(path("cnn.aimg"), path("batch.bin"), "tiny", kSeed, {}, {}, kInfer,
                                                 {"--stats", stats_file.string()});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.err, "region energy by part")) << describe(r);
  std::ifstream in(stats_file);
  const nlohmann::json s = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(s.is_discarded()) << "--stats output is not JSON";
  uint64_t mvms = 0, tile_mvms = 0;
  double energy = 0;
  int layers_with_mvms = 0;
  for (const auto& t : s["tiles"]) tile_mvms += t["mvms"].get<uint64_t>();
  for (const auto& region : s["regions"]) {
    const std::string name = region["name"];
    double parts = 0;
    for (const char* part : {"dac", "array", "adc", "ldpu", "noc", "host", "static", "other"}) {
      ASSERT_TRUE(region["energy_by_part_j"].contains(part)) << name << ": no " << part;
      parts += region["energy_by_part_j"][part].get<double>();
    }
    EXPECT_NEAR(parts, region["energy_j"].get<double>(), 1e-9 * region["energy_j"].get<double>()) << name;
    mvms += region["mvms"].get<uint64_t>();
    energy += region["energy_j"].get<double>();
    if (name == "/c1/Conv" || name == "/fc/Gemm") {
      // A layer on the tiles: converters and arrays worked, on at least one tile, while it was current.
      EXPECT_GT(region["mvms"].get<uint64_t>(), 0u) << name;
      EXPECT_GE(region["tiles"].get<uint64_t>(), 1u) << name;
      EXPECT_GT(region["energy_by_part_j"]["adc"].get<double>(), 0.0) << name;
      EXPECT_GT(region["energy_by_part_j"]["array"].get<double>(), 0.0) << name;
      ++layers_with_mvms;
    }
  }
  EXPECT_EQ(layers_with_mvms, 2) << s["regions"].dump(1).substr(0, 3000);
  // Every MVM vector and every joule of the run is in exactly one region.
  EXPECT_EQ(mvms, tile_mvms);
  EXPECT_GT(mvms, 0u);
  EXPECT_NEAR(energy, s["energy_j"]["total"].get<double>(), 1e-9 * energy);
}

TEST_F(Runtime, OutputsBitIdenticalWithoutDmaEngine) {
  // The engine moved off the address the HAL probes: the runtime writes GATHERs with host stores.
  const RunResult r = infer(path("cnn.aimg"), path("batch.bin"), "tiny", {"dma.base=0x00120000"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  expect_outputs_equal(r, read_bytes(path("ref.bin")), kImages, kClasses);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\n +dma +0\.000 uJ)"))) << describe(r);
}

TEST_F(Runtime, OutputsBitIdenticalToEvaluatorWithIdealDevices) {
  const std::vector<char> ideal = read_bytes(path("ref-ideal.bin"));
  // The two device models give different outputs on this batch: the comparison tells them apart.
  ASSERT_NE(ideal, read_bytes(path("ref.bin")));
  const RunResult r = infer(path("cnn.aimg"), path("batch-ideal.bin"), "tiny", kIdealDevices);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  expect_outputs_equal(r, ideal, kImages, kClasses);
}

TEST_F(Runtime, SmallBatchAccuracyMatchesEvaluator) {
  const RunResult r = infer(path("cnn.aimg"), path("batch.bin"));
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  std::smatch m, e;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(accuracy ([0-9.]+) over ([0-9]+) images)"))) << describe(r);
  ASSERT_TRUE(std::regex_search(*dataset_out_, e, std::regex(R"(accuracy ([0-9.]+) over)"))) << *dataset_out_;
  EXPECT_EQ(std::stoi(m[2]), kImages);
  EXPECT_NEAR(std::stod(m[1]), std::stod(e[1]), 1e-4);  // same outputs, same argmax
  // The test CNN is trained (about 0.8 on the first test images): a broken runtime guesses (0.1).
  EXPECT_GE(std::stod(m[1]), 0.6);
  for (const char* line : {"latency per image ", "energy per image ", "images per simulated second ", "TOPS/W "})
    EXPECT_TRUE(contains(r.out, line)) << "missing '" << line << "'\n" << describe(r);
}

TEST_F(Runtime, NoModelLoaded) { expect_refused(infer("", path("batch.bin")), "no model image at 0x80400000"); }

TEST_F(Runtime, BadMagic) {
  expect_refused(infer(patched(path("cnn.aimg"), "magic.aimg", 0, {'X'}), path("batch.bin")), "no model image");
}

TEST_F(Runtime, BadVersion) {
  expect_refused(infer(patched(path("cnn.aimg"), "version.aimg", 4, {9, 0}), path("batch.bin")),
                 "model image version 9.0");
}

TEST_F(Runtime, BadCrc) {
  const size_t last = read_bytes(path("cnn.aimg")).size() - 1;
  expect_refused(infer(patched(path("cnn.aimg"), "crc.aimg", last, {0x55}), path("batch.bin")), "model image: CRC");
}

TEST_F(Runtime, TooFewTiles) {
  // The MLP needs 5 tiles of 256x256: compiled for hermes64, run on tiny's 4.
  const RunResult c = compile("mlp.onnx", "hermes64", path("mlp.aimg"));
  ASSERT_EQ(c.exit_code, 0) << describe(c);
  expect_refused(infer(path("mlp.aimg"), path("batch.bin")), "needs 5 tiles (compiled for 'hermes64'), this platform has 4");
}

TEST_F(Runtime, NoBatchLoaded) { expect_refused(infer(path("cnn.aimg"), ""), "no input batch at 0x80800000"); }

TEST_F(Runtime, WrongInputSize) {
  // input_bytes (offset 16) and input_h (offset 22) of another shape; the header is outside the CRC.
  const uint32_t bytes = 27 * 28;
  std::vector<char> b(4);
  std::memcpy(b.data(), &bytes, 4);
  const fs::path p = patched(path("batch.bin"), "size.bin", 16, b);
  expect_refused(infer(path("cnn.aimg"), patched(p, "size2.bin", 22, {27, 0})), "takes 28x28x1 (784 bytes)");
}

TEST_F(Runtime, CorruptBatch) {
  const size_t last = read_bytes(path("batch.bin")).size() - 1;
  expect_refused(infer(path("cnn.aimg"), patched(path("batch.bin"), "bad.bin", last, {0x7f})), "input batch CRC");
}

}  // namespace
