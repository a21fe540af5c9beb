// Named core configurations. Each is plain JSON, the same format a platform file embeds, so a preset is
// also an example configuration (`aimc-xbar <name> --dump`). Fitted parameters say what they were fitted
// to; docs/models/analog-calibration.md gives the resulting figures.
#include "analog/core_config.h"

#include <map>
#include <mutex>
#include <sstream>

namespace aimc::analog {
namespace {

// HERMES core (Khaddam-Aljameh 2022, Le Gallo 2023): 256x256 8T4R (TDP), 8-bit PWM at 1 GHz (128 ns window),
// one CCO ADC per column at 300 ps/LSB counting during the window, 2 ns latch/reset. Energy: read voltage
// 0.2 V and 2 pJ per row driver are assumed; the ADC's 43.4 pJ per conversion is fitted so that the total
// reproduces the published 10.5 TOPS/W (LDPU excluded).
// Periphery errors (docs/models/analog-calibration.md labels each): output-referred noise 0.04 rows at a
// +-10-row full scale and 0.35 Ohm per wire segment are aihwkit's standard AIMC inference setting (Rasch et al.
// 2023); the column ADC gain spread 7.09 % is the HERMES core's after its analog trim (Khaddam-Aljameh 2022);
// the offset (2 LSB) spread and the 1-LSB INL bow are assumed. Calibration as on the chip: per-column ADC
// offsets (32 zero-input conversions) and gains (32 half-scale reference conversions) measured and corrected
// in the LDPU, and one gain factor fitted over 32 calibration inputs to the outputs expected from the
// programmed weights (drift, mean IR drop, the mean shrink of programming).
const char* kHermesCore = R"({
  "name": "hermes-core",
  "rows": 256, "cols": 256,
  "technology": "pcm-hermes-tdp",
  "read_voltage_v": 0.2,
  "wire_resistance_ohm": 0.35,
  "phases": 1,
  "mapping": {"devices_per_polarity": 2, "weight_bits": 8, "bits_per_cell": 0},
  "program": {"tolerance_us": 0.5, "max_iterations": 30},
  "dac": {"mode": "pwm", "input_bits": 8, "input_signed": true, "signed_inputs": "differential",
          "lsb_time_ns": 1.0, "energy_per_conversion_pj": 2.0},
  "adc": {"model": "cco", "bits": 8, "full_scale_rows": 10.0, "lsb_time_ps": 300.0, "readout_time_ns": 2.0,
          "energy_per_conversion_pj": 43.4, "noise_rows": 0.04, "gain_std": 0.0709, "offset_std_lsb": 2.0,
          "inl_lsb": 1.0},
  "digital": {"shift_add_energy_pj": 0.05, "shift_add_time_ns": 1.0},
  "drift_compensation": {"mode": "expected", "calibration_vectors": 32, "offset_reads": 32,
                         "gain_reads": 32}
})";

// ISAAC IMA (Shafiee 2016): 8 crossbars of 128x128 holding 2-bit slices of 16-bit weights, 1-bit DACs
// (16 input bits, 100 ns per read), one 8-bit 1.28 GS/s SAR ADC per crossbar behind sample-and-hold.
// Per-action energies derived from the published per-IMA powers at the 100 ns cycle: ADC 16 mW / 8 /
// 1.28 GS/s = 1.5625 pJ; DAC 4 mW x 100 ns / 1024 drivers = 0.39 pJ; S+H 10 uW x 100 ns / 1024 = 1 fJ;
// shift-and-add 0.021 pJ (Accelergy's ISAAC table). The read voltage 0.056 V is fitted to the 2.4 mW of
// the arrays. ADC full scale +-128 units of one digit: 128 / 3 rows of the largest digit.
const char* kIsaacIma = R"({
  "name": "isaac-ima",
  "rows": 128, "cols": 128,
  "technology": {"preset": "reram-wan", "levels": 4},
  "read_voltage_v": 0.056,
  "mapping": {"devices_per_polarity": 1, "weight_bits": 16, "bits_per_cell": 2, "slice_layout": "arrays"},
  "dac": {"mode": "bit_serial", "input_bits": 16, "input_signed": true, "signed_inputs": "twos_complement",
          "slice_time_ns": 100.0, "energy_per_conversion_pj": 0.390625},
  "adc": {"model": "sar", "bits": 8, "full_scale_rows": 42.6667, "per_array": 1, "sample_rate_gsps": 1.28,
          "pipelined": true, "energy_per_conversion_pj": 1.5625, "sample_hold_energy_pj": 0.000977},
  "digital": {"shift_add_energy_pj": 0.021, "shift_add_time_ns": 0.833},
  "drift_compensation": {"mode": "none"}
})";

