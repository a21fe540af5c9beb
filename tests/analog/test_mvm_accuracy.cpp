#include "analog/mvm_accuracy.h"

#include <gtest/gtest.h>

using namespace aimc::analog;

// Seed fact (REFERENCE.md section 3): an MVM on PCM of a 256x256 Gaussian matrix and vector has a precision
// equivalent to ~4-bit fixed point. Fixed seeds; tolerance: 3.5 to 5 equivalent bits.
TEST(Calibration, PcmMvmIsAboutFourBitFixedPoint) {
  for (const char* preset : {"pcm-nandakumar", "hermes-core"}) {
    AnalogCore core(core_config_preset(preset));
    const AccuracyReport r = measure_mvm_accuracy(core, 1, 8, 0.0);
    EXPECT_GT(r.equivalent_bits, 3.5) << preset;
    EXPECT_LT(r.equivalent_bits, 5.0) << preset;
    EXPECT_EQ(r.adc_saturations, 0) << preset;
  }
}

TEST(MvmAccuracy, FixedPointReferenceHalvesPerBit) {
  NoiseRng rng(3);
  Eigen::MatrixXd w(64, 64), x(64, 4);
  for (int j = 0; j < 64; ++j)
    for (int i = 0; i < 64; ++i) w(i, j) = rng.normal();
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 64; ++i) x(i, j) = rng.normal();
  const double e4 = fixed_point_error(w, x, 4), e8 = fixed_point_error(w, x, 8);
  EXPECT_NEAR(std::log2(e4 / e8), 4.0, 0.5);
}

TEST(MvmAccuracy, IdealDevicesReachTheConverterLimit) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.technology = technology_preset("generic");
  cfg.technology.prog_noise = NoiseCurve{"constant", {0.0}, 1.0};
  cfg.technology.read_noise.form = "none";
  cfg.technology.drift = DriftModel{20.0, 0, 0, 0, 0, 0, 0, 0, 0};
  AnalogCore core(cfg);
  const AccuracyReport r = measure_mvm_accuracy(core, 1, 4, 0.0);
  EXPECT_GT(r.equivalent_bits, 6.0);  // limited by 8-bit weights, inputs and ADC
}
