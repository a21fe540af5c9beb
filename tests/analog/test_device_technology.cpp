#include "analog/analog_core.h"
#include "analog/device_technology.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// HERMES fits (aihwkit HermesNoiseModel; REFERENCE.md "HERMES PCM device statistics"): drift exponent and 1/f
// amplitude, both branches, for two devices per polarity (pair fits applied per device: sqrt(2) spreads) and one.
TEST(DeviceTechnology, HermesDeviceFitsAreReproduced) {
  const DeviceTechnology t = technology_preset("pcm-hermes-tdp");
  const DeviceTechnology o = technology_preset("pcm-hermes-odp");
  const double r2 = std::sqrt(2.0);
  EXPECT_DOUBLE_EQ(t.drift.t0_s, 300.0);
  EXPECT_DOUBLE_EQ(o.drift.t0_s, 200.0);
  EXPECT_DOUBLE_EQ(t.read_noise.t_read_s, 512e-9);
  for (double g : {0.01, 0.05, 0.09}) {
    EXPECT_NEAR(t.drift.nu_mean(g), std::clamp(-0.0387 * std::log(g) - 0.0182, 0.072, 0.13), 1e-12) << g;
    EXPECT_NEAR(t.drift.nu_std(g), r2 * std::clamp(-0.0117 * std::log(g) - 0.0057, 0.0091, 0.04), 1e-12) << g;
    EXPECT_NEAR(o.drift.nu_std(g), std::clamp(-0.0120 * std::log(g) - 0.0023, 0.0124, 0.04), 1e-12) << g;
  }
  for (double g : {0.35, 0.6, 1.0}) {
    EXPECT_NEAR(t.drift.nu_mean(g), -0.0436 * g * g - 0.0126 * g + 0.0736, 1e-12) << g;
    EXPECT_NEAR(t.drift.nu_std(g), r2 * (-0.0118 * g * g + 0.0093 * g + 0.0073), 1e-12) << g;
    EXPECT_NEAR(o.drift.nu_std(g), -0.0165 * g * g + 0.0116 * g + 0.0104, 1e-12) << g;
    EXPECT_NEAR(t.read_noise.q(g), r2 * (0.0069 * g * g * g - 0.0280 * g * g + 0.0211 * g + 0.0123), 1e-12) << g;
    EXPECT_NEAR(o.read_noise.q(g), 0.0664 * g * g * g - 0.1352 * g * g + 0.0768 * g + 0.0088, 1e-12) << g;
  }
  EXPECT_NEAR(t.read_noise.q(0.05), r2 * std::clamp(-0.0117 * std::log(0.05) - 0.0069, 0.015, 0.04), 1e-12);
  EXPECT_NEAR(o.read_noise.q(0.05), std::clamp(-0.0078 * std::log(0.05) + 0.0038, 0.0179, 0.04), 1e-12);
  // nu = |mu + sigma z|: a large negative draw folds back to a positive exponent.
  EXPECT_NEAR(t.drift.draw(0.5, -20.0), std::fabs(t.drift.nu_mean(0.5) - 20 * t.drift.nu_std(0.5)), 1e-12);
  // The Nandakumar power law keeps its form.
  const DeviceTechnology n = technology_preset("pcm-nandakumar");
  EXPECT_NEAR(n.read_noise.q(0.5), std::min(0.0088 / std::pow(0.5, 0.65), 0.2), 1e-12);
  EXPECT_NEAR(n.drift.draw(0.5, -20.0), std::fabs(n.drift.nu_mean(0.5) - 20 * n.drift.nu_std(0.5)), 1e-12);
}

// Statistical (seed 1, 16384 weights at gT = 0.5): the two devices of a TDP polarity drift independently
// with sqrt(2) the fitted exponent spread, so the pair's effective exponent keeps the fitted spread (10 %).
TEST(DeviceTechnology, HermesPairKeepsTheFittedDriftSpread) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.rows = cfg.cols = 128;
  AnalogCore core(cfg);
  core.program(Eigen::MatrixXi::Constant(128, 128, 64));  // gT = 64/127 per device
  const CrossbarArray& a = core.array();
  const auto& dev = a.devices();
  const DriftModel& dm = cfg.technology.drift;
  const double age = 86400.0, l = std::log((age + dm.t0_s) / dm.t0_s);
  double s1 = 0, s2 = 0;
  const int n = 128 * 128;
  for (int i = 0; i < 128; ++i)
    for (int j = 0; j < 128; ++j) {
      const size_t d0 = a.index(0, 0, 0, i, j), d1 = a.index(0, 0, 1, i, j);
      const double g0 = dev.g[d0] + dev.g[d1];
      const double gt = dev.g[d0] * dm.factor(age, dev.nu[d0]) + dev.g[d1] * dm.factor(age, dev.nu[d1]);
      const double nu = -std::log(gt / g0) / l;
      s1 += nu;
      s2 += nu * nu;
    }
  const double mean = s1 / n, sd = std::sqrt(s2 / n - mean * mean);
  EXPECT_NEAR(mean, dm.nu_mean(64.0 / 127), 0.1 * dm.nu_mean(64.0 / 127));
  EXPECT_NEAR(sd, dm.nu_std(64.0 / 127) / std::sqrt(2.0), 0.1 * dm.nu_std(64.0 / 127) / std::sqrt(2.0));
}

// 1/f noise: reads closer than t_read share all of it; farther apart, the band ln(interval / t_read) of the
// integrated ln((t + t0 + t_read) / (2 t_read)) is drawn anew. White forms are always drawn anew.
TEST(DeviceTechnology, OneOverFNoiseIsSlow) {
  DeviceTechnology t = technology_preset("pcm-hermes-tdp");
  const double band = std::log((3600 + 300 + 512e-9) / (2 * 512e-9));
  EXPECT_DOUBLE_EQ(t.read_noise.fast_fraction(band, 130e-9), 0.0);  // HERMES reads, 130 ns apart
  EXPECT_NEAR(t.read_noise.fast_fraction(band, 1e-3), std::log(1e-3 / 512e-9) / band, 1e-12);
  t.read_noise.correlated = false;
  EXPECT_DOUBLE_EQ(t.read_noise.fast_fraction(band, 130e-9), 1.0);
  EXPECT_DOUBLE_EQ(technology_preset("reram-wan").read_noise.fast_fraction(band, 130e-9), 1.0);
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
