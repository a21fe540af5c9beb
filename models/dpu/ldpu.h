// The local digital processing unit (LDPU) of an analog tile: runs a chain of post-processing ops
// (ldpu_ops.h) over the int32 vector an MVM returns, and prices a chain (ldpu_cost.h) without running
// it. Plain C++: the SystemC tile model calls run_chain() for the numbers and cost() for the latency
// and energy it charges.
//
//   Ldpu ldpu(params);
//   LdpuChain chain = {LdpuOp::affine_fp16(scale, offset), LdpuOp::relu(), LdpuOp::requantize(1, 0, 8)};
//   LdpuResult r = ldpu.run_chain(chain, mvm_out);    // r.output (int8 values), r.stats (saturations, ...)
//   LdpuCost c = ldpu.cost(chain, mvm_out.size());    // c.cycles, c.latency_s, c.energy_pj, per op
#pragma once

#include <vector>

#include <Eigen/Core>

#include "config/params.h"
#include "dpu/activation_lut.h"
#include "dpu/ldpu_cost.h"
#include "dpu/ldpu_ops.h"

namespace aimc::dpu {

struct LdpuParams {
    uint32_t max_columns = 1024;  // longest vector the LDPU buffers
    LdpuCostParams cost;
    ActivationLutParams tanh_lut;

    void describe(ParamVisitor& v) {
        v.param("max_columns", max_columns, "", "Longest input vector (columns) a chain may process", 1, 65536);
        cost.describe(v);  // lanes, clock_hz, cycles.*, energy.*
        v.group("tanh_lut", tanh_lut, "Activation lookup table (tanh; sigmoid derived from it)");
    }
};

struct LdpuStats {
    std::vector<OpStats> per_op;  // in chain order
    OpStats total;
};

struct LdpuResult {
    LdpuVector output;
    LdpuStats stats;
};

class Ldpu {
public:
    // Checks every parameter against its declared range (std::invalid_argument naming the key).
    explicit Ldpu(const LdpuParams& params = {});

    // Checks a chain for an input of n int32 columns; returns the shapes between ops (shapes[0] is
    // the input, shapes[i + 1] the output of op i). Throws std::invalid_argument naming the op index
    // and the field: unknown op, mismatched lengths, shifts or bit widths out of range, constants
    // the data format cannot hold, wrong input format, empty or too long input.
    std::vector<VectorShape> validate(const LdpuChain& chain, size_t n) const;

    // Runs the chain. `operands` holds the other vectors ops refer to by index: partial sums from
    // other crossbars (int32), residual inputs (values of the chain's integer format at that op).
    LdpuResult run_chain(const LdpuChain& chain, Eigen::Ref<const Eigen::VectorXi> input,
                         const std::vector<Eigen::VectorXi>& operands = {}) const;

    // Latency and energy of the chain for n input columns, from parameters only (validates first).
    LdpuCost cost(const LdpuChain& chain, size_t n) const;

    const LdpuParams& params() const { return params_; }
    const ActivationLut& lut() const { return lut_; }

private:
    LdpuParams params_;
    ActivationLut lut_;
};

}  // namespace aimc::dpu