// Sandia analog tile analysis (Marinella 2018, seed talk 004): 1024x1024 analog ReRAM, 8-bit inputs as PWM
// (1 ns/LSB, 128 ns), 8-bit ramp ADC (256 steps of 1 ns). Read voltage 0.1 V and 1 pJ per row driver are
// assumed; the ramp ADC's 3.91 pJ per conversion (comparator + counter + share of the ramp) is fitted to the
// published 12.2 fJ/MAC.
const char* kSandiaReram = R"({
  "name": "sandia-reram",
  "rows": 1024, "cols": 1024,
  "technology": "reram-wan",
  "read_voltage_v": 0.1,
  "mapping": {"devices_per_polarity": 1, "weight_bits": 8, "bits_per_cell": 0},
  "dac": {"mode": "pwm", "input_bits": 8, "lsb_time_ns": 1.0, "energy_per_conversion_pj": 1.0},
  "adc": {"model": "ramp", "bits": 8, "full_scale_rows": 20.0, "lsb_time_ps": 1000.0,
          "energy_per_conversion_pj": 3.91},
  "drift_compensation": {"mode": "none"}
})";

// Sandia SONOS and ECRAM tiles: the sandia-reram periphery; the read voltage is fitted to the published
// energy per MAC (13.7 and 11.9 fJ).
const char* kSandiaSonos = R"({
  "preset": "sandia-reram", "name": "sandia-sonos", "technology": "sonos", "read_voltage_v": 0.132
})";
const char* kSandiaEcram = R"({
  "preset": "sandia-reram", "name": "sandia-ecram", "technology": "ecram", "read_voltage_v": 0.204
})";

// One 256x256 core per technology preset, on the HERMES periphery (not calibrated beyond it).
std::string technology_core(const std::string& tech, int dpp) {
  std::ostringstream os;
  os << R"({"preset": "hermes-core", "name": ")" << tech << R"(", "technology": ")" << tech
     << R"(", "read_voltage_v": 0, "mapping": {"devices_per_polarity": )" << dpp << "}}";
  return os.str();
}

// Charge-domain SRAM: binary cells, 7 magnitude slices of 8-bit weights (one array each), bit-serial inputs,
// an 8-bit SAR ADC per column whose LSB is one cell (full scale +-128 rows). Assumed numbers, uncalibrated.
const char* kSramAnalog = R"({
  "name": "sram-analog",
  "rows": 256, "cols": 256,
  "technology": "sram-analog",
  "mapping": {"devices_per_polarity": 1, "weight_bits": 8, "bits_per_cell": 1, "slice_layout": "arrays"},
  "dac": {"mode": "bit_serial", "input_bits": 8, "signed_inputs": "twos_complement", "slice_time_ns": 5.0,
          "energy_per_conversion_pj": 0.05},
  "adc": {"model": "sar", "bits": 8, "full_scale_rows": 128.0, "sample_rate_gsps": 0.2, "pipelined": true,
          "energy_per_conversion_pj": 1.0},
  "drift_compensation": {"mode": "none"}
})";

struct Registry {
  Registry() {
    texts["hermes-core"] = kHermesCore;
    texts["hermes-core-4phase"] = R"({"preset": "hermes-core", "name": "hermes-core-4phase", "phases": 4})";
    texts["isaac-ima"] = kIsaacIma;
    texts["sandia-reram"] = kSandiaReram;
    texts["sandia-sonos"] = kSandiaSonos;
    texts["sandia-ecram"] = kSandiaEcram;
    for (const char* t : {"pcm-nandakumar", "pcm-hermes-odp", "pcm-joshi", "reram-milo", "reram-wan", "sonos",
                          "ecram", "generic"})
      texts[t] = technology_core(t, 1);
    texts["pcm-hermes-tdp"] = technology_core("pcm-hermes-tdp", 2);
    texts["sram-analog"] = kSramAnalog;
  }
  std::recursive_mutex mu;
  std::map<std::string, std::string> texts;
};
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void register_core_config(const std::string& name, const std::string& json_text) {
  auto& r = registry();
  std::lock_guard<std::recursive_mutex> lock(r.mu);
  r.texts[name] = json_text;
}

AnalogCoreConfig core_config_preset(const std::string& name) {
  auto& r = registry();
  std::string text;
  {
    std::lock_guard<std::recursive_mutex> lock(r.mu);
    auto it = r.texts.find(name);
    if (it == r.texts.end()) {
      std::ostringstream os;
      os << "unknown crossbar configuration '" << name << "' (known:";
      for (auto& kv : r.texts) os << " " << kv.first;
      os << ")";
      throw std::invalid_argument(os.str());
    }
    text = it->second;
  }
  AnalogCoreConfig cfg;
  const std::string origin = "crossbar configuration '" + name + "'";
  aimc::apply_json(cfg, Json::parse(text), origin);
  try {
    cfg.validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(origin + ": " + e.what());
  }
  return cfg;
}

std::vector<std::string> core_config_names() {
  auto& r = registry();
  std::lock_guard<std::recursive_mutex> lock(r.mu);
  std::vector<std::string> out;
  for (auto& kv : r.texts) out.push_back(kv.first);
  return out;
}

}  // namespace aimc::analog
