// MVM error statistics on a seeded random Gaussian matrix and Gaussian input vectors.
//
// Headline (the published protocol: Le Gallo et al., Neuromorph. Comput. Eng. 2, 014009 (2022); Le Gallo
// et al., Nat. Electron. 6, 680 (2023), arXiv 2212.02872; the MVM-error notebook of aihwkit's HERMES model):
//   MVM error   eps = mean over input vectors of ||y - y_exact||_2 / ||y_exact||_2, where y_exact = W^T x in
//               floating point on the unquantized matrix and vector;
//   equivalent bits: the b at which a b-bit fixed-point representation of the matrix (symmetric, uniform,
//               full scale max|W|; vector exact) has the same eps on the same data. eps of a fixed-point
//               matrix halves per bit, so b is interpolated in log2(eps) between whole bits.
// Kept for comparison, under a name that says what it measures: the RMS error relative to max|y_exact|,
// and the b at which quantizing both matrix and vector to b bits gives that RMS error ("joint fixed-point
// bits, full-scale normalised"; about 0.4-0.6 bit above the published protocol).
#pragma once

#include "analog/analog_core.h"

#include <cstdint>

namespace aimc::analog {

struct AccuracyReport {
  double mvm_error = 0;          // mean_v ||y - y_exact|| / ||y_exact|| (published protocol)
  double equivalent_bits = 0;    // weight-only fixed point with the same mvm_error (published protocol)
  double rms_error = 0;          // rms(y - y_exact) / max|y_exact|
  double rms_error_rel_rms = 0;  // rms(y - y_exact) / rms(y_exact)
  double joint_fullscale_bits = 0;  // W and x both quantized to b bits, same rms_error (seed-talk reading)
  double mean_abs_ratio = 0;     // sum|y| / sum|y_exact|
  double gain = 0;               // least-squares slope of y on y_exact (the mean decay, unbiased by noise)
  int64_t adc_saturations = 0;
  int vectors = 0;
  ProgramReport program;
};

// Published-protocol reference: mean relative L2 error of W quantized to b bits (x exact).
double weight_fixed_point_error(const Eigen::MatrixXd& w, const Eigen::MatrixXd& x, int bits);
// Joint reference: RMS error (relative to max|y_exact|) of a b-bit symmetric quantization of W and x.
double joint_fixed_point_error(const Eigen::MatrixXd& w, const Eigen::MatrixXd& x, int bits);
// Mean over the columns of a and ref of ||a_v - ref_v|| / ||ref_v||.
double mean_relative_l2(const Eigen::MatrixXd& a, const Eigen::MatrixXd& ref);

// Programs a rows x cols Gaussian matrix (seeded), lets time_s pass (and recalibrates drift if configured),
// and runs `vectors` Gaussian inputs. The core must be freshly constructed or reprogrammable.
AccuracyReport measure_mvm_accuracy(AnalogCore& core, uint64_t seed, int vectors = 8, double time_s = 0.0);

}  // namespace aimc::analog
