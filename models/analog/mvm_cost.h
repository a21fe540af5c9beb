// Cost of an MVM from component parameters: latency from the DAC window, the ADC architecture and the
// number of reads; energy per action (DAC, array read V^2 G t, ADC conversion, shift-and-add, static),
// accounted where the action happens. An MVM's totals follow from these, never from one constant.
#pragma once

#include "analog/core_config.h"
#include "analog/param_json.h"

#include <array>

namespace aimc::analog {

enum class Action { kDac = 0, kArrayRead, kAdc, kShiftAdd, kStatic, kCount };
constexpr int kActionCount = int(Action::kCount);
const char* action_name(Action a);

struct MvmTiming {
  int reads = 1;                // sequential analog reads (input bits x passes x phases)
  double integration_ns = 0;    // one read's integration window (+ row setup)
  double conversion_ns = 0;     // one read's conversion round (all columns, incl. readout)
  double read_interval_ns = 0;  // initiation interval of reads
  double recombine_ns = 0;      // shift-and-add stage
  double latency_ns = 0;        // first input to last output
  double interval_ns = 0;       // one MVM every interval_ns in steady state
};
MvmTiming mvm_timing(const AnalogCoreConfig& cfg, int phases);

struct MvmCost {
  MvmTiming timing;
  std::array<double, kActionCount> energy_pj{};  // per action
  std::array<double, kActionCount> count{};      // actions performed (conversions, row drives, ...)
  double ops = 0;                                // 2 * rows * cols

  double latency_ns() const { return timing.latency_ns; }
  double energy_pj_total() const;
  double tops() const { return timing.interval_ns > 0 ? ops / timing.interval_ns * 1e-3 : 0.0; }
  double tops_per_w() const { return energy_pj_total() > 0 ? ops / energy_pj_total() : 0.0; }
  // Average power of each action at the MVM rate, mW.
  double power_mw(Action a) const { return timing.interval_ns > 0 ? energy_pj[int(a)] / timing.interval_ns : 0.0; }
  Json to_json() const;
};

// Static cost query: latency and energy per MVM from the parameters and the workload statistics,
// without running the numerics.
MvmCost estimate_mvm_cost(const AnalogCoreConfig& cfg, int phases, const Workload& workload);
inline MvmCost estimate_mvm_cost(const AnalogCoreConfig& cfg) { return estimate_mvm_cost(cfg, cfg.phases, cfg.workload); }

// Energy of the array read, from the row activity: resistive V^2 * t_unit * sum_i |level_i| * rowG_i;
// capacitive C V^2 per active cell (rowG normalised by gmax).
double array_read_energy_pj(const AnalogCoreConfig& cfg, double level_x_rowg_us);

}  // namespace aimc::analog
