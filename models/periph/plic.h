// Platform-level interrupt controller: level-triggered sources with priorities, one context
// (hart 0, M-mode) with an enable mask, a threshold and claim/complete.
#pragma once

#include "aimc/regs/plic.h"
#include "common/params.h"
#include "common/register_target.h"

namespace aimc::periph {

struct PlicParams {
    uint64_t base = 0x0C000000;
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Plic : public RegisterTarget {
public:
    static constexpr unsigned kNumSources = AIMC_PLIC_NUM_SOURCES;

    sc_core::sc_vector<sc_core::sc_in<bool>> sources;  // index 0 is unused (bind it to a tie-off)
    sc_core::sc_out<bool> meip;

    Plic(sc_core::sc_module_name name, const PlicParams& params);

private:
    void sample_sources();  // SC_METHOD on any source change
    void update_output();   // SC_METHOD: meip from pending & enabled & priority > threshold
    uint32_t claim();
    void complete(uint32_t source);

    uint32_t pending_ = 0;
    uint32_t claimed_ = 0;  // sources claimed and not yet completed: their gateway is closed
    sc_core::sc_event changed_;
};

}  // namespace aimc::periph
