// Shared helpers of the analog tests.
#pragma once

#include "analog/analog_core.h"

#include <Eigen/Dense>

namespace aimc::analog::test {

// A technology without any noise, drift or failure: the MVM must be exact up to the converters.
inline DeviceTechnology ideal_technology() {
  DeviceTechnology t = technology_preset("generic");
  t.name = "ideal";
  t.prog_noise = NoiseCurve{"constant", {0.0}, 1.0};
  t.read_noise.form = "none";
  t.drift = DriftModel{20.0, 0, 0, 0, 0, 0, 0, 0, 0};
  t.first_pulse_noise = 0.0;
  t.step_noise = 0.0;
  t.step_noise_floor_us = 0.0;
  return t;
}

// Turns off the periphery errors of a configuration (ADC noise, gain/offset spread, INL, IR drop, offset and gain
// calibration), for tests of the devices or of the converters' ideal quantization.
inline void ideal_periphery(AnalogCoreConfig& cfg) {
  cfg.adc.noise_rows = cfg.adc.gain_std = cfg.adc.offset_std_lsb = cfg.adc.inl_lsb = 0.0;
  cfg.wire_resistance_ohm = 0.0;
  cfg.drift_compensation.offset_reads = cfg.drift_compensation.gain_reads = 0;
}

inline Eigen::MatrixXi random_int_matrix(int rows, int cols, int max_abs, uint64_t seed) {
  NoiseRng r(seed);
  Eigen::MatrixXi m(rows, cols);
  for (int j = 0; j < cols; ++j)
    for (int i = 0; i < rows; ++i) m(i, j) = int(r.next_u64() % uint64_t(2 * max_abs + 1)) - max_abs;
  return m;
}

inline Eigen::VectorXi random_int_vector(int n, int lo, int hi, uint64_t seed) {
  NoiseRng r(seed);
  Eigen::VectorXi v(n);
  for (int i = 0; i < n; ++i) v[i] = lo + int(r.next_u64() % uint64_t(hi - lo + 1));
  return v;
}

}  // namespace aimc::analog::test
