#include "analog/adc.h"
#include "analog/analog_core.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

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
