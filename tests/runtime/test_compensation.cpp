// Drift compensation at inference time (AIMC_IMAGE_FLAG_CALIBRATE, sw/runtime/src/compensation.c) on
// aimc-vp's `tiny` platform with the test CNN (tests/compiler/models/cnn.onnx): with PCM noise on, the
// weights a day old (tile.drift_age) and the tiles recalibrated after programming and before every 3rd
// inference, the platform's outputs equal the reference evaluator's bit for bit; the calibration is not a
// no-op (the evaluator's outputs without it differ); an image with flags the runtime does not know is
// refused.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../platform/run_process.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using aimc::test::contains;
using aimc::test::describe;
using aimc::test::run_process;
using aimc::test::RunResult;
using aimc::test::TempDir;

const fs::path kBin = AIMC_BIN_DIR;
const fs::path kInfer = fs::path(AIMC_SW_DIR) / "infer.elf";
const fs::path kModels = AIMC_TEST_MODELS;
constexpr int kImages = 8, kSeed = 11, kClasses = 10;
constexpr const char* kAge = "86400";  // one day, in seconds (evaluator) and as tile.drift_age

std::vector<char> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}

// The test CNN for tiny, `extra` compile options; the batch with the evaluator's outputs at the drift age.
void compile_and_reference(const TempDir& dir, const std::string& name, std::vector<std::string> extra) {
  std::vector<std::string> argv = {(kBin / "aimc-compile").string(), (kModels / "cnn.onnx").string(), "--platform",
                                   "tiny", "-o", (dir.path() / (name + ".aimg")).string(), "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  const RunResult c = run_process(argv, 120s);
  ASSERT_EQ(c.exit_code, 0) << describe(c);
  const RunResult d = run_process(
      {(kBin / "aimc-dataset").string(), (dir.path() / (name + ".aimg")).string(), "-n", std::to_string(kImages), "-o",
       (dir.path() / (name + ".bin")).string(), "--reference", (dir.path() / (name + ".ref")).string(), "--devices",
       "platform", "--platform", "tiny", "--seed", std::to_string(kSeed), "--drift-age", kAge, "--print-outputs"},
      120s);
  ASSERT_EQ(d.exit_code, 0) << describe(d);
}

RunResult infer(const fs::path& model, const fs::path& batch) {
  return run_process({(kBin / "aimc-vp").string(), "--platform", "tiny", "--firmware", kInfer.string(), "--seed",
                      std::to_string(kSeed), "--set", "tile.drift_update_interval=1000s", "--set",
                      std::string("tile.drift_age=") + kAge + "s", "--max-time", "20s", "--load",
                      model.string() + "@0x80400000", "--load", batch.string() + "@0x80800000"},
                     240s);
}

uint32_t crc32(const std::vector<char>& b) {  // zlib's, as the image's
  uint32_t crc = 0xFFFFFFFFu;
  for (char c : b) {
    crc ^= uint8_t(c);
    for (int k = 0; k < 8; ++k) crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

TEST(DriftCompensation, PlatformBitIdenticalToEvaluatorWithCalibrateAtDriftAge) {
  ASSERT_TRUE(fs::exists(kInfer)) << kInfer;
  TempDir dir;
  compile_and_reference(dir, "comp", {"--calibrate", "--calibrate-every", "3"});
  compile_and_reference(dir, "plain", {});
  const std::vector<char> ref = read_bytes(dir.path() / "comp.ref"), plain = read_bytes(dir.path() / "plain.ref");
  ASSERT_EQ(ref.size(), size_t(kImages) * kClasses);
  ASSERT_EQ(plain.size(), ref.size());
  // Recalibrating a day after programming changes the outputs: the comparison below can fail.
  EXPECT_NE(ref, plain) << "CALIBRATE at the drift age left every output unchanged";

  const RunResult r = infer(dir.path() / "comp.aimg", dir.path() / "comp.bin");
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  std::istringstream lines(r.out);
  std::string line;
  int seen = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("out ", 0) != 0) continue;
    std::istringstream f(line.substr(4));
    int index = -1, v = 0;
    f >> index;
    ASSERT_EQ(index, seen) << line;
    for (int k = 0; k < kClasses; ++k) {
      ASSERT_TRUE(f >> v) << line;
      EXPECT_EQ(v, int(ref[size_t(index) * kClasses + size_t(k)])) << "image " << index << " output " << k;
    }
    ++seen;
  }
  EXPECT_EQ(seen, kImages) << describe(r);
  // The tiles ran CALIBRATE: its energy is in the report (3 rounds: after programming, before images 3 and 6).
  EXPECT_TRUE(contains(r.err, "calibrate")) << describe(r);

  // An image whose flags the runtime does not know (CRC fixed up) is refused by name.
  std::vector<char> bad = read_bytes(dir.path() / "comp.aimg");
  constexpr size_t kFlags = 20, kCrc = 16;  // header offsets of flags and crc32
  bad[kFlags] = char(bad[kFlags] | 0x80);
  std::memset(bad.data() + kCrc, 0, 4);
  const uint32_t crc = crc32(bad);
  std::memcpy(bad.data() + kCrc, &crc, 4);
  {
    std::ofstream f(dir.path() / "bad.aimg", std::ios::binary);
    f.write(bad.data(), std::streamsize(bad.size()));
  }
  const RunResult b = infer(dir.path() / "bad.aimg", dir.path() / "comp.bin");
  EXPECT_NE(b.exit_code, 0) << describe(b);
  EXPECT_TRUE(contains(b.out, "flags 0x81")) << describe(b);
}

}  // namespace
