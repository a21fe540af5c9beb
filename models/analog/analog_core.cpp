#include "analog/analog_core.h"

#include "analog/mvm_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace aimc::analog {
namespace {
// Seed offset of the calibration-input generator: the same calibration inputs at every calibration.
constexpr uint64_t kCalibrationStream = 0xCA11B0A7ull;
// Above this level a squared input no longer fits int16; such reads take the double-precision path.
constexpr int kMaxFastLevel = 181;
}  // namespace

AnalogCore::AnalogCore(AnalogCoreConfig cfg) : cfg_(std::move(cfg)), rng_(uint64_t(cfg_.seed)) {
  cfg_.validate();
  array_ = std::make_unique<CrossbarArray>(cfg_.technology, cfg_.rows, cfg_.cols, cfg_.mapping.slices(),
                                           cfg_.mapping.devices_per_polarity, rng_);
  const DeviceTechnology& t = cfg_.technology;
  unit_us_ = cfg_.mapping.unit_us(t);
  const double full_scale = cfg_.adc.full_scale_rows * cfg_.mapping.devices_per_polarity * (t.gmax_us - t.gmin_us) *
                            cfg_.dac.max_level();
  adc_lsb_us_ = 2.0 * full_scale / std::ldexp(1.0, cfg_.adc.bits);
  adc_gain_.resize(cfg_.cols);
  adc_offset_.resize(cfg_.cols);
  for (int j = 0; j < cfg_.cols; ++j) {
    const double g = cfg_.adc.gain * (1.0 + cfg_.adc.gain_std * (cfg_.adc.gain_std > 0 ? rng_.normal() : 0.0));
    adc_gain_[j] = g / adc_lsb_us_;
    adc_offset_[j] = cfg_.adc.offset_lsb + (cfg_.adc.offset_std_lsb > 0 ? cfg_.adc.offset_std_lsb * rng_.normal() : 0.0);
  }
  comp_.reset(cfg_.cols);
  where_ = "crossbar '" + cfg_.name + "'";
  const int ld = array_->ld(), cp = array_->cols_padded();
  xbuf_.assign(ld, 0);
  x2buf_.assign(ld, 0);
  sum_.assign(cp, 0);
  var_.assign(cp, 0);
  z_.assign(cp, 0.0);
  acc_.setZero(cfg_.cols);
}

ProgramReport AnalogCore::program(const Eigen::Ref<const Eigen::MatrixXi>& w, int row0, int col0) {
  const int wmax = cfg_.mapping.weight_max();
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i)
      if (w(i, j) < -wmax || w(i, j) > wmax) {
        std::ostringstream os;
        os << "crossbar '" << cfg_.name << "': weight[" << i << "][" << j << "] = " << w(i, j) << " is outside the "
           << cfg_.mapping.weight_bits << "-bit weight range [" << -wmax << ", " << wmax << "]";
        throw std::invalid_argument(os.str());
      }
  return program_block(w.cast<double>(), row0, col0, false);
}

ProgramReport AnalogCore::program(const Eigen::Ref<const Eigen::MatrixXd>& w, double w_max, int row0, int col0) {
  if (!(w_max > 0) || !std::isfinite(w_max))
    throw std::invalid_argument("crossbar '" + cfg_.name + "': w_max = " + std::to_string(w_max) +
                                " must be finite and > 0");
  for (Eigen::Index j = 0; j < w.cols(); ++j)
    for (Eigen::Index i = 0; i < w.rows(); ++i) {
      const double v = w(i, j);
      if (!std::isfinite(v) || std::fabs(v) > w_max) {
        std::ostringstream os;
        os << "crossbar '" << cfg_.name << "': weight[" << i << "][" << j << "] = " << v
           << (std::isfinite(v) ? " is outside [-w_max, w_max] = [" + std::to_string(-w_max) + ", " +
                                      std::to_string(w_max) + "]"
                                : " is not finite");
        throw std::invalid_argument(os.str());
      }
    }
  const Eigen::MatrixXd units = w * (cfg_.mapping.weight_max() / w_max);
  return program_block(units, row0, col0, cfg_.mapping.bits_per_cell > 0);
}

