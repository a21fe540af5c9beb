#include "analog/analog_core.h"
#include "analog/conductance_mapping.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace aimc::analog;

TEST(ConductanceMapping, AnalogDifferentialPair) {
  const DeviceTechnology t = technology_preset("pcm-nandakumar");
  MappingConfig m;  // 8-bit, analog, one device per polarity
  EXPECT_EQ(m.weight_max(), 127);
  EXPECT_EQ(m.slices(), 1);
  // G = W * Gmax / Wmax (Le Gallo 2023).
  EXPECT_DOUBLE_EQ(m.device_target(127, t), 25.0);
  EXPECT_DOUBLE_EQ(m.device_target(63.5, t), 12.5);
  EXPECT_DOUBLE_EQ(m.unit_us(t), 25.0 / 127);
}

TEST(ConductanceMapping, IsaacBitSlicing) {
  MappingConfig m;
  m.weight_bits = 16;
  m.bits_per_cell = 2;
  EXPECT_EQ(m.slices(), 8);  // 15 magnitude bits in 2-bit cells: 8 crossbars, as ISAAC
  const int w = 0x5A3C;
  double back = 0;
  for (int s = 0; s < m.slices(); ++s) {
    const double d = m.digit(w, s);
    EXPECT_LE(d, 3.0);
    back += d * m.slice_weight(s);
  }
  EXPECT_EQ(back, double(w));
}

TEST(ConductanceMapping, ProgrammedPairsFollowTheSign) {
  AnalogCoreConfig cfg = core_config_preset("pcm-nandakumar");
  test::ideal_periphery(cfg);
  cfg.rows = 4;
  cfg.cols = 2;
  cfg.technology = test::ideal_technology();
  cfg.drift_compensation.mode = "none";
  AnalogCore core(cfg);
  Eigen::MatrixXi w(4, 2);
  w << 127, -127, 0, 64, -1, 5, 100, -100;
  core.program(w);
  const CrossbarArray& a = core.array();
  const auto& g = a.devices().g;
  EXPECT_NEAR(g[a.index(0, 0, 0, 0, 0)], 25.0, 1e-6);  // G+ of +127
  EXPECT_NEAR(g[a.index(0, 1, 0, 0, 0)], 0.0, 1e-6);   // G- of +127
  EXPECT_NEAR(g[a.index(0, 1, 0, 0, 1)], 25.0, 1e-6);  // G- of -127
  const Eigen::MatrixXd we = core.effective_weights();
  EXPECT_LT((we - w.cast<double>()).cwiseAbs().maxCoeff(), 1e-4);
}

TEST(ConductanceMapping, InvalidCombinationsAreErrors) {
  AnalogCoreConfig cfg = core_config_preset("pcm-nandakumar");
  cfg.technology = technology_preset("sram-analog");  // binary cells need bit-slicing
  EXPECT_THROW(cfg.validate(), std::invalid_argument);
  cfg.mapping.bits_per_cell = 2;  // 4 levels on a binary cell
  try {
    cfg.validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("bits_per_cell"), std::string::npos) << e.what();
  }
  cfg = core_config_preset("pcm-nandakumar");
  cfg.mapping.slice_layout = "diagonal";
  EXPECT_THROW(cfg.validate(), std::invalid_argument);
}
