#include "analog/noise_rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using aimc::analog::NoiseRng;

TEST(NoiseRng, SameSeedSameStreamBitForBit) {
  NoiseRng a(123), b(123), c(124);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.normal(), y = b.normal(), z = c.normal();
    ASSERT_EQ(x, y);
    differs |= x != z;
  }
  EXPECT_TRUE(differs);
}

// Statistical test, fixed seed, 1M draws: mean 0 +- 0.005, std 1 +- 0.005, kurtosis 3 +- 0.05,
// P(|x| > 3) = 0.0027 +- 10 %, P(|x| > 4) = 6.3e-5 +- 30 % (tail of the ziggurat).
TEST(NoiseRng, ZigguratIsStandardNormal) {
  NoiseRng r(7);
  const int n = 1000000;
  double s1 = 0, s2 = 0, s4 = 0;
  int tail3 = 0, tail4 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    s1 += x;
    s2 += x * x;
    s4 += x * x * x * x;
    tail3 += std::fabs(x) > 3;
    tail4 += std::fabs(x) > 4;
  }
  const double mean = s1 / n, var = s2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.005);
  EXPECT_NEAR(std::sqrt(var), 1.0, 0.005);
  EXPECT_NEAR(s4 / n / (var * var), 3.0, 0.05);
  EXPECT_NEAR(tail3 / double(n), 0.0026998, 0.00027);
  EXPECT_NEAR(tail4 / double(n), 6.334e-5, 1.9e-5);
}

TEST(NoiseRng, UniformInUnitInterval) {
  NoiseRng r(9);
  double s = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    s += u;
  }
  EXPECT_NEAR(s / 100000, 0.5, 0.005);
}
