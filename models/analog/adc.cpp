#include "analog/adc.h"

#include <cmath>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

namespace aimc::analog {
namespace {

struct AdcRegistry {
  AdcRegistry() {
    add({"cco", "current-controlled oscillator counted during integration (HERMES)", true, true,
         [](const AdcConfig& c) { return std::ldexp(c.lsb_time_ps * 1e-3, c.bits); }});
    add({"ramp", "single-slope ramp shared by the array, comparator + counter per column (Sandia)", false, true,
         [](const AdcConfig& c) { return std::ldexp(c.lsb_time_ps * 1e-3, c.bits); }});
    add({"sar", "successive approximation, time-shared through sample-and-hold (ISAAC)", false, false,
         [](const AdcConfig& c) { return 1.0 / c.sample_rate_gsps; }});
  }
  void add(AdcModel m) { models[m.name] = std::move(m); }
  std::mutex mu;
  std::map<std::string, AdcModel> models;
};
AdcRegistry& registry() {
  static AdcRegistry r;
  return r;
}

}  // namespace

void register_adc_model(AdcModel model) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.models[model.name] = std::move(model);
}

const AdcModel& adc_model(const std::string& name) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.models.find(name);
  if (it == r.models.end()) {
    std::ostringstream os;
    os << "adc.model: unknown ADC model '" << name << "' (known:";
    for (auto& kv : r.models) os << " " << kv.first;
    os << ")";
    throw std::invalid_argument(os.str());
  }
  return it->second;
}

std::vector<std::string> adc_model_names() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::string> out;
  for (auto& kv : r.models) out.push_back(kv.first);
  return out;
}

void AdcConfig::validate() const {
  const AdcModel& m = adc_model(model);
  if (bits < 1 || bits > 16) throw std::invalid_argument("adc.bits must be 1..16, got " + std::to_string(bits));
  if (!(full_scale_rows > 0) || !std::isfinite(full_scale_rows))
    throw std::invalid_argument("adc.full_scale_rows must be > 0");
  if (!(gain > 0)) throw std::invalid_argument("adc.gain must be > 0");
  if (gain_std < 0 || offset_std_lsb < 0) throw std::invalid_argument("adc.gain_std and adc.offset_std_lsb must be >= 0");
  if (!(noise_rows >= 0) || !std::isfinite(noise_rows)) throw std::invalid_argument("adc.noise_rows must be >= 0");
  if (!std::isfinite(inl_lsb) || std::fabs(inl_lsb) > 0.25 * code_max())
    throw std::invalid_argument("adc.inl_lsb must be finite and within a quarter of the code range");
  if (per_array < 0) throw std::invalid_argument("adc.per_array must be >= 0");
  if (m.one_per_column && per_array != 0)
    throw std::invalid_argument("adc.per_array: model '" + model + "' converts every column at once; set 0");
  if (!(lsb_time_ps > 0) || !(sample_rate_gsps > 0) || readout_time_ns < 0)
    throw std::invalid_argument("adc: lsb_time_ps and sample_rate_gsps must be > 0, readout_time_ns >= 0");
  if (energy_per_conversion_pj < 0 || sample_hold_energy_pj < 0)
    throw std::invalid_argument("adc: energies must be >= 0");
}

}  // namespace aimc::analog
