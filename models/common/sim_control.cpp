#include "common/sim_control.h"

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
    }
    return "?";
}

}  // namespace aimc
