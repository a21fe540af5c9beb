// aimc-vp's parameter options through the binary: --describe lists the crossbar's keys, --set and
// platform files reach them, bad keys and values exit with status 2 naming the key.
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "run_process.h"

namespace {

using namespace aimc::test;

RunResult aimc_vp(std::vector<std::string> args) {
  args.insert(args.begin(), kSimulator.string());
  return run_process(args, 60s);
}

// The value --describe prints for `key` ("" if the key is not listed).
std::string described(const std::string& out, const std::string& key) {
  std::smatch m;
  const std::regex line("\n  " + std::regex_replace(key, std::regex("\\."), "\\.") + " +(\\S+( \\S+)?)  ");
  return std::regex_search(out, m, line) ? m.str(1) : "";
}

TEST(CommandLine, DescribeListsTheCrossbarKeysAndSetChangesThem) {
  ASSERT_TRUE(fs::exists(kSimulator)) << kSimulator;
  const RunResult plain = aimc_vp({"--describe"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  for (const char* key : {"tile.crossbar.rows", "tile.crossbar.adc.bits", "tile.crossbar.dac.lsb_time_ns",
                          "tile.crossbar.technology.drift.t0_s", "tile.crossbar.technology.write_energy_pj",
                          "tile.crossbar.drift_compensation.mode", "tile.drift_age"})
    EXPECT_NE(described(plain.out, key), "") << key << " missing from --describe:\n" << plain.out;
  EXPECT_EQ(described(plain.out, "tile.crossbar.adc.bits"), "8 bit");
  EXPECT_NE(plain.out.find("tile.crossbar takes a preset: "), std::string::npos);

  const RunResult set = aimc_vp({"--describe", "--set", "tile.crossbar.adc.bits=6", "--set", "tile.crossbar=hermes-core-4phase",
                                 "--set", "tile.drift_age=1d", "--set", "tile.crossbar.dac.lsb_time_ns=0.5 us"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_EQ(described(set.out, "tile.crossbar.adc.bits"), "6 bit") << "the override applies after the preset";
  EXPECT_EQ(described(set.out, "tile.crossbar.phases"), "4") << "the preset applies";
  EXPECT_EQ(described(set.out, "tile.drift_age"), "86400 s");
  EXPECT_EQ(described(set.out, "tile.crossbar.dac.lsb_time_ns"), "500 ns");
}

TEST(CommandLine, PlatformFilesSetCrossbarKeysPresetFirst) {
  const fs::path path = fs::path(testing::TempDir()) / "xbar-platform.json";
  std::ofstream(path) << R"({"tile": {"crossbar": {"adc": {"bits": 5}, "preset": "sandia-reram", "rows": 128,
                              "technology": {"preset": "reram-wan", "gmax_us": "30 uS"}}}})";
  const RunResult r = aimc_vp({"--platform", path.string(), "--describe"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(described(r.out, "tile.crossbar.name"), "sandia-reram");
  EXPECT_EQ(described(r.out, "tile.crossbar.adc.bits"), "5 bit");
  EXPECT_EQ(described(r.out, "tile.crossbar.rows"), "128");
  EXPECT_EQ(described(r.out, "tile.crossbar.technology.gmax_us"), "30 uS");
  EXPECT_EQ(described(r.out, "tile.crossbar.adc.model"), "ramp") << "from the preset";
}

TEST(CommandLine, BadKeysAndValuesExitWithStatus2NamingTheKey) {
  RunResult r = aimc_vp({"--describe", "--set", "tile.crossbar.adc.bit=6"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key tile.crossbar.adc.bit; did you mean tile.crossbar.adc.bits?"), std::string::npos) << r.err;
  r = aimc_vp({"--describe", "--set", "tile.crossbar.adc.bits=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tile.crossbar.adc.bits: value 0 is out of range"), std::string::npos) << r.err;
  r = aimc_vp({"--describe", "--set", "tile.crossbar.technology.read_time_ns=0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tile.crossbar.technology.read_time_ns"), std::string::npos) << r.err;
  r = aimc_vp({"--describe", "--set", "tile.drift_age=3 fortnights"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tile.drift_age: unknown unit 'fortnights'"), std::string::npos) << r.err;
  r = aimc_vp({"--describe", "--set", "tile.crossbar=no-such-core"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("tile.crossbar: unknown crossbar configuration 'no-such-core'"), std::string::npos) << r.err;
  const fs::path path = fs::path(testing::TempDir()) / "bad-xbar-platform.json";
  std::ofstream(path) << R"({"tile": {"crossbar": {"preset": "hermes-core", "dac": {"input_bitz": 4}}}})";
  r = aimc_vp({"--platform", path.string(), "--describe"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path.string() + ": unknown key tile.crossbar.dac.input_bitz; did you mean tile.crossbar.dac.input_bits?"),
            std::string::npos)
      << r.err;
}

}  // namespace
