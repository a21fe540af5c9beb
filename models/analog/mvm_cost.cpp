#include "analog/mvm_cost.h"

#include <algorithm>
#include <cmath>

namespace aimc::analog {

const char* action_name(Action a) {
  switch (a) {
    case Action::kDac: return "dac";
    case Action::kArrayRead: return "array_read";
    case Action::kAdc: return "adc";
    case Action::kShiftAdd: return "shift_add";
    case Action::kStatic: return "static";
    default: return "?";
  }
}

MvmTiming mvm_timing(const AnalogCoreConfig& cfg, int phases) {
  MvmTiming t;
  const AdcModel& m = adc_model(cfg.adc.model);
  t.reads = cfg.dac.reads_per_mvm() * phases;
  t.integration_ns = cfg.dac.read_time_ns() + cfg.dac.setup_time_ns;
  const int per_adc = cfg.adc.per_array == 0 ? 1 : (cfg.physical_cols() + cfg.adc.per_array - 1) / cfg.adc.per_array;
  const double conv = m.conversion_time_ns(cfg.adc) * per_adc;
  if (m.concurrent_with_integration) {
    // The converter counts while the column integrates: a read lasts the longer of the two.
    t.conversion_ns = cfg.adc.readout_time_ns;
    t.read_interval_ns = std::max(t.integration_ns, conv) + cfg.adc.readout_time_ns;
    t.interval_ns = t.reads * t.read_interval_ns;
    t.latency_ns = t.interval_ns;
  } else {
    t.conversion_ns = conv + cfg.adc.readout_time_ns;
    if (cfg.adc.pipelined) {
      t.read_interval_ns = std::max(t.integration_ns, t.conversion_ns);
      t.interval_ns = t.reads * t.read_interval_ns;
      t.latency_ns = t.integration_ns + t.conversion_ns + (t.reads - 1) * t.read_interval_ns;
    } else {
      t.read_interval_ns = t.integration_ns + t.conversion_ns;
      t.interval_ns = t.reads * t.read_interval_ns;
      t.latency_ns = t.interval_ns;
    }
  }
  const bool recombine = t.reads * cfg.mapping.slices() > 1;
  t.recombine_ns = recombine ? cfg.digital.shift_add_time_ns : 0.0;
  t.latency_ns += t.recombine_ns;
  return t;
}

double MvmCost::energy_pj_total() const {
  double e = 0;
  for (double v : energy_pj) e += v;
  return e;
}

Json MvmCost::to_json() const {
  Json j;
  j["mvm_latency_ns"] = timing.latency_ns;
  j["mvm_interval_ns"] = timing.interval_ns;
  j["mvm_energy_nj"] = energy_pj_total() * 1e-3;
  j["tops"] = tops();
  j["tops_per_w"] = tops_per_w();
  j["reads"] = timing.reads;
  j["integration_ns"] = timing.integration_ns;
  j["conversion_ns"] = timing.conversion_ns;
  Json b = Json::object();
  for (int a = 0; a < kActionCount; ++a) {
    Json e;
    e["count"] = count[a];
    e["energy_nj"] = energy_pj[a] * 1e-3;
    e["power_mw"] = power_mw(Action(a));
    e["share"] = energy_pj_total() > 0 ? energy_pj[a] / energy_pj_total() : 0.0;
    b[action_name(Action(a))] = e;
  }
  j["breakdown"] = b;
  return j;
}

double array_read_energy_pj(const AnalogCoreConfig& cfg, double level_x_rowg_us) {
  const DeviceTechnology& t = cfg.technology;
  const double v = cfg.read_voltage();
  if (t.read_energy_model == "capacitive")  // C [fF] V^2 = fJ per active normalised cell
    return t.cell_capacitance_ff * v * v * level_x_rowg_us / t.gmax_us * 1e-3;
  // V^2 [V^2] * G [uS] * t [ns] = 1e-15 J = 1e-3 pJ.
  const double t_unit = cfg.dac.mode == "pwm" ? cfg.dac.lsb_time_ns : cfg.dac.slice_time_ns;
  return v * v * level_x_rowg_us * t_unit * 1e-3;
}

MvmCost estimate_mvm_cost(const AnalogCoreConfig& cfg, int phases, const Workload& wl) {
  MvmCost c;
  c.timing = mvm_timing(cfg, phases);
  c.ops = 2.0 * cfg.rows * cfg.cols;
  const int reads = c.timing.reads;
  const int slices = cfg.mapping.slices();
  const DeviceTechnology& t = cfg.technology;
  const double k = cfg.mapping.devices_per_polarity;

  c.count[int(Action::kDac)] = double(reads) * cfg.rows * cfg.arrays();
  c.energy_pj[int(Action::kDac)] = c.count[int(Action::kDac)] * cfg.dac.energy_per_conversion_pj;

  // Expected sum_i |level_i| * rowG_i per read and slice: rows * mean level * cols * mean cell conductance.
  const double mean_level = wl.input_activity * cfg.dac.max_level();
  const double cell_g = k * (t.gmin_us + wl.weight_utilization * (t.gmax_us - t.gmin_us)) + k * t.gmin_us;
  const double lx = double(cfg.rows) * mean_level * cfg.cols * cell_g;
  c.count[int(Action::kArrayRead)] = double(reads) * slices;
  c.energy_pj[int(Action::kArrayRead)] = double(reads) * slices * array_read_energy_pj(cfg, lx);

  const double conversions = double(reads) * cfg.cols * slices;
  c.count[int(Action::kAdc)] = conversions;
  c.energy_pj[int(Action::kAdc)] = conversions * (cfg.adc.energy_per_conversion_pj + cfg.adc.sample_hold_energy_pj);

  const bool recombine = reads * slices > 1;
  c.count[int(Action::kShiftAdd)] = recombine ? conversions : 0.0;
  c.energy_pj[int(Action::kShiftAdd)] = c.count[int(Action::kShiftAdd)] * cfg.digital.shift_add_energy_pj;

  c.count[int(Action::kStatic)] = 1;
  c.energy_pj[int(Action::kStatic)] = cfg.digital.static_power_mw * c.timing.interval_ns;
  return c;
}

}  // namespace aimc::analog
