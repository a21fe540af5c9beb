#include "dpu/ldpu_cost.h"

#include <iterator>
#include <stdexcept>

namespace aimc::dpu {

namespace {

// Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm (REFERENCE.md section 2).
constexpr ActionInfo kActions[] = {
    {"add8_pj", 0.03, "8 b integer add / compare (Horowitz ISSCC 2014, 45 nm)"},
    {"add16_pj", 0.05, "16 b integer add / compare, FP16 compare (Horowitz ISSCC 2014, 45 nm)"},
    {"add32_pj", 0.1, "32 b integer add / compare (Horowitz ISSCC 2014, 45 nm)"},
    {"mult8_pj", 0.2, "8 b integer multiply (Horowitz ISSCC 2014, 45 nm)"},
    {"mult16_pj", 0.8, "16 b integer multiply; derived: 8 b mult x (16/8)^2, array area ~ bits^2"},
    {"mult32_pj", 3.1, "32 b integer multiply (Horowitz ISSCC 2014, 45 nm)"},
    {"fp16_add_pj", 0.4, "16 b floating-point add (Horowitz ISSCC 2014, 45 nm)"},
    {"fp16_mult_pj", 1.1, "16 b floating-point multiply (Horowitz ISSCC 2014, 45 nm)"},
    {"sram_read32_pj", 5.0, "32 b read from an 8 KB SRAM (Horowitz ISSCC 2014, 45 nm)"},
};
static_assert(std::size(kActions) == kActionCount, "one row per Action");

}  // namespace

const ActionInfo& action_info(Action a) {
    if (size_t(a) >= kActionCount) throw std::out_of_range("action_info: unknown action");
    return kActions[size_t(a)];
}

std::array<double, kActionCount> LdpuEnergyParams::defaults() {
    std::array<double, kActionCount> out{};
    for (size_t a = 0; a < kActionCount; ++a) out[a] = kActions[a].default_pj;
    return out;
}

void LdpuEnergyParams::describe(ParamVisitor& v) {
    v.param("technology_factor", technology_factor, "",
            "Energy scale from 45 nm to the target node (assumed 0.25 for 14 nm: C V^2 scaling)", 0, 10);
    for (size_t a = 0; a < kActionCount; ++a)
        v.param(kActions[a].name, pj_45nm[a], "pJ", kActions[a].description, 0, 1e6);
}

std::array<uint32_t, kLdpuOpKindCount> LdpuCycleParams::defaults() {
    std::array<uint32_t, kLdpuOpKindCount> out{};
    for (size_t k = 0; k < kLdpuOpKindCount; ++k) out[k] = op_default_cycles(LdpuOpKind(k));
    return out;
}

void LdpuCycleParams::describe(ParamVisitor& v) {
    for (size_t k = 0; k < kLdpuOpKindCount; ++k)
        v.param(op_kind_name(LdpuOpKind(k)), per_kind[k], "cycles", op_cycles_note(LdpuOpKind(k)), 1, 1024);
    v.param("op_startup", op_startup, "cycles", "Fixed cycles per op: pipeline fill, parameter pointers", 0, 1024);
    v.param("chain_startup", chain_startup, "cycles", "Fixed cycles per chain: reading the descriptor", 0, 65536);
}

LdpuCost price_chain(const LdpuCostParams& params, const std::vector<OpWork>& work) {
    if (params.lanes == 0) throw std::invalid_argument("LDPU cost: field 'lanes' must be at least 1");
    if (!(params.clock_hz > 0)) throw std::invalid_argument("LDPU cost: field 'clock_hz' must be positive");
    LdpuCost cost;
    cost.cycles = params.cycles.chain_startup;
    for (const OpWork& w : work) {
        OpCost c;
        c.kind = w.kind;
        c.elements = w.elements;
        c.actions = w.actions;
        const uint64_t groups = (w.elements + params.lanes - 1) / params.lanes;
        c.cycles = params.cycles.op_startup + groups * w.steps_per_element * params.cycles.per_kind.at(size_t(w.kind));
        for (size_t a = 0; a < kActionCount; ++a)
            c.energy_pj += w.actions[a] * params.energy.pj_45nm[a] * params.energy.technology_factor;
        cost.cycles += c.cycles;
        cost.energy_pj += c.energy_pj;
        cost.ops.push_back(c);
    }
    cost.latency_s = double(cost.cycles) / params.clock_hz;
    return cost;
}

}  // namespace aimc::dpu
