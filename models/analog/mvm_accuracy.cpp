#include "analog/mvm_accuracy.h"

#include <cmath>
#include <functional>

namespace aimc::analog {
namespace {

Eigen::MatrixXd quantize_sym(const Eigen::MatrixXd& a, int bits) {
  const double amax = a.cwiseAbs().maxCoeff();
  const double q = double((1 << (bits - 1)) - 1);
  if (amax == 0) return a;
  return (a / amax * q).array().round().matrix() * (amax / q);
}

double rms_over_fullscale(const Eigen::MatrixXd& err, const Eigen::MatrixXd& ref) {
  return std::sqrt(err.squaredNorm() / double(err.size())) / ref.cwiseAbs().maxCoeff();
}

// The b (2..16, fractional) at which reference(b) equals error; the reference falls ~2x per bit, so b is
// interpolated in log2 between whole bits.
double matching_bits(double error, const std::function<double(int)>& reference) {
  double prev_e = reference(2);
  if (error >= prev_e) return 2.0;
  for (int b = 3; b <= 16; ++b) {
    const double e = reference(b);
    if (error >= e) return (b - 1) + std::log2(prev_e / error) / std::log2(prev_e / e);
    prev_e = e;
  }
  return 16.0;
}

}  // namespace

double mean_relative_l2(const Eigen::MatrixXd& a, const Eigen::MatrixXd& ref) {
  double s = 0;
  for (Eigen::Index v = 0; v < ref.cols(); ++v) s += (a.col(v) - ref.col(v)).norm() / ref.col(v).norm();
  return s / double(ref.cols());
}

double weight_fixed_point_error(const Eigen::MatrixXd& w, const Eigen::MatrixXd& x, int bits) {
  return mean_relative_l2(quantize_sym(w, bits).transpose() * x, w.transpose() * x);
}

double joint_fixed_point_error(const Eigen::MatrixXd& w, const Eigen::MatrixXd& x, int bits) {
  const Eigen::MatrixXd ref = w.transpose() * x;
  const Eigen::MatrixXd y = quantize_sym(w, bits).transpose() * quantize_sym(x, bits);
  return rms_over_fullscale(y - ref, ref);
}

AccuracyReport measure_mvm_accuracy(AnalogCore& core, uint64_t seed, int vectors, double time_s) {
  const AnalogCoreConfig& c = core.config();
  NoiseRng rng(seed);
  Eigen::MatrixXd w(c.rows, c.cols), x(c.rows, vectors);
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i) w(i, j) = rng.normal();
  for (Eigen::Index j = 0; j < x.cols(); ++j)
    for (Eigen::Index i = 0; i < x.rows(); ++i) x(i, j) = c.dac.input_signed ? rng.normal() : std::fabs(rng.normal());
  const double wmax = w.cwiseAbs().maxCoeff();
  const double xmax = x.cwiseAbs().maxCoeff();

  AccuracyReport rep;
  rep.program = core.program(w, wmax);
  if (time_s > 0) {
    core.set_time_since_programming(time_s);
    if (c.drift_compensation.mode != "none") core.calibrate();
  }
  const double xq = c.dac.input_max();
  const double scale = (wmax / c.mapping.weight_max()) * (xmax / xq);
  Eigen::MatrixXd y(c.cols, vectors);
  Eigen::VectorXi xi(c.rows);
  for (int v = 0; v < vectors; ++v) {
    for (int i = 0; i < c.rows; ++i) xi[i] = int(std::lround(x(i, v) / xmax * xq));
    const MvmResult r = core.mvm(xi);
    y.col(v) = r.y * scale;
    rep.adc_saturations += r.adc_saturations;
  }
  const Eigen::MatrixXd ref = w.transpose() * x;
  const Eigen::MatrixXd err = y - ref;
  rep.vectors = vectors;
  rep.mvm_error = mean_relative_l2(y, ref);
  rep.equivalent_bits = matching_bits(rep.mvm_error, [&](int b) { return weight_fixed_point_error(w, x, b); });
  rep.rms_error = rms_over_fullscale(err, ref);
  rep.rms_error_rel_rms = std::sqrt(err.squaredNorm() / ref.squaredNorm());
  rep.joint_fullscale_bits = matching_bits(rep.rms_error, [&](int b) { return joint_fixed_point_error(w, x, b); });
  rep.mean_abs_ratio = y.cwiseAbs().sum() / ref.cwiseAbs().sum();
  rep.gain = (y.array() * ref.array()).sum() / ref.squaredNorm();
  return rep;
}

}  // namespace aimc::analog