ProgramReport AnalogCore::program_block(const Eigen::MatrixXd& w, int row0, int col0, bool round) {
  if (row0 < 0 || col0 < 0 || row0 + w.rows() > cfg_.rows || col0 + w.cols() > cfg_.cols) {
    std::ostringstream os;
    os << "crossbar '" << cfg_.name << "': a " << w.rows() << "x" << w.cols() << " weight matrix at (" << row0 << ", "
       << col0 << ") does not fit the " << cfg_.rows << "x" << cfg_.cols << " array";
    throw std::invalid_argument(os.str());
  }
  const MappingConfig& mp = cfg_.mapping;
  const DeviceTechnology& t = cfg_.technology;
  std::vector<uint32_t> idx;
  std::vector<float> target;
  const size_t n = size_t(mp.slices()) * 2 * mp.devices_per_polarity * w.rows() * w.cols();
  idx.reserve(n);
  target.reserve(n);
  for (int s = 0; s < mp.slices(); ++s)
    for (int p = 0; p < 2; ++p)
      for (int k = 0; k < mp.devices_per_polarity; ++k)
        for (int i = 0; i < w.rows(); ++i)
          for (int j = 0; j < w.cols(); ++j) {
            const double v = round ? std::nearbyint(w(i, j)) : w(i, j);
            const bool active = p == 0 ? v > 0 : v < 0;
            const double digit = active ? mp.digit(std::fabs(v), s) : 0.0;
            idx.push_back(uint32_t(array_->index(s, p, k, row0 + i, col0 + j)));
            target.push_back(float(mp.device_target(digit, t)));
          }
  ProgramReport rep;
  const int parallel = cfg_.program.parallel_devices > 0 ? cfg_.program.parallel_devices : int(w.cols());
  program_and_verify(*array_, idx, target, cfg_.program, parallel, now_s_, cfg_.read_voltage(), rng_, rep);
  last_program_s_ = now_s_;
  dirty_ = true;
  comp_.reset(cfg_.cols);
  if (cfg_.drift_compensation.mode != "none") {
    // Reference read right after programming (Joshi 2020; Le Gallo 2023).
    const Eigen::VectorXd sums = calibration_sums();
    comp_.set_reference(sums);
    const MvmCost one = estimate_mvm_cost(cfg_);
    rep.calibration_time_ns = cfg_.drift_compensation.calibration_vectors * one.timing.latency_ns;
    rep.calibration_energy_pj = cfg_.drift_compensation.calibration_vectors * one.energy_pj_total();
  }
  return rep;
}

void AnalogCore::advance_time(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    throw std::invalid_argument("crossbar '" + cfg_.name + "': advance_time(" + std::to_string(seconds) +
                                ") needs a finite time >= 0");
  now_s_ += seconds;
  if (seconds > 0) dirty_ = true;
}

void AnalogCore::set_time_since_programming(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    throw std::invalid_argument("crossbar '" + cfg_.name + "': set_time_since_programming(" + std::to_string(seconds) +
                                ") needs a finite time >= 0");
  now_s_ = last_program_s_ + seconds;
  dirty_ = true;
}

void AnalogCore::ensure_prepared() {
  if (!dirty_) return;
  array_->prepare(now_s_, cfg_.wire_resistance_ohm, mats_);
  dirty_ = false;
}

MvmCost AnalogCore::cost(const AnalogCoreConfig& cfg, int phases) {
  return estimate_mvm_cost(cfg, phases > 0 ? phases : cfg.phases, cfg.workload);
}
MvmCost AnalogCore::cost(const AnalogCoreConfig& cfg, int phases, const Workload& workload) {
  return estimate_mvm_cost(cfg, phases > 0 ? phases : cfg.phases, workload);
}

