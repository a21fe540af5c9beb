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
// Seed offset of the per-device read-polarity factors (their own stream: the core's draws stay unchanged).
constexpr uint64_t kPolarityStream = 0x9017A21Cull;
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
  noise_lsb_ = cfg_.adc.noise_lsb();
  comp_.reset(cfg_.cols);
  offset_codes_.setZero(cfg_.cols);
  gain_corr_.setOnes(cfg_.cols);
  where_ = "crossbar '" + cfg_.name + "'";
  const int ld = array_->ld(), cp = array_->cols_padded();
  xbuf_.assign(ld, 0);
  x2buf_.assign(ld, 0);
  sum_.assign(cp, 0);
  var_.assign(cp, 0);
  z_.assign(cp, 0.0);
  svar_.assign(cp, 0);
  col_.assign(cp, 0.0);
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
  static thread_local Eigen::MatrixXd units;  // scratch of this host thread, reused by every core it programs
  units = w.cast<double>();
  return program_block(units, row0, col0, false);
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
  const int rows = int(w.rows()), cols = int(w.cols()), dpp = mp.devices_per_polarity;
  const size_t block = size_t(rows) * cols;
  const size_t n = size_t(mp.slices()) * 2 * dpp * block;
  // Scratch of this host thread, reused by every core it programs: fresh host memory costs more than filling it.
  static thread_local std::vector<uint32_t> idx;
  static thread_local std::vector<float> target, side;
  idx.resize(n);
  target.resize(n);
  // Per slice: the G+ and G- targets of each weight (row-major), then every device of the block in index order
  // (slice, polarity, device, row, column) takes its side's target.
  side.resize(2 * block);
  size_t at = 0;
  for (int s = 0; s < mp.slices(); ++s) {
    for (int j = 0; j < cols; ++j)
      for (int i = 0; i < rows; ++i) {
        const double v = round ? std::nearbyint(w(i, j)) : w(i, j);
        for (int p = 0; p < 2; ++p) {
          const bool active = p == 0 ? v > 0 : v < 0;
          const double digit = active ? mp.digit(std::fabs(v), s) : 0.0;
          side[p * block + size_t(i) * cols + j] = float(mp.device_target(digit, t));
        }
      }
    for (int p = 0; p < 2; ++p)
      for (int k = 0; k < dpp; ++k)
        for (int i = 0; i < rows; ++i) {
          const uint32_t d0 = uint32_t(array_->index(s, p, k, row0 + i, col0));
          const float* src = side.data() + p * block + size_t(i) * cols;
          for (int j = 0; j < cols; ++j, ++at) {
            idx[at] = d0 + uint32_t(j);
            target[at] = src[j];
          }
        }
  }
  ProgramReport rep;
  const int parallel = cfg_.program.parallel_devices > 0 ? cfg_.program.parallel_devices : int(w.cols());
  program_and_verify(*array_, idx, target, cfg_.program, parallel, now_s_, cfg_.read_voltage(), rng_, rep,
                     device_outcomes_);
  if (target_sum_.size() != 0)
    for (int i = 0; i < w.rows(); ++i)
      for (int j = 0; j < w.cols(); ++j) target_sum_(row0 + i, col0 + j) = target_sum(row0 + i, col0 + j);
  last_program_s_ = now_s_;
  dirty_ = true;
  comp_.reset(cfg_.cols);
  offset_codes_.setZero(cfg_.cols);
  gain_corr_.setOnes(cfg_.cols);
  if (cfg_.drift_compensation.mode != "none" || cfg_.drift_compensation.offset_reads > 0) {
    // Reference read right after programming (Joshi 2020; Le Gallo 2023), after the ADC offsets are measured.
    const CalibrationReport cal = run_calibration(true);
    rep.calibration_time_ns = cal.time_ns;
    rep.calibration_energy_pj = cal.energy_pj;
  }
  return rep;
}

double AnalogCore::program_time_floor_ns(int rows, int cols) const {
  // program_block's devices and groups: slices x polarities x devices per polarity copies of the block, in
  // groups of parallel_devices (default: the block's columns).
  const int64_t devices = int64_t(cfg_.mapping.slices()) * 2 * cfg_.mapping.devices_per_polarity * rows * cols;
  const int64_t parallel = cfg_.program.parallel_devices > 0 ? cfg_.program.parallel_devices : cols;
  const int64_t groups = parallel > 0 ? (devices + parallel - 1) / parallel : 0;
  return double(groups) * (cfg_.technology.write_time_ns + cfg_.technology.read_time_ns);
}

