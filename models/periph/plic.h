// Platform-level interrupt controller: level-triggered sources with priorities, one context
// (hart 0, M-mode) with an enable mask, a threshold and claim/complete.
#pragma once

#include <vector>

#include "common/params.h"
#include "common/register_target.h"
#include "interface/platform.h"
#include "interface/plic.h"

namespace aimc::periph {

struct PlicParams {
    uint64_t base = iface::platform::PLIC_BASE;
    uint32_t num_sources = 96;  // 1..95: uart, DMA and 64 tiles on the default platforms
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("num_sources", num_sources, "", "Interrupt sources including the reserved source 0", 2, iface::plic::MAX_SOURCES);
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Plic : public RegisterTarget {
public:
    sc_core::sc_vector<sc_core::sc_in<bool>> sources;  // index 0 is unused (bind it to a tie-off)
    sc_core::sc_out<bool> meip;

    Plic(sc_core::sc_module_name name, const PlicParams& params);
    unsigned num_sources() const { return static_cast<unsigned>(sources.size()); }

private:
    void sample_sources();  // SC_METHOD on any source change
    void update_output();   // SC_METHOD: meip from pending & enabled & priority > threshold
    uint32_t claim();
    void complete(uint32_t source);
    bool enabled(unsigned n) const;

    std::vector<bool> pending_;
    std::vector<bool> claimed_;  // claimed and not yet completed: the source's gateway is closed
    sc_core::sc_event changed_;
};

}  // namespace aimc::periph