MvmResult AnalogCore::mvm(const Eigen::Ref<const Eigen::VectorXi>& x, int phases) {
  if (x.size() != cfg_.rows)
    throw std::invalid_argument("crossbar '" + cfg_.name + "': input vector has " + std::to_string(x.size()) +
                                " entries, the array has " + std::to_string(cfg_.rows) + " rows");
  if (phases == 0) phases = cfg_.phases;
  if (phases < 1 || phases > 64)
    throw std::invalid_argument("crossbar '" + cfg_.name + "': phases = " + std::to_string(phases) + " must be 1..64");
  dac_encode(cfg_.dac, x, phases, reads_, where_);
  MvmResult r;
  r.y.resize(cfg_.cols);
  run_reads(phases, r.y, r.adc_saturations, r.cost);
  r.y.array() *= comp_.alpha().array();
  r.y_int.resize(cfg_.cols);
  constexpr double kMagic = 6755399441055744.0;  // 2^52 + 2^51: round half to even without a libm call
  for (int j = 0; j < cfg_.cols; ++j) {
    const double v = std::clamp(r.y[j], double(std::numeric_limits<int>::min()), double(std::numeric_limits<int>::max()));
    r.y_int[j] = int((v + kMagic) - kMagic);
  }
  return r;
}

void AnalogCore::run_reads(int phases, Eigen::VectorXd& y, int64_t& saturations, MvmCost& cost) {
  ensure_prepared();
  if (!timing_cached_[phases]) {
    timing_cache_[phases] = mvm_timing(cfg_, phases);
    timing_cached_[phases] = true;
  }
  cost.timing = timing_cache_[phases];
  cost.ops = 2.0 * cfg_.rows * cfg_.cols;
  const int rows = cfg_.rows, cols = cfg_.cols, ld = array_->ld(), cp = array_->cols_padded();
  const int slices = cfg_.mapping.slices();
  const int code_min = cfg_.adc.code_min(), code_max = cfg_.adc.code_max();
  const bool recombine = int(reads_.size()) * slices > 1;
  acc_.setZero(cols);
  int64_t sat = 0;
  double array_lx = 0.0;
  for (const DacRead& rd : reads_) {
    const bool fast = rd.max_abs_level <= kMaxFastLevel;
    const int16_t* lv = rd.level.data();
    for (int i = 0; i < rows; ++i) {
      xbuf_[i] = lv[i];
      x2buf_[i] = int16_t(fast ? lv[i] * lv[i] : 0);
    }
    for (int s = 0; s < slices; ++s) {
      const SliceMatrices& m = mats_[s];
      // Row activity x conductance for the array read energy.
      double lx = 0.0;
      for (int i = 0; i < rows; ++i) lx += std::abs(int(lv[i])) * m.row_g[i];
      array_lx += lx;
      const double coef = rd.coefficient * cfg_.mapping.slice_weight(s) * adc_lsb_us_ / unit_us_;
      if (fast) {
        column_sums_i16(m.gq.data(), ld, cp, xbuf_.data(), safe_block_rows(ld, m.gq_max, rd.max_abs_level),
                        sum_.data());
        if (m.has_read_noise) {
          column_sums_i16(m.vq.data(), ld, cp, x2buf_.data(),
                          safe_block_rows(ld, m.vq_max, (long long)rd.max_abs_level * rd.max_abs_level), var_.data());
          rng_.fill_normal(z_.data(), cols);
        }
        // Column value (uS x level) plus one Gaussian per column with variance sum_i x_i^2 sigma_ij^2: the exact
        // distribution of a sum of independent per-device read noises.
        const double* gain = adc_gain_.data();
        const double* off = adc_offset_.data();
        double* acc = acc_.data();
        if (m.has_read_noise) {
          for (int j = 0; j < cols; ++j) {
            const double a = double(sum_[j]) * m.g_lsb + std::sqrt(double(var_[j]) * m.v_lsb) * z_[j];
            bool sj;
            const int code = adc_quantize(a * gain[j] + off[j], code_min, code_max, sj);
            sat += sj;
            acc[j] += coef * code;
          }
        } else {
          for (int j = 0; j < cols; ++j) {
            bool sj;
            const int code = adc_quantize(double(sum_[j]) * m.g_lsb * gain[j] + off[j], code_min, code_max, sj);
            sat += sj;
            acc[j] += coef * code;
          }
        }
      } else {
        Eigen::VectorXd xv(rows), x2(rows);
        for (int i = 0; i < rows; ++i) {
          xv[i] = lv[i];
          x2[i] = double(lv[i]) * lv[i];
        }
        const Eigen::VectorXd a0 = m.geff.transpose() * xv;
        const Eigen::VectorXd v0 = m.var.transpose() * x2;
        for (int j = 0; j < cols; ++j) {
          double a = a0[j];
          if (m.has_read_noise) a += std::sqrt(v0[j]) * rng_.normal();
          bool sj;
          const int code = adc_quantize(a * adc_gain_[j] + adc_offset_[j], code_min, code_max, sj);
          sat += sj;
          acc_[j] += coef * code;
        }
      }
    }
  }
  y = acc_;
  saturations = sat;
  // Energy, accounted per action from what this MVM did.
  const double nreads = double(reads_.size());
  cost.count[int(Action::kDac)] = nreads * rows * cfg_.arrays();
  cost.energy_pj[int(Action::kDac)] = cost.count[int(Action::kDac)] * cfg_.dac.energy_per_conversion_pj;
  cost.count[int(Action::kArrayRead)] = nreads * slices;
  cost.energy_pj[int(Action::kArrayRead)] = array_read_energy_pj(cfg_, array_lx);
  const double conversions = nreads * cols * slices;
  cost.count[int(Action::kAdc)] = conversions;
  cost.energy_pj[int(Action::kAdc)] = conversions * (cfg_.adc.energy_per_conversion_pj + cfg_.adc.sample_hold_energy_pj);
  cost.count[int(Action::kShiftAdd)] = recombine ? conversions : 0.0;
  cost.energy_pj[int(Action::kShiftAdd)] = cost.count[int(Action::kShiftAdd)] * cfg_.digital.shift_add_energy_pj;
  cost.count[int(Action::kStatic)] = 1;
  cost.energy_pj[int(Action::kStatic)] = cfg_.digital.static_power_mw * cost.timing.interval_ns;
}

