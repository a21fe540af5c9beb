#include "dpu/activation_lut.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aimc::dpu {

LutInterpolation parse_lut_interpolation(const std::string& name) {
    if (name == "nearest") return LutInterpolation::kNearest;
    if (name == "linear") return LutInterpolation::kLinear;
    throw std::invalid_argument("activation LUT: field 'interpolation' = '" + name +
                                "' is not one of nearest, linear");
}

ActivationLut::ActivationLut(const ActivationLutParams& params)
    : range_(params.input_range), interpolation_(parse_lut_interpolation(params.interpolation)) {
    if (params.entries < 2)
        throw std::invalid_argument("activation LUT: field 'entries' = " + std::to_string(params.entries) +
                                    " must be at least 2");
    if (!(range_ > 0) || !std::isfinite(range_))
        throw std::invalid_argument("activation LUT: field 'input_range' = " + std::to_string(range_) +
                                    " must be positive and finite");
    step_ = 2 * range_ / double(params.entries - 1);
    table_.reserve(params.entries);
    values_.reserve(params.entries);
    for (uint32_t i = 0; i < params.entries; ++i) {
        // Symmetric grid: sample i and entries-1-i are exact negatives, so the table is odd.
        const double x = (2.0 * i - double(params.entries - 1)) / double(params.entries - 1) * range_;
        table_.push_back(Half::from_double(std::tanh(x)));
        values_.push_back(table_.back().to_double());
    }
}

Half ActivationLut::tanh(Half x, bool* clamped) const {
    if (clamped) *clamped = false;
    if (x.is_nan()) return x;
    const double xv = x.to_double();
    const size_t last = table_.size() - 1;
    if (xv <= -range_ || xv >= range_) {
        if (clamped) *clamped = std::fabs(xv) > range_;
        return xv < 0 ? table_.front() : table_.back();
    }
    const double pos = (xv + range_) / step_;
    if (interpolation_ == LutInterpolation::kNearest) {
        const double r = round_half_even(pos);
        return table_[std::min(size_t(r), last)];
    }
    const auto i = std::min(size_t(std::floor(pos)), last - 1);
    const double f = pos - double(i);
    return Half::from_double(values_[i] + f * (values_[i + 1] - values_[i]));
}

Half ActivationLut::sigmoid(Half x, bool* clamped) const {
    static const Half kHalfOne = Half::from_double(0.5);
    const Half half_x = Half::from_double(x.to_double() / 2);  // exponent decrement (rounds subnormals)
    return half_fma(kHalfOne, tanh(half_x, clamped), kHalfOne);
}

}  // namespace aimc::dpu
