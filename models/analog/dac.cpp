#include "analog/dac.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace aimc::analog {

int DacConfig::max_level() const {
  if (mode != "pwm") return 1;
  // Sign-magnitude: the longest pulse is |x_min| = 2^(n-1); unsigned: 2^n - 1.
  return input_signed ? (1 << (input_bits - 1)) : (1 << input_bits) - 1;
}

int DacConfig::reads_per_mvm() const {
  const int passes = (input_signed && signed_inputs == "two_pass") ? 2 : 1;
  return (mode == "pwm" ? 1 : input_bits) * passes;
}

void DacConfig::validate() const {
  if (mode != "pwm" && mode != "bit_serial")
    throw std::invalid_argument("dac.mode must be 'pwm' or 'bit_serial', got '" + mode + "'");
  if (input_bits < 1 || input_bits > 16)
    throw std::invalid_argument("dac.input_bits must be 1..16, got " + std::to_string(input_bits));
  if (signed_inputs != "differential" && signed_inputs != "two_pass" && signed_inputs != "twos_complement")
    throw std::invalid_argument("dac.signed_inputs must be differential | two_pass | twos_complement, got '" +
                                signed_inputs + "'");
  if (signed_inputs == "twos_complement" && mode != "bit_serial")
    throw std::invalid_argument("dac.signed_inputs 'twos_complement' needs dac.mode 'bit_serial'");
  if (input_signed && input_bits < 2) throw std::invalid_argument("dac.input_bits must be >= 2 for signed inputs");
  if (!(lsb_time_ns > 0) || !(slice_time_ns > 0) || setup_time_ns < 0)
    throw std::invalid_argument("dac: lsb_time_ns and slice_time_ns must be > 0, setup_time_ns >= 0");
  if (energy_per_conversion_pj < 0) throw std::invalid_argument("dac.energy_per_conversion_pj must be >= 0");
}

void dac_encode(const DacConfig& c, const Eigen::Ref<const Eigen::VectorXi>& x, int phases,
                std::vector<DacRead>& reads, const std::string& where) {
  const int n = int(x.size());
  const int lo = c.input_min(), hi = c.input_max();
  for (int i = 0; i < n; ++i)
    if (x[i] < lo || x[i] > hi)
      throw std::invalid_argument(where + ": input[" + std::to_string(i) + "] = " + std::to_string(x[i]) +
                                  " is outside the " + std::to_string(c.input_bits) + "-bit input range [" +
                                  std::to_string(lo) + ", " + std::to_string(hi) + "]");
  const bool two_pass = c.input_signed && c.signed_inputs == "two_pass";
  const bool twos = c.input_signed && c.signed_inputs == "twos_complement";
  const int passes = two_pass ? 2 : 1;
  const bool pwm = c.mode == "pwm";
  const int bits = pwm ? 1 : c.input_bits;
  const int total = passes * bits * phases;
  if (int(reads.size()) != total) reads.resize(total);
  int r = 0;
  for (int pass = 0; pass < passes; ++pass) {
    for (int b = 0; b < bits; ++b) {
      double coef = 1.0;
      if (!pwm) coef = (twos && b == c.input_bits - 1) ? -double(1 << b) : double(1 << b);
      if (two_pass && pass == 1) coef = -coef;
      for (int p = 0; p < phases; ++p, ++r) {
        // Phases alternate the input polarity, so a converter offset cancels in the average (HERMES 4-phase).
        const int s = (p & 1) ? -1 : 1;
        DacRead& rd = reads[r];
        rd.level.resize(n);
        rd.coefficient = coef * s / phases;
        rd.polarity = s;
        int mx = 0;
        if (pwm && !two_pass) {
          // PWM, one pass: the level is the input itself (the hot path of every MVM).
          for (int i = 0; i < n; ++i) {
            const int level = x[i] * s;
            rd.level[i] = int16_t(level);
            mx = std::max(mx, std::abs(level));
          }
          rd.max_abs_level = mx;
          continue;
        }
        for (int i = 0; i < n; ++i) {
          int v = x[i];
          if (two_pass) v = pass == 0 ? (v > 0 ? v : 0) : (v < 0 ? -v : 0);
          int level;
          if (pwm) {
            level = v;
          } else if (twos) {
            level = (int(unsigned(v) >> b) & 1);
          } else {
            const int mag = std::abs(v);
            level = ((mag >> b) & 1) * (v < 0 ? -1 : 1);
          }
          level *= s;
          rd.level[i] = int16_t(level);
          mx = std::max(mx, std::abs(level));
        }
        rd.max_abs_level = mx;
      }
    }
  }
}

}  // namespace aimc::analog