Eigen::VectorXd AnalogCore::calibration_sums() {
  NoiseRng cal(uint64_t(cfg_.seed) ^ kCalibrationStream);
  const int lo = cfg_.dac.input_min(), hi = cfg_.dac.input_max();
  const double level = cfg_.drift_compensation.calibration_level;
  Eigen::VectorXd sums = Eigen::VectorXd::Zero(cfg_.cols);
  Eigen::VectorXi x(cfg_.rows);
  Eigen::VectorXd y(cfg_.cols);
  for (int v = 0; v < cfg_.drift_compensation.calibration_vectors; ++v) {
    for (int i = 0; i < cfg_.rows; ++i) {
      const double u = cal.uniform();
      const int span_lo = int(std::ceil(lo * level)), span_hi = int(std::floor(hi * level));
      x[i] = std::clamp(span_lo + int(u * (span_hi - span_lo + 1)), span_lo, span_hi);
    }
    dac_encode(cfg_.dac, x, cfg_.phases, reads_, "crossbar '" + cfg_.name + "' calibration");
    int64_t sat = 0;
    MvmCost c;
    run_reads(cfg_.phases, y, sat, c);
    sums += y.cwiseAbs();
  }
  return sums;
}

CalibrationReport AnalogCore::calibrate() {
  CalibrationReport rep;
  const Eigen::VectorXd sums = calibration_sums();
  comp_.update(cfg_.drift_compensation.mode, sums);
  const MvmCost one = estimate_mvm_cost(cfg_);
  rep.time_ns = cfg_.drift_compensation.calibration_vectors * one.timing.latency_ns;
  rep.energy_pj = cfg_.drift_compensation.calibration_vectors * one.energy_pj_total();
  rep.alpha = comp_.alpha();
  return rep;
}

Eigen::MatrixXd AnalogCore::effective_weights() {
  ensure_prepared();
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(cfg_.rows, cfg_.cols);
  for (int s = 0; s < cfg_.mapping.slices(); ++s) w += cfg_.mapping.slice_weight(s) * mats_[s].geff / unit_us_;
  return w;
}

}  // namespace aimc::analog
