#include "analog/crossbar_array.h"

#include <algorithm>
#include <cmath>

namespace aimc::analog {
namespace {

// Bytes rounded up to whole cache lines: every field and matrix starts on its own.
size_t cache_lines(size_t b) { return (b + 63) / 64 * 64; }

// The quantized copies' leading dimension and columns, padded for the integer column sums.
int padded_rows(int rows) { return (rows + 15) / 16 * 16; }
int padded_cols(int cols) { return (cols + 3) / 4 * 4; }

// std::lround without its library call, the same result for |x| < 2^52 (the quantized values are at most
// 16383): x - trunc(x) is exact there, and a fraction of +-0.5 rounds away from zero.
int round_half_away(double x) {
  const long long t = static_cast<long long>(x);
  const double f = x - double(t);
  return int(t + (f >= 0.5) - (f <= -0.5));
}

}  // namespace

CrossbarArray::CrossbarArray(const DeviceTechnology& tech, int rows, int cols, int slices, int dpp, NoiseRng& rng)
    : tech_(tech), rows_(rows), cols_(cols), slices_(slices), dpp_(dpp) {
  ld_ = padded_rows(rows);
  cols_pad_ = padded_cols(cols);
  // Fabrication draws come first from the core's generator: they are taken now (only advancing it) so
  // that every later draw is the same whenever the state is allocated, and replayed then.
  fabrication_draws_ = tech.d2d_gmax_std > 0 || tech.stuck_probability > 0;
  if (fabrication_draws_) {
    fabrication_rng_ = rng;
    fabricate(rng, false);
  }
}

void CrossbarArray::fabricate(NoiseRng& rng, bool write) const {
  // Device-to-device spread of the reachable gmax, and devices stuck from the start.
  const DeviceTechnology& tech = tech_;
  const size_t n = device_count();
  for (size_t d = 0; d < n; ++d) {
    if (tech.d2d_gmax_std > 0) {
      const double z = rng.normal();
      if (write) dev_.gmax[d] = float(tech.gmax_us * std::max(0.1, 1.0 + tech.d2d_gmax_std * z));
    }
    if (tech.stuck_probability > 0 && rng.uniform() < tech.stuck_probability) {
      const double u = rng.uniform();
      if (write) {
        dev_.stuck[d] = 1;
        dev_.g[d] = float(u < tech.stuck_at_gmax_fraction ? tech.gmax_us : tech.gmin_us);
      }
    }
  }
}

size_t DeviceState::bytes(size_t n, bool with_gmax, bool with_ret_z) {
  const int words = 5 + int(with_gmax) + int(with_ret_z);  // g, target, nu, epoch, cycles (+ gmax, ret_z)
  return words * cache_lines(n * sizeof(float)) + cache_lines(n);
}

void DeviceState::place(unsigned char* p, size_t n, bool with_gmax, bool with_ret_z) {
  const size_t b4 = cache_lines(n * sizeof(float));
  for (DeviceArray<float>* f : {&g, &target, &nu, &gmax, &ret_z}) {
    if ((f == &gmax && !with_gmax) || (f == &ret_z && !with_ret_z)) {
      *f = DeviceArray<float>();
      continue;
    }
    *f = DeviceArray<float>(reinterpret_cast<float*>(p), n);
    p += b4;
  }
  epoch = DeviceArray<uint32_t>(reinterpret_cast<uint32_t*>(p), n);
  p += b4;
  cycles = DeviceArray<uint32_t>(reinterpret_cast<uint32_t*>(p), n);
  p += b4;
  stuck = DeviceArray<uint8_t>(p, n);
  epoch_time.assign(1, 0.0);
}

uint32_t DeviceState::epoch_at(double now_s) {
  if (epoch_time.back() != now_s) epoch_time.push_back(now_s);
  return uint32_t(epoch_time.size() - 1);
}

void CrossbarArray::allocate_now() const {
  const size_t n = device_count();
  // Fresh host memory is the dearest part of programming a whole array: the fields every device would hold
  // at the same value are left out (gmax without device-to-device spread, ret_z without retention noise).
  // Zero-filled: nu, ret_z, epoch (0: time 0), cycles, stuck, and g and target where gmin is 0. gmax, when
  // kept, is written by the fabrication draws (device-to-device spread is what keeps it). The read matrices
  // and the target sums follow in the same block: programming writes them all right away.
  const bool gmax = tech_.d2d_gmax_std > 0, ret_z = has_retention();
  const size_t state = cache_lines(DeviceState::bytes(n, gmax, ret_z));
  const MatrixLayout l = matrix_layout(rows_, cols_);
  memory_ = DeviceMemory(block_bytes(rows_, cols_, slices_, dpp_, gmax, ret_z));
  dev_.place(memory_.data(), n, gmax, ret_z);
  matrices_ = memory_.data() + state;
  target_sums_ = reinterpret_cast<double*>(matrices_ + size_t(slices_) * l.slice());
  if (float(tech_.gmin_us) != 0.f) {
    dev_.g.fill(float(tech_.gmin_us));
    dev_.target.fill(float(tech_.gmin_us));
  }
  if (fabrication_draws_) {
    NoiseRng rng = fabrication_rng_;
    fabricate(rng, true);
  }
}

CrossbarArray::MatrixLayout CrossbarArray::matrix_layout(int rows, int cols) {
  // Per slice: geff, var, var_slow (doubles, rows x cols), row_g (rows doubles), gq, vq, sq (int16, ld x
  // cols_padded); one more rows x cols of doubles for the target sums.
  MatrixLayout l;
  l.matrix = cache_lines(size_t(rows) * cols * sizeof(double));
  l.vector = cache_lines(size_t(rows) * sizeof(double));
  l.quantized = cache_lines(size_t(padded_rows(rows)) * padded_cols(cols) * sizeof(int16_t));
  return l;
}

size_t CrossbarArray::block_bytes(int rows, int cols, int slices, int dpp, bool with_gmax, bool with_ret_z) {
  const size_t devices = size_t(slices) * 2 * dpp * size_t(rows) * cols;
  const MatrixLayout l = matrix_layout(rows, cols);
  return cache_lines(DeviceState::bytes(devices, with_gmax, with_ret_z)) + size_t(slices) * l.slice() + l.matrix;
}

size_t CrossbarArray::host_bytes(int rows, int cols, int slices, int dpp) {
  return DeviceMemory::mapped_bytes(block_bytes(rows, cols, slices, dpp, true, true));
}

const CrossbarArray::AgeTerms& CrossbarArray::age_terms(double age, double read_interval_s) const {
  if (age != age_.age) {
    const ReadNoiseModel& rn = tech_.read_noise;
    age_.age = age;
    age_.drift_log = std::log((age + tech_.drift.t0_s) / tech_.drift.t0_s);
    age_.band_log = std::log((age + tech_.drift.t0_s + rn.t_read_s) / (2.0 * rn.t_read_s));
    age_.band_sqrt = std::sqrt(std::max(age_.band_log, 0.0));
    age_.growth = age > 0 ? std::sqrt(std::log1p(age) / std::log1p(tech_.retention_time_s)) : 0.0;
    age_.interval = -1.0;
  }
  if (read_interval_s >= 0 && read_interval_s != age_.interval) {
    age_.interval = read_interval_s;
    age_.fast = tech_.read_noise.fast_fraction(age_.band_log, read_interval_s);
  }
  return age_;
}

// The device arrays' addresses and the technology's scalars the terms read for every device are copied here
// once: the sums prepare() writes as it goes could alias the array's own fields for the compiler, which would
// then reload them per device. The read-noise model itself is only referred to (a copy would allocate per
// single-device query).
class CrossbarArray::ReadTerms {
 public:
  // read_interval_s < 0: no fast fraction (single-device queries).
  ReadTerms(const CrossbarArray& a, double now_s, double read_interval_s)
      : a_(a),
        now_s_(now_s),
        interval_(read_interval_s),
        g_(a.dev_.g.data()),
        target_(a.dev_.target.data()),
        nu_(a.dev_.nu.data()),
        ret_z_(a.dev_.ret_z.empty() ? nullptr : a.dev_.ret_z.data()),
        epoch_(a.dev_.epoch.data()),
        stuck_(a.dev_.stuck.data()),
        epoch_time_(a.dev_.epoch_time.data()),
        form_(a.tech_.read_noise.form[0]),
        pcm_(a.tech_.read_noise.form == "pcm_1f"),
        q_of_target_(a.tech_.read_noise.q_poly.empty()),
        gmax_us_(a.tech_.gmax_us),
        rn_(a.tech_.read_noise) {}

