// AnalogCore: one analog crossbar core built from an AnalogCoreConfig - program weights (closed-loop
// program-and-verify), let time pass (drift, read noise), calibrate (drift compensation), and run MVMs
// through DAC, array and ADC with their latency and energy. Plain C++/Eigen; the SystemC tile wraps it.
//
// Units: weights and inputs are integers (weights in [-(2^(b-1)-1), 2^(b-1)-1], inputs in the DAC's n-bit
// range); MVM outputs are estimates of sum_i W[i][j] x[i] in the same integer units.
// Determinism: every random draw comes from the core's own seeded generator; same seed and same calls
// give bit-identical results.
#pragma once

#include "analog/core_config.h"
#include "analog/crossbar_array.h"
#include "analog/mvm_cost.h"
#include "analog/noise_rng.h"
#include "analog/program_verify.h"
#include "analog/read_polarity.h"

#include <Eigen/Dense>

#include <cstdint>
#include <memory>
#include <vector>

namespace aimc::analog {

struct MvmResult {
  Eigen::VectorXd y;         // estimate of W^T x, integer weight x input units
  Eigen::VectorXi y_int;     // y rounded (saturating at the int32 range)
  int64_t adc_saturations = 0;
  MvmCost cost;              // latency and energy of this MVM (energy from the actual data)
};

struct CalibrationReport {
  double time_ns = 0;
  double energy_pj = 0;
  Eigen::VectorXd alpha;     // output correction per column
};

class AnalogCore {
 public:
  explicit AnalogCore(AnalogCoreConfig cfg);

  const AnalogCoreConfig& config() const { return cfg_; }
  const CrossbarArray& array() const { return *array_; }

  // Programs an integer weight block at (row0, col0); weights outside the declared range are errors.
  ProgramReport program(const Eigen::Ref<const Eigen::MatrixXi>& w, int row0 = 0, int col0 = 0);
  // Programs real-valued weights in [-w_max, w_max]: scaled to the integer weight range, not rounded
  // when the mapping is analog (bits_per_cell = 0), rounded when bit-sliced.
  ProgramReport program(const Eigen::Ref<const Eigen::MatrixXd>& w, double w_max, int row0 = 0, int col0 = 0);
  // A floor of ProgramReport::time_ns for a rows x cols block, known before any draw: every group of devices
  // programmed together takes at least one pulse and its verify read.
  double program_time_floor_ns(int rows, int cols) const;
  // Whether the reports of later programming list every device (ProgramReport::device and the vectors after
  // it). Off by default: a simulator run needs only the totals, and the lists cost 13 bytes of fresh host
  // memory per device (218 MB for 64 full hermes-core arrays).
  void keep_device_outcomes(bool on) { device_outcomes_ = on; }

  // One MVM; x has `rows` entries. phases = 0 uses the configured number.
  MvmResult mvm(const Eigen::Ref<const Eigen::VectorXi>& x, int phases = 0);

  void advance_time(double seconds);
  // Later draws (read noise, ADC noise, programming) come from stream `stream` of the core's seed: the
  // noise of an MVM then depends on (seed, stream) and the draws since, not on everything run before.
  void reseed_noise(uint32_t stream);
  void set_time_since_programming(double seconds);
  double time_since_programming() const { return now_s_ - last_program_s_; }

  // Calibrates now, as PROGRAM does right after programming: measures the per-column ADC offsets
  // (drift_compensation.offset_reads zero-input conversions) and gains (gain_reads reference conversions),
  // and refits the drift compensation from the calibration inputs (global, per_column or expected).
  CalibrationReport calibrate();
  const Eigen::VectorXd& drift_correction() const { return comp_.alpha(); }

  // Static cost query: latency/energy per MVM without running the numerics.
  static MvmCost cost(const AnalogCoreConfig& cfg, int phases = 0);
  static MvmCost cost(const AnalogCoreConfig& cfg, int phases, const Workload& workload);

  // Effective weights now (G+ - G-, drift applied, no read noise), in integer weight units, per slice
  // recombined. For tests and accuracy studies.
  Eigen::MatrixXd effective_weights();

 private:
  ProgramReport program_block(const Eigen::MatrixXd& w_units, int row0, int col0, bool round);
  void ensure_prepared();
  // Runs the reads of one MVM; fills y (uncompensated) and accounts energy into cost.
  void run_reads(int phases, Eigen::VectorXd& y, int64_t& saturations, MvmCost& cost);
  // One conversion of column j's analog value a (uS x level) through the ADC periphery.
  int convert(int j, double a, int code_min, int code_max, bool& saturated);
  // The calibration inputs (seeded, the same every time) and their outputs, offset-corrected.
  void calibration_reads(Eigen::MatrixXd& y, Eigen::MatrixXd& x);
  void measure_offsets();  // and, with gain_reads, the column gains
  void target_weights(Eigen::MatrixXd& out);
  double target_sum(int i, int j) const;  // one weight's G+ - G- of the targets, slices recombined, uS
  CalibrationReport run_calibration(bool reference);

  AnalogCoreConfig cfg_;
  std::string where_;  // "crossbar '<name>'" for error messages
  NoiseRng rng_;
  std::unique_ptr<CrossbarArray> array_;
  double now_s_ = 0.0;
  double last_program_s_ = 0.0;
  bool dirty_ = true;
  bool device_outcomes_ = false;
  std::vector<SliceMatrices> mats_;
  std::vector<ReadPolarityMatrices> polarity_;  // one-phase read-polarity term per slice (empty = off)
  // target_sum of every weight, kept up to date by program_block once computed (empty until then); row-major
  // like a plane of the device state it sums, in the array's block (CrossbarArray::target_sum_storage)
  using TargetSums = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>, Eigen::AlignedMax>;
  TargetSums target_sum_{nullptr, 0, 0};
  DriftCompensator comp_;
  Eigen::VectorXd adc_gain_;    // per column: gain / lsb
  Eigen::VectorXd adc_offset_;  // per column, LSB
  double adc_lsb_us_ = 1.0;     // analog units (uS x level) per code
  double noise_lsb_ = 0.0;      // output-referred ADC noise, LSB
  Eigen::VectorXd offset_codes_;  // measured ADC offset per column (codes), subtracted when offset_reads > 0
  Eigen::VectorXd gain_corr_;     // 1 / measured ADC gain per column (nominal 1), applied when gain_reads > 0
  double coef_sum_ = 0.0;       // sum of the read coefficients of the last MVM (scales the offset correction)
  double unit_us_ = 1.0;        // analog units per digit unit
  MvmTiming timing_cache_[65];
  bool timing_cached_[65] = {};
  // Scratch buffers reused by every MVM.
  std::vector<DacRead> reads_;
  std::vector<int16_t> xbuf_, x2buf_;
  std::vector<int64_t> sum_, var_, svar_;
  std::vector<double> z_, col_;
  std::vector<Eigen::VectorXd> slow_col_;  // per slice: slow 1/f noise of each column for this MVM
  std::vector<Eigen::MatrixXd> slow_dev_;  // per slice: slow 1/f noise per device (non-PWM encodings)
  Eigen::VectorXd acc_;
};

}  // namespace aimc::analog
