// Device technology of a crossbar cell: conductance range, programming noise, drift, read noise,
// device-to-device variation, failures, endurance, and write/read time and energy.
//
// A technology is plain data (every field a typed parameter with unit and description) plus a few
// fitted curves (NoiseCurve). Named presets (PCM, ReRAM, SONOS, ECRAM, analog SRAM, generic) live in a
// small registry, technology_preset(name); docs/models/analog-devices.md lists them with sources.
#pragma once

#include "analog/drift.h"
#include "analog/param_json.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace aimc::analog {

// A fitted standard deviation (in uS) as a function of the conductance.
//   form "constant": c0
//   form "poly_gt":  c0 + c1 gT + c2 gT^2 + ...   (gT = G / gmax; PCM fits of Nandakumar, HERMES)
//   form "poly_g":   c0 + c1 G + c2 G^2 + ...      (G in uS; ReRAM fits of Milo, Wan; PCM of Joshi)
//   form "sat_exp":  c0 (1 - exp(-G / c1))        (SONOS fit of Agrawal, converted from current)
//   form "relative": c0 G + c1                     (generic: a fraction of G plus a floor)
// The result is multiplied by `scale` and clipped at 0; "none" (no coefficients) gives 0.
struct NoiseCurve {
  std::string form = "constant";
  std::vector<double> coeffs{};
  double scale = 1.0;

  double sigma(double g_us, double gt) const;
  void validate(const std::string& where) const;
  template <class V>
  void visit(V& v) {
    v.param("form", form, "-", "curve form: constant | poly_gt | poly_g | sat_exp | relative");
    v.param("coeffs", coeffs, "uS", "coefficients of the form (see NoiseCurve)");
    v.param("scale", scale, "-", "factor applied to the curve (e.g. 1/sqrt(2) per device of a fitted pair)", 0, kInf);
  }
};

// Read noise.
//   form "none"
//   form "pcm_1f": sigma = scale |G(t)| Q(gT) sqrt(ln((t + t0 + t_read) / (2 t_read)))
//                  (1/f noise integrated from 1/(2 t_read) down to the age; Nandakumar 2019 as used by aihwkit).
//                  Q(gT) = min(q_coef / max(gT^q_exp, 1e-3), q_max) when q_poly is empty (Nandakumar 2019), else
//                  clamp(q_log_a ln gT + q_log_b, q_min, q_max) below q_split and q_poly(gT) above (HERMES fits).
//                  1/f noise is slow: with `correlated`, only the band between 1/read_interval and 1/t_read
//                  (variance ~ ln(read_interval / t_read), none for reads closer than t_read) is drawn anew
//                  per read; the rest is common to all reads of one MVM (phases, bit-serial slices).
//   form "curve":  sigma = curve(G(t)), white (independent per read)
struct ReadNoiseModel {
  std::string form = "none";
  double t_read_s = 250e-9;
  double q_coef = 0.0088, q_exp = 0.65, q_max = 0.2;
  std::vector<double> q_poly{};
  double q_split = 1.0, q_log_a = 0.0, q_log_b = 0.0, q_min = 0.0;
  double scale = 1.0;
  bool correlated = true;
  NoiseCurve curve{};

