// Drift compensation at inference time (AIMC_IMAGE_FLAG_CALIBRATE, sw/runtime/src/compensation.c) on
// aimc-vp's `tiny` platform with the test CNN (tests/compiler/models/cnn.onnx): with PCM noise on, the
// weights a day old (tile.drift_age) and the tiles recalibrated after programming and before every 3rd
// inference, the platform's outputs equal the reference evaluator's bit for bit; the calibration is not a
// no-op (the evaluator's outputs without it differ); an image with flags the runtime does not know is
// refused. The batch runs pipelined (CALIBRATE points are barriers) and one input at a time, alike.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "infer_run.h"

namespace {

using namespace aimc::test;
using namespace aimc::test::runtime;

constexpr int kImages = 8, kSeed = 11, kClasses = 10;
constexpr const char* kAge = "86400";  // one day, in seconds (evaluator) and as tile.drift_age

// The test CNN for tiny, `extra` compile options; the batch with the evaluator's outputs at the drift age.
void compile_and_reference(const TempDir& dir, const std::string& name, const std::vector<std::string>& extra) {
  const RunResult c = compile("cnn.onnx", "tiny", dir.path() / (name + ".aimg"), extra);
  ASSERT_EQ(c.exit_code, 0) << describe(c);
  const RunResult d = dataset(dir.path() / (name + ".aimg"), kImages, dir.path() / (name + ".bin"),
                              dir.path() / (name + ".ref"), "platform", "tiny", kSeed, {"--drift-age", kAge});
  ASSERT_EQ(d.exit_code, 0) << describe(d);
}

RunResult infer(const fs::path& model, const fs::path& batch) {
  return aimc::test::runtime::infer(model, batch, "tiny", kSeed, {std::string("tile.drift_age=") + kAge + "s"});
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
  expect_outputs_equal(r, ref, kImages, kClasses);
  // The batch ran pipelined, CALIBRATE points as barriers (docs/runtime.md); one input at a time, the same.
  EXPECT_TRUE(contains(r.out, "steps of later inputs begun while the host waited")) << describe(r);
  const RunResult s = infer(dir.path() / "comp.aimg", with_batch_flags(dir.path() / "comp.bin", dir.path() / "seq.bin", 2));
  ASSERT_EQ(s.exit_code, 0) << describe(s);
  EXPECT_TRUE(contains(s.out, "pipelined: no (sequential batch)")) << describe(s);
  expect_outputs_equal(s, ref, kImages, kClasses);
  // The tiles ran CALIBRATE: its energy is in the report (3 rounds: after programming, before images 3 and 6).
  EXPECT_TRUE(contains(r.err, "calibrate")) << describe(r);

  // An image whose flags the runtime does not know (CRC fixed up) is refused by name.
  std::vector<char> bad = read_bytes(dir.path() / "comp.aimg");
  constexpr size_t kFlags = 20, kCrc = 16;  // header offsets of flags and crc32
  bad[kFlags] = char(bad[kFlags] | 0x80);
  std::memset(bad.data() + kCrc, 0, 4);
  const uint32_t crc = crc32(bad);
  std::memcpy(bad.data() + kCrc, &crc, 4);
  write_bytes(dir.path() / "bad.aimg", bad);
  const RunResult b = infer(dir.path() / "bad.aimg", dir.path() / "comp.bin");
  EXPECT_NE(b.exit_code, 0) << describe(b);
  EXPECT_TRUE(contains(b.out, "flags 0x81")) << describe(b);
}

}  // namespace
