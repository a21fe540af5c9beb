#include "analog/program_verify.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <cmath>
#include <stdexcept>

namespace aimc::analog {

void ProgramVerifyConfig::validate() const {
  if (!(tolerance_us > 0) || !std::isfinite(tolerance_us))
    throw std::invalid_argument("program.tolerance_us must be > 0");
  if (max_iterations < 1 || max_iterations > 255)
    throw std::invalid_argument("program.max_iterations must be 1..255, got " + std::to_string(max_iterations));
  if (parallel_devices < 0) throw std::invalid_argument("program.parallel_devices must be >= 0");
}

void program_and_verify(CrossbarArray& array, const std::vector<uint32_t>& idx, const std::vector<float>& target_us,
                        const ProgramVerifyConfig& cfg, int parallel, double now_s, double read_voltage_v,
                        NoiseRng& rng, ProgramReport& rep) {
  const DeviceTechnology& t = array.technology();
  DeviceState& dev = array.devices_to_change(idx);
  const size_t n = idx.size();
  rep.devices += int64_t(n);
  const size_t base = rep.device.size();
  rep.device.insert(rep.device.end(), idx.begin(), idx.end());
  rep.target_us.insert(rep.target_us.end(), target_us.begin(), target_us.end());
  rep.error_us.resize(base + n);
  rep.iterations.resize(base + n);

  const double pulse_time = t.write_time_ns + t.read_time_ns;
  // Verify reads see the read noise of a fresh device (age verify_delay_s, not counted from t0).
  const ReadNoiseModel& rn = t.read_noise;
  const double verify_log =
      std::sqrt(std::max(std::log((t.verify_delay_s + rn.t_read_s) / (2.0 * rn.t_read_s)), 0.0));
  auto verify_q = [&](double gt) { return rn.q(gt) * verify_log; };  // pcm_1f, per device (not per pulse)
  auto verify_sigma = [&](double g, double q) {
    if (rn.form[0] == 'n') return 0.0;
    if (rn.form[0] == 'c') return rn.curve.sigma(g, g / t.gmax_us);
    return std::fabs(g) * q;
  };

  // What depends only on a device's target, computed once per distinct target (a block of int8 weights
  // has at most 255): the same functions of the same values, so the same numbers as per device.
  struct TargetTerms {
    uint32_t key = 0;
    bool valid = false;
    double q = 0, prog_sigma = 0, nu_mean = 0, nu_std = 0;
  };
  std::array<TargetTerms, 256> cache{};
  auto terms = [&](float target_f) -> const TargetTerms& {
    uint32_t key;
    std::memcpy(&key, &target_f, sizeof key);
    TargetTerms& e = cache[(key ^ (key >> 8) ^ (key >> 16) ^ (key >> 24)) & 0xff];
    if (!e.valid || e.key != key) {
      const double target = target_f, gt = target / t.gmax_us;
      e = {key, true, rn.form[0] == 'p' ? verify_q(gt) : 0.0, t.prog_sigma(target), t.drift.nu_mean(gt),
           t.drift.nu_std(gt)};
    }
    return e;
  };

  const bool has_retention = t.retention_noise.sigma(t.gmax_us, 1.0) > 0;
  double sq_err = 0;
  int64_t iters_total = 0;
  int group_max = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t d = idx[k];
    const double target = target_us[k];
    const TargetTerms& tt = terms(target_us[k]);
    const double gmax_d = dev.gmax[d];
    const double q = tt.q;
    double g = dev.g[d];
    bool converged = false;
    int it = 0;
    for (it = 1; it <= cfg.max_iterations; ++it) {
      // Pulse: the coarse first one here; correction pulses were computed at the end of the last turn.
      if (!dev.stuck[d]) {
        if (it == 1) g = target + t.first_pulse_noise * t.gmax_us * rng.normal();
        g = std::clamp(g, 0.0, gmax_d);
        if (++dev.cycles[d] > t.endurance_cycles) {
          dev.stuck[d] = 1;
          g = rng.uniform() < t.stuck_at_gmax_fraction ? t.gmax_us : t.gmin_us;
          ++rep.worn_out;
        }
      }
      rep.pulses++;
      rep.energy_pj += t.write_energy_pj;
      // Verify read.
      const double g_read = g + verify_sigma(g, q) * rng.normal();
      rep.energy_pj += read_voltage_v * read_voltage_v * std::max(g, 0.0) * t.read_time_ns * 1e-3;
      if (std::fabs(g_read - target) <= cfg.tolerance_us) {
        converged = true;
        break;
      }
      if (it < cfg.max_iterations && !dev.stuck[d]) {
        // Correction pulse for the next iteration: realises the asked change within step_noise.
        const double ask = target - g_read;
        g = g + ask + (t.step_noise * std::fabs(ask) + t.step_noise_floor_us) * rng.normal();
      }
    }
    it = std::min(it, cfg.max_iterations);
    if (converged && !dev.stuck[d]) {
      g = std::max(0.0, target + tt.prog_sigma * rng.normal());
    }
    if (!converged) rep.not_converged++;
    if (dev.stuck[d]) rep.stuck++;
    dev.g[d] = float(g);
    dev.target[d] = float(target);
    dev.t_prog[d] = now_s;
    dev.nu[d] = float(t.drift.draw_from(tt.nu_mean, tt.nu_std, rng.normal()));
    dev.ret_z[d] = has_retention ? float(rng.normal()) : 0.f;
    const double err = g - target;
    rep.error_us[base + k] = float(err);
    rep.iterations[base + k] = uint8_t(it);
    sq_err += err * err;
    iters_total += it;
    rep.max_iterations_used = std::max(rep.max_iterations_used, it);
    group_max = std::max(group_max, it);
    if ((k + 1) % size_t(parallel) == 0 || k + 1 == n) {
      rep.time_ns += group_max * pulse_time;
      group_max = 0;
    }
  }
  const double prev_sq = rep.rms_error_us * rep.rms_error_us * double(rep.devices - int64_t(n));
  rep.rms_error_us = rep.devices > 0 ? std::sqrt((prev_sq + sq_err) / double(rep.devices)) : 0.0;
  const double prev_it = rep.mean_iterations * double(rep.devices - int64_t(n));
  rep.mean_iterations = rep.devices > 0 ? (prev_it + double(iters_total)) / double(rep.devices) : 0.0;
}

}  // namespace aimc::analog