  // Relative 1/f amplitude Q(gT) times scale (pcm_1f). Inline: computing an array's read matrices calls it
  // once per device.
  double q(double gt) const {
    gt = std::max(gt, 0.0);
    if (q_poly.empty()) return scale * std::min(q_coef / std::max(std::pow(gt, q_exp), 1e-3), q_max);
    if (gt >= q_split) {
      double s = 0, p = 1;
      for (double c : q_poly) {
        s += c * p;
        p *= gt;
      }
      return scale * std::max(s, 0.0);
    }
    return scale * std::clamp(q_log_a * std::log(std::max(gt, 1e-7)) + q_log_b, q_min, q_max);
  }
  // Fraction of the pcm_1f variance at integrated log-band `band_log` that is drawn anew per read, for reads
  // read_interval_s apart.
  double fast_fraction(double band_log, double read_interval_s) const;
  void validate(const std::string& where) const;
  template <class V>
  void visit(V& v) {
    v.param("form", form, "-", "read-noise form: none | pcm_1f | curve");
    v.param("t_read_s", t_read_s, "s", "read (integration) duration in the 1/f formula", kPositive, kInf);
    v.param("q_coef", q_coef, "-", "1/f noise amplitude coefficient (power law)", 0, 1e3);
    v.param("q_exp", q_exp, "-", "exponent of gT in the 1/f amplitude (power law)", -10, 10);
    v.param("q_max", q_max, "-", "upper clip of the 1/f amplitude", 0, 1e3);
    v.param("q_poly", q_poly, "-", "polynomial in gT of the 1/f amplitude from q_split up (empty = power law)", -1e3, 1e3);
    v.param("q_split", q_split, "-", "gT at which q_poly takes over from the log branch", 0, 1);
    v.param("q_log_a", q_log_a, "-", "slope in ln(gT) of the 1/f amplitude below q_split", -1e3, 1e3);
    v.param("q_log_b", q_log_b, "-", "offset of the 1/f amplitude below q_split", -1e3, 1e3);
    v.param("q_min", q_min, "-", "lower clip of the 1/f amplitude below q_split", 0, 1e3);
    v.param("scale", scale, "-", "factor on the read noise per device (sqrt(2): a pair fit applied per device)", 0, 10);
    v.param("correlated", correlated, "-", "1/f noise is common to the reads of one MVM except its fast band");
    v.child("curve", curve, "sigma per read vs G (form curve)");
  }
};

struct DeviceTechnology {
  std::string name = "generic";
  std::string description = "generic technology: every noise term is a parameter";
  // Conductance range of one device.
  double gmin_us = 0.0;
  double gmax_us = 25.0;
  int levels = 0;  // 0 = analog (continuous); 2 = binary cell; 4 = 2 bits per cell, ...
  // Programming.
  NoiseCurve prog_noise{};
  double prog_noise_gmax_ref_us = 0.0;
  double first_pulse_noise = 0.10;
  double step_noise = 0.5;
  double step_noise_floor_us = 0.05;
  double verify_delay_s = 1e-6;
  // Time dependence.
  DriftModel drift{};
  ReadNoiseModel read_noise{};
  NoiseCurve retention_noise{"constant", {0.0}, 1.0};
  double retention_time_s = 432000.0;
  // Read-polarity dependence (read_polarity.h): a device read with V+ instead of V- conducts (1 + f) G,
  // f = mean + std z frozen per device. No published magnitude was found: 0 (off) in every preset.
  double read_polarity_mean = 0.0;
  double read_polarity_std = 0.0;
  // Variation and failures.
  double d2d_gmax_std = 0.0;
  double stuck_probability = 0.0;
  double stuck_at_gmax_fraction = 0.5;
  double endurance_cycles = 1e7;
  // Time and energy.
  double write_time_ns = 100.0;
  double write_energy_pj = 10.0;
  double read_time_ns = 100.0;
  double read_voltage_v = 0.2;
  std::string read_energy_model = "resistive";
  double cell_capacitance_ff = 0.0;

