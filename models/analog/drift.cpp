#include "analog/drift.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aimc::analog {

namespace {
double poly(const std::vector<double>& c, double x) {
  double s = 0, p = 1;
  for (double k : c) {
    s += k * p;
    p *= x;
  }
  return s;
}
}  // namespace

double DriftModel::nu_mean(double gt) const {
  gt = std::max(gt, 1e-7);
  if (!mu_poly.empty() && gt >= mu_split) return poly(mu_poly, gt);
  return std::clamp(mu_a * std::log(gt) + mu_b, mu_min, mu_max);
}
double DriftModel::nu_std(double gt) const {
  gt = std::max(gt, 1e-7);
  if (!sd_poly.empty() && gt >= sd_split) return sd_scale * std::max(poly(sd_poly, gt), 0.0);
  return sd_scale * std::clamp(sd_a * std::log(gt) + sd_b, sd_min, sd_max);
}
void DriftModel::validate(const std::string& where) const {
  if (!(t0_s > 0)) throw std::invalid_argument(where + ".t0_s must be > 0");
  if (mu_min > mu_max) throw std::invalid_argument(where + ": mu_min > mu_max");
  if (sd_min > sd_max || sd_min < 0) throw std::invalid_argument(where + ": need 0 <= sd_min <= sd_max");
  if (mu_poly.size() > 8 || sd_poly.size() > 8)
    throw std::invalid_argument(where + ": mu_poly and sd_poly take at most 8 coefficients");
  for (double c : mu_poly)
    if (!std::isfinite(c)) throw std::invalid_argument(where + ".mu_poly: coefficient is not finite");
  for (double c : sd_poly)
    if (!std::isfinite(c)) throw std::invalid_argument(where + ".sd_poly: coefficient is not finite");
  if (!(sd_scale >= 0) || !std::isfinite(sd_scale)) throw std::invalid_argument(where + ".sd_scale must be >= 0");
}

void DriftCompensationConfig::validate() const {
  if (mode != "none" && mode != "global" && mode != "per_column" && mode != "expected")
    throw std::invalid_argument("drift_compensation.mode: unknown mode '" + mode +
                                "' (none, global, per_column, expected)");
  if (offset_reads < 0 || offset_reads > 4096)
    throw std::invalid_argument("drift_compensation.offset_reads must be 0..4096");
  if (gain_reads < 0 || gain_reads > 4096)
    throw std::invalid_argument("drift_compensation.gain_reads must be 0..4096");
  if (gain_reads > 0 && offset_reads == 0)
    throw std::invalid_argument("drift_compensation.gain_reads = " + std::to_string(gain_reads) +
                                " needs offset_reads > 0: the column gain is measured from the zero-input point");
  if (calibration_vectors < 1) throw std::invalid_argument("drift_compensation.calibration_vectors must be >= 1");
  if (!(calibration_level > 0 && calibration_level <= 1))
    throw std::invalid_argument("drift_compensation.calibration_level must be in (0, 1]");
}

void DriftCompensator::update(const std::string& mode, const Eigen::MatrixXd& y_now) {
  alpha_.setOnes(y_now.rows());
  if (mode == "none" || !has_reference() || y_now.cols() != ref_.cols()) return;
  if (mode == "global") {
    const double cross = (ref_.array() * y_now.array()).sum();
    if (cross > 0) alpha_.setConstant(ref_.squaredNorm() / cross);
  } else {
    for (Eigen::Index j = 0; j < y_now.rows(); ++j) {
      const double cross = ref_.row(j).dot(y_now.row(j));
      if (cross > 0) alpha_[j] = ref_.row(j).squaredNorm() / cross;
    }
  }
}

void DriftCompensator::fit_expected(const Eigen::MatrixXd& y, const Eigen::MatrixXd& e) {
  alpha_.setOnes(y.rows());
  const double ey = (e.array() * y.array()).sum(), ee = e.squaredNorm();
  if (ey > 0 && ee > 0) alpha_.setConstant(ee / ey);
}

}  // namespace aimc::analog
