// Input DAC: turns n-bit integer inputs into the read pulses applied to the rows.
//
// mode "pwm": one read whose pulse duration is |x| * lsb_time_ns (HERMES: 8-bit PWM, ~128 ns window).
// mode "bit_serial": one read per input bit, slice_time_ns each, 1-bit DAC (ISAAC: 16 cycles for 16 b).
// Signed inputs: "differential" (the sign picks the pulse polarity, one pass - HERMES), "two_pass"
// (positive part, then negative part, subtracted digitally), "twos_complement" (bit-serial only: the MSB
// slice enters the shift-and-add with weight -2^(n-1) - ISAAC).
#pragma once

#include "analog/param_json.h"

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

namespace aimc::analog {

struct DacConfig {
  std::string mode = "pwm";
  int input_bits = 8;
  bool input_signed = true;
  std::string signed_inputs = "differential";
  double lsb_time_ns = 1.0;
  double slice_time_ns = 100.0;
  double setup_time_ns = 0.0;
  double energy_per_conversion_pj = 1.0;

  int input_min() const { return input_signed ? -(1 << (input_bits - 1)) : 0; }
  int input_max() const { return input_signed ? (1 << (input_bits - 1)) - 1 : (1 << input_bits) - 1; }
  // Largest level one read applies to a row (PWM: LSBs of the longest pulse; bit-serial: 1).
  int max_level() const;
  // Integration window of one read.
  double read_time_ns() const { return mode == "pwm" ? max_level() * lsb_time_ns : slice_time_ns; }
  // Reads per MVM (before phases).
  int reads_per_mvm() const;

  void validate() const;
  template <class V>
  void visit(V& v) {
    v.param("mode", mode, "-", "input encoding: pwm | bit_serial");
    v.param("input_bits", input_bits, "bit", "input width", 1, 16);
    v.param("input_signed", input_signed, "-", "inputs are signed (two's complement range)");
    v.param("signed_inputs", signed_inputs, "-", "signed inputs: differential | two_pass | twos_complement");
    v.param("lsb_time_ns", lsb_time_ns, "ns", "PWM pulse duration per input LSB", kPositive, kInf);
    v.param("slice_time_ns", slice_time_ns, "ns", "bit-serial read (integration) time per input bit", kPositive, kInf);
    v.param("setup_time_ns", setup_time_ns, "ns", "row-driver setup time per read", 0, kInf);
    v.param("energy_per_conversion_pj", energy_per_conversion_pj, "pJ", "energy of one row driver per read", 0, kInf);
  }
};

// One analog read: the signed level on each row and its weight in the digital recombination.
struct DacRead {
  std::vector<int16_t> level;
  double coefficient = 1.0;
  int max_abs_level = 0;
  int polarity = 1;  // sign the phase applied to the inputs (alternates over phases)
};

// Encodes x into reads. Throws std::invalid_argument naming the element if x is out of the input range.
void dac_encode(const DacConfig& c, const Eigen::Ref<const Eigen::VectorXi>& x, int phases,
                std::vector<DacRead>& reads, const std::string& where);

}  // namespace aimc::analog