void AnalogCore::reseed_noise(uint32_t stream) {
  // Seeds are below 2^32 (non-negative int), so (seed, stream) pairs map to distinct 64-bit seeds.
  rng_.reseed((uint64_t(uint32_t(cfg_.seed)) << 32) | stream);
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
  // Consecutive reads of an MVM are one read interval apart (this sets the fast band of 1/f noise).
  array_->prepare(now_s_, cfg_.wire_resistance_ohm, mvm_timing(cfg_, 1).read_interval_ns * 1e-9, mats_);
  if (read_polarity_enabled(cfg_.technology))
    build_read_polarity(*array_, now_s_, uint64_t(cfg_.seed) ^ kPolarityStream, polarity_);
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
  if (cfg_.drift_compensation.offset_reads > 0) r.y -= offset_codes_ * coef_sum_;
  if (cfg_.drift_compensation.gain_reads > 0) r.y.array() *= gain_corr_.array();
  r.y.array() *= comp_.alpha().array();
  r.y_int.resize(cfg_.cols);
  constexpr double kMagic = 6755399441055744.0;  // 2^52 + 2^51: round half to even without a libm call
  for (int j = 0; j < cfg_.cols; ++j) {
    const double v = std::clamp(r.y[j], double(std::numeric_limits<int>::min()), double(std::numeric_limits<int>::max()));
    r.y_int[j] = int((v + kMagic) - kMagic);
  }
  return r;
}

namespace {

// Periphery of one conversion: column gain, INL (inl: the ADC when it has any), offset, output-referred
// noise, then the quantizer.
inline int convert_with(double a, double gain, double offset, const AdcConfig* inl, double noise_lsb, NoiseRng& rng,
                        int code_min, int code_max, bool& saturated) {
  double v = a * gain;
  if (inl) v += inl->inl_at(v);
  v += offset;
  if (noise_lsb > 0) v += noise_lsb * rng.normal();
  return adc_quantize(v, code_min, code_max, saturated);
}

}  // namespace

