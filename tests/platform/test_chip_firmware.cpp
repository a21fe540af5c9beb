// Whole-platform tests of the analog chip through its firmware: each tile/DMA app (sw/apps/tile-*,
// dma-test) runs on aimc-vp's `tiny` platform (2x2 tiles) and must exit 0 with its PASS line; the
// peak-throughput app runs on `hermes64` (8x8 tiles), once per phase count (mvm-peak.elf and
// mvm-peak-4phase.elf), and its TOPS and TOPS/W must agree with the simulator's figures for the
// region it marked (--stats JSON, within 1 %) and be near the IBM 64-core chip's published ones (5 %).
#include <gtest/gtest.h>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

#include "run_process.h"

namespace {

using namespace aimc::test;

RunResult run_on(const std::string& platform, const std::string& app, std::chrono::milliseconds timeout,
                 const std::vector<std::string>& extra = {}) {
  std::vector<std::string> argv = {kSimulator.string(), "--platform", platform, "--firmware", image(app).string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return run_process(argv, timeout);
}

// The first number after `label` in `text` (e.g. "mvm-peak: TOPS 62.731").
std::optional<double> number_after(const std::string& text, const std::string& label) {
  std::smatch m;
  const std::regex re(std::regex_replace(label, std::regex(R"([.^$|()\[\]{}*+?\\/])"), R"(\$&)") +
                      R"(\s*[:=]?\s*([0-9]+(?:\.[0-9]+)?))");
  if (!std::regex_search(text, m, re)) return std::nullopt;
  return std::stod(m[1]);
}


// ---------------------------------------------------------------------------------------------
// One test per app on the default 2x2 platform.

struct AppCase {
  std::string app;
  std::vector<std::string> key_lines;  // each must appear in the UART output
};

// gtest (and so the CTest names) print the parameter: the app's name, not the struct's bytes.
void PrintTo(const AppCase& c, std::ostream* os) { *os << c.app; }

class ChipApp : public ::testing::TestWithParam<AppCase> {};

TEST_P(ChipApp, PassesOnTiny) {
  const AppCase& c = GetParam();
  ASSERT_BUILT(c.app);
  RunResult r = run_on("tiny", c.app, 300s);
  EXPECT_FALSE(r.timed_out) << describe(r);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, c.app + ": PASS\n")) << describe(r);
  EXPECT_FALSE(contains(r.out, "FAIL")) << describe(r);
  for (const auto& line : c.key_lines) EXPECT_TRUE(contains(r.out, line)) << "missing '" << line << "'\n" << describe(r);
}

const AppCase kApps[] = {
    {"tile-program", {"tile-program: 4 tiles\n", "tile-program: staged 128 bytes\n"}},
    {"tile-mvm", {"tile-mvm: 1 phase(s) 256x256 at (0,0): ", "tile-mvm: 4 phase(s) 256x256 at (0,0): ",
                  "tile-mvm: 1 phase(s) 64x64 at (64,128): "}},
    {"tile-ldpu",
     {"chain A by LDPU command vs firmware reference on the same raw output", "tanh Q10 -> Q7", "sigmoid Q10 -> Q7",
      "max_pool 4x6x3", "avg_pool 4x6x3", "eltwise_add int8", "affine_fp16+relu+requantize"}},
    {"tile-send", {"tile 1 got 1024/1024 bytes right, RAM 1024/1024"}},
    {"tile-dataflow", {"tile-dataflow: tile 1 armed: state wait-input", "by interrupt"}},
    {"tile-errors",
     {"tile-errors: bad opcode 0x7f\n", "error IRQ: bad opcode", "error IRQ: bad offset", "error IRQ: bad shape",
      "error IRQ: send failed", "error IRQ: weights short", "error IRQ: busy", "error IRQ: bad chain",
      "error IRQ: queue full", "error IRQ: weight range"}},
    {"dma-test", {"dma-test: 2D: 36 patches", "dma-test: unmapped source: error 2 at 0x00200000"}},
};

