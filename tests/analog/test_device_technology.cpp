#include "analog/device_technology.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aimc::analog;

TEST(DeviceTechnology, EveryPresetValidatesAndIsDescribed) {
  const auto names = technology_names();
  for (const char* n : {"pcm-nandakumar", "pcm-hermes-tdp", "pcm-hermes-odp", "pcm-joshi", "reram-milo", "reram-wan",
                        "sonos", "ecram", "sram-analog", "generic"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  for (const auto& n : names) {
    const DeviceTechnology t = technology_preset(n);
    EXPECT_EQ(t.name, n);
    EXPECT_FALSE(t.description.empty());
    EXPECT_NO_THROW(t.validate());
  }
}

TEST(DeviceTechnology, UnknownNameIsAClearError) {
  try {
    technology_preset("unobtainium");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown technology 'unobtainium'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("pcm-nandakumar"), std::string::npos);
  }
}

TEST(DeviceTechnology, PublishedCurvesAreReproduced) {
  const DeviceTechnology n = technology_preset("pcm-nandakumar");
  // sigma_prog = 0.26348 + 1.9650 gT - 1.1731 gT^2 (uS), REFERENCE.md section 4.
  EXPECT_NEAR(n.prog_noise.sigma(12.5, 0.5), 0.26348 + 1.9650 * 0.5 - 1.1731 * 0.25, 1e-12);
  EXPECT_NEAR(n.drift.nu_mean(0.5), std::clamp(-0.0155 * std::log(0.5) + 0.0244, 0.049, 0.1), 1e-12);
  EXPECT_NEAR(n.drift.nu_std(0.01), std::clamp(-0.0125 * std::log(0.01) - 0.0059, 0.008, 0.045), 1e-12);
  const DeviceTechnology h = technology_preset("pcm-hermes-tdp");
  EXPECT_DOUBLE_EQ(2 * h.gmax_us, 20.7);
  const double g = 0.3;
  EXPECT_NEAR(h.prog_noise.sigma(g * h.gmax_us, g) * std::sqrt(2.0),
              0.16603 + 4.71806 * g - 8.48101 * g * g + 4.68961 * g * g * g, 1e-9);
  const DeviceTechnology m = technology_preset("reram-milo");
  EXPECT_NEAR(m.prog_noise.sigma(100.0, 0.0), -0.009107 * 100 + 4.782321, 1e-9);
  const DeviceTechnology s = technology_preset("sonos");
  EXPECT_NEAR(s.prog_noise.sigma(10.0, 0.0), 0.1989 * (1 - std::exp(-10.0 / 1.763)), 1e-12);
}

TEST(DeviceTechnology, InvalidParametersNameTheParameter) {
  DeviceTechnology t = technology_preset("generic");
  t.gmin_us = -1.0;
  EXPECT_THROW(
      {
        try {
          t.validate();
        } catch (const std::invalid_argument& e) {
          EXPECT_NE(std::string(e.what()).find("gmin_us"), std::string::npos);
          throw;
        }
      },
      std::invalid_argument);
  t = technology_preset("generic");
  t.prog_noise.form = "cubic";
  EXPECT_THROW(t.validate(), std::invalid_argument);
  t = technology_preset("generic");
  t.read_energy_model = "magic";
  EXPECT_THROW(t.validate(), std::invalid_argument);
}

TEST(DeviceTechnology, JsonPresetWithOverridesAndUnknownKey) {
  DeviceTechnology t;
  read_json(Json::parse(R"({"preset": "pcm-nandakumar", "gmax_us": 30, "drift": {"t0_s": 10}})"), t, "tech");
  EXPECT_EQ(t.name, "pcm-nandakumar");
  EXPECT_DOUBLE_EQ(t.gmax_us, 30.0);
  EXPECT_DOUBLE_EQ(t.drift.t0_s, 10.0);
  EXPECT_DOUBLE_EQ(t.drift.mu_b, 0.0244);
  try {
    read_json(Json::parse(R"({"preset": "generic", "drift": {"tzero": 1}})"), t, "tech");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key tech.drift.tzero"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_json(Json::parse(R"({"gmax_us": "big"})"), t, "tech"), std::invalid_argument);
}
