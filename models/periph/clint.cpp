#include "periph/clint.h"

#include <cmath>

#include "interface/clint.h"

namespace aimc::periph {

Clint::Clint(sc_core::sc_module_name name, const ClintParams& params)
    : RegisterTarget(name, "clint", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      msip("msip"),
      mtip("mtip"),
      timebase_hz_(params.timebase_hz) {
    auto& r = regs();
    r.at(iface::clint::MSIP).on_write = [this](unsigned, uint32_t v) {
        regs().at(iface::clint::MSIP).value[0] = v & 1;  // only bit 0 exists
        msip_changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::clint::MTIMECMP_LO).on_write = [this](unsigned, uint32_t) { timer_changed_.notify(sc_core::SC_ZERO_TIME); };
    r.at(iface::clint::MTIMECMP_HI).on_write = [this](unsigned, uint32_t) { timer_changed_.notify(sc_core::SC_ZERO_TIME); };
    r.at(iface::clint::MTIME_LO).on_read = [this](unsigned) { return static_cast<uint32_t>(mtime_at(access_time())); };
    r.at(iface::clint::MTIME_HI).on_read = [this](unsigned) { return static_cast<uint32_t>(mtime_at(access_time()) >> 32); };
    auto write_mtime = [this](bool high, uint32_t v) {
        const uint64_t now = mtime_at(access_time());
        const uint64_t wanted = high ? (uint64_t{v} << 32) | (now & 0xFFFFFFFFu) : (now & ~uint64_t{0xFFFFFFFF}) | v;
        mtime_offset_ += static_cast<int64_t>(wanted - now);
        timer_changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::clint::MTIME_LO).on_write = [write_mtime](unsigned, uint32_t v) { write_mtime(false, v); };
    r.at(iface::clint::MTIME_HI).on_write = [write_mtime](unsigned, uint32_t v) { write_mtime(true, v); };

    SC_HAS_PROCESS(Clint);
    SC_METHOD(update_timer);
    sensitive << timer_changed_;
    SC_METHOD(update_msip);
    sensitive << msip_changed_;
    dont_initialize();
}

uint64_t Clint::mtime_at(const sc_core::sc_time& t) const {
    // Ticks elapsed, floored: mtime advances at each full timebase period.
    const auto ticks = static_cast<uint64_t>(std::floor(t.to_seconds() * timebase_hz_ + 1e-9));
    return ticks + static_cast<uint64_t>(mtime_offset_);
}

uint64_t Clint::mtimecmp() const {
    auto& r = const_cast<Clint*>(this)->regs();
    return (uint64_t{r.at(iface::clint::MTIMECMP_HI).value[0]} << 32) | r.at(iface::clint::MTIMECMP_LO).value[0];
}

void Clint::update_timer() {
    const uint64_t now = mtime_at(sc_core::sc_time_stamp());
    const uint64_t cmp = mtimecmp();
    mtip.write(now >= cmp);
    if (now < cmp && cmp != ~uint64_t{0}) {
        // Wake up when mtime reaches mtimecmp (tick boundary), unless firmware changes things first.
        const double exact = sc_core::sc_time_stamp().to_seconds() * timebase_hz_;
        const double into_tick = exact - std::floor(exact + 1e-9);
        const double delay_s = (static_cast<double>(cmp - now) - into_tick) / timebase_hz_;
        timer_changed_.notify(std::max(sc_core::sc_time(delay_s, sc_core::SC_SEC), sc_core::sc_get_time_resolution()));
    }
}

void Clint::update_msip() { msip.write(regs().at(iface::clint::MSIP).value[0] & 1); }

}  // namespace aimc::periph
