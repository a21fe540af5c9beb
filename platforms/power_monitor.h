// Samples the platform's power and cumulative energy into the VCD at a fixed interval: the chip's
// power as a waveform. Exists only while tracing, so a run without --vcd pays nothing.
#pragma once

#include <systemc>

#include "common/energy_ledger.h"
#include "common/vcd_tracer.h"

namespace aimc::platform {

class PowerMonitor : public sc_core::sc_module {
public:
    // `flush` makes lazily accounting blocks (the CPU) post their energy before each sample.
    PowerMonitor(sc_core::sc_module_name name, VcdTracer& tracer, EnergyLedger& ledger, sc_core::sc_time interval,
                 std::function<void()> flush);

private:
    void sample();

    VcdTracer& tracer_;
    EnergyLedger& ledger_;
    sc_core::sc_time interval_;
    std::function<void()> flush_;
    VcdTracer::Signal power_, energy_;
    double last_j_ = 0;
};

}  // namespace aimc::platform
