#include "analog/device_technology.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

namespace aimc::analog {

double NoiseCurve::sigma(double g, double gt) const {
  // Dispatch on the first letter (and length): this runs per device, string compares would dominate.
  double s = 0.0;
  const char f = form.empty() ? 'c' : form[0];
  if (f == 'c') {
    s = coeffs.empty() ? 0.0 : coeffs[0];
  } else if (f == 'p') {
    const double v = form.size() == 7 ? gt : g;  // poly_gt : poly_g
    double p = 1.0;
    for (double c : coeffs) {
      s += c * p;
      p *= v;
    }
  } else if (f == 's') {
    s = coeffs[0] * (1.0 - std::exp(-std::max(g, 0.0) / coeffs[1]));
  } else if (f == 'r') {
    s = coeffs[0] * std::fabs(g) + (coeffs.size() > 1 ? coeffs[1] : 0.0);
  }
  return std::max(s * scale, 0.0);
}

void NoiseCurve::validate(const std::string& where) const {
  auto need = [&](size_t lo, size_t hi) {
    if (coeffs.size() < lo || coeffs.size() > hi)
      throw std::invalid_argument(where + ".coeffs: form '" + form + "' takes " + std::to_string(lo) +
                                  (hi > lo ? ".." + std::to_string(hi) : std::string()) + " coefficients, got " +
                                  std::to_string(coeffs.size()));
  };
  if (form == "constant") need(0, 1);
  else if (form == "poly_gt" || form == "poly_g") need(1, 8);
  else if (form == "sat_exp") {
    need(2, 2);
    if (!(coeffs[1] > 0)) throw std::invalid_argument(where + ".coeffs[1]: sat_exp scale must be > 0");
  } else if (form == "relative") need(1, 2);
  else
    throw std::invalid_argument(where + ".form: unknown curve form '" + form +
                                "' (constant, poly_gt, poly_g, sat_exp, relative)");
  for (double c : coeffs)
    if (!std::isfinite(c)) throw std::invalid_argument(where + ".coeffs: coefficient is not finite");
  if (!(scale >= 0) || !std::isfinite(scale)) throw std::invalid_argument(where + ".scale must be >= 0");
}

double ReadNoiseModel::fast_fraction(double band_log, double read_interval_s) const {
  if (form != "pcm_1f" || !correlated) return 1.0;
  if (!(band_log > 0)) return 0.0;
  return std::clamp(std::log(read_interval_s / t_read_s) / band_log, 0.0, 1.0);
}

void ReadNoiseModel::validate(const std::string& where) const {
  if (!(scale >= 0) || !std::isfinite(scale)) throw std::invalid_argument(where + ".scale must be >= 0");
  if (form == "pcm_1f") {
    if (!(t_read_s > 0)) throw std::invalid_argument(where + ".t_read_s must be > 0");
    if (q_coef < 0 || q_max < 0) throw std::invalid_argument(where + ": q_coef and q_max must be >= 0");
    if (q_min < 0 || q_min > q_max) throw std::invalid_argument(where + ": need 0 <= q_min <= q_max");
    if (q_poly.size() > 8) throw std::invalid_argument(where + ".q_poly takes at most 8 coefficients");
    for (double c : q_poly)
      if (!std::isfinite(c)) throw std::invalid_argument(where + ".q_poly: coefficient is not finite");
  } else if (form == "curve") {
    curve.validate(where + ".curve");
  } else if (form != "none") {
    throw std::invalid_argument(where + ".form: unknown read-noise form '" + form + "' (none, pcm_1f, curve)");
  }
}

void DeviceTechnology::validate() const {
  const std::string w = "technology '" + name + "'";
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(w + ": " + what);
  };
  check(std::isfinite(gmin_us) && gmin_us >= 0, "gmin_us must be >= 0 (negative conductance)");
  check(std::isfinite(gmax_us) && gmax_us > gmin_us, "gmax_us must be > gmin_us");
  check(levels == 0 || levels >= 2, "levels must be 0 (analog) or >= 2");
  prog_noise.validate(w + ".prog_noise");
  check(prog_noise_gmax_ref_us >= 0 && std::isfinite(prog_noise_gmax_ref_us), "prog_noise_gmax_ref_us must be >= 0");
  check(first_pulse_noise >= 0 && step_noise >= 0 && step_noise_floor_us >= 0, "pulse noise terms must be >= 0");
  check(step_noise < 1.0, "step_noise must be < 1 (correction pulses must converge)");
  check(verify_delay_s > 0, "verify_delay_s must be > 0");
  drift.validate(w + ".drift");
  read_noise.validate(w + ".read_noise");
  retention_noise.validate(w + ".retention_noise");
  check(retention_time_s > 0, "retention_time_s must be > 0");
  check(std::isfinite(read_polarity_mean) && std::fabs(read_polarity_mean) <= 0.5,
        "read_polarity_mean must be in [-0.5, 0.5]");
  check(std::isfinite(read_polarity_std) && read_polarity_std >= 0 && read_polarity_std <= 0.5,
        "read_polarity_std must be in [0, 0.5]");
  check(d2d_gmax_std >= 0 && d2d_gmax_std < 0.5, "d2d_gmax_std must be in [0, 0.5)");
  check(stuck_probability >= 0 && stuck_probability <= 1, "stuck_probability must be in [0, 1]");
  check(stuck_at_gmax_fraction >= 0 && stuck_at_gmax_fraction <= 1, "stuck_at_gmax_fraction must be in [0, 1]");
  check(endurance_cycles >= 1, "endurance_cycles must be >= 1");
  check(write_time_ns > 0 && read_time_ns > 0, "write_time_ns and read_time_ns must be > 0");
  check(write_energy_pj >= 0, "write_energy_pj must be >= 0");
  check(read_voltage_v > 0, "read_voltage_v must be > 0");
  check(read_energy_model == "resistive" || read_energy_model == "capacitive",
        "read_energy_model must be 'resistive' or 'capacitive', got '" + read_energy_model + "'");
  check(read_energy_model != "capacitive" || cell_capacitance_ff > 0,
        "the capacitive read energy model needs cell_capacitance_ff > 0");
}

DeviceTechnology DeviceTechnology::preset(const std::string& name) { return technology_preset(name); }
std::vector<std::string> DeviceTechnology::preset_names() { return technology_names(); }

// Built-in presets, defined in technology_presets.cpp.
void register_builtin_technologies(std::map<std::string, TechnologyFactory>& out);

namespace {
struct Registry {
  Registry() { register_builtin_technologies(factories); }
  std::mutex mu;
  std::map<std::string, TechnologyFactory> factories;
};
Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace

void register_technology(const std::string& name, TechnologyFactory factory) {
  auto& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mu);
  reg.factories[name] = std::move(factory);
}

DeviceTechnology technology_preset(const std::string& name) {
  auto& reg = registry();
  TechnologyFactory f;
  {
    std::lock_guard<std::mutex> lock(reg.mu);
    auto it = reg.factories.find(name);
    if (it == reg.factories.end()) {
      std::ostringstream os;
      os << "unknown technology '" << name << "' (known:";
      for (auto& kv : reg.factories) os << " " << kv.first;
      os << ")";
      throw std::invalid_argument(os.str());
    }
    f = it->second;
  }
  DeviceTechnology t = f();
  t.validate();
  return t;
}

std::vector<std::string> technology_names() {
  auto& reg = registry();
  std::lock_guard<std::mutex> lock(reg.mu);
  std::vector<std::string> out;
  for (auto& kv : reg.factories) out.push_back(kv.first);
  return out;
}

}  // namespace aimc::analog
