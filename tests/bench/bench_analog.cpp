// Analog core benchmark: one 256x256 noisy MVM (read noise + ADC, hermes-core) against a plain Eigen float
// 256x256 matrix-vector product in the same run (must be at most 2x), and the wall time of programming a
// 256x256 array with program-and-verify.
#include "analog/analog_core.h"
#include "analog/mvm_kernels.h"

#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace aimc::analog;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
double best_ns_per_call(F&& f, int calls, int repeats) {
  double best = 1e300;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    for (int i = 0; i < calls; ++i) f(i);
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / calls;
    best = std::min(best, ns);
  }
  return best;
}

}  // namespace

int main() {
  const int n = 256, calls = 4000, repeats = 7;
  NoiseRng rng(42);
  Eigen::MatrixXi w(n, n);
  for (int j = 0; j < n; ++j)
    for (int i = 0; i < n; ++i) w(i, j) = std::clamp(int(std::lround(rng.normal() * 32)), -127, 127);
  std::vector<Eigen::VectorXi> xs(64, Eigen::VectorXi(n));
  std::vector<Eigen::VectorXf> xf(64, Eigen::VectorXf(n));
  for (auto k = 0u; k < xs.size(); ++k)
    for (int i = 0; i < n; ++i) {
      xs[k][i] = std::clamp(int(std::lround(rng.normal() * 40)), -128, 127);
      xf[k][i] = float(xs[k][i]);
    }

  AnalogCore core(core_config_preset("hermes-core"));
  core.program(w);
  core.set_time_since_programming(3600.0);
  core.calibrate();
  double sink = 0;
  const double mvm_ns = best_ns_per_call([&](int i) { sink += core.mvm(xs[i & 63]).y[i & 255]; }, calls, repeats);

  const Eigen::MatrixXf a = w.cast<float>();
  Eigen::VectorXf y(n);
  const double eigen_ns = best_ns_per_call(
      [&](int i) {
        y.noalias() = a.transpose() * xf[i & 63];
        sink += y[i & 255];
      },
      calls, repeats);

  // Program-and-verify of a full 256x256 array (4 devices per weight on hermes-core).
  const int programs = 5;
  double prog_us = 1e300;
  ProgramReport rep;
  for (int r = 0; r < programs; ++r) {
    AnalogCore fresh(core_config_preset("hermes-core"));
    const auto t0 = Clock::now();
    rep = fresh.program(w);
    prog_us = std::min(prog_us, std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }

  // A bit-serial, bit-sliced MVM for reference (isaac-ima: 16 input bits x 8 slices = 128 column-sum rounds).
  AnalogCore isaac(core_config_preset("isaac-ima"));
  Eigen::MatrixXi wi = (w.topLeftCorner(128, 128) * 200).cwiseMax(-32767).cwiseMin(32767);
  isaac.program(wi);
  Eigen::VectorXi xi = xs[0].head(128) * 100;
  const double isaac_ns = best_ns_per_call([&](int) { sink += isaac.mvm(xi).y[0]; }, 200, 3);

  const double ratio = mvm_ns / eigen_ns;
  std::printf("bench analog (column sums: %s)\n", column_sums_isa());
  std::printf("  noisy MVM 256x256 hermes-core (read noise + ADC): %8.2f us\n", mvm_ns * 1e-3);
  std::printf("  Eigen float 256x256 matrix-vector product:        %8.2f us\n", eigen_ns * 1e-3);
  std::printf("  ratio noisy MVM / Eigen float:                    %8.2f  (limit 2.00)\n", ratio);
  std::printf("  program-and-verify 256x256 array (%lld devices, %.2f pulses mean): %.0f us wall per array\n",
              (long long)rep.devices, rep.mean_iterations, prog_us);
  std::printf("  isaac-ima bit-serial bit-sliced MVM 128x128 (16 b x 8 slices): %8.2f us\n", isaac_ns * 1e-3);
  std::printf("  (checksum %g)\n", sink);
  if (ratio > 2.0) {
    std::printf("FAIL: noisy MVM is more than 2x the Eigen float product\n");
    return 1;
  }
  return 0;
}
