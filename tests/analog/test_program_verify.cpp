#include "analog/analog_core.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aimc::analog;

namespace {

// Programs rows x cols weights spread uniformly over the range, returns the report.
ProgramReport program_uniform(AnalogCoreConfig cfg, uint64_t seed) {
  cfg.drift_compensation.mode = "none";
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  return core.program(test::random_int_matrix(cfg.rows, cfg.cols, 127, seed));
}

// Statistical test (fixed seed): the std of (G_prog - target) of the converged devices, in 8 gT bins over
// [0.15, 1], matches the technology's programming-noise formula within 5 % (rms of the formula in the bin).
void check_prog_noise(const std::string& preset, double gmax_us = 0.0) {
  AnalogCoreConfig cfg = core_config_preset(preset);
  if (gmax_us > 0) cfg.technology.gmax_us = gmax_us;
  cfg.cols = 320;  // 81920 weights: > 64k active devices above gT = 0.15
  const ProgramReport rep = program_uniform(cfg, 11);
  const DeviceTechnology& t = cfg.technology;
  const int bins = 8;
  std::vector<double> n(bins), s2(bins), f2(bins), mean(bins);
  int64_t counted = 0;
  for (size_t k = 0; k < rep.device.size(); ++k) {
    const double gt = rep.target_us[k] / t.gmax_us;
    if (gt < 0.15 || rep.iterations[k] >= cfg.program.max_iterations) continue;
    const int b = std::min(bins - 1, int((gt - 0.15) / 0.85 * bins));
    const double e = rep.error_us[k];
    n[b] += 1;
    s2[b] += e * e;
    mean[b] += e;
    const double f = t.prog_sigma(rep.target_us[k]);
    f2[b] += f * f;
    ++counted;
  }
  EXPECT_GT(counted, 65536);  // over 64k devices
  for (int b = 0; b < bins; ++b) {
    ASSERT_GT(n[b], 2000) << preset << " bin " << b;
    const double measured = std::sqrt(s2[b] / n[b]), model = std::sqrt(f2[b] / n[b]);
    EXPECT_NEAR(measured / model, 1.0, 0.05) << preset << " bin " << b;
    EXPECT_NEAR(mean[b] / n[b], 0.0, 0.05 * model) << preset << " bin " << b;
  }
}

}  // namespace

TEST(ProgramVerify, NandakumarProgrammingNoiseOver64kDevices) { check_prog_noise("pcm-nandakumar"); }
TEST(ProgramVerify, HermesTdpProgrammingNoisePerDevice) { check_prog_noise("pcm-hermes-tdp"); }
// A smaller gmax scales the programming noise down with it (aihwkit: sigma x gmax / gmax of the fit).
TEST(ProgramVerify, GmaxOverrideRescalesProgrammingNoise) {
  check_prog_noise("pcm-hermes-tdp", 5.175);
  const DeviceTechnology full = technology_preset("pcm-hermes-tdp");
  DeviceTechnology half = full;
  half.gmax_us = full.gmax_us / 2;
  const double gt = 0.4;
  EXPECT_NEAR(half.prog_sigma(gt * half.gmax_us) / full.prog_sigma(gt * full.gmax_us), 0.5, 1e-12);
  // Absolute fits (conductance in uS, no reference gmax) are not rescaled.
  DeviceTechnology milo = technology_preset("reram-milo");
  const double before = milo.prog_sigma(100.0);
  milo.gmax_us = 200.0;
  EXPECT_DOUBLE_EQ(milo.prog_sigma(100.0), before);
}

TEST(ProgramVerify, ReportCountsPulsesTimeEnergyIterations) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  const ProgramReport rep = program_uniform(cfg, 3);
  EXPECT_EQ(rep.devices, 256 * 256 * 4);
  EXPECT_EQ(rep.device.size(), size_t(rep.devices));
  EXPECT_EQ(rep.iterations.size(), size_t(rep.devices));
  EXPECT_GE(rep.pulses, rep.devices);
  EXPECT_GE(rep.mean_iterations, 1.0);
  EXPECT_LE(rep.max_iterations_used, cfg.program.max_iterations);
  // Each pulse costs write energy (and a small verify read): energy >= pulses x write energy.
  EXPECT_GE(rep.energy_pj, rep.pulses * cfg.technology.write_energy_pj);
  // Row-parallel: time >= rows x devices-per-cell x (write + verify) for the fastest case.
  EXPECT_GE(rep.time_ns, 256.0 * 4 * (cfg.technology.write_time_ns + cfg.technology.read_time_ns));
  int64_t pulses = 0;
  for (auto it : rep.iterations) pulses += it;
  EXPECT_EQ(pulses, rep.pulses);
}

