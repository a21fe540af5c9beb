#include "common/sim_control.h"

#include <csignal>
#include <cstring>

#include <systemc>

namespace aimc {

void SimControl::finish(Reason reason, int exit_code, std::string message) {
    if (finished()) return;
    reason_ = reason;
    exit_code_ = exit_code;
    message_ = std::move(message);
    for (auto& hook : hooks_) hook();
    sc_core::sc_stop();
}

const char* SimControl::reason_name(Reason r) {
    switch (r) {
        case Reason::Running: return "running";
        case Reason::Exit: return "exit";
        case Reason::FatalTrap: return "fatal-trap";
        case Reason::MaxTime: return "max-time";
        case Reason::Deadlock: return "deadlock";
        case Reason::Interrupted: return "interrupted";
    }
    return "?";
}

InterruptRequest::InterruptRequest(SimControl& control, std::function<std::string()> where)
    : sc_core::sc_prim_channel(sc_core::sc_gen_unique_name("interrupt")), control_(control), where_(std::move(where)) {}

void InterruptRequest::request(int signal) {
    signal_.store(signal);
    async_request_update();
}

void InterruptRequest::update() {
    const int s = signal_.load();
    control_.finish(SimControl::Reason::Interrupted, SimControl::kExitInterrupted,
                    std::string("interrupted by ") + (s == SIGTERM ? "SIGTERM" : "SIGINT") + "; the host was at " + where_());
}

}  // namespace aimc
