// The firmware HAL's error and interrupt contract, checked by real firmware (sw/apps/hal-contract)
// on aimc-vp: error codes by the one convention, a push with 9 arguments refused, every wait timing
// out with AIMC_ETIMEDOUT and leaving mstatus.MIE, mie and mtimecmp as it found them (MIE set and
// clear), a caller's own timer kept through a wait. On `tiny` (4 tiles), `hermes64` (64 tiles) and a
// 10x10 mesh whose PLIC wires only tiles 0..67, so the interrupt tests run on tile 67: beyond the
// 64 the HAL's interrupt table used to hold.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "run_process.h"

namespace {

using namespace aimc::test;

const fs::path kImage = fs::path(AIMC_SW_DIR) / "hal-contract.elf";

struct ContractCase {
  std::string name;
  std::string platform;
  std::vector<std::string> settings;  // --set key=value
  std::string tiles_line;             // which tile the interrupt tests use
};

void PrintTo(const ContractCase& c, std::ostream* os) { *os << c.name; }

class HalContract : public ::testing::TestWithParam<ContractCase> {};

TEST_P(HalContract, FirmwareChecksErrorsTimeoutsAndInterruptState) {
  const ContractCase& c = GetParam();
  ASSERT_TRUE(fs::exists(kSimulator)) << "simulator not built: " << kSimulator;
  ASSERT_TRUE(fs::exists(kImage)) << "firmware image not built: " << kImage;
  std::vector<std::string> argv = {kSimulator.string(), "--platform", c.platform, "--firmware", kImage.string()};
  for (const auto& s : c.settings) argv.insert(argv.end(), {"--set", s});
  const RunResult r = run_process(argv, 300s);
  ASSERT_FALSE(r.timed_out) << describe(r);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "hal-contract: PASS\n")) << describe(r);
  EXPECT_FALSE(contains(r.out, "FAIL")) << describe(r);
  const std::vector<std::string> lines = {
      c.tiles_line,
      "hal-contract: push with 9 arguments: too many arguments (-5)\n",
      "hal-contract: bad opcode, then sync: tile error: bad opcode (-257)\n",
      "hal-contract: tile FENCE wait by interrupt, MIE set: timed out after ",
      "hal-contract: tile FENCE wait by interrupt, MIE clear: timed out after ",
      "hal-contract: tile error wait by interrupt, MIE set: timed out after ",
      "hal-contract: tile error wait by interrupt, MIE clear: timed out after ",
      "hal-contract: DMA wait by interrupt, MIE set: timed out after ",
      "hal-contract: DMA wait by interrupt, MIE clear: timed out after ",
      "hal-contract: polled tile FENCE wait, MIE clear: timed out after ",
      "hal-contract: FENCE by interrupt, MIE clear: ok; MIE clear, mie and mtimecmp as found\n",
      "hal-contract: FENCE by interrupt, MIE set: ok; MIE set, mie and mtimecmp as found\n",
      "hal-contract: error by interrupt, MIE clear: bad opcode, ERROR_INFO 0x7e\n",
      "hal-contract: caller's timer due inside the wait: 1 tick(s) in its handler, wait timed out\n",
      "hal-contract: caller's timer due after the wait: 0 tick(s), mtimecmp as found\n",
  };
  for (const auto& line : lines) EXPECT_TRUE(contains(r.out, line)) << "missing '" << line << "'\n" << describe(r);
  // Every timeout reports the state it restored.
  EXPECT_FALSE(contains(r.out, "CHANGED")) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(
    Platforms, HalContract,
    ::testing::Values(
        ContractCase{"Tiny", "tiny", {}, "hal-contract: 4 tiles, interrupt tests on tile 3 (PLIC source 35)\n"},
        ContractCase{"Hermes64", "hermes64", {}, "hal-contract: 64 tiles, interrupt tests on tile 63 (PLIC source 95)\n"},
        ContractCase{"Mesh10x10FewSources",
                     "tiny",
                     {"noc.width=10", "noc.height=10", "plic.num_sources=100"},
                     "hal-contract: 100 tiles, interrupt tests on tile 67 (PLIC source 99), the tiles above have "
                     "none routed\n"}),
    [](const ::testing::TestParamInfo<ContractCase>& info) { return info.param.name; });

}  // namespace
