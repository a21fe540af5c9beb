// One table row per LDPU op: name, static check, numerics and elementary work.
#include "dpu/ldpu_ops.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <stdexcept>

#include "dpu/activation_lut.h"

namespace aimc::dpu {

// ---- data ----------------------------------------------------------------------------------------

double DataFormat::min() const {
    return is_fp16() ? -std::numeric_limits<double>::infinity() : -std::ldexp(1.0, int(bits) - 1);
}
double DataFormat::max() const {
    return is_fp16() ? std::numeric_limits<double>::infinity() : std::ldexp(1.0, int(bits) - 1) - 1;
}
std::string DataFormat::name() const { return is_fp16() ? "fp16" : "int" + std::to_string(bits); }

Eigen::VectorXi LdpuVector::to_int32() const {
    if (!format.is_int()) throw std::logic_error("LdpuVector::to_int32: vector is " + format.name());
    return values.cast<int>();
}

std::vector<int8_t> LdpuVector::to_int8() const {
    if (!format.is_int() || format.bits > 8) throw std::logic_error("LdpuVector::to_int8: vector is " + format.name());
    std::vector<int8_t> out(size_t(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i) out[size_t(i)] = int8_t(values[i]);
    return out;
}

std::vector<uint16_t> LdpuVector::to_fp16_bits() const {
    if (!format.is_fp16()) throw std::logic_error("LdpuVector::to_fp16_bits: vector is " + format.name());
    std::vector<uint16_t> out(size_t(values.size()));
    for (Eigen::Index i = 0; i < values.size(); ++i) out[size_t(i)] = Half::from_double(values[i]).bits;
    return out;
}

OpStats& OpStats::operator+=(const OpStats& o) {
    saturated += o.saturated;
    fp16_overflow += o.fp16_overflow;
    nan += o.nan;
    lut_clamped += o.lut_clamped;
    return *this;
}

// ---- factories -----------------------------------------------------------------------------------

LdpuOp LdpuOp::partial_sum_add(std::vector<uint32_t> operands, OverflowPolicy policy) {
    LdpuOp op;
    op.kind = LdpuOpKind::kPartialSumAdd;
    op.operands = std::move(operands);
    op.overflow = policy;
    return op;
}
LdpuOp LdpuOp::affine_fp16(std::vector<Half> scale, std::vector<Half> offset) {
    LdpuOp op;
    op.kind = LdpuOpKind::kAffineFp16;
    op.scale_fp16 = std::move(scale);
    op.offset_fp16 = std::move(offset);
    return op;
}
LdpuOp LdpuOp::affine_fixed(std::vector<int32_t> scale, std::vector<int32_t> offset, uint32_t shift) {
    LdpuOp op;
    op.kind = LdpuOpKind::kAffineFixed;
    op.scale = std::move(scale);
    op.offset = std::move(offset);
    op.shift = shift;
    return op;
}
LdpuOp LdpuOp::relu() {
    LdpuOp op;
    op.kind = LdpuOpKind::kRelu;
    return op;
}
LdpuOp LdpuOp::max(double lo) {
    LdpuOp op;
    op.kind = LdpuOpKind::kMax;
    op.lo = lo;
    return op;
}
LdpuOp LdpuOp::clip(double lo, double hi) {
    LdpuOp op;
    op.kind = LdpuOpKind::kClip;
    op.lo = lo;
    op.hi = hi;
    return op;
}
LdpuOp LdpuOp::tanh(uint32_t in_frac_bits, uint32_t out_frac_bits) {
    LdpuOp op;
    op.kind = LdpuOpKind::kTanh;
    op.in_frac_bits = in_frac_bits;
    op.out_frac_bits = out_frac_bits;
    return op;
}
LdpuOp LdpuOp::sigmoid(uint32_t in_frac_bits, uint32_t out_frac_bits) {
    LdpuOp op = tanh(in_frac_bits, out_frac_bits);
    op.kind = LdpuOpKind::kSigmoid;
    return op;
}
LdpuOp LdpuOp::requantize(int32_t multiplier, uint32_t shift, uint32_t out_bits) {
    LdpuOp op;
    op.kind = LdpuOpKind::kRequantize;
    op.multiplier = multiplier;
    op.shift = shift;
    op.out_bits = out_bits;
    return op;
}
LdpuOp LdpuOp::eltwise_add(uint32_t operand, int32_t multiplier_a, int32_t multiplier_b, uint32_t shift,
                           uint32_t out_bits) {
    LdpuOp op;
    op.kind = LdpuOpKind::kEltwiseAdd;
    op.operands = {operand};
    op.multiplier = multiplier_a;
    op.multiplier_b = multiplier_b;
    op.shift = shift;
    op.out_bits = out_bits;
    return op;
}
LdpuOp LdpuOp::max_pool(const PoolWindow& window) {
    LdpuOp op;
    op.kind = LdpuOpKind::kMaxPool;
    op.pool = window;
    return op;
}
LdpuOp LdpuOp::avg_pool(const PoolWindow& window) {
    LdpuOp op = max_pool(window);
    op.kind = LdpuOpKind::kAvgPool;
    return op;
}

// ---- helpers -------------------------------------------------------------------------------------

namespace {

constexpr double kInt16Min = -32768, kInt16Max = 32767;

[[noreturn]] void fail(size_t index, LdpuOpKind kind, const std::string& field, const std::string& what) {
    throw std::invalid_argument("LDPU chain op " + std::to_string(index) + " (" + op_kind_name(kind) +
                                "): field '" + field + "' " + what);
}

std::string num(double x) {
    if (x == std::floor(x) && std::fabs(x) < 1e15) return std::to_string(int64_t(x));
    return std::to_string(x);
}

void require_int(const LdpuOp& op, size_t i, const VectorShape& in, uint32_t max_bits = 32) {
    if (!in.format.is_int() || in.format.bits > max_bits)
        fail(i, op.kind, "input", "is " + in.format.name() + ", needs an integer of at most " +
                                      std::to_string(max_bits) + " bits");
}

void require_range(const LdpuOp& op, size_t i, const char* field, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi))
        fail(i, op.kind, field, "= " + num(value) + " is out of range [" + num(lo) + ", " + num(hi) + "]");
}

template <class T>
void require_per_column(const LdpuOp& op, size_t i, const char* field, const std::vector<T>& v, size_t n) {
    if (v.size() != n && v.size() != 1)
        fail(i, op.kind, field, "has " + std::to_string(v.size()) + " entries, needs " + std::to_string(n) +
                                    " (one per column) or 1 (broadcast)");
}

void require_representable(const LdpuOp& op, size_t i, const char* field, double value, DataFormat f) {
    const bool ok = f.is_fp16() ? representable_in_half(value)
                                : (value == std::floor(value) && value >= f.min() && value <= f.max());
    if (!ok) fail(i, op.kind, field, "= " + num(value) + " is not a value of the input format " + f.name());
}

// Clamps to the format's integer range, counting every clamp.
double saturate(double x, DataFormat f, OpStats& stats) {
    if (x < f.min()) {
        ++stats.saturated;
        return f.min();
    }
    if (x > f.max()) {
        ++stats.saturated;
        return f.max();
    }
    return x;
}

// Converts a real result to the integer format: NaN -> 0 (counted), rne, saturate (counted).
double to_int_format(double x, DataFormat f, OpStats& stats) {
    if (std::isnan(x)) {
        ++stats.nan;
        return 0;
    }
    return saturate(round_half_even(x), f, stats);
}

template <class T>
const T& column(const std::vector<T>& v, Eigen::Index c) {
    return v.size() == 1 ? v[0] : v[size_t(c)];
}

const Eigen::VectorXi& operand(const LdpuOp& op, const OpContext& ctx, size_t k, Eigen::Index length) {
    const uint32_t idx = op.operands[k];
    const size_t count = ctx.operands ? ctx.operands->size() : 0;
    if (idx >= count)
        fail(ctx.index, op.kind, "operands", "[" + std::to_string(k) + "] = " + std::to_string(idx) +
                                                 " but only " + std::to_string(count) + " operand vectors were given");
    const Eigen::VectorXi& b = (*ctx.operands)[idx];
    if (b.size() != length)
        fail(ctx.index, op.kind, "operands", "[" + std::to_string(k) + "]: operand vector " + std::to_string(idx) +
                                                 " has " + std::to_string(b.size()) + " values, the chain's vector " +
                                                 std::to_string(length));
    return b;
}

Action add_of(DataFormat f) {
    if (f.bits <= 8) return Action::kAdd8;
    if (f.bits <= 16) return Action::kAdd16;  // also FP16 compares (sign-magnitude integer compare)
    return Action::kAdd32;
}

// ---- op table ------------------------------------------------------------------------------------

using CheckFn = VectorShape (*)(const LdpuOp&, size_t, const VectorShape&);
using RunFn = void (*)(const LdpuOp&, const OpContext&, LdpuVector&, OpStats&);
// Fills work.actions (per whole op) and work.steps_per_element; elements is set by the caller.
using WorkFn = void (*)(const LdpuOp&, const VectorShape& in, const VectorShape& out, uint32_t lut_bits, OpWork&);

struct OpSpec {
    LdpuOpKind kind;
    const char* name;
    uint32_t default_cycles;  // per lane group (and step); *assumed*, single-issue pipelined lanes
    const char* cycles_note;  // what the cycles cover, for the parameter description
    CheckFn check;
    RunFn run;
    WorkFn work;
};

void add(OpWork& w, Action a, double count) { w.actions[size_t(a)] += count; }

// partial_sum_add ----------------------------------------------------------------------------------
VectorShape check_psum(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_int(op, i, in);
    if (in.format.bits != 32) fail(i, op.kind, "input", "is " + in.format.name() + ", needs int32");
    if (op.operands.empty()) fail(i, op.kind, "operands", "is empty: name at least one partial-sum vector");
    return in;
}
void run_psum(const LdpuOp& op, const OpContext& ctx, LdpuVector& v, OpStats& stats) {
    const DataFormat i32 = DataFormat::integer(32);
    for (size_t k = 0; k < op.operands.size(); ++k) {
        const Eigen::VectorXi& b = operand(op, ctx, k, v.values.size());
        for (Eigen::Index c = 0; c < v.values.size(); ++c) {
            const double s = v.values[c] + double(b[c]);  // exact
            if ((s < i32.min() || s > i32.max()) && op.overflow == OverflowPolicy::kError)
                throw std::overflow_error("LDPU chain op " + std::to_string(ctx.index) +
                                          " (partial_sum_add): int32 overflow at column " + std::to_string(c) +
                                          " adding operand vector " + std::to_string(op.operands[k]));
            v.values[c] = saturate(s, i32, stats);
        }
    }
}
void work_psum(const LdpuOp& op, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    const double k = double(op.operands.size());
    w.steps_per_element = op.operands.size();
    add(w, Action::kAdd32, k * double(in.length));
    add(w, Action::kSramRead32, k * double(in.length));  // partial sums come from the input buffer
}

// affine_fp16 --------------------------------------------------------------------------------------
VectorShape check_affine_fp16(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_per_column(op, i, "scale_fp16", op.scale_fp16, in.length);
    require_per_column(op, i, "offset_fp16", op.offset_fp16, in.length);
    return {DataFormat::fp16(), in.length};
}
void run_affine_fp16(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats& stats) {
    for (Eigen::Index c = 0; c < v.values.size(); ++c) {
        const Half x = Half::from_double(v.values[c]);  // int -> FP16 rounds; FP16 -> FP16 is exact
        const Half s = column(op.scale_fp16, c), o = column(op.offset_fp16, c);
        const Half y = half_fma(x, s, o);
        const bool conversion_overflow = std::isfinite(v.values[c]) && x.is_inf();
        const bool fma_overflow = x.is_finite() && s.is_finite() && o.is_finite() && y.is_inf();
        if (conversion_overflow || fma_overflow) ++stats.fp16_overflow;
        if (y.is_nan() && !x.is_nan() && !s.is_nan() && !o.is_nan()) ++stats.nan;
        v.values[c] = y.to_double();
    }
    v.format = DataFormat::fp16();
}
void work_affine_fp16(const LdpuOp& op, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    const double n = double(in.length);
    if (in.format.is_int()) add(w, Action::kAdd16, n);  // int -> FP16 normalisation
    add(w, Action::kFp16Mult, n);
    add(w, Action::kFp16Add, n);
    // Parameters: 16 bits of scale and of offset per column, or once if broadcast.
    const double bits = (op.scale_fp16.size() == 1 ? 16 : 16 * n) + (op.offset_fp16.size() == 1 ? 16 : 16 * n);
    add(w, Action::kSramRead32, bits / 32);
}

// affine_fixed -------------------------------------------------------------------------------------
VectorShape check_affine_fixed(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_int(op, i, in);
    require_per_column(op, i, "scale", op.scale, in.length);
    require_per_column(op, i, "offset", op.offset, in.length);
    for (size_t c = 0; c < op.scale.size(); ++c)
        if (op.scale[c] < kInt16Min || op.scale[c] > kInt16Max)
            fail(i, op.kind, "scale", "[" + std::to_string(c) + "] = " + std::to_string(op.scale[c]) +
                                          " is out of the int16 range");
    require_range(op, i, "shift", op.shift, 0, 31);
    return {DataFormat::integer(32), in.length};
}
void run_affine_fixed(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats& stats) {
    const DataFormat i32 = DataFormat::integer(32);
    for (Eigen::Index c = 0; c < v.values.size(); ++c) {
        // |x * scale| < 2^46 and the shift is a power of two: exact in double, one rounding.
        const double scaled = round_half_even(std::ldexp(v.values[c] * column(op.scale, c), -int(op.shift)));
        v.values[c] = saturate(scaled + column(op.offset, c), i32, stats);
    }
    v.format = i32;
}
void work_affine_fixed(const LdpuOp& op, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    const double n = double(in.length);
    add(w, Action::kMult32, 0.5 * n);  // a 32 x 16 multiplier: half a 32 x 32 array
    add(w, Action::kAdd32, 2 * n);     // rounding shift, offset (saturation folded into the adder)
    const double bits = (op.scale.size() == 1 ? 16 : 16 * n) + (op.offset.size() == 1 ? 32 : 32 * n);
    add(w, Action::kSramRead32, bits / 32);
}

// relu, max, clip ----------------------------------------------------------------------------------
VectorShape check_relu(const LdpuOp&, size_t, const VectorShape& in) { return in; }
void run_relu(const LdpuOp&, const OpContext&, LdpuVector& v, OpStats&) {
    for (auto& x : v.values) x = x > 0 ? x : 0.0;  // NaN -> 0 (maxNum), -0 -> +0
}
void work_compare(const LdpuOp& op, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    add(w, add_of(in.format), (op.kind == LdpuOpKind::kClip ? 2.0 : 1.0) * double(in.length));
}

VectorShape check_max(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_representable(op, i, "lo", op.lo, in.format);
    return in;
}
void run_max(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats&) {
    for (auto& x : v.values) x = x > op.lo ? x : op.lo;
}

VectorShape check_clip(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_representable(op, i, "lo", op.lo, in.format);
    require_representable(op, i, "hi", op.hi, in.format);
    if (!(op.lo <= op.hi)) fail(i, op.kind, "hi", "= " + num(op.hi) + " is below lo = " + num(op.lo));
    return in;
}
void run_clip(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats&) {
    for (auto& x : v.values) x = x > op.lo ? (x < op.hi ? x : op.hi) : op.lo;  // NaN -> lo
}

// tanh, sigmoid ------------------------------------------------------------------------------------
VectorShape check_activation(const LdpuOp& op, size_t i, const VectorShape& in) {
    if (in.format.is_fp16()) {
        if (op.in_frac_bits) fail(i, op.kind, "in_frac_bits", "must be 0 on fp16 data");
        if (op.out_frac_bits) fail(i, op.kind, "out_frac_bits", "must be 0 on fp16 data");
    } else {
        require_range(op, i, "in_frac_bits", op.in_frac_bits, 0, 30);
        require_range(op, i, "out_frac_bits", op.out_frac_bits, 0, in.format.bits - 1);
    }
    return in;
}
void run_activation(const LdpuOp& op, const OpContext& ctx, LdpuVector& v, OpStats& stats) {
    if (!ctx.lut) throw std::logic_error("LDPU: an activation op ran without a LUT");
    const bool sigmoid = op.kind == LdpuOpKind::kSigmoid;
    for (auto& x : v.values) {
        const double real = v.format.is_int() ? std::ldexp(x, -int(op.in_frac_bits)) : x;
        const Half xh = Half::from_double(real);  // exact for FP16 data
        if (xh.is_inf() && std::isfinite(real)) ++stats.fp16_overflow;
        bool clamped = false;
        const Half y = sigmoid ? ctx.lut->sigmoid(xh, &clamped) : ctx.lut->tanh(xh, &clamped);
        if (clamped) ++stats.lut_clamped;
        x = v.format.is_int() ? to_int_format(std::ldexp(y.to_double(), int(op.out_frac_bits)), v.format, stats)
                              : y.to_double();
    }
}
void work_activation(const LdpuOp& op, const VectorShape& in, const VectorShape&, uint32_t lut_bits, OpWork& w) {
    const double n = double(in.length);
    if (in.format.is_int()) {
        add(w, Action::kAdd16, n);      // int -> FP16
        add(w, Action::kAdd32, 2 * n);  // FP16 -> int rounding, saturation
    }
    if (op.kind == LdpuOpKind::kSigmoid) {
        add(w, Action::kAdd16, n);  // x / 2: exponent decrement
        add(w, Action::kFp16Mult, n);  // 0.5 * t + 0.5: one FMA
        add(w, Action::kFp16Add, n);
    }
    add(w, Action::kAdd16, n);      // range check
    add(w, Action::kFp16Mult, n);   // address: (x + R) / h
    add(w, Action::kFp16Add, n);
    add(w, Action::kSramRead32, n * lut_bits / 32.0);
    if (lut_bits > 16) {            // linear: difference and one FMA
        add(w, Action::kFp16Add, 2 * n);
        add(w, Action::kFp16Mult, n);
    }
}

// requantize ---------------------------------------------------------------------------------------
VectorShape check_requantize(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_range(op, i, "multiplier", op.multiplier, kInt16Min, kInt16Max);
    require_range(op, i, "shift", op.shift, 0, 62);
    require_range(op, i, "out_bits", op.out_bits, 2, 16);
    return {DataFormat::integer(op.out_bits), in.length};
}
void run_requantize(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats& stats) {
    const DataFormat out = DataFormat::integer(op.out_bits);
    for (auto& x : v.values)  // x * multiplier is exact (< 2^47); the power-of-two scaling too
        x = to_int_format(std::ldexp(x * op.multiplier, -int(op.shift)), out, stats);
    v.format = out;
}
void work_requantize(const LdpuOp&, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    const double n = double(in.length);
    if (in.format.is_fp16()) {
        add(w, Action::kFp16Mult, n);
        add(w, Action::kAdd16, 3 * n);  // FP16 -> int rounding, two saturation compares
    } else {
        add(w, Action::kMult32, 0.5 * n);  // 32 x 16
        add(w, Action::kAdd32, 3 * n);     // rounding shift, two saturation compares
    }
}

// eltwise_add --------------------------------------------------------------------------------------
VectorShape check_eltwise(const LdpuOp& op, size_t i, const VectorShape& in) {
    require_int(op, i, in, 16);
    if (op.operands.size() != 1)
        fail(i, op.kind, "operands", "has " + std::to_string(op.operands.size()) + " entries, needs exactly 1");
    require_range(op, i, "multiplier", op.multiplier, kInt16Min, kInt16Max);
    require_range(op, i, "multiplier_b", op.multiplier_b, kInt16Min, kInt16Max);
    require_range(op, i, "shift", op.shift, 0, 31);
    require_range(op, i, "out_bits", op.out_bits, 2, 16);
    return {DataFormat::integer(op.out_bits), in.length};
}
void run_eltwise(const LdpuOp& op, const OpContext& ctx, LdpuVector& v, OpStats& stats) {
    const Eigen::VectorXi& b = operand(op, ctx, 0, v.values.size());
    for (Eigen::Index c = 0; c < b.size(); ++c)
        if (b[c] < v.format.min() || b[c] > v.format.max())
            fail(ctx.index, op.kind, "operands", "[0]: operand vector " + std::to_string(op.operands[0]) +
                                                     " value " + std::to_string(b[c]) + " at column " +
                                                     std::to_string(c) + " is not an " + v.format.name());
    const DataFormat out = DataFormat::integer(op.out_bits);
    for (Eigen::Index c = 0; c < v.values.size(); ++c) {
        const double sum = v.values[c] * op.multiplier + double(b[c]) * op.multiplier_b;  // exact, < 2^32
        v.values[c] = to_int_format(std::ldexp(sum, -int(op.shift)), out, stats);
    }
    v.format = out;
}
void work_eltwise(const LdpuOp&, const VectorShape& in, const VectorShape&, uint32_t, OpWork& w) {
    const double n = double(in.length);
    add(w, Action::kMult16, 2 * n);
    add(w, Action::kAdd32, 4 * n);  // sum, rounding shift, two saturation compares
    add(w, Action::kSramRead32, n * in.format.bits / 32.0);  // the residual operand from the buffer
}

// max_pool, avg_pool -------------------------------------------------------------------------------
VectorShape check_pool(const LdpuOp& op, size_t i, const VectorShape& in) {
    const PoolWindow& p = op.pool;
    require_range(op, i, "pool.height", p.height, 1, 65536);
    require_range(op, i, "pool.width", p.width, 1, 65536);
    require_range(op, i, "pool.channels", p.channels, 1, 65536);
    require_range(op, i, "pool.kernel_h", p.kernel_h, 1, p.height);
    require_range(op, i, "pool.kernel_w", p.kernel_w, 1, p.width);
    require_range(op, i, "pool.stride_h", p.stride_h, 1, 65536);
    require_range(op, i, "pool.stride_w", p.stride_w, 1, 65536);
    const uint64_t elements = uint64_t(p.height) * p.width * p.channels;
    if (elements != in.length)
        fail(i, op.kind, "pool", "describes " + std::to_string(p.height) + " x " + std::to_string(p.width) + " x " +
                                     std::to_string(p.channels) + " = " + std::to_string(elements) +
                                     " values, the vector has " + std::to_string(in.length));
    return {in.format, size_t(p.out_height()) * p.out_width() * p.channels};
}
void run_pool(const LdpuOp& op, const OpContext&, LdpuVector& v, OpStats&) {
    const PoolWindow& p = op.pool;
    const uint32_t oh_n = p.out_height(), ow_n = p.out_width(), C = p.channels;
    const int64_t window = int64_t(p.kernel_h) * p.kernel_w;
    const bool average = op.kind == LdpuOpKind::kAvgPool;
    const Half reciprocal = Half::from_double(1.0 / double(window));
    Eigen::VectorXd out(Eigen::Index(oh_n) * ow_n * C);
    for (uint32_t oh = 0; oh < oh_n; ++oh)
        for (uint32_t ow = 0; ow < ow_n; ++ow)
            for (uint32_t c = 0; c < C; ++c) {
                double m = std::numeric_limits<double>::quiet_NaN();
                int64_t isum = 0;
                Half hsum = Half::from_bits(0);
                for (uint32_t kh = 0; kh < p.kernel_h; ++kh)
                    for (uint32_t kw = 0; kw < p.kernel_w; ++kw) {
                        const uint64_t h = uint64_t(oh) * p.stride_h + kh, w = uint64_t(ow) * p.stride_w + kw;
                        const double x = v.values[Eigen::Index((h * p.width + w) * C + c)];
                        if (!average) {
                            if (std::isnan(m) || x > m) m = x;  // maxNum: a NaN loses to a number
                        } else if (v.format.is_fp16()) {
                            hsum = (kh | kw) ? half_add(hsum, Half::from_double(x)) : Half::from_double(x);
                        } else {
                            isum += int64_t(x);  // wide accumulator: no overflow
                        }
                    }
                double y = m;
                if (average && v.format.is_fp16()) {
                    y = half_mul(hsum, reciprocal).to_double();
                } else if (average) {  // round(isum / window), ties to even, in integers
                    int64_t q = isum / window, r = isum % window;
                    if (r < 0) {
                        r += window;
                        --q;
                    }
                    if (2 * r > window || (2 * r == window && (q & 1))) ++q;
                    y = double(q);
                }
                out[Eigen::Index((uint64_t(oh) * ow_n + ow) * C + c)] = y;
            }
    v.values = std::move(out);
}
void work_pool(const LdpuOp& op, const VectorShape& in, const VectorShape& out, uint32_t, OpWork& w) {
    const double m = double(out.length);
    const double window = double(op.pool.kernel_h) * op.pool.kernel_w;
    w.steps_per_element = uint64_t(window);
    if (op.kind == LdpuOpKind::kMaxPool) {
        add(w, add_of(in.format), (window - 1) * m);
    } else if (in.format.is_fp16()) {
        add(w, Action::kFp16Add, (window - 1) * m);
        add(w, Action::kFp16Mult, m);  // times 1 / window
    } else {
        add(w, Action::kAdd32, (window - 1) * m + m);  // accumulate, round
        add(w, Action::kMult16, m);                    // times the reciprocal of the window
    }
}

constexpr OpSpec kOps[] = {
    {LdpuOpKind::kPartialSumAdd, "partial_sum_add", 1, "Cycles per lane group and operand vector added",
     check_psum, run_psum, work_psum},
    {LdpuOpKind::kAffineFp16, "affine_fp16", 1, "Cycles per lane group: one pipelined FP16 FMA",
     check_affine_fp16, run_affine_fp16, work_affine_fp16},
    {LdpuOpKind::kAffineFixed, "affine_fixed", 1, "Cycles per lane group: multiply, rounding shift, offset",
     check_affine_fixed, run_affine_fixed, work_affine_fixed},
    {LdpuOpKind::kRelu, "relu", 1, "Cycles per lane group", check_relu, run_relu, work_compare},
    {LdpuOpKind::kMax, "max", 1, "Cycles per lane group", check_max, run_max, work_compare},
    {LdpuOpKind::kClip, "clip", 1, "Cycles per lane group", check_clip, run_clip, work_compare},
    {LdpuOpKind::kTanh, "tanh", 2, "Cycles per lane group: LUT address, then read and interpolate",
     check_activation, run_activation, work_activation},
    {LdpuOpKind::kSigmoid, "sigmoid", 3, "Cycles per lane group: halve, tanh LUT, FMA",
     check_activation, run_activation, work_activation},
    {LdpuOpKind::kRequantize, "requantize", 1, "Cycles per lane group: multiply, round, saturate",
     check_requantize, run_requantize, work_requantize},
    {LdpuOpKind::kEltwiseAdd, "eltwise_add", 1, "Cycles per lane group: two multiplies, add, round, saturate",
     check_eltwise, run_eltwise, work_eltwise},
    {LdpuOpKind::kMaxPool, "max_pool", 1, "Cycles per lane group of outputs and window element",
     check_pool, run_pool, work_pool},
    {LdpuOpKind::kAvgPool, "avg_pool", 1, "Cycles per lane group of outputs and window element",
     check_pool, run_pool, work_pool},
};
static_assert(std::size(kOps) == kLdpuOpKindCount, "one table row per op kind");

constexpr bool table_in_enum_order() {
    for (size_t k = 0; k < kLdpuOpKindCount; ++k)
        if (size_t(kOps[k].kind) != k) return false;
    return true;
}
static_assert(table_in_enum_order(), "kOps rows in LdpuOpKind order");

const OpSpec* spec_of(LdpuOpKind kind) {
    return size_t(kind) < kLdpuOpKindCount ? &kOps[size_t(kind)] : nullptr;
}

}  // namespace

