// The crossbar MVM engine (AnalogCore over CrossbarArray): exactness without noise, read-noise statistics,
// determinism, block programming, IR drop, and bad input.
#include "analog/analog_core.h"
#include "analog/crossbar_array.h"
#include "analog/device_memory.h"
#include "analog/mvm_kernels.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace aimc::analog;

namespace {
// A small ISAAC-like core on ideal devices: 2-bit slices, 1-bit DAC, ADC LSB = one digit -> exact.
AnalogCoreConfig exact_sliced() {
  AnalogCoreConfig cfg = core_config_preset("isaac-ima");
  cfg.rows = 16;
  cfg.cols = 8;
  cfg.technology = test::ideal_technology();
  cfg.technology.levels = 4;
  cfg.mapping.weight_bits = 8;
  cfg.dac.input_bits = 8;
  return cfg;
}
}  // namespace

TEST(CrossbarMvm, BitSlicedBitSerialIsExactOnIdealDevices) {
  for (const char* sign : {"twos_complement", "differential", "two_pass"}) {
    AnalogCoreConfig cfg = exact_sliced();
    cfg.dac.signed_inputs = sign;
    AnalogCore core(cfg);
    const Eigen::MatrixXi w = test::random_int_matrix(16, 8, 127, 4);
    core.program(w);
    for (int k = 0; k < 5; ++k) {
      const Eigen::VectorXi x = test::random_int_vector(16, -128, 127, 10 + k);
      const MvmResult r = core.mvm(x);
      const Eigen::VectorXi exact = w.transpose() * x;
      EXPECT_EQ(r.y_int, exact) << sign;
      EXPECT_EQ(r.adc_saturations, 0);
    }
  }
}

TEST(CrossbarMvm, SlicesInColumnsGiveTheSameResult) {
  AnalogCoreConfig cfg = exact_sliced();
  cfg.mapping.slice_layout = "columns";
  AnalogCore core(cfg);
  const Eigen::MatrixXi w = test::random_int_matrix(16, 8, 127, 4);
  core.program(w);
  const Eigen::VectorXi x = test::random_int_vector(16, -128, 127, 9);
  EXPECT_EQ(core.mvm(x).y_int, Eigen::VectorXi(w.transpose() * x));
}

// Statistical test (fixed seed, 3000 reads): the per-column output std equals sqrt(sum_i x_i^2 sigma_ij^2)
// of the per-device read noises within 5 % (rms over columns), and the mean equals the noiseless value.
TEST(CrossbarMvm, ReadNoiseColumnStatisticsMatchPerDeviceNoise) {
  AnalogCoreConfig cfg = core_config_preset("generic");
  test::ideal_periphery(cfg);
  cfg.rows = 128;
  cfg.cols = 16;
  cfg.technology.prog_noise = NoiseCurve{"constant", {0.0}, 1.0};
  cfg.technology.read_noise.curve = NoiseCurve{"relative", {0.05, 0.1}, 1.0};
  cfg.technology.drift = DriftModel{20.0, 0, 0, 0, 0, 0, 0, 0, 0};
  cfg.adc.bits = 14;
  cfg.adc.full_scale_rows = 8;
  cfg.drift_compensation.mode = "none";
  AnalogCore core(cfg);
  const Eigen::MatrixXi w = test::random_int_matrix(128, 16, 127, 6);
  core.program(w);
  const Eigen::VectorXi x = test::random_int_vector(128, -128, 127, 7);
  // Expected std per column from the devices: sigma_d = 0.05 G + 0.1 uS, in output units.
  const CrossbarArray& a = core.array();
  const double unit = cfg.mapping.unit_us(cfg.technology);
  Eigen::VectorXd expect_sd(16), expect_mean = Eigen::VectorXd::Zero(16);
  for (int j = 0; j < 16; ++j) {
    double v = 0;
    for (int i = 0; i < 128; ++i)
      for (int p = 0; p < 2; ++p) {
        const double g = a.devices().g[a.index(0, p, 0, i, j)];
        const double s = 0.05 * g + 0.1;
        v += double(x[i]) * x[i] * s * s;
        expect_mean[j] += (p == 0 ? 1 : -1) * g * x[i] / unit;
      }
    expect_sd[j] = std::sqrt(v) / unit;
  }
  const int n = 3000;
  Eigen::VectorXd s1 = Eigen::VectorXd::Zero(16), s2 = Eigen::VectorXd::Zero(16);
  for (int k = 0; k < n; ++k) {
    const Eigen::VectorXd y = core.mvm(x).y;
    s1 += y;
    s2 += y.cwiseProduct(y);
  }
  const Eigen::VectorXd mean = s1 / n;
  const Eigen::VectorXd sd = (s2 / n - mean.cwiseProduct(mean)).cwiseSqrt();
  const double ratio = std::sqrt((sd.cwiseQuotient(expect_sd)).squaredNorm() / 16);
  EXPECT_NEAR(ratio, 1.0, 0.05);
  for (int j = 0; j < 16; ++j) EXPECT_NEAR(mean[j], expect_mean[j], 5 * expect_sd[j] / std::sqrt(double(n)) + 2);
}

