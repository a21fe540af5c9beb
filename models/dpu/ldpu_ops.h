// The operations of the local digital processing unit (LDPU) and the chains firmware builds from them.
//
// An LDPU chain post-processes the vector an MVM returns (one int32 accumulator or ADC code per
// column) before it is stored or sent on: partial-sum add, per-column affine (FP16 FMA as the IBM
// 64-core chip, or int16 fixed point), ReLU / max / clip, tanh and sigmoid through the activation LUT,
// requantization to int8..int16, residual add and pooling. Each op is one row of a table (name, static
// check, numerics, elementary work), so validation, execution and the cost model cannot disagree.
//
// Data: a chain carries one vector whose format (int of 2..32 bits, or FP16) and length are known
// statically; ops check both. Values are held as doubles, which represent every int32 and every FP16
// value exactly; each op rounds into its output format (round to nearest even) and counts every value
// it saturates. Pooling reads the vector as an H x W x C tensor with the channel fastest (HWC): one
// MVM of a convolution mapped column-wise yields the C output channels of one pixel, so consecutive
// MVM outputs of a row of pixels concatenate into this layout.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "dpu/half_float.h"

namespace aimc::dpu {

class ActivationLut;

// ---- data ----------------------------------------------------------------------------------------

struct DataFormat {
    enum class Type { kInt, kFp16 };
    Type type = Type::kInt;
    uint32_t bits = 32;  // 2..32 for kInt, 16 for kFp16

    static DataFormat integer(uint32_t b) { return {Type::kInt, b}; }
    static DataFormat fp16() { return {Type::kFp16, 16}; }
    bool is_fp16() const { return type == Type::kFp16; }
    bool is_int() const { return type == Type::kInt; }
    double min() const;  // integer range; +-inf for FP16
    double max() const;
    std::string name() const;  // "int8", "int32", "fp16"
    friend bool operator==(DataFormat a, DataFormat b) { return a.type == b.type && a.bits == b.bits; }
    friend bool operator!=(DataFormat a, DataFormat b) { return !(a == b); }
};

// The vector a chain works on. Every value is exactly representable in `format`.
struct LdpuVector {
    DataFormat format;
    Eigen::VectorXd values;

    Eigen::VectorXi to_int32() const;             // throws std::logic_error if format is FP16
    std::vector<int8_t> to_int8() const;          // throws std::logic_error unless int of <= 8 bits
    std::vector<uint16_t> to_fp16_bits() const;   // throws std::logic_error unless FP16
};

// ---- ops -----------------------------------------------------------------------------------------

enum class LdpuOpKind : uint32_t {
    kPartialSumAdd,  // int32: y = x + operand[k] for each listed operand, saturating (or error) per add
    kAffineFp16,     // int/FP16 -> FP16: y = fma(half(x), scale[c], offset[c]), one rounding
    kAffineFixed,    // int -> int32: y = sat32(rne(x * scale[c] / 2^shift) + offset[c])
    kRelu,           // any: y = max(x, 0)
    kMax,            // any: y = max(x, lo)
    kClip,           // any: y = min(max(x, lo), hi)   (ReLU6: lo = 0, hi = 6)
    kTanh,           // any: y = tanh_lut(x)
    kSigmoid,        // any: y = 0.5 * tanh_lut(x / 2) + 0.5
    kRequantize,     // int/FP16 -> int<out_bits>: y = sat(rne(x * multiplier / 2^shift))
    kEltwiseAdd,     // int<=16 -> int<out_bits>: y = sat(rne((x * multiplier + b * multiplier_b) / 2^shift))
    kMaxPool,        // any, HWC tensor -> pooled HWC tensor: max over each window
    kAvgPool,        // any, HWC tensor -> pooled HWC tensor: rne(mean over each window)
    kCount
};
constexpr size_t kLdpuOpKindCount = size_t(LdpuOpKind::kCount);
const char* op_kind_name(LdpuOpKind kind);  // "affine_fp16"; "unknown" outside the enum
uint32_t op_default_cycles(LdpuOpKind kind);  // default cycles per lane group (ldpu_cost.h)
const char* op_cycles_note(LdpuOpKind kind);  // what those cycles cover

enum class OverflowPolicy { kSaturate, kError };

// An HWC int8/... tensor of height x width x channels in the vector (channel fastest), pooled with a
// kernel_h x kernel_w window at the given strides, no padding: out = (in - kernel) / stride + 1.
// A 1D pool over positions is height = 1.
struct PoolWindow {
    uint32_t height = 1, width = 1, channels = 1;
    uint32_t kernel_h = 1, kernel_w = 1;
    uint32_t stride_h = 1, stride_w = 1;
    uint32_t out_height() const { return kernel_h <= height && stride_h ? (height - kernel_h) / stride_h + 1 : 0; }
    uint32_t out_width() const { return kernel_w <= width && stride_w ? (width - kernel_w) / stride_w + 1 : 0; }
};

// One op of a chain. Which fields an op reads is listed per field; the factories below fill them.
struct LdpuOp {
    LdpuOpKind kind = LdpuOpKind::kRelu;
    // affine_fp16: per-column FP16 scale and offset (length N, or 1 to broadcast).
    std::vector<Half> scale_fp16, offset_fp16;
    // affine_fixed: per-column int16 scale and int32 offset (length N, or 1 to broadcast).
    std::vector<int32_t> scale, offset;
    // affine_fixed (0..31), requantize (0..62), eltwise_add (0..31): right shift with rne rounding.
    uint32_t shift = 0;
    // requantize, eltwise_add: int16 multipliers (x and the operand).
    int32_t multiplier = 1, multiplier_b = 1;
    // requantize, eltwise_add: output width, 2..16 bits.
    uint32_t out_bits = 8;
    // max (lo), clip (lo, hi): must be exact values of the vector's format.
    double lo = 0, hi = 0;
    // tanh, sigmoid on integer data: x_real = x / 2^in_frac_bits, y = sat(rne(f(x_real) * 2^out_frac_bits)).
    uint32_t in_frac_bits = 0, out_frac_bits = 0;
    // partial_sum_add (one or more), eltwise_add (exactly one): indices into run_chain's operands.
    std::vector<uint32_t> operands;
    OverflowPolicy overflow = OverflowPolicy::kSaturate;  // partial_sum_add
    PoolWindow pool;                                      // max_pool, avg_pool