TEST(ProgramVerify, TighterToleranceTakesMoreIterations) {
  AnalogCoreConfig cfg = core_config_preset("pcm-nandakumar");
  cfg.rows = cfg.cols = 64;
  cfg.drift_compensation.mode = "none";
  cfg.program.tolerance_us = 1.0;
  AnalogCore loose(cfg);
  const auto w = test::random_int_matrix(64, 64, 127, 5);
  const double loose_it = loose.program(w).mean_iterations;
  cfg.program.tolerance_us = 0.2;
  AnalogCore tight(cfg);
  const double tight_it = tight.program(w).mean_iterations;
  EXPECT_GT(tight_it, loose_it * 1.3);
}

TEST(ProgramVerify, DevicesPastEnduranceFailStuck) {
  AnalogCoreConfig cfg = core_config_preset("generic");
  cfg.rows = cfg.cols = 16;
  cfg.drift_compensation.mode = "none";
  cfg.technology.endurance_cycles = 4;
  AnalogCore core(cfg);
  const auto w = test::random_int_matrix(16, 16, 127, 8);
  int64_t worn = 0;
  for (int r = 0; r < 6; ++r) worn += core.program(w).worn_out;
  EXPECT_GT(worn, 0);
  const auto& dev = core.array().devices();
  int64_t stuck = 0;
  for (size_t d = 0; d < dev.size(); ++d) {
    stuck += dev.stuck[d];
    if (dev.stuck[d]) {
      EXPECT_TRUE(dev.g[d] == float(cfg.technology.gmin_us) || dev.g[d] == float(cfg.technology.gmax_us));
    }
  }
  EXPECT_EQ(stuck, worn);
  // A stuck device no longer changes.
  const std::vector<float> before = dev.g;
  const std::vector<uint8_t> was_stuck = dev.stuck;
  core.program(-w);
  for (size_t d = 0; d < dev.size(); ++d)
    if (was_stuck[d]) {
      EXPECT_EQ(before[d], dev.g[d]);
    }
}

TEST(ProgramVerify, FabricationFailuresAreReported) {
  AnalogCoreConfig cfg = core_config_preset("generic");
  cfg.technology.stuck_probability = 0.01;
  cfg.drift_compensation.mode = "none";
  AnalogCore core(cfg);
  const ProgramReport rep = core.program(test::random_int_matrix(256, 256, 127, 2));
  EXPECT_NEAR(double(rep.stuck) / rep.devices, 0.01, 0.002);
  EXPECT_GT(rep.not_converged, 0);
  EXPECT_LE(rep.not_converged, rep.stuck);
}

// The per-device lists are kept only when asked for; the totals and the devices' state do not depend on it.
TEST(ProgramVerify, DeviceOutcomesOnlyWhenAsked) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.rows = 64;
  cfg.cols = 48;
  const Eigen::MatrixXi w = test::random_int_matrix(cfg.rows, cfg.cols, 127, 4);
  AnalogCore plain(cfg), listed(cfg);
  listed.keep_device_outcomes(true);
  const ProgramReport a = plain.program(w), b = listed.program(w);
  EXPECT_TRUE(a.device.empty() && a.target_us.empty() && a.error_us.empty() && a.iterations.empty());
  EXPECT_EQ(b.device.size(), size_t(b.devices));
  EXPECT_EQ(b.error_us.size(), size_t(b.devices));
  EXPECT_EQ(a.devices, b.devices);
  EXPECT_EQ(a.pulses, b.pulses);
  EXPECT_EQ(a.time_ns, b.time_ns);
  EXPECT_EQ(a.energy_pj, b.energy_pj);
  EXPECT_EQ(a.rms_error_us, b.rms_error_us);
  EXPECT_EQ(a.mean_iterations, b.mean_iterations);
  EXPECT_EQ(std::vector<float>(plain.array().devices().g), std::vector<float>(listed.array().devices().g));
}

// The floor the tile waits for before it takes the numerics' result: never above the programming time, and
// exactly it when every device is accepted at its first verify read (a tolerance nothing misses).
TEST(ProgramVerify, TimeFloorIsBelowEveryProgrammingTimeAndReachedWhenAllConvergeAtOnce) {
  struct Case {
    const char* preset;
    int rows, cols, parallel;
  };
  for (const Case& k : {Case{"hermes-core", 256, 256, 0}, Case{"pcm-nandakumar", 40, 33, 7},
                        Case{"reram-wan", 64, 48, 0}, Case{"isaac-ima", 32, 24, 5}}) {
    AnalogCoreConfig cfg = core_config_preset(k.preset);
    cfg.program.parallel_devices = k.parallel;
    AnalogCore core(cfg);
    const Eigen::MatrixXi w = test::random_int_matrix(k.rows, k.cols, cfg.mapping.weight_max(), 7);
    const double floor = core.program_time_floor_ns(k.rows, k.cols);
    EXPECT_GT(floor, 0) << k.preset;
    const ProgramReport rep = core.program(w);
    EXPECT_GE(rep.time_ns, floor) << k.preset;
    EXPECT_GT(rep.time_ns, floor) << k.preset << ": some group should have needed a second pulse";
    cfg.program.tolerance_us = 1e9;
    AnalogCore lenient(cfg);
    EXPECT_DOUBLE_EQ(lenient.program(w).time_ns, floor) << k.preset;
  }
}
