// Named device-technology presets. Sources (see ../shared/REFERENCE.md and docs/models/analog-devices.md):
//   [N19]  Nandakumar et al., ICECS 2019 (PCM statistics on ~1 M devices; aihwkit's PCM-like model)
//   [H22]  HERMES-fitted PCM (aihwkit's HermesNoiseModel, src/aihwkit/inference/noise/hermes.py: fits on the HERMES
//          chip's devices, Khaddam-Aljameh et al. JSSC 2022, Le Gallo et al. NE 2023; programming, drift and 1/f)
//   [J20]  Joshi et al., Nature Communications 2020 (PCM, CrossSim fit)
//   [MILO] Milo et al. ReRAM fit, [WAN] Wan et al. ReRAM fit, [AGR] Agrawal et al. IEDM 2022 SONOS (CrossSim)
//   [SNL]  Marinella et al. JETCAS 2018 / seed talk 004 (update energy and latency per technology)
//   [LANZA] seed talk 002 technology table (endurance, read/write time, write energy per bit)
// Numbers marked "assumed" have no published source here; they are defaults a configuration may override.
#include "analog/device_technology.h"

#include <cmath>
#include <map>

namespace aimc::analog {
namespace {

// Drift and 1/f read noise of [N19], shared by the PCM presets.
void pcm_time_dependence(DeviceTechnology& t, double t0_s, double t_read_s) {
  t.drift = DriftModel{t0_s, -0.0155, 0.0244, 0.049, 0.1, -0.0125, -0.0059, 0.008, 0.045};
  t.drift.abs_exponent = true;  // nu = |mu + sigma z| as aihwkit draws it
  t.read_noise.form = "pcm_1f";
  t.read_noise.t_read_s = t_read_s;
  t.read_noise.q_coef = 0.0088;
  t.read_noise.q_exp = 0.65;
  t.read_noise.q_max = 0.2;
}

void pcm_cost(DeviceTechnology& t) {
  t.endurance_cycles = 1e7;   // [LANZA]
  t.write_time_ns = 100.0;    // [LANZA] 10-100 ns; PCM write ~100 ns
  t.write_energy_pj = 10.0;   // [LANZA] ~10 pJ per bit
  t.read_time_ns = 100.0;     // [LANZA] read ~100 ns
  t.read_voltage_v = 0.2;     // assumed (typical PCM read bias, well below the threshold switching voltage)
  t.first_pulse_noise = 0.10; // assumed: a single SET/RESET pulse lands within ~10 % of gmax
  t.step_noise = 0.5;         // assumed: a correction pulse realises the asked change within 50 %
  t.step_noise_floor_us = 0.05;
}

DeviceTechnology pcm_nandakumar() {
  DeviceTechnology t;
  t.name = "pcm-nandakumar";
  t.description = "PCM statistical model of Nandakumar et al. ICECS 2019 (aihwkit PCM-like), one device per polarity";
  t.gmin_us = 0.0;
  t.gmax_us = 25.0;  // [N19]
  t.prog_noise = NoiseCurve{"poly_gt", {0.26348, 1.9650, -1.1731}, 1.0};  // [N19]
  t.prog_noise_gmax_ref_us = 25.0;  // [N19] sigma scaled by gmax / 25 uS (aihwkit PCMLikeNoiseModel)
  pcm_time_dependence(t, 20.0, 250e-9);                                 // [N19] t0 = 20 s, t_read = 250 ns
  pcm_cost(t);
  return t;
}

// Drift and 1/f read noise of [H22]. The fits describe one weight's unit cell: with two devices per polarity
// (TDP) aihwkit treats the pair as one conductance. Applied per device, independently, the pair keeps the
// fitted spread only if each device's drift-exponent std and relative 1/f amplitude are sqrt(2) larger
// (pair_scale); the programming-noise fit gets 1/sqrt(2) for the same reason (it is absolute, in uS).
void hermes_time_dependence(DeviceTechnology& t, bool tdp) {
  const double pair_scale = tdp ? std::sqrt(2.0) : 1.0;
  DriftModel& d = t.drift;
  d = DriftModel{};
  d.t0_s = tdp ? 300.0 : 200.0;  // [H22]
  // mu: gT < 0.0945: clip(-0.0387 ln gT - 0.0182, 0.072, 0.13), else -0.0436 gT^2 - 0.0126 gT + 0.0736 [H22]
  d.mu_a = -0.0387, d.mu_b = -0.0182, d.mu_min = 0.0720, d.mu_max = 0.13;
  d.mu_poly = {0.0736, -0.0126, -0.0436};
  d.mu_split = 0.0945;
  if (tdp) {  // sigma: gT < 0.3055: clip(-0.0117 ln gT - 0.0057, 0.0091, 0.04), else -0.0118 gT^2 + 0.0093 gT + 0.0073
    d.sd_a = -0.0117, d.sd_b = -0.0057, d.sd_min = 0.0091, d.sd_max = 0.04;
    d.sd_poly = {0.0073, 0.0093, -0.0118};
    d.sd_split = 0.3055;
  } else {  // gT < 0.3039: clip(-0.0120 ln gT - 0.0023, 0.0124, 0.04), else -0.0165 gT^2 + 0.0116 gT + 0.0104
    d.sd_a = -0.0120, d.sd_b = -0.0023, d.sd_min = 0.0124, d.sd_max = 0.04;
    d.sd_poly = {0.0104, 0.0116, -0.0165};
    d.sd_split = 0.3039;
  }
  d.sd_scale = pair_scale;
  d.abs_exponent = true;  // nu = |mu + sigma z| [H22]
  ReadNoiseModel& r = t.read_noise;
  r.form = "pcm_1f";
  r.t_read_s = 512e-9;  // [H22]
  if (tdp) {  // Q: gT < 0.16: clip(-0.0117 ln gT - 0.0069, 0.015, 0.04), else 0.0069 gT^3 - 0.0280 gT^2 + 0.0211 gT + 0.0123
    r.q_log_a = -0.0117, r.q_log_b = -0.0069, r.q_min = 0.015, r.q_max = 0.04;
    r.q_poly = {0.0123, 0.0211, -0.0280, 0.0069};
    r.q_split = 0.16;
  } else {  // gT < 0.1591: clip(-0.0078 ln gT + 0.0038, 0.0179, 0.04), else 0.0664 gT^3 - 0.1352 gT^2 + 0.0768 gT + 0.0088
    r.q_log_a = -0.0078, r.q_log_b = 0.0038, r.q_min = 0.0179, r.q_max = 0.04;
    r.q_poly = {0.0088, 0.0768, -0.1352, 0.0664};
    r.q_split = 0.1591;
  }
  r.scale = pair_scale;
}

DeviceTechnology pcm_hermes_tdp() {
  DeviceTechnology t;
  t.name = "pcm-hermes-tdp";
  t.description =
      "HERMES-fitted PCM (aihwkit HermesNoiseModel), two devices per polarity: pair gmax 20.7 uS, so 10.35 uS per "
      "device; programming, drift and 1/f fits of the pair applied per device (sigma/sqrt(2), sqrt(2) spreads)";
  t.gmin_us = 0.0;
  t.gmax_us = 20.7 / 2.0;  // [H22] pair Gmax 20.7 uS
  t.prog_noise = NoiseCurve{"poly_gt", {0.16603, 4.71806, -8.48101, 4.68961}, 1.0 / std::sqrt(2.0)};  // [H22]
  t.prog_noise_gmax_ref_us = 20.7 / 2.0;  // [H22] sigma scales with gmax / 20.7 uS (per device: / 10.35 uS)
  hermes_time_dependence(t, true);        // [H22] t0 = 300 s, t_read = 512 ns
  pcm_cost(t);
  return t;
}

DeviceTechnology pcm_hermes_odp() {
  DeviceTechnology t;
  t.name = "pcm-hermes-odp";
  t.description = "HERMES-fitted PCM (aihwkit HermesNoiseModel), one device per polarity (gmax 10.35 uS, t0 = 200 s)";
  t.gmin_us = 0.0;
  t.gmax_us = 10.35;  // [H22]
  t.prog_noise = NoiseCurve{"poly_gt", {0.15782, 2.32444, -2.16311, 0.68842}, 1.0};  // [H22]
  t.prog_noise_gmax_ref_us = 10.35;                                                   // [H22]
  hermes_time_dependence(t, false);  // [H22] t0 = 200 s, t_read = 512 ns
  pcm_cost(t);
  return t;
}

DeviceTechnology pcm_joshi() {
  DeviceTechnology t;
  t.name = "pcm-joshi";
  t.description = "PCM programming-noise fit of Joshi et al. 2020 (CrossSim), G <= 25 uS; drift/read noise of [N19]";
  t.gmin_us = 0.0;
  t.gmax_us = 25.0;
  t.prog_noise = NoiseCurve{"poly_g", {0.28638599, 0.07585724, -0.00178767}, 1.0};  // [J20]
  pcm_time_dependence(t, 20.0, 250e-9);
  pcm_cost(t);
  return t;
}

void reram_cost(DeviceTechnology& t) {
  t.endurance_cycles = 1e6;     // [LANZA]
  t.write_time_ns = 100.0;      // [LANZA] ~100 ns
  t.write_energy_pj = 0.1;      // [LANZA] ~100 fJ per bit
  t.read_time_ns = 100.0;       // [LANZA] ~100 ns
  t.read_voltage_v = 0.1;       // assumed
  t.stuck_probability = 1e-6;   // seed 000: raw bit error rate ~1e-6 before ECC, read as a failed-device rate
  t.drift = DriftModel{1.0, 0, 0, 0, 0, 0, 0, 0, 0};  // no power-law drift in the CrossSim ReRAM fits
  t.read_noise.form = "curve";
  t.read_noise.curve = NoiseCurve{"relative", {0.005, 0.0}, 1.0};  // assumed: 0.5 % of G per read
  t.first_pulse_noise = 0.10;
  t.step_noise = 0.5;
  t.step_noise_floor_us = 0.05;
}

DeviceTechnology reram_milo() {
  DeviceTechnology t;
  t.name = "reram-milo";
  t.description = "ReRAM programming-noise fit of Milo et al. (CrossSim), G in 50-225 uS";
  t.gmin_us = 50.0;
  t.gmax_us = 225.0;
  t.prog_noise = NoiseCurve{"poly_g", {4.782321, -0.009107}, 1.0};  // [MILO]
  reram_cost(t);
  return t;
}

DeviceTechnology reram_wan() {
  DeviceTechnology t;
  t.name = "reram-wan";
  t.description = "ReRAM programming-noise fit of Wan et al. (CrossSim), G <= 39.26 uS";
  t.gmin_us = 1.0;  // assumed low-conductance state
  t.gmax_us = 39.26;
  t.prog_noise = NoiseCurve{"poly_g", {1.053, 0.2374, -1.167e-2, 1.536e-4}, 1.0};  // [WAN]
  reram_cost(t);
  return t;
}

DeviceTechnology sonos() {
  DeviceTechnology t;
  t.name = "sonos";
  t.description =
      "SONOS charge-trap cell, fits of Agrawal et al. IEDM 2022 (CrossSim), I <= 3.2 uA at an assumed 0.1 V read, "
      "so G <= 32 uS; sigma_I = A (1 - exp(-I/B)) converted to conductance";
  t.read_voltage_v = 0.1;  // assumed; converts the current fits to conductance
  t.gmin_us = 0.0;
  t.gmax_us = 3.2 / t.read_voltage_v;  // [AGR] I <= 3.2 uA
  // [AGR] just after programming: A = 19.89 nA, B = 176.3 nA -> / 0.1 V.
  t.prog_noise = NoiseCurve{"sat_exp", {0.1989, 1.763}, 1.0};
  // [AGR] after 5 days: A = 34.58 nA, B = 207.3 nA; the extra spread is sqrt(34.58^2 - 19.89^2) = 28.29 nA.
  t.retention_noise = NoiseCurve{"sat_exp", {0.2829, 2.073}, 1.0};
  t.retention_time_s = 5 * 86400.0;
  t.drift = DriftModel{1.0, 0, 0, 0, 0, 0, 0, 0, 0};
  t.read_noise.form = "curve";
  t.read_noise.curve = NoiseCurve{"sat_exp", {0.1258, 2.1537}, 1.0};  // [AGR] per-MVM read noise A = 12.58, B = 215.37 nA
  t.endurance_cycles = 1e5;     // [LANZA] NOR flash
  t.write_time_ns = 20000.0;    // [SNL] SONOS outer-product update latency 20 us
  t.write_energy_pj = 0.0682;   // [SNL] 68.2 fJ per update
  t.read_time_ns = 100.0;       // [LANZA] NOR flash read 10-100 ns
  t.first_pulse_noise = 0.10;
  t.step_noise = 0.5;
  t.step_noise_floor_us = 0.05;
  return t;
}

DeviceTechnology ecram() {
  DeviceTechnology t;
  t.name = "ecram";
  t.description = "electrochemical RAM: near-linear, low-noise updates; update cost of [SNL], noise terms assumed";
  t.gmin_us = 0.1;   // assumed
  t.gmax_us = 10.0;  // assumed
  t.prog_noise = NoiseCurve{"relative", {0.005, 0.01}, 1.0};  // assumed: 0.5 % of G + 10 nS
  t.drift = DriftModel{1.0, 0, 0, 0, 0, 0, 0, 0, 0};
  t.read_noise.form = "curve";
  t.read_noise.curve = NoiseCurve{"relative", {0.002, 0.0}, 1.0};  // assumed
  t.endurance_cycles = 1e8;    // assumed
  t.write_time_ns = 1900.0;    // [SNL] ECRAM update 1.9 us
  t.write_energy_pj = 0.0002;  // [SNL] 0.2 fJ per update
  t.read_time_ns = 100.0;      // assumed
  t.read_voltage_v = 0.1;      // assumed
  t.first_pulse_noise = 0.05;
  t.step_noise = 0.3;
  t.step_noise_floor_us = 0.005;
  return t;
}

DeviceTechnology sram_analog() {
  DeviceTechnology t;
  t.name = "sram-analog";
  t.description =
      "charge-domain SRAM compute cell: binary (1 bit per cell, weights bit-sliced), 'conductance' is the "
      "normalised unit capacitance; mismatch as programming noise, kT/C-like read noise; assumed numbers";
  t.levels = 2;
  t.gmin_us = 0.0;
  t.gmax_us = 1.0;                                            // normalised unit cell
  t.prog_noise = NoiseCurve{"relative", {0.002, 0.0}, 1.0};  // assumed ~0.2 % capacitor mismatch
  t.first_pulse_noise = 0.0;                                  // a digital write lands exactly
  t.step_noise = 0.0;
  t.step_noise_floor_us = 0.0;
  t.drift = DriftModel{1.0, 0, 0, 0, 0, 0, 0, 0, 0};
  t.read_noise.form = "curve";
  t.read_noise.curve = NoiseCurve{"constant", {0.001}, 1.0};  // assumed
  t.endurance_cycles = 1e16;     // [LANZA] SRAM
  t.write_time_ns = 1.0;         // [LANZA]
  t.write_energy_pj = 0.001;     // [LANZA] ~1 fJ per bit
  t.read_time_ns = 1.0;          // [LANZA]
  t.read_voltage_v = 0.8;        // assumed supply
  t.read_energy_model = "capacitive";
  t.cell_capacitance_ff = 1.0;   // assumed
  return t;
}

DeviceTechnology generic() {
  DeviceTechnology t;  // struct defaults
  t.name = "generic";
  t.description = "generic technology: every noise term is a parameter (defaults: 2 % programming, 1 % read noise)";
  t.prog_noise = NoiseCurve{"relative", {0.02, 0.0}, 1.0};
  t.read_noise.form = "curve";
  t.read_noise.curve = NoiseCurve{"relative", {0.01, 0.0}, 1.0};
  t.drift = DriftModel{20.0, 0, 0.05, 0, 1, 0, 0.01, 0, 1};
  return t;
}

}  // namespace

void register_builtin_technologies(std::map<std::string, TechnologyFactory>& out) {
  out["pcm-nandakumar"] = pcm_nandakumar;
  out["pcm-hermes-tdp"] = pcm_hermes_tdp;
  out["pcm-hermes-odp"] = pcm_hermes_odp;
  out["pcm-joshi"] = pcm_joshi;
  out["reram-milo"] = reram_milo;
  out["reram-wan"] = reram_wan;
  out["sonos"] = sonos;
  out["ecram"] = ecram;
  out["sram-analog"] = sram_analog;
  out["generic"] = generic;
}

}  // namespace aimc::analog
