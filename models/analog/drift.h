// Conductance drift and its compensation.
//
// Drift law (PCM, Nandakumar et al. 2019; REFERENCE.md section 4): G(t) = G_prog ((t + t0) / t0)^-nu with a
// per-device exponent nu ~ N(mu(gT), sigma(gT)). Compensation as published (Joshi 2020, Le Gallo 2023):
// read a fixed calibration input right after programming and again at time t, and scale the outputs by
// the ratio of the summed absolute outputs, globally or per column.
#pragma once

#include "analog/param_json.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace aimc::analog {

// Drift exponent per device: mu(gT) = clip(mu_a ln gT + mu_b, mu_min, mu_max) below mu_split and the
// polynomial mu_poly(gT) = c0 + c1 gT + ... from mu_split up (HERMES fits; an empty mu_poly keeps the log
// branch everywhere, as the Nandakumar 2019 fit); the same for sigma. gT is clipped at 1e-7 as aihwkit does.
// A device draws nu = max(mu + sd_scale sigma z, 0), or |mu + sd_scale sigma z| with abs_exponent (HERMES).
// sd_scale: a fit measured on a pair of devices sharing a weight, applied to each device independently,
// needs sqrt(2) so that the pair's mean exponent keeps the fitted spread.
struct DriftModel {
  double t0_s = 20.0;
  double mu_a = 0.0, mu_b = 0.0, mu_min = 0.0, mu_max = 1.0;
  double sd_a = 0.0, sd_b = 0.0, sd_min = 0.0, sd_max = 1.0;
  std::vector<double> mu_poly{}, sd_poly{};
  double mu_split = 1.0, sd_split = 1.0;
  double sd_scale = 1.0;
  bool abs_exponent = false;

  double nu_mean(double gt) const;
  double nu_std(double gt) const;  // includes sd_scale
  double draw(double gt, double z) const { return draw_from(nu_mean(gt), nu_std(gt), z); }
  // The same draw from nu_mean(gt) and nu_std(gt) computed once for many devices of one target.
  double draw_from(double mean, double sd, double z) const {
    const double nu = mean + sd * z;
    return abs_exponent ? std::fabs(nu) : std::max(nu, 0.0);
  }
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
    v.param("mu_poly", mu_poly, "-", "polynomial in gT of the mean exponent from mu_split up (empty = log branch only)", -10, 10);
    v.param("mu_split", mu_split, "-", "gT at which mu_poly takes over from the log branch", 0, 1);
    v.param("sd_poly", sd_poly, "-", "polynomial in gT of the exponent std from sd_split up (empty = log branch only)", -10, 10);
    v.param("sd_split", sd_split, "-", "gT at which sd_poly takes over from the log branch", 0, 1);
    v.param("sd_scale", sd_scale, "-", "factor on the exponent std per device (sqrt(2): a pair fit applied per device)", 0, 10);
    v.param("abs_exponent", abs_exponent, "-", "draw nu = |mu + sd z| (HERMES fit) instead of max(mu + sd z, 0)");
  }
};

struct DriftCompensationConfig {
  std::string mode = "global";  // none | global | per_column | expected
  int calibration_vectors = 8;
  double calibration_level = 0.5;
  int offset_reads = 0;
  int gain_reads = 0;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("mode", mode, "-",
            "drift compensation: none | global | per_column (slope on the reads right after programming) | "
            "expected (slope on the outputs expected from the programmed weights)");
    v.param("calibration_vectors", calibration_vectors, "-", "seeded random inputs read at each calibration", 1, 65536);
    v.param("calibration_level", calibration_level, "full scale", "amplitude of the calibration inputs", kPositive, 1);
    v.param("offset_reads", offset_reads, "-",
            "zero-input conversions averaged per column to measure and subtract the ADC offset (0 = none)", 0, 4096);
    v.param("gain_reads", gain_reads, "-",
            "reference conversions (half full scale, ADC alone) averaged per column to measure and divide out the "
            "column's ADC gain; needs offset_reads (0 = none)",
            0, 4096);
  }
};

// Holds the reference read (right after programming) and the current correction factors.
// global / per_column: the least-squares slope of the calibration outputs now on the same inputs' outputs
// right after programming (over the whole array, or per column), inverted. Unlike a ratio of sums of |y|,
// the larger read noise at time t does not bias this slope (noise enters only its denominator's reference
// term, the small read noise right after programming).
class DriftCompensator {
 public:
  void reset(int cols) {
    ref_.resize(cols, 0);
    alpha_ = Eigen::VectorXd::Ones(cols);
  }
  // Calibration outputs right after programming (rows: columns, columns: calibration vectors).
  void set_reference(const Eigen::MatrixXd& y_ref) { ref_ = y_ref; alpha_.setOnes(ref_.rows()); }
  // Computes the correction from the calibration outputs at the current time.
  void update(const std::string& mode, const Eigen::MatrixXd& y_now);
  // One factor: the least-squares slope g of the measured outputs y on the outputs e expected from the
  // programmed weights (rows: columns, columns: vectors); the correction is 1 / g. Noise in y does not bias g.
  void fit_expected(const Eigen::MatrixXd& y, const Eigen::MatrixXd& e);
  const Eigen::VectorXd& alpha() const { return alpha_; }
  bool has_reference() const { return ref_.cols() > 0 && ref_.squaredNorm() > 0; }

 private:
  Eigen::MatrixXd ref_;
  Eigen::VectorXd alpha_;
};

}  // namespace aimc::analog
