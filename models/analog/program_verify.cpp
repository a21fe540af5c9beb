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
                        NoiseRng& core_rng, ProgramReport& rep, bool per_device) {
  NoiseRng rng = core_rng;  // a local copy the compiler may keep in registers; handed back at the end
  const DeviceTechnology& t = array.technology();
  DeviceState& dev = array.devices_to_change(idx);
  const size_t n = idx.size();
  rep.devices += int64_t(n);
  const size_t base = rep.device.size();
  if (per_device) {
    // The per-device report is fresh memory on every call: its pages mapped in one call per vector.
    rep.device.reserve(base + n);
    rep.target_us.reserve(base + n);
    rep.error_us.reserve(base + n);
    rep.iterations.reserve(base + n);
    prefault(rep.device.data() + base, n * sizeof(uint32_t));
    prefault(rep.target_us.data() + base, n * sizeof(float));
    prefault(rep.error_us.data() + base, n * sizeof(float));
    prefault(rep.iterations.data() + base, n);
    rep.device.insert(rep.device.end(), idx.begin(), idx.end());
    rep.target_us.insert(rep.target_us.end(), target_us.begin(), target_us.end());
    rep.error_us.resize(base + n);
    rep.iterations.resize(base + n);
  }

  const double pulse_time = t.write_time_ns + t.read_time_ns;
  // Verify reads see the read noise of a fresh device (age verify_delay_s, not counted from t0).
  const ReadNoiseModel& rn = t.read_noise;
  const double verify_log =
      std::sqrt(std::max(std::log((t.verify_delay_s + rn.t_read_s) / (2.0 * rn.t_read_s)), 0.0));
  auto verify_q = [&](double gt) { return rn.q(gt) * verify_log; };  // pcm_1f, per device (not per pulse)

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

  const bool has_retention = array.has_retention();
  // The loop keeps its counters and constants in locals (the report's fields and the device arrays may alias
  // the generator's state for the compiler); every sum takes the same terms in the same order as ever.
  const char form = rn.form[0];
  const double first_sigma = t.first_pulse_noise * t.gmax_us;
  const double read_v2 = read_voltage_v * read_voltage_v;
  const double write_energy = t.write_energy_pj, read_time = t.read_time_ns, tolerance = cfg.tolerance_us;
  const double step_noise = t.step_noise, step_floor = t.step_noise_floor_us;
  const double endurance = t.endurance_cycles;
  const int max_it = cfg.max_iterations;
  double energy = rep.energy_pj;
  int64_t pulses = rep.pulses, worn_out = rep.worn_out, not_converged = rep.not_converged, stuck_count = rep.stuck;
  int max_used = rep.max_iterations_used;
  float* const g_arr = dev.g.data();
  float* const target_arr = dev.target.data();
  float* const nu_arr = dev.nu.data();
  float* const ret_arr = dev.ret_z.data();
  uint32_t* const epoch_arr = dev.epoch.data();
  const uint32_t epoch = dev.epoch_at(now_s);
  uint32_t* const cycles_arr = dev.cycles.data();
  uint8_t* const stuck_arr = dev.stuck.data();
  const float* const gmax_arr = dev.gmax.empty() ? nullptr : dev.gmax.data();  // none: all at float(gmax_us)
  const double gmax_all = float(t.gmax_us);
  float* const err_out = per_device ? rep.error_us.data() + base : nullptr;
  uint8_t* const it_out = per_device ? rep.iterations.data() + base : nullptr;
  double sq_err = 0;
  int64_t iters_total = 0;
  int group_max = 0;
  const size_t group = size_t(parallel);
  size_t in_group = 0;
  for (size_t k = 0; k < n; ++k) {
    const uint32_t d = idx[k];
    const double target = target_us[k];
    const TargetTerms& tt = terms(target_us[k]);
    const double gmax_d = gmax_arr ? double(gmax_arr[d]) : gmax_all;
    const double q = tt.q;
    double g = g_arr[d];
    bool stuck = stuck_arr[d] != 0;
    uint32_t cycles = cycles_arr[d];
    bool converged = false;
    int it = 0;
    for (it = 1; it <= max_it; ++it) {
      // Pulse: the coarse first one here; correction pulses were computed at the end of the last turn.
      if (!stuck) {
        if (it == 1) g = target + first_sigma * rng.normal();
        g = std::clamp(g, 0.0, gmax_d);
        if (++cycles > endurance) {
          stuck = true;
          g = rng.uniform() < t.stuck_at_gmax_fraction ? t.gmax_us : t.gmin_us;
          ++worn_out;
        }
      }
      pulses++;
      energy += write_energy;
      // Verify read.
      const double sigma = form == 'n' ? 0.0 : form == 'c' ? rn.curve.sigma(g, g / t.gmax_us) : std::fabs(g) * q;
      const double g_read = g + sigma * rng.normal();
      energy += read_v2 * std::max(g, 0.0) * read_time * 1e-3;
      if (std::fabs(g_read - target) <= tolerance) {
        converged = true;
        break;
      }
      if (it < max_it && !stuck) {
        // Correction pulse for the next iteration: realises the asked change within step_noise.
        const double ask = target - g_read;
        g = g + ask + (step_noise * std::fabs(ask) + step_floor) * rng.normal();
      }
    }
    it = std::min(it, max_it);
    if (converged && !stuck) {
      g = std::max(0.0, target + tt.prog_sigma * rng.normal());
    }
    if (!converged) not_converged++;
    if (stuck) stuck_count++;
    stuck_arr[d] = stuck ? 1 : 0;
    cycles_arr[d] = cycles;
    g_arr[d] = float(g);
    target_arr[d] = float(target);
    epoch_arr[d] = epoch;
    nu_arr[d] = float(t.drift.draw_from(tt.nu_mean, tt.nu_std, rng.normal()));
    if (has_retention) ret_arr[d] = float(rng.normal());  // else no ret_z array: every draw 0
    const double err = g - target;
    if (per_device) {
      err_out[k] = float(err);
      it_out[k] = uint8_t(it);
    }
    sq_err += err * err;
    iters_total += it;
    max_used = std::max(max_used, it);
    group_max = std::max(group_max, it);
    if (++in_group == group || k + 1 == n) {
      rep.time_ns += group_max * pulse_time;
      group_max = 0;
      in_group = 0;
    }
  }
  core_rng = rng;
  rep.energy_pj = energy;
  rep.pulses = pulses;
  rep.worn_out = worn_out;
  rep.not_converged = not_converged;
  rep.stuck = stuck_count;
  rep.max_iterations_used = max_used;
  const double prev_sq = rep.rms_error_us * rep.rms_error_us * double(rep.devices - int64_t(n));
  rep.rms_error_us = rep.devices > 0 ? std::sqrt((prev_sq + sq_err) / double(rep.devices)) : 0.0;
  const double prev_it = rep.mean_iterations * double(rep.devices - int64_t(n));
  rep.mean_iterations = rep.devices > 0 ? (prev_it + double(iters_total)) / double(rep.devices) : 0.0;
}

}  // namespace aimc::analog
