// Closed-loop program-and-verify of the devices of a crossbar.
//
// Model (two levels, see docs/models/analog-programming.md):
//  * The loop: a coarse first pulse lands within first_pulse_noise * gmax of the target; each verify read
//    (with the technology's read noise at verify_delay_s) compares to the target; outside the tolerance a
//    correction pulse asks for (target - read) and realises it within step_noise (relative) + a floor.
//    Every pulse costs write time and energy, a verify read, and one endurance cycle; a device past its
//    endurance fails stuck. The loop stops at the tolerance or at max_iterations.
//  * The outcome: a device that converged ends at target + N(0, prog_noise(gT)), the technology's fitted
//    residual of closed-loop programming (it includes verify-read noise and post-programming relaxation,
//    as measured by the fit). A device that did not converge keeps the conductance the loop left.
#pragma once

#include "analog/crossbar_array.h"
#include "analog/param_json.h"

#include <cstdint>
#include <vector>

namespace aimc::analog {

struct ProgramVerifyConfig {
  double tolerance_us = 0.5;
  int max_iterations = 30;
  int parallel_devices = 0;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("tolerance_us", tolerance_us, "uS", "accept a device when |verify read - target| <= tolerance", kPositive, kInf);
    v.param("max_iterations", max_iterations, "-", "pulses per device before giving up (Le Gallo 2023: ~30)", 1, 255);
    v.param("parallel_devices", parallel_devices, "-", "devices programmed at once (0 = one array row at a time)", 0, kInf);
  }
};

struct ProgramReport {
  double time_ns = 0;            // programming time of the whole block
  double energy_pj = 0;          // write pulses + verify reads
  int64_t devices = 0;
  int64_t pulses = 0;
  int64_t not_converged = 0;     // reached max_iterations (includes stuck devices whose value misses the target)
  int64_t stuck = 0;             // stuck devices among those programmed
  int64_t worn_out = 0;          // devices that failed during this programming (endurance)
  int max_iterations_used = 0;
  double mean_iterations = 0;
  double rms_error_us = 0;       // over all programmed devices
  // Per device, in the order programmed; filled only when asked for (program_and_verify's per_device).
  std::vector<uint32_t> device;
  std::vector<float> target_us;
  std::vector<float> error_us;   // programmed conductance - target, at age 0
  std::vector<uint8_t> iterations;
  // Calibration reads taken right after programming (drift-compensation reference).
  double calibration_time_ns = 0;
  double calibration_energy_pj = 0;
};

// Programs array devices idx[n] to target_us[n]. Devices are grouped by parallel consecutive entries; a
// group takes as long as its slowest device. per_device appends every device's outcome to the report's
// vectors (the totals are the same either way).
void program_and_verify(CrossbarArray& array, const std::vector<uint32_t>& idx, const std::vector<float>& target_us,
                        const ProgramVerifyConfig& cfg, int parallel, double now_s, double read_voltage_v,
                        NoiseRng& rng, ProgramReport& report, bool per_device);

}  // namespace aimc::analog