// Statistical (seed 1, 600 MVMs): the HERMES reads of one MVM are 130 ns apart, closer than the 512 ns of the
// 1/f fit, so the phases of a four-phase MVM share their read noise: its output spread equals the one-phase
// spread (within 10 %). Drawn independently per read (correlated = false), four phases would halve it.
TEST(CrossbarMvm, OneOverFNoiseIsSharedByThePhasesOfAnMvm) {
  auto spread = [](bool correlated, int phases) {
    AnalogCoreConfig cfg = core_config_preset("hermes-core");
    test::ideal_periphery(cfg);
    cfg.rows = cfg.cols = 64;
    cfg.adc.bits = 12;  // quantization well below the read noise
    cfg.technology.read_noise.correlated = correlated;
    cfg.drift_compensation.mode = "none";
    AnalogCore core(cfg);
    core.program(test::random_int_matrix(64, 64, 127, 1));
    core.set_time_since_programming(3600);
    const Eigen::VectorXi x = test::random_int_vector(64, -128, 127, 2);
    const int n = 600;
    Eigen::VectorXd s1 = Eigen::VectorXd::Zero(64), s2 = Eigen::VectorXd::Zero(64);
    for (int k = 0; k < n; ++k) {
      const Eigen::VectorXd y = core.mvm(x, phases).y;
      s1 += y;
      s2 += y.cwiseProduct(y);
    }
    const Eigen::VectorXd mean = s1 / n;
    return std::sqrt((s2 / n - mean.cwiseProduct(mean)).mean());
  };
  const double one = spread(true, 1), four = spread(true, 4), four_white = spread(false, 4);
  EXPECT_NEAR(four / one, 1.0, 0.1);
  EXPECT_NEAR(four_white / one, 0.5, 0.05);
}

TEST(CrossbarMvm, SameSeedBitIdenticalDifferentSeedDifferent) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  const Eigen::MatrixXi w = test::random_int_matrix(256, 256, 127, 1);
  const Eigen::VectorXi x = test::random_int_vector(256, -128, 127, 2);
  auto run = [&](int seed) {
    cfg.seed = seed;
    AnalogCore core(cfg);
    core.program(w);
    core.set_time_since_programming(86400);
    core.calibrate();
    Eigen::MatrixXd ys(256, 3);
    for (int k = 0; k < 3; ++k) ys.col(k) = core.mvm(x, k + 1).y;
    return ys;
  };
  const Eigen::MatrixXd a = run(5), b = run(5), c = run(6);
  EXPECT_TRUE((a.array() == b.array()).all());
  EXPECT_FALSE((a.array() == c.array()).all());
}

TEST(CrossbarMvm, BlockProgrammingAtOffsets) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  test::ideal_periphery(cfg);
  cfg.technology = test::ideal_technology();
  cfg.adc.bits = 16;
  cfg.drift_compensation.mode = "none";
  AnalogCore core(cfg);
  const Eigen::MatrixXi w = test::random_int_matrix(64, 32, 127, 3);
  core.program(w, 100, 200);
  const Eigen::MatrixXd we = core.effective_weights();
  EXPECT_LT((we.block(100, 200, 64, 32) - w.cast<double>()).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_LT(we.block(0, 0, 100, 256).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(CrossbarMvm, IrDropAttenuatesFarCells) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.technology = test::ideal_technology();
  cfg.drift_compensation.mode = "none";
  cfg.wire_resistance_ohm = 1.0;
  AnalogCore core(cfg);
  core.program(Eigen::MatrixXi::Constant(256, 256, 64));
  const Eigen::MatrixXd we = core.effective_weights();
  EXPECT_LT(we(0, 255), we(255, 0));   // far from both driver and sense node
  EXPECT_LT(we(255, 0), 64.0);
  EXPECT_GT(we.minCoeff(), 0.0);
}

TEST(CrossbarMvm, WideInputsTakeTheDoublePath) {
  AnalogCoreConfig cfg = exact_sliced();
  cfg.mapping.bits_per_cell = 0;
  cfg.technology.levels = 0;
  cfg.dac.mode = "pwm";
  cfg.dac.signed_inputs = "differential";
  cfg.dac.input_bits = 12;  // levels up to 2048: squares do not fit int16
  cfg.adc.bits = 16;
  cfg.adc.full_scale_rows = 16;
  AnalogCore core(cfg);
  const Eigen::MatrixXi w = test::random_int_matrix(16, 8, 127, 4);
  core.program(w);
  const Eigen::VectorXi x = test::random_int_vector(16, -2048, 2047, 5);
  const Eigen::VectorXd exact = (w.transpose() * x).cast<double>();
  const double lsb = 2.0 * 16 * 127 * 2048 / 65536.0;
  EXPECT_LE((core.mvm(x).y - exact).cwiseAbs().maxCoeff(), 0.5 * lsb + 1e-6);
}

TEST(CrossbarMvm, BadInputIsAClearError) {
  AnalogCore core(core_config_preset("hermes-core"));
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(4, 4);
  w(3, 2) = std::nan("");
  try {
    core.program(w, 1.0);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("crossbar 'hermes-core': weight[3][2] = nan is not finite"), std::string::npos)
        << e.what();
  }
  w(3, 2) = std::numeric_limits<double>::infinity();
  EXPECT_THROW(core.program(w, 1.0), std::invalid_argument);
  w(3, 2) = 1.5;
  EXPECT_THROW(core.program(w, 1.0), std::invalid_argument);
  EXPECT_THROW(core.program(Eigen::MatrixXd::Zero(4, 4), 0.0), std::invalid_argument);
  Eigen::MatrixXi wi = Eigen::MatrixXi::Zero(4, 4);
  wi(1, 1) = -128;  // symmetric 8-bit weights: [-127, 127]
  try {
    core.program(wi);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("weight[1][1] = -128"), std::string::npos) << e.what();
  }
  try {
    core.program(Eigen::MatrixXi::Zero(300, 10));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit the 256x256 array"), std::string::npos) << e.what();
  }
  EXPECT_THROW(core.program(Eigen::MatrixXi::Zero(10, 10), 250, 0), std::invalid_argument);
  EXPECT_THROW(core.mvm(Eigen::VectorXi::Zero(255)), std::invalid_argument);
  EXPECT_THROW(core.mvm(Eigen::VectorXi::Constant(256, 128)), std::invalid_argument);
  EXPECT_THROW(core.mvm(Eigen::VectorXi::Zero(256), 65), std::invalid_argument);
}

