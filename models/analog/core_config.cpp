#include "analog/core_config.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aimc::analog {

void DigitalConfig::validate() const {
  if (shift_add_energy_pj < 0 || shift_add_time_ns < 0 || static_power_mw < 0)
    throw std::invalid_argument("digital: energies, times and power must be >= 0");
}

void Workload::validate() const {
  if (!(input_activity >= 0 && input_activity <= 1))
    throw std::invalid_argument("workload.input_activity must be in [0, 1]");
  if (!(weight_utilization >= 0 && weight_utilization <= 1))
    throw std::invalid_argument("workload.weight_utilization must be in [0, 1]");
}

void AnalogCoreConfig::validate() const {
  const std::string w = "crossbar '" + name + "': ";
  try {
    if (rows < 1 || rows > 8192) throw std::invalid_argument("rows must be 1..8192, got " + std::to_string(rows));
    if (cols < 1 || cols > 8192) throw std::invalid_argument("cols must be 1..8192, got " + std::to_string(cols));
    technology.validate();
    if (read_voltage_v < 0 || !std::isfinite(read_voltage_v)) throw std::invalid_argument("read_voltage_v must be >= 0");
    if (wire_resistance_ohm < 0) throw std::invalid_argument("wire_resistance_ohm must be >= 0");
    if (phases < 1 || phases > 64) throw std::invalid_argument("phases must be 1..64, got " + std::to_string(phases));
    mapping.validate(technology);
    program.validate();
    dac.validate();
    adc.validate();
    digital.validate();
    drift_compensation.validate();
    workload.validate();
    AnalogCoreConfig self = *this;  // ranges of fields set in code (JSON and --set are checked on the way in)
    check_ranges(self, "");
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(w + e.what());
  }
}

AnalogCoreConfig AnalogCoreConfig::preset(const std::string& name) { return core_config_preset(name); }
std::vector<std::string> AnalogCoreConfig::preset_names() { return core_config_names(); }

AnalogCoreConfig core_config_from_json(const Json& j, const std::string& where) {
  AnalogCoreConfig cfg;
  read_json(j, cfg, where);
  cfg.validate();
  return cfg;
}

AnalogCoreConfig core_config_from_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::invalid_argument("cannot open crossbar configuration file '" + path + "'");
  Json j;
  try {
    f >> j;
  } catch (const Json::parse_error& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  AnalogCoreConfig cfg;
  aimc::apply_json(cfg, j, path);
  try {
    cfg.validate();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  return cfg;
}

Json core_config_to_json(const AnalogCoreConfig& cfg) { return write_json(cfg); }

}  // namespace aimc::analog
