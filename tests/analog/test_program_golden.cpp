// Golden checksums of the programming path (program-and-verify, the device state it leaves, the prepared read
// matrices and the calibration after it): the values below were computed with the code before the programming
// speed-up (2026-12, tests/bench/bench_program.cpp), so any change of a random draw, of the order of the draws
// or of the arithmetic shows here as a different checksum. A deliberate change of the model updates them and
// says so in its commit.
#include "analog/analog_core.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

using namespace aimc::analog;

namespace {

// FNV-1a over the bytes of every value fed in.
struct Checksum {
  uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const void* p, size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 0x100000001b3ull;
  }
  template <class C>
  void array(const C& c) {
    bytes(c.data(), c.size() * sizeof(c[0]));
  }
  void value(double v) { bytes(&v, sizeof v); }
  void value(int64_t v) { bytes(&v, sizeof v); }
};

void add_report(Checksum& c, const ProgramReport& r) {
  for (double v : {r.time_ns, r.energy_pj, r.rms_error_us, r.mean_iterations, r.calibration_time_ns,
                   r.calibration_energy_pj})
    c.value(v);
  for (int64_t v : {r.devices, r.pulses, r.not_converged, r.stuck, r.worn_out, int64_t(r.max_iterations_used)})
    c.value(v);
  c.array(r.device);
  c.array(r.target_us);
  c.array(r.error_us);
  c.array(r.iterations);
}

// The device state, the effective weights (prepared matrices after IR drop), the drift correction and one MVM
// (read noise, ADC, calibration) of a core just programmed.
void add_core(Checksum& c, AnalogCore& core, uint64_t input_seed) {
  const DeviceState& d = core.array().devices();
  c.array(d.g);
  c.array(d.target);
  // gmax and ret_z of every device: the arrays, or their documented values when a technology needs none.
  const std::vector<float> gmax = d.gmax.empty() ? std::vector<float>(d.size(), float(core.config().technology.gmax_us))
                                                 : std::vector<float>(d.gmax);
  const std::vector<float> ret_z = d.ret_z.empty() ? std::vector<float>(d.size(), 0.f) : std::vector<float>(d.ret_z);
  c.array(gmax);
  c.array(d.nu);
  c.array(ret_z);
  std::vector<double> t_prog(d.size());
  for (size_t i = 0; i < d.size(); ++i) t_prog[i] = d.t_prog(i);
  c.array(t_prog);
  c.array(d.cycles);
  c.array(d.stuck);
  const Eigen::MatrixXd we = core.effective_weights();
  c.bytes(we.data(), size_t(we.size()) * sizeof(double));
  const Eigen::VectorXd alpha = core.drift_correction();
  c.bytes(alpha.data(), size_t(alpha.size()) * sizeof(double));
  const AnalogCoreConfig& cfg = core.config();
  const Eigen::VectorXi x =
      test::random_int_vector(cfg.rows, cfg.dac.input_min(), cfg.dac.input_max(), input_seed);
  const MvmResult r = core.mvm(x);
  c.bytes(r.y.data(), size_t(r.y.size()) * sizeof(double));
}

void expect_checksum(const char* name, const Checksum& c, uint64_t golden) {
  EXPECT_EQ(c.h, golden) << name << ": checksum 0x" << std::hex << c.h << " differs from the golden 0x" << golden;
  std::printf("golden %s 0x%016" PRIx64 "\n", name, c.h);
}

}  // namespace

// The benchmark's case: a full 256x256 hermes-core array (4 devices per weight), int8 weights.
TEST(ProgramGolden, HermesCoreFullArray) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.seed = 3;
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  Checksum c;
  add_report(c, core.program(test::random_int_matrix(256, 256, 127, 5)));
  add_core(c, core, 6);
  expect_checksum("hermes-core", c, 0xeb8860e76592da16ull);
}

// Blocks at an offset, programmed again after time passed (drift of the rest, reprogramming), power-law 1/f
// noise, a parallel group that does not divide the block, one device per polarity.
TEST(ProgramGolden, PcmBlocksReprogrammed) {
  AnalogCoreConfig cfg = core_config_preset("pcm-nandakumar");
  cfg.rows = 96;
  cfg.cols = 80;
  cfg.program.parallel_devices = 7;
  cfg.seed = 11;
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  Checksum c;
  add_report(c, core.program(test::random_int_matrix(40, 33, 127, 12), 5, 9));
  core.advance_time(3600.0);
  add_report(c, core.program(test::random_int_matrix(64, 50, 100, 13), 20, 30));
  core.advance_time(60.0);
  add_report(c, core.program(test::random_int_matrix(40, 33, 127, 14), 5, 9));
  add_core(c, core, 15);
  expect_checksum("pcm-nandakumar", c, 0x75d0daf716d76e84ull);
}

