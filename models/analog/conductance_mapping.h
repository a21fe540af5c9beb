// Weight mapping: signed weights to differential conductance pairs, with optional bit-slicing.
//
// A weight w (integer units, |w| <= Wmax = 2^(weight_bits-1) - 1) goes to the G+ side if w > 0, else to G-;
// the other side stays at gmin. Each side has devices_per_polarity devices (1 = ODP, 2 = TDP) that share
// the target equally, so one side spans [k gmin, k gmax] and G = gmin + |w| (gmax - gmin) / Wmax per
// device, the G = W Gmax / Wmax of Le Gallo et al. 2023. With bits_per_cell = n > 0 the magnitude is
// split into digits of n bits, |w| = sum_s d_s 2^(n s) (ISAAC, Shafiee 2016), each digit in its own
// column or array, recombined digitally by shift-and-add.
#pragma once

#include "analog/device_technology.h"
#include "analog/param_json.h"

#include <string>

namespace aimc::analog {

struct MappingConfig {
  int devices_per_polarity = 1;
  int weight_bits = 8;
  int bits_per_cell = 0;
  std::string slice_layout = "arrays";

  int weight_max() const { return (1 << (weight_bits - 1)) - 1; }
  int slices() const { return bits_per_cell == 0 ? 1 : (weight_bits - 1 + bits_per_cell - 1) / bits_per_cell; }
  // Largest digit of one slice (the weight itself when not sliced).
  double digit_max() const { return bits_per_cell == 0 ? weight_max() : double((1 << bits_per_cell) - 1); }
  // Digit of slice s of magnitude |w| (w integer when sliced).
  double digit(double magnitude, int s) const {
    if (bits_per_cell == 0) return magnitude;
    return double((static_cast<long long>(magnitude) >> (bits_per_cell * s)) & ((1 << bits_per_cell) - 1));
  }
  // Weight of slice s in the shift-and-add recombination.
  double slice_weight(int s) const { return bits_per_cell == 0 ? 1.0 : double(1LL << (bits_per_cell * s)); }
  // Target conductance of one device for a digit.
  double device_target(double digit, const DeviceTechnology& t) const {
    return t.gmin_us + digit / digit_max() * (t.gmax_us - t.gmin_us);
  }
  // Analog value of one digit unit: (G+ - G-) per digit, summed over the devices of a side.
  double unit_us(const DeviceTechnology& t) const {
    return devices_per_polarity * (t.gmax_us - t.gmin_us) / digit_max();
  }

  void validate(const DeviceTechnology& t) const;
  template <class V>
  void visit(V& v) {
    v.param("devices_per_polarity", devices_per_polarity, "-", "devices per polarity of a weight: 1 (ODP) or 2 (TDP)", 1, 4);
    v.param("weight_bits", weight_bits, "bit", "signed weight width; weights are in [-(2^(b-1)-1), 2^(b-1)-1]", 2, 16);
    v.param("bits_per_cell", bits_per_cell, "bit", "0 = whole weight analog per device; n = bit-sliced, n bits per cell", 0, 8);
    v.param("slice_layout", slice_layout, "-", "where slices go: arrays (one array each, in parallel) | columns");
  }
};

}  // namespace aimc::analog
