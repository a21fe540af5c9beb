// Pipelined batches (aimc_rt_run_batch, sw/runtime/src/pipeline.c) through the inference app on aimc-vp's
// `tiny` platform with the test CNN, PCM noise on, the tiles' clocks held at t = 0:
//  - the pipelined batch (the app's default) and the same batch one input at a time (the batch flag
//    AIMC_BATCH_SEQUENTIAL) give the reference evaluator's outputs bit for bit, with the DMA engine and
//    with host stores; the pipelined run did overlap inputs, and the host slept less on the tiles;
//  - a sharded run goes one input at a time (each input on its own noise stream);
//  - the batch API's error paths and fallbacks (sw/apps/infer/batch_check.c): no model, not programmed,
//    no inputs, overlapping inputs, wrong size, an error in a later input (named, in the pipelined run the
//    next input runs into it first), an arena of one activation set.
#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "infer_run.h"

namespace {

using namespace aimc::test;
using namespace aimc::test::runtime;

constexpr int kImages = 12, kSeed = 5, kClasses = 10;
constexpr uint16_t kSequential = 2;  // AIMC_BATCH_SEQUENTIAL

class Pipeline : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const RunResult c = compile("cnn.onnx", "tiny", path("cnn.aimg"));
    ASSERT_EQ(c.exit_code, 0) << describe(c);
    const RunResult d = dataset(path("cnn.aimg"), kImages, path("batch.bin"), path("ref.bin"), "platform", "tiny", kSeed);
    ASSERT_EQ(d.exit_code, 0) << describe(d);
    with_batch_flags(path("batch.bin"), path("batch-seq.bin"), kSequential);
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path path(const std::string& name) { return dir_->path() / name; }

  // Pipelined and one input at a time with `sets`: both the evaluator's outputs, the pipelined run
  // overlapping inputs and sleeping less on the tiles.
  static void expect_pipelined_as_sequential(const std::vector<std::string>& sets) {
    const RunResult p = infer(path("cnn.aimg"), path("batch.bin"), "tiny", kSeed, sets);
    const RunResult s = infer(path("cnn.aimg"), path("batch-seq.bin"), "tiny", kSeed, sets);
    ASSERT_EQ(p.exit_code, 0) << describe(p);
    ASSERT_EQ(s.exit_code, 0) << describe(s);
    const std::vector<char> ref = read_bytes(path("ref.bin"));
    expect_outputs_equal(p, ref, kImages, kClasses);
    expect_outputs_equal(s, ref, kImages, kClasses);
    EXPECT_EQ(outputs_of(p.out), outputs_of(s.out));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(p.out, m, std::regex(R"(pipelined: ([0-9]+) steps of later inputs)"))) << describe(p);
    EXPECT_GT(std::stoi(m[1]), 0) << describe(p);
    EXPECT_TRUE(contains(s.out, "pipelined: no (sequential batch)")) << describe(s);
    EXPECT_LT(asleep_us(p), asleep_us(s)) << describe(p) << describe(s);
  }
  static double asleep_us(const RunResult& r) {
    std::smatch m;
    if (!std::regex_search(r.out, m, std::regex(R"(host asleep on tiles per image ([0-9.]+) us)"))) return -1;
    return std::stod(m[1]);
  }

  static TempDir* dir_;
};
TempDir* Pipeline::dir_ = nullptr;

TEST_F(Pipeline, BitIdenticalToSequentialAndEvaluatorWithNoise) {
  ASSERT_TRUE(fs::exists(kInfer)) << kInfer;
  expect_pipelined_as_sequential({});
}

TEST_F(Pipeline, BitIdenticalWithoutDmaEngine) {
  // The engine moved off the address the HAL probes: GATHERs and READs by host stores and loads.
  expect_pipelined_as_sequential({"dma.base=0x00120000"});
}

TEST_F(Pipeline, ShardRunsOneInputAtATime) {
  const fs::path block = path("shard.bin");
  const std::vector<uint32_t> words = {0x44524853u, 1, 2, 3};  // "SHRD", version 1, inputs 2..4
  std::vector<char> bytes(16);
  std::memcpy(bytes.data(), words.data(), 16);
  write_bytes(block, bytes);
  const RunResult r = infer(path("cnn.aimg"), path("batch.bin"), "tiny", kSeed, {}, {block.string() + "@0x80F00000"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "pipelined: no (a shard runs its inputs one at a time)")) << describe(r);
  EXPECT_TRUE(contains(r.out, "inputs 3 from 2:")) << describe(r);
}

TEST_F(Pipeline, BatchApiErrorPathsAndFallbacks) {
  const fs::path check = aimc::test::image("infer-batch-check");
  ASSERT_TRUE(fs::exists(check)) << check;
  const RunResult r = infer(path("cnn.aimg"), path("batch.bin"), "tiny", kSeed, {}, {}, check);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  for (const char* line : {
           "check unloaded: rc -1032 no model loaded and programmed",
           "check unprogrammed: rc -1032 no model loaded and programmed",
           "check empty: rc -1031 a batch of no inputs",
           "check stride: rc -1031 inputs 783 bytes apart, each 784 bytes long",
           "check bytes: rc -1031 input of 785 bytes, model 'cnn' takes 28x28x1 = 784",
           "check gather step 1",
           // Input 1 ran step 1 while input 0 was in flight, before the step went bad: input 2 runs into it.
           "check late-error-pipelined: outputs 1, rc -1028 input 2: step 1 (gather): source past the arena",
           "check late-error-sequential: outputs 1, rc -1028 input 1: step 1 (gather): source past the arena",
           "check small-arena: can pipeline 0, outputs 4, overlapped 0, rc 0 -",
           "checks done"})
    EXPECT_TRUE(contains(r.out, line)) << "missing '" << line << "'\n" << describe(r);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(check order: outputs 4 in order 4, overlapped ([0-9]+), rc 0 -)")))
      << describe(r);
  EXPECT_GT(std::stoi(m[1]), 0);
}

}  // namespace
