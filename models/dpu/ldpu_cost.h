// Cost of an LDPU chain: cycles from the SIMD width and per-op cycle counts, energy from the
// elementary operations each op performs (ldpu_ops.h: OpWork) priced with the Horowitz ISSCC 2014
// 45 nm energy-per-operation table, scaled to the target node by one technology factor.
//
//   op cycles    = op_startup + ceil(elements / lanes) * steps_per_element * cycles[kind]
//   chain cycles = chain_startup + sum of op cycles          (ops run one after the other)
//   latency      = chain cycles / clock_hz
//   energy       = technology_factor * sum over actions of count * energy_45nm[action]
//
// Computed from the chain's parameters and N only: no numerics run.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/params.h"
#include "dpu/ldpu_ops.h"

namespace aimc::dpu {

struct ActionInfo {
    const char* name;         // parameter key, e.g. "fp16_mult_pj"
    double default_pj;        // at 45 nm
    const char* description;  // with its source
};
const ActionInfo& action_info(Action a);

struct LdpuEnergyParams {
    // 45 nm -> 14 nm. *assumed*: first-order C V^2 scaling, C ~ feature size (14/45 = 0.31) and
    // V from 0.9 V to 0.8 V ((0.8/0.9)^2 = 0.79): 0.31 * 0.79 = 0.25. Not from REFERENCE.md.
    double technology_factor = 0.25;
    std::array<double, kActionCount> pj_45nm = defaults();

    static std::array<double, kActionCount> defaults();
    void describe(ParamVisitor& v);
};

struct LdpuCycleParams {
    std::array<uint32_t, kLdpuOpKindCount> per_kind = defaults();  // per lane group and step
    uint32_t op_startup = 2;     // *assumed*: pipeline fill and parameter-pointer set-up per op
    uint32_t chain_startup = 4;  // *assumed*: reading the chain descriptor

    static std::array<uint32_t, kLdpuOpKindCount> defaults();
    void describe(ParamVisitor& v);
};

struct LdpuCostParams {
    uint32_t lanes = 16;   // *assumed*: 256 columns in 16 cycles per op, well inside a ~130 ns MVM
    double clock_hz = 1e9; // HERMES digital clock (REFERENCE.md)
    LdpuCycleParams cycles;
    LdpuEnergyParams energy;

    void describe(ParamVisitor& v) {
        v.param("lanes", lanes, "", "SIMD lanes: columns processed per cycle", 1, 4096);
        v.param("clock_hz", clock_hz, "Hz", "LDPU clock", 1e6, 10e9);
        v.group("cycles", cycles, "Cycles per lane group, per op kind");
        v.group("energy", energy, "Energy per elementary operation at 45 nm and the technology scaling");
    }
};

struct OpCost {
    LdpuOpKind kind = LdpuOpKind::kRelu;
    uint64_t elements = 0;
    uint64_t cycles = 0;
    double energy_pj = 0;
    std::array<double, kActionCount> actions{};  // elementary operations counted
    double energy_j() const { return energy_pj * 1e-12; }  // for EnergyLedger::add
};

struct LdpuCost {
    std::vector<OpCost> ops;
    uint64_t cycles = 0;   // including chain_startup
    double latency_s = 0;
    double energy_pj = 0;  // at the target node
    double energy_j() const { return energy_pj * 1e-12; }
};

// Prices the ops' work (one OpWork per op, in chain order).
LdpuCost price_chain(const LdpuCostParams& params, const std::vector<OpWork>& work);

}  // namespace aimc::dpu
