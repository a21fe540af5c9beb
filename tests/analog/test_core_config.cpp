#include "analog/analog_core.h"
#include "analog/core_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

using namespace aimc::analog;

TEST(CoreConfig, NamedConfigurationsExistAndBuild) {
  const auto names = core_config_names();
  for (const char* n : {"hermes-core", "hermes-core-4phase", "isaac-ima", "sandia-reram"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  for (const auto& t : technology_names())  // one configuration per technology preset
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  for (const auto& n : names) {
    const AnalogCoreConfig cfg = core_config_preset(n);
    EXPECT_EQ(cfg.name, n);
    const MvmCost c = AnalogCore::cost(cfg);
    EXPECT_GT(c.latency_ns(), 0) << n;
    EXPECT_GT(c.energy_pj_total(), 0) << n;
  }
}

TEST(CoreConfig, JsonRoundTrip) {
  const AnalogCoreConfig a = core_config_preset("isaac-ima");
  const Json j = core_config_to_json(a);
  const AnalogCoreConfig b = core_config_from_json(j);
  EXPECT_EQ(core_config_to_json(b), j);
  EXPECT_EQ(b.technology.levels, 4);
  EXPECT_EQ(b.mapping.slices(), 8);
}

TEST(CoreConfig, PresetPlusOverridesFromFile) {
  const std::string path = testing::TempDir() + "/xbar.json";
  {
    std::ofstream f(path);
    f << R"({"preset": "hermes-core", "name": "mine", "phases": 2, "adc": {"bits": 9}})";
  }
  const AnalogCoreConfig c = core_config_from_file(path);
  EXPECT_EQ(c.name, "mine");
  EXPECT_EQ(c.phases, 2);
  EXPECT_EQ(c.adc.bits, 9);
  EXPECT_EQ(c.adc.model, "cco");
  std::remove(path.c_str());
}

TEST(CoreConfig, UnknownKeysAndBadValuesAreNamed) {
  auto err = [](const char* text) -> std::string {
    try {
      core_config_from_json(Json::parse(text), "platform.tile0.crossbar");
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(err(R"({"preset": "hermes-core", "adc": {"bitz": 8}})").find("platform.tile0.crossbar.adc: unknown key 'bitz'"),
            std::string::npos);
  EXPECT_NE(err(R"({"colums": 3})").find("unknown key 'colums'"), std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "adc": {"bits": 0}})").find("adc.bits"), std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "technology": "unobtainium"})").find("unknown technology 'unobtainium'"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "technology": {"preset": "pcm-nandakumar", "gmin_us": -1}})").find("gmin_us"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "nope"})").find("unknown crossbar configuration 'nope'"), std::string::npos);
  EXPECT_NE(err(R"({"rows": "many"})").find("rows: expected an integer"), std::string::npos);
  EXPECT_THROW(core_config_from_file("/nonexistent/x.json"), std::invalid_argument);
}

TEST(CoreConfig, EveryParameterIsDescribed) {
  AnalogCoreConfig cfg;
  ParamDescriber d;
  cfg.visit(d);
  EXPECT_GT(d.rows.size(), 60u);
  for (const auto& r : d.rows) {
    EXPECT_FALSE(r.description.empty()) << r.path;
    EXPECT_FALSE(r.unit.empty()) << r.path;
  }
}
