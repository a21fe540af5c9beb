#include "periph/syscon.h"

#include <cmath>

#include "interface/syscon.h"
#include "common/log.h"

namespace aimc::periph {

Syscon::Syscon(sc_core::sc_module_name name, const SysconParams& params, SimControl& control, EnergyLedger& ledger,
               std::function<void()> flush_energy)
    : RegisterTarget(name, "syscon", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      control_(control),
      ledger_(ledger),
      flush_energy_(std::move(flush_energy)) {
    regs().at(iface::syscon::FINISHER).on_write = [this](unsigned, uint32_t v) {
        if (!debug_access()) finisher_write(v);
    };
    regs().at(iface::syscon::TIME_NS_LO).on_read = [this](unsigned) {
        const auto ns = static_cast<uint64_t>(std::llround(access_time().to_seconds() * 1e9));
        if (!debug_access()) time_hi_latch_ = static_cast<uint32_t>(ns >> 32);
        return static_cast<uint32_t>(ns);
    };
    regs().at(iface::syscon::TIME_NS_HI).on_read = [this](unsigned) { return time_hi_latch_; };
    regs().at(iface::syscon::ENERGY_PJ_LO).on_read = [this](unsigned) {
        if (flush_energy_) flush_energy_();
        const auto pj = static_cast<uint64_t>(std::llround(ledger_.total_j(access_time().to_seconds()) * 1e12));
        if (!debug_access()) energy_hi_latch_ = static_cast<uint32_t>(pj >> 32);
        return static_cast<uint32_t>(pj);
    };
    regs().at(iface::syscon::ENERGY_PJ_HI).on_read = [this](unsigned) { return energy_hi_latch_; };
    regs().at(iface::syscon::REGION).on_write = [this](unsigned, uint32_t v) {
        if (flush_energy_) flush_energy_();  // what was spent so far belongs to the region being left
        ledger_.set_region(v, access_time().to_seconds());
    };
    regs().at(iface::syscon::REGION_NAME).on_write = [this](unsigned, uint32_t v) {
        if (debug_access()) return;
        std::string& name = ledger_.region_name();
        if ((v & 0xFF) == 0) name.clear();
        for (int k = 0; k < 4 && ((v >> (8 * k)) & 0xFF) != 0 && name.size() < kRegionNameMax; ++k)
            name += static_cast<char>((v >> (8 * k)) & 0xFF);
    };
}

void Syscon::finisher_write(uint32_t value) {
    const uint32_t status = value & 0xFFFF;
    if (status == iface::syscon::FINISHER_PASS) {
        control_.finish(SimControl::Reason::Exit, 0, "firmware exited with code 0");
    } else if (status == iface::syscon::FINISHER_FAIL) {
        const int code = static_cast<int>(value >> 16);
        control_.finish(SimControl::Reason::Exit, code, fmt::format("firmware exited with code {}", code));
    } else {
        // Not a finisher command (QEMU ignores these too); say so, since it is almost surely a bug.
        log::warn(name(), "FINISHER write {:#x} is neither pass (0x5555) nor fail ((code << 16) | 0x3333): ignored",
                  value);
    }
}

}  // namespace aimc::periph