    static LdpuOp partial_sum_add(std::vector<uint32_t> operands, OverflowPolicy policy = OverflowPolicy::kSaturate);
    static LdpuOp affine_fp16(std::vector<Half> scale, std::vector<Half> offset);
    static LdpuOp affine_fixed(std::vector<int32_t> scale, std::vector<int32_t> offset, uint32_t shift);
    static LdpuOp relu();
    static LdpuOp max(double lo);
    static LdpuOp clip(double lo, double hi);
    static LdpuOp tanh(uint32_t in_frac_bits = 0, uint32_t out_frac_bits = 0);
    static LdpuOp sigmoid(uint32_t in_frac_bits = 0, uint32_t out_frac_bits = 0);
    static LdpuOp requantize(int32_t multiplier, uint32_t shift, uint32_t out_bits = 8);
    static LdpuOp eltwise_add(uint32_t operand, int32_t multiplier_a, int32_t multiplier_b, uint32_t shift,
                              uint32_t out_bits = 8);
    static LdpuOp max_pool(const PoolWindow& window);
    static LdpuOp avg_pool(const PoolWindow& window);
};

using LdpuChain = std::vector<LdpuOp>;

// Format and length of the vector between two ops.
struct VectorShape {
    DataFormat format;
    size_t length = 0;
};

// Events an op counts while it runs. Nothing is clamped without being counted.
struct OpStats {
    uint64_t saturated = 0;      // values clamped to the output integer range (incl. int32 overflow)
    uint64_t fp16_overflow = 0;  // finite inputs whose FP16 result became +-inf
    uint64_t nan = 0;            // NaN results produced (inf * 0, inf - inf), and NaNs mapped to 0 by a conversion
    uint64_t lut_clamped = 0;    // activation inputs beyond the LUT's input range
    OpStats& operator+=(const OpStats& o);
};

// ---- elementary work -----------------------------------------------------------------------------

// Elementary operations the cost model prices (Horowitz ISSCC 2014 classes; see ldpu_cost.h).
enum class Action : uint32_t {
    kAdd8, kAdd16, kAdd32,     // integer add / compare / round of that width
    kMult8, kMult16, kMult32,  // integer multiply
    kFp16Add, kFp16Mult,       // FP16 add, multiply (an FMA is one of each)
    kSramRead32,               // 32 bits read from an 8 KB SRAM (parameters, LUT, operand buffers)
    kCount
};
constexpr size_t kActionCount = size_t(Action::kCount);

// What one op does over its vector, from its parameters and shapes only (no numerics).
struct OpWork {
    LdpuOpKind kind = LdpuOpKind::kRelu;
    uint64_t elements = 0;        // values produced
    uint64_t steps_per_element = 1;  // sequential passes per value (operands added, window size)
    std::array<double, kActionCount> actions{};  // elementary operations, whole op
};

// ---- per-op entry points (the chain executor in ldpu.h strings them together) --------------------

struct OpContext {
    size_t index = 0;  // position in the chain, for messages
    const ActivationLut* lut = nullptr;
    const std::vector<Eigen::VectorXi>* operands = nullptr;
};

// Checks the op's parameters against its input shape; returns the output shape. Throws
// std::invalid_argument "LDPU chain op <i> (<name>): field '<field>' ...".
VectorShape check_op(const LdpuOp& op, size_t index, const VectorShape& in);
// Runs the op in place (v's format and length change as check_op says). Checks operands present and
// of the right length and range (std::invalid_argument); partial_sum_add with OverflowPolicy::kError
// throws std::overflow_error on int32 overflow.
void run_op(const LdpuOp& op, const OpContext& ctx, LdpuVector& v, OpStats& stats);
// Elementary work of an op that check_op accepted, for a LUT reading `lut_bits_per_lookup` per value.
OpWork op_work(const LdpuOp& op, const VectorShape& in, const VectorShape& out, uint32_t lut_bits_per_lookup);

}  // namespace aimc::dpu