const char* op_kind_name(LdpuOpKind kind) {
    const OpSpec* s = spec_of(kind);
    return s ? s->name : "unknown";
}

uint32_t op_default_cycles(LdpuOpKind kind) {
    const OpSpec* s = spec_of(kind);
    return s ? s->default_cycles : 1;
}

const char* op_cycles_note(LdpuOpKind kind) {
    const OpSpec* s = spec_of(kind);
    return s ? s->cycles_note : "";
}

VectorShape check_op(const LdpuOp& op, size_t index, const VectorShape& in) {
    const OpSpec* s = spec_of(op.kind);
    if (!s)
        throw std::invalid_argument("LDPU chain op " + std::to_string(index) + ": field 'kind' = " +
                                    std::to_string(uint32_t(op.kind)) + " is not a known op");
    return s->check(op, index, in);
}

void run_op(const LdpuOp& op, const OpContext& ctx, LdpuVector& v, OpStats& stats) {
    const OpSpec* s = spec_of(op.kind);
    if (!s) throw std::invalid_argument("LDPU chain op " + std::to_string(ctx.index) + ": field 'kind' is not a known op");
    s->run(op, ctx, v, stats);
}

OpWork op_work(const LdpuOp& op, const VectorShape& in, const VectorShape& out, uint32_t lut_bits_per_lookup) {
    const OpSpec* s = spec_of(op.kind);
    if (!s) throw std::invalid_argument("op_work: unknown op kind " + std::to_string(uint32_t(op.kind)));
    OpWork w;
    w.kind = op.kind;
    w.elements = out.length;
    s->work(op, in, out, lut_bits_per_lookup, w);
    return w;
}

}  // namespace aimc::dpu