  // Device d's age since its last programming, s, and the terms of that age (cached per programming call:
  // devices programmed together share them).
  double age(size_t d) {
    const uint32_t e = epoch_[d];
    if (e != last_epoch_) {
      last_epoch_ = e;
      age_ = std::max(0.0, now_s_ - epoch_time_[e]);
      at_ = a_.age_terms(age_, interval_);
    }
    return age_;
  }
  const AgeTerms& terms() const { return at_; }

  // Conductance of device d at `age` (drift and retention loss applied).
  double conductance(size_t d, double age) const {
    const double g0 = g_[d];
    if (stuck_[d]) return g0;
    // Devices programmed together share an age: its logs are computed once, so drift costs one exp per
    // device (none at age 0, where the factor is exactly 1).
    const float nu = nu_[d];
    double g = g0 * (nu != 0.f && at_.drift_log != 0.0 ? std::exp(-double(nu) * at_.drift_log) : 1.0);
    if (ret_z_ && ret_z_[d] != 0.f && age > 0) {
      // Charge loss spreads the conductances; the spread reaches retention_noise at retention_time_s.
      g += ret_z_[d] * a_.tech_.retention_noise.sigma(g0, g0 / a_.tech_.gmax_us) * at_.growth;
    }
    return std::max(g, 0.0);
  }