  // Programming-noise std at a target conductance, rescaled when gmax differs from the fit's (aihwkit).
  double prog_sigma(double target_us) const {
    const double s = prog_noise.sigma(target_us, target_us / gmax_us);
    return prog_noise_gmax_ref_us > 0 ? s * gmax_us / prog_noise_gmax_ref_us : s;
  }
  void validate() const;
  // A technology is a preset group: "technology": "pcm-nandakumar" or {"preset": ..., overrides...}.
  static DeviceTechnology preset(const std::string& name);  // = technology_preset(name)
  static std::vector<std::string> preset_names();           // = technology_names()
  template <class V>
  void visit(V& v) {
    v.param("name", name, "-", "technology name");
    v.param("description", description, "-", "what the preset models and where its numbers come from");
    v.param("gmin_us", gmin_us, "uS", "conductance of a device programmed to zero (reset state)", 0, kInf);
    v.param("gmax_us", gmax_us, "uS", "maximum programmable conductance of one device", kPositive, kInf);
    v.param("levels", levels, "-", "distinct levels per device: 0 = analog, 2 = binary, 2^n = n bits per cell", 0, 65536);
    v.child("prog_noise", prog_noise, "programming error std after closed-loop program-and-verify (fit)");
    v.param("prog_noise_gmax_ref_us", prog_noise_gmax_ref_us, "uS",
            "gmax the prog_noise fit was made at: sigma scales by gmax / this (0 = absolute fit, no scaling)", 0, kInf);
    v.param("first_pulse_noise", first_pulse_noise, "Gmax", "std of the first (coarse) pulse outcome, relative to gmax", 0, 10);
    v.param("step_noise", step_noise, "-", "std of a correction pulse's outcome relative to the correction asked", 0, 1);
    v.param("step_noise_floor_us", step_noise_floor_us, "uS", "std floor of a correction pulse's outcome", 0, kInf);
    v.param("verify_delay_s", verify_delay_s, "s", "age of the device at the verify read (sets its read noise)", kPositive, kInf);
    v.child("drift", drift, "conductance drift (power law, per-device exponent)");
    v.child("read_noise", read_noise, "read noise per read");
    v.child("retention_noise", retention_noise, "extra frozen noise std reached at retention_time_s (charge loss)");
    v.param("retention_time_s", retention_time_s, "s", "age at which retention_noise is reached (grows ~ sqrt(ln t))", kPositive, kInf);
    v.param("read_polarity_mean", read_polarity_mean, "-",
            "mean relative conductance change of a device read with the opposite voltage polarity (one-phase reads)",
            -0.5, 0.5);
    v.param("read_polarity_std", read_polarity_std, "-",
            "device-to-device std of that relative change (aihwkit w_read_asymmetry_dtod)", 0, 0.5);
    v.param("d2d_gmax_std", d2d_gmax_std, "-", "device-to-device std of the reachable gmax (relative)", 0, 0.5);
    v.param("stuck_probability", stuck_probability, "-", "probability a device is stuck from fabrication", 0, 1);
    v.param("stuck_at_gmax_fraction", stuck_at_gmax_fraction, "-", "fraction of stuck devices stuck at gmax (others at gmin)", 0, 1);
    v.param("endurance_cycles", endurance_cycles, "cycles", "write pulses a device survives before it fails stuck", 1, kInf);
    v.param("write_time_ns", write_time_ns, "ns", "duration of one programming pulse", kPositive, kInf);
    v.param("write_energy_pj", write_energy_pj, "pJ", "energy of one programming pulse on one device", 0, kInf);
    v.param("read_time_ns", read_time_ns, "ns", "duration of one verify read", kPositive, kInf);
    v.param("read_voltage_v", read_voltage_v, "V", "read voltage across a device", kPositive, 100);
    v.param("read_energy_model", read_energy_model, "-", "array read energy: resistive (V^2 G t) | capacitive (C V^2 per active cell)");
    v.param("cell_capacitance_ff", cell_capacitance_ff, "fF", "cell capacitance (capacitive read energy model)", 0, kInf);
  }
};

// JSON (read_json in param_json.h): a preset name ("pcm-nandakumar"), an object {"preset": "pcm-nandakumar",
// <overrides>...}, or an object without "preset" that changes the technology it is applied to.

// Registry of named presets.
using TechnologyFactory = std::function<DeviceTechnology()>;
void register_technology(const std::string& name, TechnologyFactory factory);
DeviceTechnology technology_preset(const std::string& name);  // throws std::invalid_argument if unknown
std::vector<std::string> technology_names();

}  // namespace aimc::analog
