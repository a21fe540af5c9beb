// The crossbar array: the state of every device (programmed conductance, drift exponent, age, wear,
// failures) and, for a point in time, the effective matrices the MVM reads: G+ - G- per weight with drift,
// retention loss and IR drop applied, and the per-weight read-noise variance.
//
// Device index order: slice, polarity (0 = G+, 1 = G-), device of the polarity, row, column.
//
// The device state is allocated on first use (the first programming, or a read of the state): an array
// that is never programmed costs no host memory. Fabrication (device-to-device gmax spread, devices
// stuck from the start) draws from the core's generator when the array is built, as before, so every
// later draw is unchanged; the draws are replayed from a saved generator state when the state is allocated.
#pragma once

#include "analog/device_memory.h"
#include "analog/device_technology.h"
#include "analog/noise_rng.h"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace aimc::analog {

struct DeviceState {
  // Views of the array's host memory: a copy would alias it.
  DeviceState() = default;
  DeviceState(const DeviceState&) = delete;
  DeviceState& operator=(const DeviceState&) = delete;
  DeviceArray<float> g;          // conductance right after programming (at age 0), uS
  DeviceArray<float> target;     // target of the last programming, uS
  DeviceArray<float> gmax;       // reachable maximum of this device (device-to-device variation), uS; empty
                                 // without that variation: every device at float(technology gmax_us)
  DeviceArray<float> nu;         // drift exponent
  DeviceArray<float> ret_z;      // frozen standard-normal draw of the retention noise; empty without
                                 // retention noise: every draw 0
  DeviceArray<uint32_t> epoch;   // the programming call that last set the device: t_prog = epoch_time[epoch]
  DeviceArray<uint32_t> cycles;  // write pulses seen (endurance)
  DeviceArray<uint8_t> stuck;    // 1 = failed, conductance frozen
  // Array time of each programming call, s (entry 0: never programmed, time 0). Devices programmed together
  // share their time, so it is kept once per call rather than as 8 bytes per device.
  std::vector<double> epoch_time{0.0};
  size_t size() const { return g.size(); }
  // Array time of the last programming of device d, s.
  double t_prog(size_t d) const { return epoch_time[epoch[d]]; }
  // The epoch of a programming call at now_s (the last one again when it was at the same time).
  uint32_t epoch_at(double now_s);
  // Host bytes of the fields of n devices (gmax and ret_z only when asked), each field on its own cache line.
  static size_t bytes(size_t n, bool with_gmax, bool with_ret_z);
  // Places those fields at p (bytes(...) of zero-filled memory the caller holds).
  void place(unsigned char* p, size_t n, bool with_gmax, bool with_ret_z);
};

