// MVM error statistics on a seeded random Gaussian matrix and vectors (the seed-talk experiment behind
// "PCM MVM precision ~ 4-bit fixed point"): RMS error relative to the full scale of the exact result, and
// the equivalent fixed-point bits, i.e. the b at which quantizing matrix and vector to b bits gives the same
// RMS error on the same data.
#pragma once

#include "analog/analog_core.h"

#include <cstdint>

namespace aimc::analog {

struct AccuracyReport {
  double rms_error = 0;          // rms(y - y_exact) / max|y_exact|
  double rms_error_rel_rms = 0;  // rms(y - y_exact) / rms(y_exact)
  double equivalent_bits = 0;
  double mean_abs_ratio = 0;     // sum|y| / sum|y_exact|
  double gain = 0;               // least-squares slope of y on y_exact (the mean decay, unbiased by noise)
  int64_t adc_saturations = 0;
  int vectors = 0;
  ProgramReport program;
};

// Fixed-point reference: RMS error (relative to max|y_exact|) of a b-bit symmetric quantization of W and x.
double fixed_point_error(const Eigen::MatrixXd& w, const Eigen::MatrixXd& x, int bits);

// Programs a rows x cols Gaussian matrix (seeded), lets time_s pass (and recalibrates drift if configured),
// and runs `vectors` Gaussian inputs. The core must be freshly constructed or reprogrammable.
AccuracyReport measure_mvm_accuracy(AnalogCore& core, uint64_t seed, int vectors = 8, double time_s = 0.0);

}  // namespace aimc::analog
