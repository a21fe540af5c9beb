#include "analog/adc.h"
#include "analog/analog_core.h"
#include "analog/mvm_accuracy.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

using namespace aimc::analog;

TEST(Adc, QuantizeRoundsAndCountsSaturation) {
  bool sat;
  EXPECT_EQ(adc_quantize(3.4, -128, 127, sat), 3);
  EXPECT_FALSE(sat);
  EXPECT_EQ(adc_quantize(-3.6, -128, 127, sat), -4);
  EXPECT_EQ(adc_quantize(126.9, -128, 127, sat), 127);
  EXPECT_FALSE(sat);
  EXPECT_EQ(adc_quantize(127.6, -128, 127, sat), 127);
  EXPECT_TRUE(sat);
  EXPECT_EQ(adc_quantize(-1e9, -128, 127, sat), -128);
  EXPECT_TRUE(sat);
}

TEST(Adc, RegistryAndValidation) {
  const auto names = adc_model_names();
  for (const char* n : {"cco", "ramp", "sar"}) EXPECT_NE(std::find(names.begin(), names.end(), n), names.end());
  AdcConfig c;
  c.bits = 0;
  try {
    c.validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("adc.bits"), std::string::npos);
  }
  c = AdcConfig{};
  c.model = "flash-magic";
  EXPECT_THROW(c.validate(), std::invalid_argument);
  c = AdcConfig{};
  c.per_array = 4;  // a CCO ADC sits on every column
  EXPECT_THROW(c.validate(), std::invalid_argument);
  // A new architecture plugs in by name.
  register_adc_model({"flash", "flash converter", false, false, [](const AdcConfig&) { return 0.5; }});
  c = AdcConfig{};
  c.model = "flash";
  EXPECT_NO_THROW(c.validate());
}

namespace {
AnalogCoreConfig small_ideal(int bits, double full_scale_rows) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  test::ideal_periphery(cfg);
  cfg.rows = 32;
  cfg.cols = 16;
  cfg.technology = test::ideal_technology();
  cfg.mapping.devices_per_polarity = 1;
  cfg.drift_compensation.mode = "none";
  cfg.adc.bits = bits;
  cfg.adc.full_scale_rows = full_scale_rows;
  return cfg;
}
}  // namespace

TEST(Adc, SaturationIsCountedNotHidden) {
  AnalogCore core(small_ideal(8, 1.0));  // full scale: one row at maximum
  core.program(Eigen::MatrixXi::Constant(32, 16, 127));
  const MvmResult r = core.mvm(Eigen::VectorXi::Constant(32, 100));  // ~25 rows at max: saturates
  EXPECT_EQ(r.adc_saturations, 16);
  const MvmResult ok = core.mvm(Eigen::VectorXi::Constant(32, 2));
  EXPECT_EQ(ok.adc_saturations, 0);
}

TEST(Adc, ResolutionSetsTheQuantizationError) {
  for (int bits : {6, 10}) {
    AnalogCore core(small_ideal(bits, 4.0));
    const Eigen::MatrixXi w = test::random_int_matrix(32, 16, 127, 1);
    core.program(w);
    const Eigen::VectorXi x = test::random_int_vector(32, -30, 30, 2);
    const MvmResult r = core.mvm(x);
    const Eigen::VectorXd exact = (w.transpose() * x).cast<double>();
    const double lsb_units = 2.0 * 4.0 * 127 * 128 / std::ldexp(1.0, bits);  // output units per code
    EXPECT_LE((r.y - exact).cwiseAbs().maxCoeff(), 0.5 * lsb_units + 1e-6) << bits << " bits";
  }
}

// A converter offset cancels when phases alternate the input polarity (HERMES 4-phase); it stays with 1 phase.
TEST(Adc, OffsetCancelsWithAlternatingPhases) {
  AnalogCoreConfig cfg = small_ideal(10, 4.0);
  cfg.adc.offset_lsb = 3.0;
  AnalogCore core(cfg);
  const Eigen::MatrixXi w = test::random_int_matrix(32, 16, 127, 1);
  core.program(w);
  const Eigen::VectorXi x = test::random_int_vector(32, -30, 30, 2);
  const Eigen::VectorXd exact = (w.transpose() * x).cast<double>();
  const double lsb_units = 2.0 * 4.0 * 127 * 128 / 1024.0;
  const MvmResult one = core.mvm(x, 1);
  const MvmResult four = core.mvm(x, 4);
  EXPECT_NEAR((one.y - exact).mean(), 3.0 * lsb_units, 0.6 * lsb_units);
  EXPECT_NEAR((four.y - exact).mean(), 0.0, 0.3 * lsb_units);
}

// Column gain calibration (the chip's digital ADC calibration): HERMES-like core with a 20 % column gain spread.
// Fixed seeds 1-3, 8 Gaussian vectors each. With gain_reads the MVM error is within 0.005 of the error without
// any gain spread; without them the spread adds more than 0.02 (a 20 % gain error per column does not average).
TEST(Adc, GainCalibrationRemovesTheColumnGainSpread) {
  auto error = [](double gain_std, int gain_reads) {
    double e = 0;
    for (int seed = 1; seed <= 3; ++seed) {
      AnalogCoreConfig cfg = core_config_preset("hermes-core");
      cfg.seed = seed;
      cfg.adc.gain_std = gain_std;
      cfg.drift_compensation.gain_reads = gain_reads;
      AnalogCore core(cfg);
      e += measure_mvm_accuracy(core, uint64_t(seed), 8).mvm_error / 3;
    }
    return e;
  };
  const double none = error(0.0, 32), calibrated = error(0.2, 32), raw = error(0.2, 0);
  std::printf("[ adc ] MVM error: no gain spread %.4f, 20 %% spread calibrated %.4f, uncalibrated %.4f\n", none,
              calibrated, raw);
  EXPECT_LT(std::fabs(calibrated - none), 0.005);
  EXPECT_GT(raw - none, 0.02);
}

TEST(Adc, GainCalibrationNeedsTheOffsetPoint) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.drift_compensation.offset_reads = 0;
  try {
    cfg.validate();
    FAIL() << "gain_reads without offset_reads was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("gain_reads"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("offset_reads"), std::string::npos) << e.what();
  }
}
