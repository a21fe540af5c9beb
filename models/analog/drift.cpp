#include "analog/drift.h"

#include <algorithm>
#include <stdexcept>

namespace aimc::analog {

double DriftModel::nu_mean(double gt) const {
  return std::clamp(mu_a * std::log(std::max(gt, 1e-7)) + mu_b, mu_min, mu_max);
}
double DriftModel::nu_std(double gt) const {
  return std::clamp(sd_a * std::log(std::max(gt, 1e-7)) + sd_b, sd_min, sd_max);
}
void DriftModel::validate(const std::string& where) const {
  if (!(t0_s > 0)) throw std::invalid_argument(where + ".t0_s must be > 0");
  if (mu_min > mu_max) throw std::invalid_argument(where + ": mu_min > mu_max");
  if (sd_min > sd_max || sd_min < 0) throw std::invalid_argument(where + ": need 0 <= sd_min <= sd_max");
}

void DriftCompensationConfig::validate() const {
  if (mode != "none" && mode != "global" && mode != "per_column")
    throw std::invalid_argument("drift_compensation.mode: unknown mode '" + mode + "' (none, global, per_column)");
  if (calibration_vectors < 1) throw std::invalid_argument("drift_compensation.calibration_vectors must be >= 1");
  if (!(calibration_level > 0 && calibration_level <= 1))
    throw std::invalid_argument("drift_compensation.calibration_level must be in (0, 1]");
}

void DriftCompensator::update(const std::string& mode, const Eigen::VectorXd& abs_sums) {
  alpha_.setOnes(abs_sums.size());
  if (mode == "none" || !has_reference()) return;
  if (mode == "global") {
    const double now = abs_sums.sum();
    if (now > 0) alpha_.setConstant(ref_.sum() / now);
  } else {
    for (Eigen::Index j = 0; j < abs_sums.size(); ++j)
      if (abs_sums[j] > 0 && ref_[j] > 0) alpha_[j] = ref_[j] / abs_sums[j];
  }
}

}  // namespace aimc::analog
