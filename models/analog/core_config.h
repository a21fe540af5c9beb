// Configuration of one analog core (tile): array size, technology, mapping, programming, DAC, ADC,
// digital recombination, drift compensation, and the workload assumed by the static cost query.
// Every field is a parameter of the project's parameter system (models/config), so a platform sets it as
// tile.crossbar.<key>; loadable from JSON (unknown keys are errors naming the key); named configurations ("hermes-core",
// "isaac-ima", "sandia-reram", one per technology, ...) live in a registry (core_presets.cpp).
#pragma once

#include "analog/adc.h"
#include "analog/conductance_mapping.h"
#include "analog/dac.h"
#include "analog/device_technology.h"
#include "analog/drift.h"
#include "analog/param_json.h"
#include "analog/program_verify.h"

#include <cstdint>
#include <string>
#include <vector>

namespace aimc::analog {

// Digital recombination after the ADCs (shift-and-add of slices, input bits, passes and phases).
struct DigitalConfig {
  double shift_add_energy_pj = 0.021;
  double shift_add_time_ns = 1.0;
  double static_power_mw = 0.0;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("shift_add_energy_pj", shift_add_energy_pj, "pJ", "energy of one shift-and-add of an ADC output", 0, kInf);
    v.param("shift_add_time_ns", shift_add_time_ns, "ns", "latency of the recombination stage (when used)", 0, kInf);
    v.param("static_power_mw", static_power_mw, "mW", "control/bias power of the core while an MVM runs", 0, kInf);
  }
};

// Data statistics assumed by the static cost query (the dynamic cost of mvm() uses the real data).
struct Workload {
  double input_activity = 0.5;
  double weight_utilization = 0.25;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("input_activity", input_activity, "-", "mean |input| / full scale (bit-serial: fraction of 1 bits)", 0, 1);
    v.param("weight_utilization", weight_utilization, "-", "mean (G - gmin) / (gmax - gmin) of a weight's active side", 0, 1);
  }
};

struct AnalogCoreConfig {
  std::string name = "custom";
  int rows = 256;
  int cols = 256;
  DeviceTechnology technology = technology_preset("pcm-nandakumar");
  double read_voltage_v = 0.0;
  double wire_resistance_ohm = 0.0;
  int phases = 1;
  int seed = 1;
  MappingConfig mapping{};
  ProgramVerifyConfig program{};
  DacConfig dac{};
  AdcConfig adc{};
  DigitalConfig digital{};
  DriftCompensationConfig drift_compensation{};
  Workload workload{};

  double read_voltage() const { return read_voltage_v > 0 ? read_voltage_v : technology.read_voltage_v; }
  int arrays() const { return mapping.slice_layout == "arrays" ? mapping.slices() : 1; }
  int physical_cols() const { return mapping.slice_layout == "columns" ? cols * mapping.slices() : cols; }

  void validate() const;  // throws std::invalid_argument naming the parameter and the configuration
  // A configuration is a preset group: "hermes-core" or {"preset": "hermes-core", overrides...}.
  static AnalogCoreConfig preset(const std::string& name);  // = core_config_preset(name)
  static std::vector<std::string> preset_names();           // = core_config_names()
  template <class V>
  void visit(V& v) {
    v.param("name", name, "-", "configuration name");
    v.param("rows", rows, "-", "array rows (inputs)", 1, 8192);
    v.param("cols", cols, "-", "weight columns (outputs) per array", 1, 8192);
    v.child("technology", technology, "device technology (preset name or object)");
    v.param("read_voltage_v", read_voltage_v, "V", "read voltage (0 = the technology's)", 0, 100);
    v.param("wire_resistance_ohm", wire_resistance_ohm, "Ohm", "wire resistance per cell segment (IR drop; 0 = off)", 0, kInf);
    v.param("phases", phases, "-", "reads averaged per MVM, alternating input polarity (HERMES 4-phase)", 1, 64);
    v.param("seed", seed, "-", "seed of the array's random number generator", 0, 2147483647);
    v.child("mapping", mapping, "weight to conductance mapping");
    v.child("program", program, "program-and-verify");
    v.child("dac", dac, "input DAC");
    v.child("adc", adc, "column ADC");
    v.child("digital", digital, "digital recombination");
    v.child("drift_compensation", drift_compensation, "drift compensation");
    v.child("workload", workload, "data statistics for the static cost query");
  }
};

// JSON: a configuration name, {"preset": "hermes-core", <overrides>} (the preset first, then the overrides)
// or a full configuration (over the defaults); validated. Errors name the key after `where`.
AnalogCoreConfig core_config_from_json(const Json& j, const std::string& where = "crossbar");
AnalogCoreConfig core_config_from_file(const std::string& path);
Json core_config_to_json(const AnalogCoreConfig& cfg);

// Registry of named configurations.
AnalogCoreConfig core_config_preset(const std::string& name);  // throws std::invalid_argument if unknown
std::vector<std::string> core_config_names();
void register_core_config(const std::string& name, const std::string& json_text);

}  // namespace aimc::analog
