// Read-polarity dependence of the device conductance, and where a one-phase MVM meets it.
//
// The current through a PCM device depends on the polarity of the read voltage (Syed et al., Adv. Mater. 35,
// e2201238 (2023)). HERMES one-phase reads apply V+ and V- at once (Le Gallo et al., npj Unconv. Comput. 1, 11
// (2024), Fig. 1): a row with a positive input reads its G- devices with V+, a row with a negative input its
// G+ devices; program-and-verify and the four-phase mode read every device with V- only. A device read with V+
// conducts (1 + f) G, f = read_polarity_mean + read_polarity_std z, frozen per device (aihwkit's
// w_read_asymmetry_dtod is the std). So a one-phase read sees the weight G+ - G- - f G- from positive inputs
// and G+ - G- + f G+ from negative ones (IR drop not applied to this small term). No published magnitude was
// found; every preset leaves it off.
#pragma once

#include "analog/crossbar_array.h"

#include <Eigen/Dense>

#include <cstdint>
#include <vector>

namespace aimc::analog {

// Per slice, the weight change (uS, rows x cols) a one-phase read sees from positive and from negative inputs.
struct ReadPolarityMatrices {
  Eigen::MatrixXd pos;  // -sum_k f G-  (rows read with a positive input)
  Eigen::MatrixXd neg;  // +sum_k f G+  (rows read with a negative input)
};

bool read_polarity_enabled(const DeviceTechnology& t);

// Builds the matrices at array time now_s. The per-device f come from a generator seeded with `seed` in
// device-index order, so every call draws the same f (the dependence is a property of each device).
void build_read_polarity(const CrossbarArray& array, double now_s, uint64_t seed,
                         std::vector<ReadPolarityMatrices>& out);

}  // namespace aimc::analog