// The integer column sums (AVX2 or SSE2, chosen at run time) equal a naive 64-bit sum, also at the
// largest magnitudes the block bound admits.
TEST(CrossbarMvm, ColumnSumKernelIsExact) {
  const int ld = 1024, cols = 12;
  NoiseRng r(17);
  std::vector<int16_t> m(size_t(ld) * cols), x(ld);
  for (auto& v : m) v = int16_t(int(r.next_u64() % 32767) - 16383);
  for (auto& v : x) v = int16_t(int(r.next_u64() % 257) - 128);
  m[0] = 16383;
  x[0] = -128;
  std::vector<int64_t> out(cols);
  column_sums_i16(m.data(), ld, cols, x.data(), safe_block_rows(ld, 16383, 128), out.data());
  for (int j = 0; j < cols; ++j) {
    int64_t ref = 0;
    for (int i = 0; i < ld; ++i) ref += int64_t(m[size_t(j) * ld + i]) * x[i];
    EXPECT_EQ(out[j], ref) << "column " << j << " (" << column_sums_isa() << ")";
  }
}

// An array's host memory is one block (device state, read matrices, target sums), mapped in whole 2 MiB
// pages when that adds at most an eighth: a hermes-core array takes exactly four huge pages; a block whose
// rounding would add more keeps its small-page tail, and a small one is ordinary memory.
TEST(CrossbarArrayMemory, OneBlockInWholeHugePagesWhenThatAddsAtMostAnEighth) {
  constexpr size_t MiB = size_t(1) << 20;
  EXPECT_EQ(DeviceMemory::mapped_bytes(100), 100u);
  EXPECT_EQ(DeviceMemory::mapped_bytes(2 * MiB - 1), 2 * MiB - 1);
  EXPECT_EQ(DeviceMemory::mapped_bytes(2 * MiB), 2 * MiB);
  EXPECT_EQ(DeviceMemory::mapped_bytes(7 * MiB + MiB / 2), 8 * MiB);              // adds 1/15
  EXPECT_EQ(DeviceMemory::mapped_bytes(2 * MiB + MiB / 2), 2 * MiB + MiB / 2);  // 4 MiB would add 3/5
  const AnalogCoreConfig h = core_config_preset("hermes-core");
  const size_t block = CrossbarArray::block_bytes(h.rows, h.cols, h.mapping.slices(), h.mapping.devices_per_polarity,
                                                  false, false);
  EXPECT_GT(block, 7 * MiB);  // 5.3 MiB of device state, 1.9 MiB of read matrices, 0.5 MiB of target sums
  EXPECT_EQ(DeviceMemory::mapped_bytes(block), 8 * MiB);
  EXPECT_GE(CrossbarArray::host_bytes(h.rows, h.cols, h.mapping.slices(), h.mapping.devices_per_polarity), block);

  // The memory is zero-filled and writable end to end, whichever way it was mapped.
  for (size_t bytes : {size_t(4096), 7 * MiB + MiB / 2, 2 * MiB + MiB / 2}) {
    DeviceMemory m(bytes);
    ASSERT_EQ(m.size(), bytes);
    EXPECT_EQ(m.data()[0], 0);
    EXPECT_EQ(m.data()[bytes - 1], 0);
    m.data()[bytes - 1] = 1;
    EXPECT_EQ(m.data()[bytes - 1], 1);
  }
}
