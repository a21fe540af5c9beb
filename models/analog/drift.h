// Conductance drift and its compensation.
//
// Drift law (PCM, Nandakumar et al. 2019; REFERENCE.md section 4): G(t) = G_prog ((t + t0) / t0)^-nu with a
// per-device exponent nu ~ N(mu(gT), sigma(gT)). Compensation as published (Joshi 2020, Le Gallo 2023):
// read a fixed calibration input right after programming and again at time t, and scale the outputs by
// the ratio of the summed absolute outputs, globally or per column.
#pragma once

#include "analog/param_json.h"

#include <Eigen/Dense>

#include <cmath>
#include <string>

namespace aimc::analog {

// Drift exponent per device: mu(gT) = clip(mu_a ln gT + mu_b, mu_min, mu_max),
// sigma(gT) = clip(sd_a ln gT + sd_b, sd_min, sd_max); gT is clipped at 1e-7 as aihwkit does.
struct DriftModel {
  double t0_s = 20.0;
  double mu_a = 0.0, mu_b = 0.0, mu_min = 0.0, mu_max = 1.0;
  double sd_a = 0.0, sd_b = 0.0, sd_min = 0.0, sd_max = 1.0;

  double nu_mean(double gt) const;
  double nu_std(double gt) const;
  // Multiplicative factor ((age + t0) / t0)^-nu.
  double factor(double age_s, double nu) const { return std::pow((age_s + t0_s) / t0_s, -nu); }
  void validate(const std::string& where) const;
  template <class V>
  void visit(V& v) {
    v.param("t0_s", t0_s, "s", "reference time of the drift law (time of the programmed value)", kPositive, kInf);
    v.param("mu_a", mu_a, "-", "slope of the mean drift exponent in ln(gT)", -1, 1);
    v.param("mu_b", mu_b, "-", "offset of the mean drift exponent", -1, 1);
    v.param("mu_min", mu_min, "-", "lower clip of the mean drift exponent", -1, 1);
    v.param("mu_max", mu_max, "-", "upper clip of the mean drift exponent", -1, 1);
    v.param("sd_a", sd_a, "-", "slope of the drift-exponent std in ln(gT)", -1, 1);
    v.param("sd_b", sd_b, "-", "offset of the drift-exponent std", -1, 1);
    v.param("sd_min", sd_min, "-", "lower clip of the drift-exponent std", 0, 1);
    v.param("sd_max", sd_max, "-", "upper clip of the drift-exponent std", 0, 1);
  }
};

struct DriftCompensationConfig {
  std::string mode = "global";  // none | global | per_column
  int calibration_vectors = 8;
  double calibration_level = 0.5;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("mode", mode, "-", "drift compensation: none | global | per_column");
    v.param("calibration_vectors", calibration_vectors, "-", "seeded random inputs read at each calibration", 1, 65536);
    v.param("calibration_level", calibration_level, "full scale", "amplitude of the calibration inputs", kPositive, 1);
  }
};

// Holds the reference read (right after programming) and the current correction factors.
class DriftCompensator {
 public:
  void reset(int cols) {
    ref_ = Eigen::VectorXd::Zero(cols);
    alpha_ = Eigen::VectorXd::Ones(cols);
  }
  // Column sums of |y| over the calibration reads.
  void set_reference(const Eigen::VectorXd& abs_sums) { ref_ = abs_sums; alpha_.setOnes(ref_.size()); }
  // Computes the correction from the calibration reads at the current time.
  void update(const std::string& mode, const Eigen::VectorXd& abs_sums);
  const Eigen::VectorXd& alpha() const { return alpha_; }
  bool has_reference() const { return ref_.size() > 0 && ref_.sum() > 0; }

 private:
  Eigen::VectorXd ref_;
  Eigen::VectorXd alpha_;
};

}  // namespace aimc::analog