  // Read-noise std of device d at conductance g_now (pcm_1f: at the age of the last age(d)).
  double sigma(size_t d, double g_now) {
    if (form_ == 'n') return 0.0;
    if (form_ == 'c') return rn_.curve.sigma(g_now, g_now / gmax_us_);
    // pcm_1f: 1/f noise accumulated from 1/(2 t_read) up to the age, counted from t0 as aihwkit does. The
    // power-law fit (Nandakumar 2019) takes gT of the target, the piecewise HERMES fit that of the programmed
    // conductance (as aihwkit's models do).
    // No conductance, no noise: |0| Q sqrt(.) is +0 whatever Q (finite, >= 0), so Q is not evaluated.
    if (g_now == 0.0) return 0.0;
    const double gt = std::max(double(q_of_target_ ? target_[d] : g_[d]) / gmax_us_, 0.0);
    if (gt != q_gt_) {  // unprogrammed devices share gT
      q_gt_ = gt;
      q_ = rn_.q(gt);
    }
    return std::fabs(g_now) * q_ * at_.band_sqrt;
  }

  // Sums over the devices of one weight: +-G, fast and slow read-noise variances, G. d0 = the weight's device
  // (polarity 0, device 0); the next devices of the weight are `plane` apart (polarity-major).
  struct Sums {
    double ge = 0, va = 0, vs = 0, gt = 0;
  };
  Sums weight(size_t d0, size_t plane, int dpp) {
    Sums r;
    for (int p = 0; p < 2; ++p) {
      const double sign = p == 0 ? 1.0 : -1.0;
      for (int k = 0; k < dpp; ++k) {
        const size_t d = d0 + size_t(p * dpp + k) * plane;
        const double g = conductance(d, age(d));
        const double sig = sigma(d, g);
        const double fast = sig > 0 && pcm_ ? at_.fast : 1.0;
        r.ge += sign * g;
        r.va += sig * sig * fast;
        r.vs += sig * sig * (1.0 - fast);
        r.gt += g;
      }
    }
    return r;
  }

