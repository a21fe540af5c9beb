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
  EXPECT_NE(err(R"({"preset": "hermes-core", "adc": {"bitz": 8}})").find("unknown key platform.tile0.crossbar.adc.bitz; did you mean platform.tile0.crossbar.adc.bits?"),
            std::string::npos);
  EXPECT_NE(err(R"({"colums": 3})").find("unknown key platform.tile0.crossbar.colums; did you mean platform.tile0.crossbar.cols?"), std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "adc": {"bits": 0}})").find("adc.bits"), std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "technology": "unobtainium"})").find("unknown technology 'unobtainium'"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "technology": {"preset": "pcm-nandakumar", "gmin_us": -1}})").find("gmin_us"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "nope"})").find("unknown crossbar configuration 'nope'"), std::string::npos);
  EXPECT_NE(err(R"({"rows": "many"})").find("platform.tile0.crossbar.rows: 'many' is not a number"), std::string::npos);
  EXPECT_THROW(core_config_from_file("/nonexistent/x.json"), std::invalid_argument);
}

TEST(CoreConfig, EveryParameterIsDescribed) {
  AnalogCoreConfig cfg;
  const auto rows = aimc::list_params(cfg);
  EXPECT_GT(rows.size(), 60u);
  for (const auto& r : rows) EXPECT_FALSE(r.info.description.empty()) << r.key;
}

TEST(CoreConfig, PresetFirstThenOverridesWithRangesChecked) {
  // "adc" sorts before "preset" in a JSON object: the preset still applies first.
  const AnalogCoreConfig c =
      core_config_from_json(Json::parse(R"({"adc": {"bits": 6}, "preset": "hermes-core-4phase", "technology": {"d2d_gmax_std": 0.1}})"));
  EXPECT_EQ(c.adc.bits, 6);
  EXPECT_EQ(c.phases, 4);
  EXPECT_EQ(c.technology.name, "pcm-hermes-tdp") << "an object without preset changes the current technology";
  EXPECT_DOUBLE_EQ(c.technology.d2d_gmax_std, 0.1);
  auto err = [](const char* text) -> std::string {
    try {
      core_config_from_json(Json::parse(text), "xbar");
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(err(R"({"preset": "hermes-core", "adc": {"bits": 17}})").find("xbar.adc.bits: value 17 is out of range [1, 16]"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "technology": {"stuck_probability": 1.5}})").find("xbar.technology.stuck_probability"),
            std::string::npos);
  EXPECT_NE(err(R"({"preset": "hermes-core", "dac": {"lsb_time_ns": 0}})").find("xbar.dac.lsb_time_ns: value 0 is out of range (0"),
            std::string::npos);
  // Fields set in code are range-checked by validate().
  AnalogCoreConfig d = core_config_preset("hermes-core");
  d.workload.input_activity = 2;
  EXPECT_THROW(d.validate(), std::invalid_argument);
  // Every named configuration is inside the declared ranges.
  for (const auto& n : core_config_names()) {
    AnalogCoreConfig p = core_config_preset(n);
    EXPECT_NO_THROW(aimc::check_ranges(p, n + ".")) << n;
  }
}
