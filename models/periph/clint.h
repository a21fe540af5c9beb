// Core-local interruptor: the machine timer (mtime/mtimecmp -> MTIP) and software interrupt (MSIP).
#pragma once

#include "common/params.h"
#include "common/register_target.h"
#include "interface/platform.h"

namespace aimc::periph {

struct ClintParams {
    uint64_t base = iface::platform::CLINT_BASE;
    double timebase_hz = 10e6;  // as QEMU virt, so firmware timing code behaves alike on both
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("timebase_hz", timebase_hz, "Hz", "Frequency at which mtime counts", 1, 10e9);
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Clint : public RegisterTarget {
public:
    sc_core::sc_out<bool> msip;
    sc_core::sc_out<bool> mtip;

    Clint(sc_core::sc_module_name name, const ClintParams& params);

    // mtime at simulated time t (also what the CPU's `time` CSR reads).
    uint64_t mtime_at(const sc_core::sc_time& t) const;

private:
    void update_timer();  // SC_METHOD: drives mtip, schedules the next compare match
    void update_msip();   // SC_METHOD: drives msip from the MSIP register
    uint64_t mtimecmp() const;

    double timebase_hz_;
    int64_t mtime_offset_ = 0;  // set by firmware writes to MTIME
    sc_core::sc_event timer_changed_;
    sc_core::sc_event_queue msip_changed_;
};

}  // namespace aimc::periph