 private:
  const CrossbarArray& a_;
  const double now_s_, interval_;
  const float *g_, *target_, *nu_, *ret_z_;
  const uint32_t* epoch_;
  const uint8_t* stuck_;
  const double* epoch_time_;
  const char form_;
  const bool pcm_, q_of_target_;
  const double gmax_us_;
  const ReadNoiseModel& rn_;
  uint32_t last_epoch_ = UINT32_MAX;
  double age_ = 0.0;
  AgeTerms at_{};
  double q_gt_ = -1.0, q_ = 0.0;  // the last ReadNoiseModel::q(gT)
};

double CrossbarArray::conductance(size_t d, double now_s) const {
  allocate();
  ReadTerms rt(*this, now_s, -1.0);
  return rt.conductance(d, rt.age(d));
}

double CrossbarArray::read_noise_sigma(size_t d, double g_now, double now_s) const {
  const bool pcm = tech_.read_noise.form[0] == 'p';
  if (pcm) allocate();  // the other forms read no device state
  ReadTerms rt(*this, now_s, -1.0);
  if (pcm) rt.age(d);
  return rt.sigma(d, g_now);
}

DeviceState& CrossbarArray::devices_to_change(const std::vector<uint32_t>& idx) {
  allocate();
  const size_t weights = size_t(rows_) * cols_;
  changed_.resize(weights);
  if (idx.size() >= device_count()) {  // as many devices as the array holds (a whole programming): mark every
    std::fill(changed_.begin(), changed_.end(), uint8_t(1));  // weight (one marked needlessly is only recomputed)
    return dev_;
  }
  // d % weights without a division per device: an array has a few planes of `weights` devices.
  for (uint32_t d : idx) {
    size_t w = d;
    while (w >= weights) w -= weights;
    changed_[w] = 1;
  }
  return dev_;
}

double CrossbarArray::read_noise_fast_fraction(size_t d, double now_s, double read_interval_s) const {
  if (tech_.read_noise.form != "pcm_1f") return 1.0;
  allocate();
  ReadTerms rt(*this, now_s, read_interval_s);
  rt.age(d);
  return rt.terms().fast;
}

void CrossbarArray::place_matrices(int s, SliceMatrices& m) const {
  const MatrixLayout l = matrix_layout(rows_, cols_);
  unsigned char* p = matrices_ + size_t(s) * l.slice();
  if (m.geff.data() == reinterpret_cast<double*>(p)) return;  // placed before
  // A Map is re-seated by constructing it again in place (assigning one would copy values).
  for (SliceMatrices::Matrix* x : {&m.geff, &m.var, &m.var_slow}) {
    new (x) SliceMatrices::Matrix(reinterpret_cast<double*>(p), rows_, cols_);
    p += l.matrix;
  }
  new (&m.row_g) SliceMatrices::Vector(reinterpret_cast<double*>(p), rows_);
  p += l.vector;
  for (DeviceArray<int16_t>* q : {&m.gq, &m.vq, &m.sq}) {
    *q = DeviceArray<int16_t>(reinterpret_cast<int16_t*>(p), size_t(ld_) * cols_pad_);
    p += l.quantized;
  }
}

void CrossbarArray::prepare(double now_s, double wire_r, double read_interval_s,
                            std::vector<SliceMatrices>& out) const {
  allocate();
  const size_t weights = size_t(rows_) * cols_;
  changed_.resize(weights);
  const bool same_point = !all_changed_ && out.size() == size_t(slices_) && now_s == raw_now_ &&
                          read_interval_s == raw_interval_;
  if (same_point && std::find(changed_.begin(), changed_.end(), 1) == changed_.end()) return;  // up to date
  // Programming a block at the same time point recomputes only its weights, from every weight's sums
  // before IR drop (each sums its devices in the same order as ever, so the numbers do not change). Those
  // sums are kept from the first such update on; an array programmed in one block (most) never needs them
  // and writes its sums straight into the matrices.
  bool all = !same_point;
  if (same_point && raw_.size() == 0) {
    raw_ = DeviceMemory(size_t(slices_) * weights * kRawTerms * sizeof(double));
    all = true;
  }
  const bool keep = raw_.size() != 0;
  out.resize(slices_);
  static thread_local Eigen::MatrixXd gtot;  // scratch of this host thread, shared by every array it prepares
  gtot.resize(rows_, cols_);
  ReadTerms rt(*this, now_s, read_interval_s);
  using Strided = Eigen::Map<const Eigen::MatrixXd, 0, Eigen::Stride<Eigen::Dynamic, kRawTerms>>;
  const Eigen::Stride<Eigen::Dynamic, kRawTerms> stride(Eigen::Index(rows_) * kRawTerms, kRawTerms);
  for (int s = 0; s < slices_; ++s) {
    SliceMatrices& m = out[s];
    place_matrices(s, m);
    // The sums in column-major order, as the matrices hold them: into raw_ when it is kept (only the
    // weights to update; copied below), else straight into the matrices.
    double* raw = keep ? reinterpret_cast<double*>(raw_.data()) + size_t(s) * weights * kRawTerms : nullptr;
    double* const dst[kRawTerms] = {keep ? raw : m.geff.data(), keep ? raw + 1 : m.var.data(),
                                    keep ? raw + 2 : m.var_slow.data(), keep ? raw + 3 : gtot.data()};
    const size_t step = keep ? kRawTerms : 1;
    // In bands of 8 rows, column by column: the devices are read along their rows and the column-major sums
    // written a cache line at a time. Each weight's sum is on its own, so the order changes no value.
    constexpr int kBand = 8;
    for (int i0 = 0; i0 < rows_; i0 += kBand) {
      const int i1 = std::min(rows_, i0 + kBand);
      for (int j = 0; j < cols_; ++j)
        for (int i = i0; i < i1; ++i) {
          const size_t w = size_t(i) * cols_ + j, at = (size_t(j) * rows_ + i) * step;
          if (!all && !changed_[w]) continue;
          const ReadTerms::Sums r = rt.weight(size_t(s) * 2 * dpp_ * weights + w, weights, dpp_);
          dst[0][at] = r.ge;
          dst[1][at] = r.va;
          dst[2][at] = r.vs;
          dst[3][at] = r.gt;
        }
    }
    if (keep) {
      m.geff = Strided(raw, rows_, cols_, stride);
      m.var = Strided(raw + 1, rows_, cols_, stride);
      m.var_slow = Strided(raw + 2, rows_, cols_, stride);
      gtot = Strided(raw + 3, rows_, cols_, stride);
    }
    // Read energy from the device conductances: the IR drop below is an accuracy error of the periphery and
    // leaves the energy accounting (fitted to the published totals) as it is.
    m.row_g = gtot.rowwise().sum();
    if (wire_r > 0) {
      // First-order IR drop: every cell at the array's mean conductance and full input; drivers on the left
      // of each row, the column sense node at the bottom. Segment currents add up towards the driver / sense
      // node, so the drop seen by cell (i, j) is r * Gbar * (c_j + r_i) of the read voltage.
      const double gbar = gtot.mean() * 1e-6;
      const int N = cols_, M = rows_;
      for (int j = 0; j < N; ++j) {  // column-major order: each cell on its own, in memory order
        const double dc = double(j + 1);
        const double col_term = dc * N - dc * (dc - 1) / 2;
        for (int i = 0; i < M; ++i) {
          const double dr = double(M - i);
          const double row_term = dr * M - dr * (dr - 1) / 2;
          const double f = 1.0 / (1.0 + wire_r * gbar * (col_term + row_term));
          m.geff(i, j) *= f;
          m.var(i, j) *= f * f;
          m.var_slow(i, j) *= f * f;
        }
      }
    }
    // Quantized copies for the integer column sums.
    const double gmax_abs = m.geff.cwiseAbs().maxCoeff();
    const double vmax = m.var.maxCoeff();
    const double smax = m.var_slow.maxCoeff();
    m.g_lsb = gmax_abs > 0 ? gmax_abs / 16383.0 : 1.0;
    m.v_lsb = vmax > 0 ? vmax / 4095.0 : 1.0;
    m.s_lsb = smax > 0 ? smax / 4095.0 : 1.0;
    m.has_read_noise = vmax > 0;
    m.has_slow_noise = smax > 0;
    // The padding (rows past rows_, columns past cols_) is zero from the allocation and never written.
    m.gq_max = m.vq_max = m.sq_max = 0;
    for (int j = 0; j < cols_; ++j) {
      for (int i = 0; i < rows_; ++i) {
        const int gq = round_half_away(m.geff(i, j) / m.g_lsb);
        const int vq = round_half_away(m.var(i, j) / m.v_lsb);
        const int sq = round_half_away(m.var_slow(i, j) / m.s_lsb);
        m.gq[size_t(j) * ld_ + i] = int16_t(gq);
        m.vq[size_t(j) * ld_ + i] = int16_t(vq);
        m.sq[size_t(j) * ld_ + i] = int16_t(sq);
        m.gq_max = std::max(m.gq_max, std::abs(gq));
        m.vq_max = std::max(m.vq_max, vq);
        m.sq_max = std::max(m.sq_max, sq);
      }
    }
  }
  raw_now_ = now_s;
  raw_interval_ = read_interval_s;
  all_changed_ = false;
  std::fill(changed_.begin(), changed_.end(), 0);
}

}  // namespace aimc::analog