int AnalogCore::convert(int j, double a, int code_min, int code_max, bool& saturated) {
  return convert_with(a, adc_gain_[j], adc_offset_[j], cfg_.adc.inl_lsb != 0.0 ? &cfg_.adc : nullptr, noise_lsb_,
                      rng_, code_min, code_max, saturated);
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
  // Only one-phase reads apply both voltage polarities at once (read_polarity.h).
  const bool polar = phases == 1 && !polarity_.empty();
  // Slow 1/f noise: drawn once per MVM and slice, common to its reads. PWM reads of one pass apply +-x, so
  // one Gaussian per column carries it (times the read's polarity); other encodings draw it per device.
  const bool same_levels = cfg_.dac.mode == "pwm" && !(cfg_.dac.input_signed && cfg_.dac.signed_inputs == "two_pass");
  slow_col_.resize(slices);
  slow_dev_.resize(slices);
  for (int s = 0; s < slices; ++s) {
    const SliceMatrices& m = mats_[s];
    if (!m.has_slow_noise) continue;
    if (same_levels) {
      const DacRead& r0 = reads_[0];
      long long mx = 0;
      for (int i = 0; i < rows; ++i) {
        x2buf_[i] = int16_t(std::min(int(r0.level[i]) * r0.level[i], 32767));
        mx = std::max<long long>(mx, x2buf_[i]);
      }
      if (r0.max_abs_level <= kMaxFastLevel) {
        column_sums_i16(m.sq.data(), ld, cp, x2buf_.data(), safe_block_rows(ld, m.sq_max, mx), svar_.data());
        slow_col_[s].resize(cols);
        for (int j = 0; j < cols; ++j) slow_col_[s][j] = std::sqrt(double(svar_[j]) * m.s_lsb) * rng_.normal();
      } else {
        Eigen::VectorXd x2(rows);
        for (int i = 0; i < rows; ++i) x2[i] = double(r0.level[i]) * r0.level[i];
        const Eigen::VectorXd v = m.var_slow.transpose() * x2;
        slow_col_[s].resize(cols);
        for (int j = 0; j < cols; ++j) slow_col_[s][j] = std::sqrt(v[j]) * rng_.normal();
      }
    } else {
      slow_dev_[s].resize(rows, cols);
      for (int j = 0; j < cols; ++j)
        for (int i = 0; i < rows; ++i) slow_dev_[s](i, j) = std::sqrt(m.var_slow(i, j)) * rng_.normal();
    }
  }
  acc_.setZero(cols);
  coef_sum_ = 0.0;
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
      coef_sum_ += coef;
      // Column values (uS x level): the sum, the per-read noise (one Gaussian per column with variance
      // sum_i x_i^2 sigma_ij^2: the exact distribution of a sum of independent per-device noises), the slow noise.
      if (fast) {
        column_sums_i16(m.gq.data(), ld, cp, xbuf_.data(), safe_block_rows(ld, m.gq_max, rd.max_abs_level),
                        sum_.data());
        for (int j = 0; j < cols; ++j) col_[j] = double(sum_[j]) * m.g_lsb;
        if (m.has_read_noise) {
          column_sums_i16(m.vq.data(), ld, cp, x2buf_.data(),
                          safe_block_rows(ld, m.vq_max, (long long)rd.max_abs_level * rd.max_abs_level), var_.data());
          rng_.fill_normal(z_.data(), cols);
          for (int j = 0; j < cols; ++j) col_[j] += std::sqrt(double(var_[j]) * m.v_lsb) * z_[j];
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
          col_[j] = a0[j];
          if (m.has_read_noise) col_[j] += std::sqrt(v0[j]) * rng_.normal();
        }
      }
      if (polar) {
        Eigen::VectorXd xp(rows), xn(rows);
        for (int i = 0; i < rows; ++i) {
          xp[i] = std::max(int(lv[i]), 0);
          xn[i] = std::min(int(lv[i]), 0);
        }
        const Eigen::VectorXd d = polarity_[s].pos.transpose() * xp + polarity_[s].neg.transpose() * xn;
        for (int j = 0; j < cols; ++j) col_[j] += d[j];
      }
      if (m.has_slow_noise) {
        if (same_levels) {
          for (int j = 0; j < cols; ++j) col_[j] += rd.polarity * slow_col_[s][j];
        } else {
          Eigen::VectorXd xv(rows);
          for (int i = 0; i < rows; ++i) xv[i] = lv[i];
          const Eigen::VectorXd n = slow_dev_[s].transpose() * xv;
          for (int j = 0; j < cols; ++j) col_[j] += n[j];
        }
      }
      // convert() of every column, with its constants and the generator in locals (the generator handed back).
      double* acc = acc_.data();
      const double *gain = adc_gain_.data(), *offset = adc_offset_.data(), *a = col_.data();
      const AdcConfig* inl = cfg_.adc.inl_lsb != 0.0 ? &cfg_.adc : nullptr;
      const double noise = noise_lsb_;
      NoiseRng rng = rng_;
      for (int j = 0; j < cols; ++j) {
        bool sj;
        const int code = convert_with(a[j], gain[j], offset[j], inl, noise, rng, code_min, code_max, sj);
        sat += sj;
        acc[j] += coef * code;
      }
      rng_ = rng;
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

void AnalogCore::calibration_reads(Eigen::MatrixXd& y, Eigen::MatrixXd& x) {
  NoiseRng cal(uint64_t(cfg_.seed) ^ kCalibrationStream);
  const int lo = cfg_.dac.input_min(), hi = cfg_.dac.input_max();
  const double level = cfg_.drift_compensation.calibration_level;
  const int n = cfg_.drift_compensation.calibration_vectors;
  y.resize(cfg_.cols, n);
  x.resize(cfg_.rows, n);
  Eigen::VectorXi xi(cfg_.rows);
  Eigen::VectorXd yv(cfg_.cols);
  for (int v = 0; v < n; ++v) {
    for (int i = 0; i < cfg_.rows; ++i) {
      const double u = cal.uniform();
      const int span_lo = int(std::ceil(lo * level)), span_hi = int(std::floor(hi * level));
      xi[i] = std::clamp(span_lo + int(u * (span_hi - span_lo + 1)), span_lo, span_hi);
    }
    dac_encode(cfg_.dac, xi, cfg_.phases, reads_, "crossbar '" + cfg_.name + "' calibration");
    int64_t sat = 0;
    MvmCost c;
    run_reads(cfg_.phases, yv, sat, c);
    if (cfg_.drift_compensation.offset_reads > 0) yv -= offset_codes_ * coef_sum_;
    if (cfg_.drift_compensation.gain_reads > 0) yv.array() *= gain_corr_.array();
    y.col(v) = yv;
    x.col(v) = xi.cast<double>();
  }
}

void AnalogCore::measure_offsets() {
  // Zero input: each conversion reads the column's offset (and INL at zero) through its noise; the mean code
  // per column is what the LDPU subtracts (per-column offset of the chip's affine correction).
  ensure_prepared();
  const int reads = cfg_.drift_compensation.offset_reads;
  const int code_min = cfg_.adc.code_min(), code_max = cfg_.adc.code_max();
  offset_codes_.setZero(cfg_.cols);
  for (int r = 0; r < reads; ++r)
    for (int j = 0; j < cfg_.cols; ++j) {
      bool sj;
      offset_codes_[j] += convert(j, 0.0, code_min, code_max, sj);
    }
  offset_codes_ /= double(reads);
  // Column gains (the chip's digital ADC calibration, Khaddam-Aljameh 2022): a reference at half full scale
  // through the converter alone; the gain is the mean code above the offset over the nominal code. The INL
  // bow biases every column alike (-inl/4 LSB at half scale), which the drift fit then absorbs.
  const int greads = cfg_.drift_compensation.gain_reads;
  gain_corr_.setOnes(cfg_.cols);
  if (greads == 0) return;
  const double ref_codes = 0.5 * code_max;
  for (int j = 0; j < cfg_.cols; ++j) {
    double sum = 0;
    for (int r = 0; r < greads; ++r) {
      bool sj;
      sum += convert(j, ref_codes * adc_lsb_us_, code_min, code_max, sj);
    }
    const double g = (sum / greads - offset_codes_[j]) / ref_codes;
    if (!(g > 0))
      throw std::runtime_error(where_ + ": ADC calibration measured a gain of " + std::to_string(g) + " on column " +
                               std::to_string(j) + " (the reference did not register)");
    gain_corr_[j] = 1.0 / g;
  }
}

double AnalogCore::target_sum(int i, int j) const {
  // The weight's devices in slice, polarity, device order.
  const CrossbarArray& a = *array_;
  const DeviceState& dev = a.devices();
  const int slices = cfg_.mapping.slices(), dpp = cfg_.mapping.devices_per_polarity;
  const size_t plane = size_t(cfg_.rows) * cfg_.cols, at = a.index(0, 0, 0, i, j);
  double sum = 0.0;
  for (int s = 0; s < slices; ++s)
    for (int p = 0; p < 2; ++p)
      for (int k = 0; k < dpp; ++k)
        sum += (p == 0 ? 1.0 : -1.0) * cfg_.mapping.slice_weight(s) * dev.target[((size_t(s) * 2 + p) * dpp + k) * plane + at];
  return sum;
}

void AnalogCore::target_weights(Eigen::MatrixXd& out) {
  // G+ - G- of the programmed targets, recombined over slices, in integer weight units. Computed whole
  // once, then program_block updates the weights it programs.
  if (target_sum_.size() == 0) {
    // target_sum() of every weight, plane by plane in its device order (slice, polarity, device): each
    // weight takes the same terms in the same order, and every plane is read in memory order.
    const CrossbarArray& a = *array_;  // const: reading the targets marks no weight as changed
    const DeviceState& dev = a.devices();
    const int slices = cfg_.mapping.slices(), dpp = cfg_.mapping.devices_per_polarity;
    using Plane = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>;
    new (&target_sum_) TargetSums(array_->target_sum_storage(), cfg_.rows, cfg_.cols);  // a Map is re-seated in place
    for (int s = 0; s < slices; ++s)
      for (int p = 0; p < 2; ++p)
        for (int k = 0; k < dpp; ++k) {
          const double coef = (p == 0 ? 1.0 : -1.0) * cfg_.mapping.slice_weight(s);
          const Plane plane(dev.target.data() + a.index(s, p, k, 0, 0), cfg_.rows, cfg_.cols);
          // The first plane's terms are >= +0 (G+ targets), so 0.0 + term is the term itself.
          if (s == 0 && p == 0 && k == 0)
            target_sum_ = coef * plane.cast<double>();
          else
            target_sum_ += coef * plane.cast<double>();
        }
  }
  out = target_sum_ / unit_us_;
}

CalibrationReport AnalogCore::run_calibration(bool reference) {
  const DriftCompensationConfig& dc = cfg_.drift_compensation;
  if (dc.offset_reads > 0) measure_offsets();
  CalibrationReport rep;
  if (dc.mode != "none") {
    Eigen::MatrixXd y, x;
    calibration_reads(y, x);
    if (dc.mode == "expected") {
      static thread_local Eigen::MatrixXd tw;  // scratch of this host thread, reused by every core it calibrates
      target_weights(tw);
      comp_.fit_expected(y, tw.transpose() * x);
    } else {
      if (reference) comp_.set_reference(y);
      else comp_.update(dc.mode, y);
    }
  }
  const MvmCost one = estimate_mvm_cost(cfg_);
  const MvmTiming t1 = mvm_timing(cfg_, 1);
  const double vectors = dc.mode != "none" ? dc.calibration_vectors : 0;
  // ADC calibration reads (offset, gain): one conversion round of every column each, no array current.
  const double adc_reads = dc.offset_reads + dc.gain_reads;
  rep.time_ns = vectors * one.timing.latency_ns + adc_reads * t1.read_interval_ns;
  rep.energy_pj = vectors * one.energy_pj_total() +
                  adc_reads * cfg_.physical_cols() * (cfg_.adc.energy_per_conversion_pj + cfg_.adc.sample_hold_energy_pj);
  rep.alpha = comp_.alpha();
  return rep;
}

CalibrationReport AnalogCore::calibrate() { return run_calibration(false); }

Eigen::MatrixXd AnalogCore::effective_weights() {
  ensure_prepared();
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(cfg_.rows, cfg_.cols);
  for (int s = 0; s < cfg_.mapping.slices(); ++s) w += cfg_.mapping.slice_weight(s) * mats_[s].geff / unit_us_;
  return w;
}

}  // namespace aimc::analog
