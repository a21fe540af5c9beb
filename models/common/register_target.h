// A memory-mapped device whose bus interface is a register bank: the TLM target side shared by
// every peripheral (decode, access checks, latency), so each device only declares its registers
// and what reads and writes of them do.
#pragma once

#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/register_bank.h"

namespace aimc {

class RegisterTarget : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<RegisterTarget> socket;

    // `access_latency`: time added to every transaction's delay (the device's bus-interface cost).
    RegisterTarget(sc_core::sc_module_name name, const std::string& map_block, sc_core::sc_time access_latency);

    RegisterBank& regs() { return bank_; }
    virtual void reset() { bank_.reset(); }

protected:
    // Local time of the access in progress (sc_time_stamp() + the initiator's annotated delay),
    // for registers whose value depends on time (timers, counters).
    sc_core::sc_time access_time() const { return access_time_; }
    // True while serving a debug access (loader, debugger): callbacks skip their side effects.
    bool debug_access() const { return debug_; }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& tx);
    bool access(tlm::tlm_generic_payload& tx);

    RegisterBank bank_;
    sc_core::sc_time latency_;
    sc_core::sc_time access_time_;
    bool debug_ = false;
};

}  // namespace aimc
