// The activation lookup table of the IBM 64-core chip's GDPU, reused by the LDPU: a table of tanh
// sampled on a uniform grid over [-input_range, +input_range], stored in FP16, read with nearest or
// linear lookup. Sigmoid is realised from the same table as 0.5 * tanh(x / 2) + 0.5, as on the chip.
//
// Lookup: pos = (x + R) / h with h = 2R / (entries - 1). Nearest returns entry[round_even(pos)];
// linear returns e[i] + f * (e[i+1] - e[i]) with i = floor(pos), f = pos - i, rounded once to FP16
// (address generation and the interpolation weight are exact). Inputs beyond +-R read the end entry
// and are reported as clamped.
//
// Error against std::tanh (for an FP16 input x):
//   linear:  <= h^2 / 8 * max|tanh''| + 2 * 2^-12 + (1 - tanh(R)),  max|tanh''| = 4 / (3 sqrt 3)
//   nearest: <= h / 2 + 2^-12 + (1 - tanh(R))
// (interpolation error, FP16 rounding of the entries and of the output, and the tail beyond R).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/params.h"
#include "dpu/half_float.h"

namespace aimc::dpu {

enum class LutInterpolation { kNearest, kLinear };

struct ActivationLutParams {
    uint32_t entries = 256;    // *assumed*: 512 bytes of FP16; the chips' table size is not published
    double input_range = 8.0;  // table covers [-8, 8]; 1 - tanh(8) = 2.3e-7
    std::string interpolation = "linear";

    void describe(ParamVisitor& v) {
        v.param("entries", entries, "", "Number of FP16 tanh samples in the table", 2, 65536);
        v.param("input_range", input_range, "", "Table covers inputs in [-input_range, +input_range]", 1e-3, 65504);
        v.choice("interpolation", interpolation, {"nearest", "linear"}, "Lookup between table samples");
    }
};

class ActivationLut {
public:
    // Throws std::invalid_argument naming the field for entries < 2, a range <= 0 or not finite,
    // or an unknown interpolation.
    explicit ActivationLut(const ActivationLutParams& params);

    // `clamped` (if given) is set when |x| > input_range.
    Half tanh(Half x, bool* clamped = nullptr) const;
    // 0.5 * tanh(x / 2) + 0.5: x / 2 rounded to FP16, then one FP16 fused multiply-add.
    Half sigmoid(Half x, bool* clamped = nullptr) const;

    size_t entries() const { return table_.size(); }
    double input_range() const { return range_; }
    double step() const { return step_; }
    LutInterpolation interpolation() const { return interpolation_; }
    // Bits read from the table per lookup: one entry (nearest) or two (linear).
    uint32_t bits_per_lookup() const { return interpolation_ == LutInterpolation::kLinear ? 32 : 16; }

private:
    std::vector<Half> table_;
    std::vector<double> values_;  // table_ as doubles, for the interpolation
    double range_;
    double step_;
    LutInterpolation interpolation_;
};

// Parses "nearest" / "linear"; throws std::invalid_argument otherwise.
LutInterpolation parse_lut_interpolation(const std::string& name);

}  // namespace aimc::dpu
