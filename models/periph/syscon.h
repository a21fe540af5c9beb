// System controller: ends the run with an exit code (sifive_test-compatible finisher) and lets
// firmware read the simulated time and the energy spent so far.
#pragma once

#include "common/energy_ledger.h"
#include "common/params.h"
#include "common/register_target.h"
#include "common/sim_control.h"
#include "interface/platform.h"

namespace aimc::periph {

struct SysconParams {
    uint64_t base = iface::platform::SYSCON_BASE;
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Syscon : public RegisterTarget {
public:
    // `flush_energy` is called before the energy counter is read, so that blocks which accumulate
    // energy lazily (the CPU, per quantum) post what they owe first.
    Syscon(sc_core::sc_module_name name, const SysconParams& params, SimControl& control, EnergyLedger& ledger,
           std::function<void()> flush_energy);

private:
    static constexpr std::size_t kRegionNameMax = 63;  // REGION_NAME keeps at most this many characters
    void finisher_write(uint32_t value);

    SimControl& control_;
    EnergyLedger& ledger_;
    std::function<void()> flush_energy_;
    uint32_t time_hi_latch_ = 0, energy_hi_latch_ = 0;
};

}  // namespace aimc::periph
