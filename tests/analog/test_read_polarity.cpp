// Read-polarity dependence (read_polarity.h): where a one-phase MVM meets it, and that the four-phase mode
// (every device read with one voltage polarity) does not.
#include "analog/mvm_accuracy.h"
#include "analog/read_polarity.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace aimc::analog;

// With no spread, f = mean for every device: a positive input sees -mean G-, a negative one +mean G+.
TEST(ReadPolarity, MatricesFollowTheDevicesReadWithTheOppositePolarity) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.rows = 24;
  cfg.cols = 12;
  cfg.technology.read_polarity_mean = 0.04;
  AnalogCore core(cfg);
  core.program(test::random_int_matrix(24, 12, 127, 5));
  std::vector<ReadPolarityMatrices> m;
  build_read_polarity(core.array(), 0.0, 7, m);
  ASSERT_EQ(m.size(), 1u);
  const CrossbarArray& a = core.array();
  for (int i = 0; i < 24; ++i)
    for (int j = 0; j < 12; ++j) {
      double gp = 0, gn = 0;
      for (int k = 0; k < a.devices_per_polarity(); ++k) {
        gp += a.conductance(a.index(0, 0, k, i, j), 0.0);
        gn += a.conductance(a.index(0, 1, k, i, j), 0.0);
      }
      EXPECT_NEAR(m[0].neg(i, j), 0.04 * gp, 1e-12);
      EXPECT_NEAR(m[0].pos(i, j), -0.04 * gn, 1e-12);
    }
  // The factors are a property of each device: the same seed draws the same spread again.
  cfg.technology.read_polarity_std = 0.05;
  AnalogCore spread(cfg);
  spread.program(test::random_int_matrix(24, 12, 127, 5));
  std::vector<ReadPolarityMatrices> m1, m2;
  build_read_polarity(spread.array(), 0.0, 7, m1);
  build_read_polarity(spread.array(), 0.0, 7, m2);
  EXPECT_EQ(m1[0].pos, m2[0].pos);
  EXPECT_EQ(m1[0].neg, m2[0].neg);
}

// HERMES core, fixed seeds 1-3, 8 Gaussian vectors each, a 5 % device-to-device spread and a 1 % mean: the
// one-phase MVM error rises by more than 0.002; four-phase outputs are bit-identical with and without the term.
TEST(ReadPolarity, OnlyTheOnePhaseModeSeesIt) {
  double rise = 0;
  for (int seed = 1; seed <= 3; ++seed) {
    AnalogCoreConfig cfg = core_config_preset("hermes-core");
    cfg.seed = seed;
    AnalogCoreConfig pol = cfg;
    pol.technology.read_polarity_std = 0.05;
    pol.technology.read_polarity_mean = 0.01;
    AnalogCore off1(cfg), on1(pol);
    rise += (measure_mvm_accuracy(on1, uint64_t(seed), 8).mvm_error -
             measure_mvm_accuracy(off1, uint64_t(seed), 8).mvm_error) / 3;
    cfg.phases = pol.phases = 4;
    AnalogCore off4(cfg), on4(pol);
    const Eigen::MatrixXi w = test::random_int_matrix(256, 256, 127, uint64_t(seed));
    off4.program(w);
    on4.program(w);
    const Eigen::VectorXi x = test::random_int_vector(256, -128, 127, uint64_t(seed) + 10);
    EXPECT_EQ(off4.mvm(x).y, on4.mvm(x).y) << "seed " << seed;
  }
  std::printf("[ polarity ] one-phase MVM error rise: %.4f\n", rise);
  EXPECT_GT(rise, 0.002);
}

TEST(ReadPolarity, OffInEveryPresetAndValidated) {
  for (const std::string& n : core_config_names()) {
    const AnalogCoreConfig c = core_config_preset(n);
    EXPECT_FALSE(read_polarity_enabled(c.technology)) << n;
  }
  DeviceTechnology t = technology_preset("pcm-hermes-tdp");
  t.read_polarity_std = -0.1;
  EXPECT_THROW(t.validate(), std::invalid_argument);
  t.read_polarity_std = 0.0;
  t.read_polarity_mean = 0.7;
  try {
    t.validate();
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("read_polarity_mean"), std::string::npos) << e.what();
  }
}