INSTANTIATE_TEST_SUITE_P(Apps, ChipApp, ::testing::ValuesIn(kApps),
                         [](const ::testing::TestParamInfo<AppCase>& info) {
                           std::string name = info.param.app;
                           for (char& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });

// ---------------------------------------------------------------------------------------------
// Peak throughput on the 64-tile chip.

struct PeakCase {
  std::string app;
  double published_tops, published_tops_per_w;  // IBM 64-core chip (Le Gallo et al., Nature Electronics 2023)
};

void PrintTo(const PeakCase& c, std::ostream* os) { *os << c.app; }

class MvmPeak : public ::testing::TestWithParam<PeakCase> {};

TEST_P(MvmPeak, MatchesTheSimulatorReportAndThePublishedChip) {
  const PeakCase& c = GetParam();
  ASSERT_BUILT(c.app);
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path stats_file = dir.path() / "stats.json";
  RunResult r = run_on("hermes64", c.app, 1500s, {"--stats", stats_file.string()});
  ASSERT_FALSE(r.timed_out) << describe(r);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "mvm-peak: 64 tiles of 256x256")) << describe(r);
  EXPECT_TRUE(contains(r.out, "mvm-peak: PASS\n")) << describe(r);

  const auto fw_tops = number_after(r.out, "mvm-peak: TOPS");
  const auto fw_tops_w = number_after(r.out, "mvm-peak: TOPS/W");
  ASSERT_TRUE(fw_tops && fw_tops_w) << describe(r);
  // The firmware's figures against the published chip (the tile defaults are calibrated to them).
  EXPECT_NEAR(*fw_tops, c.published_tops, 0.05 * c.published_tops) << describe(r);
  EXPECT_NEAR(*fw_tops_w, c.published_tops_per_w, 0.05 * c.published_tops_per_w) << describe(r);

  // ... and against the simulator's own figures for region 1 (the burst the firmware marked).
  std::ifstream stats_stream(stats_file);
  ASSERT_TRUE(stats_stream) << "no --stats output at " << stats_file;
  const nlohmann::json stats = nlohmann::json::parse(stats_stream, nullptr, false);
  ASSERT_FALSE(stats.is_discarded()) << "--stats output is not JSON";
  ASSERT_TRUE(stats.contains("regions")) << stats.dump(2).substr(0, 2000);
  std::optional<nlohmann::json> burst;
  for (const auto& region : stats["regions"])
    if (region.value("id", 0u) == 1u) burst = region;
  ASSERT_TRUE(burst) << "no region 1 in " << stats["regions"].dump(2);
  const double sim_tops = (*burst)["tops"].get<double>(), sim_tops_w = (*burst)["tops_per_w"].get<double>();
  EXPECT_NEAR(*fw_tops, sim_tops, 0.01 * sim_tops) << describe(r);
  EXPECT_NEAR(*fw_tops_w, sim_tops_w, 0.01 * sim_tops_w) << describe(r);
  // The report's text has the same region table.
  EXPECT_TRUE(contains(r.err, "regions (firmware-marked layers)")) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Hermes64, MvmPeak,
                         ::testing::Values(PeakCase{"mvm-peak", 63.1, 9.76}, PeakCase{"mvm-peak-4phase", 16.1, 2.48}),
                         [](const ::testing::TestParamInfo<PeakCase>& info) {
                           return info.param.app == "mvm-peak" ? std::string("OnePhase") : std::string("FourPhase");
                         });

}  // namespace

// The same drivers run unchanged on the ISAAC-like chip: bit-sliced 2-bit ReRAM cells, bit-serial
// inputs, 128x128 arrays.
class IsaacApp : public ::testing::TestWithParam<std::string> {};

TEST_P(IsaacApp, PassesOnTheBitSlicedReramChip) {
  ASSERT_BUILT(GetParam());
  const RunResult r = run_on("isaac", GetParam(), 300s);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, GetParam() + ": PASS")) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Isaac, IsaacApp, ::testing::Values("tile-mvm", "tile-send", "tile-dataflow", "tile-errors"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) c = c == '-' ? '_' : c;
                           return n;
                         });
