#include "analog/conductance_mapping.h"

#include <stdexcept>

namespace aimc::analog {

void MappingConfig::validate(const DeviceTechnology& t) const {
  if (devices_per_polarity < 1 || devices_per_polarity > 4)
    throw std::invalid_argument("mapping.devices_per_polarity must be 1..4, got " + std::to_string(devices_per_polarity));
  if (weight_bits < 2 || weight_bits > 16)
    throw std::invalid_argument("mapping.weight_bits must be 2..16, got " + std::to_string(weight_bits));
  if (bits_per_cell < 0 || bits_per_cell > 8)
    throw std::invalid_argument("mapping.bits_per_cell must be 0..8, got " + std::to_string(bits_per_cell));
  if (slice_layout != "arrays" && slice_layout != "columns")
    throw std::invalid_argument("mapping.slice_layout must be 'arrays' or 'columns', got '" + slice_layout + "'");
  if (t.levels > 0) {
    if (bits_per_cell == 0)
      throw std::invalid_argument("mapping.bits_per_cell: technology '" + t.name + "' has " +
                                  std::to_string(t.levels) + " levels per device, so weights must be bit-sliced");
    if ((1 << bits_per_cell) > t.levels)
      throw std::invalid_argument("mapping.bits_per_cell = " + std::to_string(bits_per_cell) + " needs " +
                                  std::to_string(1 << bits_per_cell) + " levels but technology '" + t.name +
                                  "' has " + std::to_string(t.levels));
  }
}

}  // namespace aimc::analog
