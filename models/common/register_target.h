// A memory-mapped device whose bus interface is a register bank, and optionally memories beside it in
// its window (a tile's buffers): the TLM target side shared by every peripheral (decode, access
// checks, latency), so each device only declares its registers and memories and what accesses do.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/register_bank.h"

namespace aimc {

class RegisterTarget : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<RegisterTarget> socket;

    // `access_latency`: time added to every register access's delay (the device's bus-interface cost).
    RegisterTarget(sc_core::sc_module_name name, const std::string& map_block, sc_core::sc_time access_latency);

    RegisterBank& regs() { return bank_; }
    virtual void reset() { bank_.reset(); }

    // A memory in the window: accesses of any length inside [base, base + data.size()) read and write
    // `data`; one that runs past its end is an address error. `on_access` (not called for debug or
    // ignore accesses) adds the access's delay and does its side effects; the register latency does
    // not apply.
    //
    // The bytes are allocated (zeroed) on the first write or the first bytes() call: a memory nothing
    // writes costs no host memory, and reads of it return zeros.
    struct Memory {
        std::string name;
        uint32_t base = 0;
        size_t size = 0;
        std::function<void(tlm::tlm_generic_payload& tx, uint32_t offset, sc_core::sc_time& delay)> on_access;

        uint8_t* bytes() {
            if (!data_) data_ = std::make_unique<uint8_t[]>(size);
            return data_.get();
        }
        bool allocated() const { return data_ != nullptr; }

    private:
        std::unique_ptr<uint8_t[]> data_;
    };

protected:
    // Adds a memory (while the device is built); the reference stays valid.
    Memory& add_memory(std::string name, uint32_t base, size_t size);
    // Local time of the access in progress (sc_time_stamp() + the initiator's annotated delay),
    // for registers whose value depends on time (timers, counters).
    sc_core::sc_time access_time() const { return access_time_; }
    // True while serving a debug access (loader, debugger): callbacks skip their side effects.
    bool debug_access() const { return debug_; }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& tx);
    bool access(tlm::tlm_generic_payload& tx, sc_core::sc_time* delay);
    bool access_register(tlm::tlm_generic_payload& tx);
    void fail(tlm::tlm_generic_payload& tx, tlm::tlm_response_status status, const char* why);

    RegisterBank bank_;
    std::deque<Memory> memories_;  // a deque: add_memory's references stay valid
    sc_core::sc_time latency_;
    sc_core::sc_time access_time_;
    bool debug_ = false;
};

}  // namespace aimc
