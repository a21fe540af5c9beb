#include "power_monitor.h"

namespace aimc::platform {

PowerMonitor::PowerMonitor(sc_core::sc_module_name name, VcdTracer& tracer, EnergyLedger& ledger,
                           sc_core::sc_time interval, std::function<void()> flush)
    : sc_module(name),
      tracer_(tracer),
      ledger_(ledger),
      interval_(interval),
      flush_(std::move(flush)),
      power_(tracer.add_real(this->name(), "power_w")),
      energy_(tracer.add_real(this->name(), "energy_j")) {
    tracer.allow_lag(interval);  // the average power is stamped at its interval's start
    SC_HAS_PROCESS(PowerMonitor);
    SC_METHOD(sample);
}

void PowerMonitor::sample() {
    if (flush_) flush_();
    const double now = sc_core::sc_time_stamp().to_seconds();
    const double total = ledger_.total_j(now);
    // Average power over the interval that just ended, stamped at its start.
    const sc_core::sc_time start = sc_core::sc_time_stamp() > interval_ ? sc_core::sc_time_stamp() - interval_ : sc_core::SC_ZERO_TIME;
    if (now > 0) tracer_.record_real(power_, (total - last_j_) / interval_.to_seconds(), start);
    tracer_.record_real(energy_, total, sc_core::sc_time_stamp());
    last_j_ = total;
    next_trigger(interval_);
}

}  // namespace aimc::platform
