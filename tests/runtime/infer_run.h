// Helpers of the runtime tests: the test models compiled, batches with the evaluator's outputs, the
// inference app run on the platform, and its "out <i> <outputs>" lines compared. On top of
// tests/platform/run_process.h (the simulator and firmware paths, processes with a timeout).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../platform/run_process.h"

namespace aimc::test::runtime {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const fs::path kBin = AIMC_BIN_DIR;
inline const fs::path kModels = AIMC_TEST_MODELS;
inline const fs::path kInfer = image("infer");
constexpr const char* kModelAddr = "0x80400000";
constexpr const char* kBatchAddr = "0x80800000";
constexpr size_t kBatchFlags = 26;  // aimc_batch_header_t.flags (the header is outside the batch's CRC)

inline std::vector<char> read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}
inline void write_bytes(const fs::path& p, const std::vector<char>& b) {
  std::ofstream f(p, std::ios::binary);
  f.write(b.data(), std::streamsize(b.size()));
}

// aimc-compile `model` (in tests/compiler/models) for `platform` into `out`, with `extra` options.
inline RunResult compile(const std::string& model, const std::string& platform, const fs::path& out,
                         const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {(kBin / "aimc-compile").string(), (kModels / model).string(), "--platform",
                                   platform, "-o", out.string(), "--quiet"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, 120s);
}

// aimc-dataset: `images` test images of `aimg` into `batch` (outputs printed by the app), and the
// evaluator's outputs for them into `ref` with `devices` on `platform`, `seed` and `extra` options.
inline RunResult dataset(const fs::path& aimg, int images, const fs::path& batch, const fs::path& ref,
                         const std::string& devices, const std::string& platform, int seed,
                         const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {(kBin / "aimc-dataset").string(), aimg.string(), "-n", std::to_string(images),
                                   "-o", batch.string(), "--reference", ref.string(), "--devices", devices,
                                   "--platform", platform, "--seed", std::to_string(seed), "--print-outputs"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, 120s);
}

// A copy of `batch` at `to` with `flags` (AIMC_BATCH_*) set in its header.
inline fs::path with_batch_flags(const fs::path& batch, const fs::path& to, uint16_t flags) {
  std::vector<char> b = read_bytes(batch);
  uint16_t f = 0;
  std::memcpy(&f, b.data() + kBatchFlags, 2);
  f = uint16_t(f | flags);
  std::memcpy(b.data() + kBatchFlags, &f, 2);
  write_bytes(to, b);
  return to;
}

// The inference app on `platform` with `model` and `batch` loaded (either may be empty: not loaded), the
// tiles' clocks held at t = 0 (as the evaluator's), `sets` as --set, `loads` as further --load and `args`
// as further simulator arguments.
inline RunResult infer(const fs::path& model, const fs::path& batch, const std::string& platform, int seed,
                       const std::vector<std::string>& sets = {}, const std::vector<std::string>& loads = {},
                       const fs::path& firmware = kInfer, const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {kSimulator.string(), "--platform", platform, "--firmware", firmware.string(),
                                   "--seed", std::to_string(seed), "--set", "tile.drift_update_interval=1000s",
                                   "--max-time", "20s"};
  for (const std::string& s : sets) argv.insert(argv.end(), {"--set", s});
  if (!model.empty()) argv.insert(argv.end(), {"--load", model.string() + "@" + kModelAddr});
  if (!batch.empty()) argv.insert(argv.end(), {"--load", batch.string() + "@" + kBatchAddr});
  for (const std::string& l : loads) argv.insert(argv.end(), {"--load", l});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, 240s);
}

// The app's "out <i> <outputs>" lines, in order: outputs[i] is input i's vector.
inline std::vector<std::vector<int>> outputs_of(const std::string& out) {
  std::vector<std::vector<int>> v;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("out ", 0) != 0) continue;
    std::istringstream f(line.substr(4));
    size_t index = 0;
    f >> index;
    if (index != v.size()) return v;  // out of order: the comparisons below see a short list
    v.emplace_back();
    for (int x; f >> x;) v.back().push_back(x);
  }
  return v;
}

// Every "out" line of the app equals the evaluator's outputs in `ref` (images x classes int8).
inline void expect_outputs_equal(const RunResult& r, const std::vector<char>& ref, int images, int classes) {
  ASSERT_EQ(ref.size(), size_t(images) * size_t(classes));
  const std::vector<std::vector<int>> got = outputs_of(r.out);
  ASSERT_EQ(got.size(), size_t(images)) << describe(r);
  for (int i = 0; i < images; ++i) {
    ASSERT_EQ(got[size_t(i)].size(), size_t(classes)) << "image " << i;
    for (int k = 0; k < classes; ++k)
      EXPECT_EQ(got[size_t(i)][size_t(k)], int(ref[size_t(i * classes + k)])) << "image " << i << " output " << k;
  }
}

}  // namespace aimc::test::runtime
