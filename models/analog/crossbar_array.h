// The crossbar array: the state of every device (programmed conductance, drift exponent, age, wear,
// failures) and, for a point in time, the effective matrices the MVM reads: G+ - G- per weight with drift,
// retention loss and IR drop applied, and the per-weight read-noise variance.
//
// Device index order: slice, polarity (0 = G+, 1 = G-), device of the polarity, row, column.
#pragma once

#include "analog/device_technology.h"
#include "analog/noise_rng.h"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace aimc::analog {

struct DeviceState {
  std::vector<float> g;          // conductance right after programming (at age 0), uS
  std::vector<float> target;     // target of the last programming, uS
  std::vector<float> gmax;       // reachable maximum of this device (device-to-device variation), uS
  std::vector<float> nu;         // drift exponent
  std::vector<float> ret_z;      // frozen standard-normal draw of the retention noise
  std::vector<double> t_prog;    // array time of the last programming, s
  std::vector<uint32_t> cycles;  // write pulses seen (endurance)
  std::vector<uint8_t> stuck;    // 1 = failed, conductance frozen
  size_t size() const { return g.size(); }
};

// Effective matrices of one slice at one time point.
struct SliceMatrices {
  Eigen::MatrixXd geff;            // G+ - G- per weight, uS (rows x cols)
  Eigen::MatrixXd var;             // read-noise variance drawn anew per read, uS^2
  Eigen::MatrixXd var_slow;        // read-noise variance common to the reads of one MVM (slow 1/f), uS^2
  Eigen::VectorXd row_g;           // sum of all device conductances on each row, uS (read energy)
  std::vector<int16_t> gq, vq, sq;  // quantized column-major copies (geff, var, var_slow), leading dimension ld
  double g_lsb = 1.0, v_lsb = 1.0, s_lsb = 1.0;  // uS and uS^2 per integer step
  int gq_max = 0, vq_max = 0, sq_max = 0;
  bool has_read_noise = false;
  bool has_slow_noise = false;
};

class CrossbarArray {
 public:
  CrossbarArray(const DeviceTechnology& tech, int rows, int cols, int slices, int devices_per_polarity,
                NoiseRng& rng);

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int slices() const { return slices_; }
  int devices_per_polarity() const { return dpp_; }
  int ld() const { return ld_; }
  int cols_padded() const { return cols_pad_; }
  size_t index(int slice, int polarity, int k, int i, int j) const {
    return ((size_t(slice) * 2 + polarity) * dpp_ + k) * size_t(rows_) * cols_ + size_t(i) * cols_ + j;
  }
  const DeviceTechnology& technology() const { return tech_; }
  DeviceState& devices() { return dev_; }
  const DeviceState& devices() const { return dev_; }

  // Conductance of one device at array time now_s (drift and retention loss applied; no read noise).
  double conductance(size_t d, double now_s) const;
  // Read-noise std of one device at array time now_s.
  double read_noise_sigma(size_t d, double g_now, double now_s) const;
  // Fraction of that variance drawn anew per read for reads read_interval_s apart (the rest is slow 1/f).
  double read_noise_fast_fraction(size_t d, double now_s, double read_interval_s) const;
  // Builds the effective matrices at now_s for reads read_interval_s apart. wire_resistance_ohm > 0 applies
  // the first-order IR drop.
  void prepare(double now_s, double wire_resistance_ohm, double read_interval_s, std::vector<SliceMatrices>& out) const;

 private:
  DeviceTechnology tech_;
  int rows_, cols_, slices_, dpp_;
  int ld_, cols_pad_;
  DeviceState dev_;
  mutable double cached_age_ = -1.0, cached_log_ = 0.0;
};

}  // namespace aimc::analog