// Fabrication draws (device-to-device gmax spread, stuck devices), curve read noise, endurance wear-out.
TEST(ProgramGolden, ReramFabricationAndWear) {
  AnalogCoreConfig cfg = core_config_preset("reram-wan");
  cfg.rows = 64;
  cfg.cols = 48;
  cfg.technology.d2d_gmax_std = 0.1;
  cfg.technology.stuck_probability = 0.01;
  cfg.technology.endurance_cycles = 6;
  cfg.seed = 21;
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  Checksum c;
  int64_t stuck = 0, worn = 0;
  for (int r = 0; r < 4; ++r) {
    const ProgramReport rep = core.program(test::random_int_matrix(64, 48, 127, 22 + r));
    add_report(c, rep);
    stuck += rep.stuck;
    worn += rep.worn_out;
  }
  EXPECT_GT(worn, 0);  // the case covers wear-out and devices stuck from fabrication
  EXPECT_GT(stuck, worn);
  add_core(c, core, 30);
  expect_checksum("reram-wan", c, 0x009e94f1fda37a85ull);
}

// Retention noise (SONOS) read after a day.
TEST(ProgramGolden, SonosRetention) {
  AnalogCoreConfig cfg = core_config_preset("sonos");
  cfg.rows = 48;
  cfg.cols = 40;
  cfg.seed = 31;
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  Checksum c;
  add_report(c, core.program(test::random_int_matrix(48, 40, 127, 32)));
  core.advance_time(86400.0);
  add_core(c, core, 33);
  expect_checksum("sonos", c, 0x560909a29517f2d2ull);
}

// Bit-sliced real-valued weights (isaac-ima: 8 slices of 2 bits, rounded), the drift compensation off.
TEST(ProgramGolden, IsaacBitSliced) {
  AnalogCoreConfig cfg = core_config_preset("isaac-ima");
  cfg.rows = 32;
  cfg.cols = 24;
  cfg.seed = 41;
  AnalogCore core(cfg);
  core.keep_device_outcomes(true);
  const Eigen::MatrixXd w = test::random_int_matrix(32, 24, 1000, 42).cast<double>() * 0.37;
  Checksum c;
  add_report(c, core.program(w, 400.0));
  add_core(c, core, 43);
  expect_checksum("isaac-ima", c, 0x4717392487b22583ull);
}

// Blocks programmed one after another at one time point, each followed by the calibration and an MVM (the
// runtime's multi-block tiles): every prepare after the first updates the reprogrammed weights only. Then a
// block after an hour. Golden value from the tree before the sums were first written straight into the
// matrices (commit 5e09c6a).
TEST(ProgramGolden, HermesCoreBlocksAtOneTimePoint) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.seed = 51;
  AnalogCore core(cfg);
  Checksum c;
  for (int b = 0; b < 4; ++b) {
    const ProgramReport r = core.program(test::random_int_matrix(60, 70, 100, 52 + b), 10 + 50 * b, 20 + 40 * b);
    c.value(r.time_ns);
    c.value(r.energy_pj);
    const Eigen::MatrixXd we = core.effective_weights();
    c.bytes(we.data(), size_t(we.size()) * sizeof(double));
    const MvmResult m = core.mvm(test::random_int_vector(cfg.rows, -127, 127, 60 + b));
    c.bytes(m.y.data(), size_t(m.y.size()) * sizeof(double));
  }
  core.advance_time(3600.0);
  core.program(test::random_int_matrix(30, 30, 127, 70), 0, 0);
  const Eigen::MatrixXd we = core.effective_weights();
  c.bytes(we.data(), size_t(we.size()) * sizeof(double));
  const Eigen::VectorXd alpha = core.drift_correction();
  c.bytes(alpha.data(), size_t(alpha.size()) * sizeof(double));
  expect_checksum("hermes-core blocks", c, 0x3975f7e96dd33e93ull);
}
