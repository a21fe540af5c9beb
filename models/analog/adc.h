// Column ADC: bits, full-scale range, gain and offset errors (a mean and a column-to-column spread),
// output-referred noise, integral nonlinearity, saturation (counted), and the timing of a conversion,
// which depends on the converter architecture (a small registry of ADC models).
//
//   "cco"  current-controlled oscillator counted during the integration window (HERMES: 300 ps per LSB,
//          one per column): conversion overlaps integration; the read lasts max(window, 2^bits * lsb_time).
//   "ramp" single-slope: a shared ramp, one comparator and counter per column, converts all columns in
//          2^bits * lsb_time after the integration (Sandia analysis, 8-bit ramp ADC).
//   "sar"  successive approximation at sample_rate_gsps, time-shared by the columns of an array through
//          sample-and-hold (ISAAC: 8-bit, 1.28 GS/s, one per 128-column crossbar).
#pragma once

#include "analog/param_json.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace aimc::analog {

struct AdcConfig {
  std::string model = "cco";
  int bits = 8;
  double full_scale_rows = 8.0;
  double gain = 1.0;
  double offset_lsb = 0.0;
  double gain_std = 0.0;
  double offset_std_lsb = 0.0;
  double noise_rows = 0.0;
  double inl_lsb = 0.0;
  int per_array = 0;
  double lsb_time_ps = 300.0;
  double sample_rate_gsps = 1.0;
  double readout_time_ns = 0.0;
  bool pipelined = false;
  double energy_per_conversion_pj = 1.0;
  double sample_hold_energy_pj = 0.0;

  int code_min() const { return -(1 << (bits - 1)); }
  int code_max() const { return (1 << (bits - 1)) - 1; }
  // Output-referred noise std in LSB: one LSB is 2 full_scale_rows / 2^bits rows.
  double noise_lsb() const { return noise_rows * std::ldexp(1.0, bits) / (2.0 * full_scale_rows); }
  // INL at an analog value in LSB (the bow is even in the value, so alternating phases cancel it).
  double inl_at(double value_lsb) const {
    const double u = std::clamp(value_lsb / code_max(), -1.0, 1.0);
    return inl_lsb * (1.0 - u * u);
  }

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("model", model, "-", "converter architecture (registry): cco | ramp | sar");
    v.param("bits", bits, "bit", "resolution; codes are signed in [-2^(b-1), 2^(b-1)-1]", 1, 16);
    v.param("full_scale_rows", full_scale_rows, "rows",
            "full scale (one side) in units of one row at the largest input level and the largest cell value", kPositive, kInf);
    v.param("gain", gain, "-", "mean converter gain (1 = ideal)", kPositive, 1e3);
    v.param("offset_lsb", offset_lsb, "LSB", "mean converter offset");
    v.param("gain_std", gain_std, "-", "column-to-column std of the gain (relative)", 0, 10);
    v.param("offset_std_lsb", offset_std_lsb, "LSB", "column-to-column std of the offset", 0, kInf);
    v.param("noise_rows", noise_rows, "rows",
            "output-referred noise std per conversion, in units of one row at full input and weight (aihwkit out_noise)",
            0, kInf);
    // The tighter bound (a quarter of the code range) depends on bits: validate() checks it.
    v.param("inl_lsb", inl_lsb, "LSB", "peak integral nonlinearity: a bow inl (1 - (code/code_max)^2), zero at full scale",
            -8192, 8192);
    v.param("per_array", per_array, "-", "ADCs per array, time-shared by its columns (0 = one per column)", 0, 65535);
    v.param("lsb_time_ps", lsb_time_ps, "ps", "time per LSB (cco: oscillator period at full scale; ramp: step)", kPositive, kInf);
    v.param("sample_rate_gsps", sample_rate_gsps, "GS/s", "conversion rate (sar)", kPositive, kInf);
    v.param("readout_time_ns", readout_time_ns, "ns", "latch/readout/reset time added after each conversion round", 0, kInf);
    v.param("pipelined", pipelined, "-", "sample-and-hold lets the next integration overlap this conversion");
    v.param("energy_per_conversion_pj", energy_per_conversion_pj, "pJ", "energy of one conversion", 0, kInf);
    v.param("sample_hold_energy_pj", sample_hold_energy_pj, "pJ", "energy of one sample-and-hold", 0, kInf);
  }
};

// An ADC architecture: how long a conversion round of one ADC takes and how it overlaps the integration.
struct AdcModel {
  std::string name;
  std::string description;
  bool concurrent_with_integration = false;  // converts while the column integrates (cco)
  bool one_per_column = false;               // needs per_array == 0 (cco, ramp)
  std::function<double(const AdcConfig&)> conversion_time_ns;
};
void register_adc_model(AdcModel model);
const AdcModel& adc_model(const std::string& name);  // throws std::invalid_argument if unknown
std::vector<std::string> adc_model_names();

// Quantizes an analog column value given in LSB units (gain and offset applied by the caller). Returns the
// code; sets saturated when the value was outside the code range (the only clamping in the model).
inline int adc_quantize(double value_lsb, int code_min, int code_max, bool& saturated) {
  // Clamp first (also maps NaN-free huge values into range), then round half to even with the 2^52 + 2^51
  // trick: baseline x86-64 has no rounding instruction and nearbyint would be a library call per column.
  saturated = !(value_lsb > code_min - 0.5 && value_lsb < code_max + 0.5);
  const double v = std::clamp(value_lsb, double(code_min), double(code_max));
  constexpr double kMagic = 6755399441055744.0;
  return int((v + kMagic) - kMagic);
}

}  // namespace aimc::analog
