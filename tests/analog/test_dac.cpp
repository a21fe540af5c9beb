#include "analog/dac.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

using namespace aimc::analog;

namespace {
// Recombines the reads as the digital side does: sum_r coefficient_r * level_r.
Eigen::VectorXd recombine(const std::vector<DacRead>& reads, int n) {
  Eigen::VectorXd v = Eigen::VectorXd::Zero(n);
  for (const auto& r : reads)
    for (int i = 0; i < n; ++i) v[i] += r.coefficient * r.level[i];
  return v;
}
}  // namespace

TEST(Dac, EveryEncodingRecombinesToTheInput) {
  const Eigen::VectorXi x = test::random_int_vector(64, -128, 127, 3);
  struct Case {
    const char* mode;
    const char* sign;
    int reads;
  } cases[] = {{"pwm", "differential", 1}, {"pwm", "two_pass", 2}, {"bit_serial", "differential", 8},
               {"bit_serial", "two_pass", 16}, {"bit_serial", "twos_complement", 8}};
  for (const auto& c : cases) {
    DacConfig d;
    d.mode = c.mode;
    d.signed_inputs = c.sign;
    d.validate();
    EXPECT_EQ(d.reads_per_mvm(), c.reads) << c.mode << " " << c.sign;
    for (int phases : {1, 4}) {
      std::vector<DacRead> reads;
      dac_encode(d, x, phases, reads, "test");
      EXPECT_EQ(int(reads.size()), c.reads * phases);
      EXPECT_TRUE(recombine(reads, 64).isApprox(x.cast<double>())) << c.mode << " " << c.sign;
      for (const auto& r : reads) EXPECT_LE(r.max_abs_level, d.max_level());
    }
  }
}

TEST(Dac, PwmWindowAndRanges) {
  DacConfig d;  // 8-bit signed PWM at 1 ns/LSB: the longest pulse is 128 LSB (HERMES ~128 ns)
  EXPECT_EQ(d.max_level(), 128);
  EXPECT_DOUBLE_EQ(d.read_time_ns(), 128.0);
  d.input_signed = false;
  EXPECT_EQ(d.max_level(), 255);
  EXPECT_EQ(d.input_min(), 0);
}

TEST(Dac, OutOfRangeInputNamesTheElement) {
  DacConfig d;
  Eigen::VectorXi x = Eigen::VectorXi::Zero(8);
  x[5] = 300;
  std::vector<DacRead> reads;
  try {
    dac_encode(d, x, 1, reads, "crossbar 'x'");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("input[5] = 300"), std::string::npos) << e.what();
  }
}

TEST(Dac, InvalidCombinations) {
  DacConfig d;
  d.signed_inputs = "twos_complement";  // needs bit-serial
  EXPECT_THROW(d.validate(), std::invalid_argument);
  d = DacConfig{};
  d.mode = "thermometer";
  EXPECT_THROW(d.validate(), std::invalid_argument);
  d = DacConfig{};
  d.input_bits = 0;
  EXPECT_THROW(d.validate(), std::invalid_argument);
}