// Effective matrices of one slice at one time point. Views of host memory the array holds with its devices
// (CrossbarArray::prepare places them): valid while the array lives, rewritten by its next prepare().
struct SliceMatrices {
  // Aligned as Eigen's own matrices are, so every product over them runs the same code as over those.
  using Matrix = Eigen::Map<Eigen::MatrixXd, Eigen::AlignedMax>;
  using Vector = Eigen::Map<Eigen::VectorXd, Eigen::AlignedMax>;
  Matrix geff{nullptr, 0, 0};      // G+ - G- per weight, uS (rows x cols)
  Matrix var{nullptr, 0, 0};       // read-noise variance drawn anew per read, uS^2
  Matrix var_slow{nullptr, 0, 0};  // read-noise variance common to the reads of one MVM (slow 1/f), uS^2
  Vector row_g{nullptr, 0};        // sum of all device conductances on each row, uS (read energy)
  DeviceArray<int16_t> gq, vq, sq;  // quantized column-major copies (geff, var, var_slow), leading dimension ld;
                                    // the padding rows and columns are 0
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
  // The technology has retention noise: programming draws ret_z per device (DeviceState::ret_z is kept).
  bool has_retention() const { return tech_.retention_noise.sigma(tech_.gmax_us, 1.0) > 0; }
  size_t device_count() const { return size_t(slices_) * 2 * dpp_ * size_t(rows_) * cols_; }
  // The device state, allocated (with its fabrication) on the first call. Mutable access may change any
  // device, so the next prepare() recomputes every weight.
  DeviceState& devices() {
    allocate();
    all_changed_ = true;
    return dev_;
  }
  // The state for changing the devices in idx only (programming): the next prepare() at the same time
  // recomputes just their weights.
  DeviceState& devices_to_change(const std::vector<uint32_t>& idx);
  const DeviceState& devices() const {
    allocate();
    return dev_;
  }
  bool allocated() const { return !dev_.g.empty(); }
  // Bytes of an array's block: its device state (the optional fields as asked), then its matrices.
  static size_t block_bytes(int rows, int cols, int slices, int devices_per_polarity, bool with_gmax, bool with_ret_z);
  // Host memory an array of this shape holds once programmed, at most (every optional device field).
  static size_t host_bytes(int rows, int cols, int slices, int devices_per_polarity);
  // Host memory in the array's block for its owner's sums of the device targets, one per weight (rows x cols
  // doubles, zero until written): they change only when the devices are programmed.
  double* target_sum_storage() {
    allocate();
    return target_sums_;
  }

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
  // Fabrication of every device in index order; `write` = false only advances the generator.
  void fabricate(NoiseRng& rng, bool write) const;
  void allocate() const {
    if (dev_.g.empty()) allocate_now();
  }
  void allocate_now() const;
  // Where the matrices lie in the block, after the device state: per slice the read matrices
  // (SliceMatrices), then the target sums; bytes of each kind, each on its own cache lines.
  struct MatrixLayout {
    size_t matrix = 0, vector = 0, quantized = 0;
    size_t slice() const { return 3 * matrix + vector + 3 * quantized; }
  };
  static MatrixLayout matrix_layout(int rows, int cols);
  // Points m's views at slice s's read matrices.
  void place_matrices(int s, SliceMatrices& m) const;
  // Terms that depend only on a device's age, computed once per distinct age (devices programmed
  // together share it): the drift log, the 1/f band's sqrt and its fast fraction.
  struct AgeTerms {
    double age = -1.0;
    double drift_log = 0.0;   // ln((age + t0) / t0)
    double band_log = 0.0;    // ln((age + t0 + t_read) / (2 t_read))
    double band_sqrt = 0.0;   // sqrt(max(band_log, 0))
    double growth = 0.0;      // retention spread growth sqrt(ln(1 + age) / ln(1 + retention_time))
    double fast = 1.0;        // fast fraction for the cached read interval
    double interval = -1.0;
  };
  const AgeTerms& age_terms(double age, double read_interval_s) const;
  // The read terms of devices at one array time: conductance (drift, retention loss) and read noise.
  class ReadTerms;

  DeviceTechnology tech_;
  int rows_, cols_, slices_, dpp_;
  int ld_, cols_pad_;
  // One block of host memory holds the device state and the read matrices: fewer, larger pages to map.
  mutable DeviceMemory memory_;
  mutable DeviceState dev_;
  mutable unsigned char* matrices_ = nullptr;  // the read matrices' part of memory_
  mutable double* target_sums_ = nullptr;      // and the target sums
  bool fabrication_draws_ = false;
  NoiseRng fabrication_rng_;  // the generator's state before the fabrication draws
  mutable AgeTerms age_{};

  // Per slice and weight, before IR drop: sum of +-G, fast and slow read-noise variances, sum of G
  // (kRawTerms doubles, column-major like the matrices), valid for raw_now_ and raw_interval_ except the
  // weights flagged in changed_ (or all of them). Allocated at the first prepare that updates some weights
  // only: until then the sums go straight into the matrices.
  static constexpr int kRawTerms = 4;
  mutable DeviceMemory raw_;
  mutable double raw_now_ = 0.0, raw_interval_ = 0.0;  // the point of the last prepare
  mutable bool all_changed_ = true;
  mutable std::vector<uint8_t> changed_;  // per weight
};

}  // namespace aimc::analog
