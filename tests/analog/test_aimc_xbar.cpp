// The aimc-xbar command: named configurations, --json keys, configuration files, errors.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

namespace {
struct CmdResult {
  int rc;
  std::string out;
};
CmdResult run(const std::string& args) {
  const std::string cmd = std::string(AIMC_BIN_DIR) + "/aimc-xbar " + args + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
  const int status = pclose(p.release());
  return {WEXITSTATUS(status), out};
}
}  // namespace

TEST(AimcXbar, JsonKeysForTheNamedConfigurations) {
  for (const char* name : {"hermes-core", "hermes-core-4phase", "isaac-ima", "pcm-nandakumar", "sonos"}) {
    const CmdResult r = run(std::string(name) + " --json --vectors 2");
    ASSERT_EQ(r.rc, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* k : {"mvm_latency_ns", "mvm_energy_nj", "tops", "tops_per_w", "mvm_error", "equivalent_bits",
                          "rms_error", "joint_fullscale_bits", "output_gain", "breakdown"})
      EXPECT_TRUE(j.contains(k)) << name << " " << k;
  }
}

TEST(AimcXbar, TextReportAndFile) {
  const CmdResult r = run("hermes-core --vectors 2");
  ASSERT_EQ(r.rc, 0) << r.out;
  for (const char* s : {"MVM latency", "TOPS/W", "adc", "array_read", "equivalent bits"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  const std::string path = testing::TempDir() + "/tile.json";
  std::ofstream(path) << R"({"preset": "sandia-reram", "rows": 128, "cols": 128})";
  const CmdResult f = run(path + " --json --cost-only");
  ASSERT_EQ(f.rc, 0) << f.out;
  EXPECT_EQ(nlohmann::json::parse(f.out)["rows"], 128);
}

TEST(AimcXbar, ErrorsAreClear) {
  CmdResult r = run("no-such-tile");
  EXPECT_NE(r.rc, 0);
  EXPECT_NE(r.out.find("unknown crossbar configuration 'no-such-tile'"), std::string::npos) << r.out;
  r = run("hermes-core --frobnicate");
  EXPECT_NE(r.rc, 0);
  const std::string bad = testing::TempDir() + "/bad.json";
  std::ofstream(bad) << R"({"preset": "hermes-core", "adc": {"noise_rows": -1}})";
  r = run(bad);
  EXPECT_NE(r.rc, 0);
  EXPECT_NE(r.out.find("adc.noise_rows"), std::string::npos) << r.out;
  r = run("--list");
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("sandia-reram"), std::string::npos);
}

TEST(AimcXbar, SetOverridesOneParameter) {
  const CmdResult a = run("hermes-core --json --cost-only");
  const CmdResult b = run("hermes-core --json --cost-only --set adc.bits=6 --set dac.lsb_time_ns=0.5ns");
  ASSERT_EQ(a.rc, 0) << a.out;
  ASSERT_EQ(b.rc, 0) << b.out;
  EXPECT_LT(nlohmann::json::parse(b.out)["mvm_latency_ns"].get<double>(), nlohmann::json::parse(a.out)["mvm_latency_ns"].get<double>());
  const CmdResult dump = run("hermes-core --dump --set adc.bits=6");
  ASSERT_EQ(dump.rc, 0) << dump.out;
  EXPECT_EQ(nlohmann::json::parse(dump.out)["adc"]["bits"], 6);
  CmdResult r = run("hermes-core --set adc.bit=6");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.out.find("unknown key adc.bit; did you mean adc.bits?"), std::string::npos) << r.out;
  r = run("hermes-core --set adc.bits=99");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.out.find("adc.bits: value 99 is out of range"), std::string::npos) << r.out;
  r = run("hermes-core --time 1d --vectors 1");
  EXPECT_EQ(r.rc, 0) << r.out;
  EXPECT_NE(r.out.find("8.64e+04 s after programming"), std::string::npos) << r.out;
  r = run("--describe");
  EXPECT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("| adc.bits | 8 bit | bit | 1 .. 16 |"), std::string::npos) << r.out;
}
