// A test initiator: issues timed reads and writes to one target and tracks local time.
#pragma once

#include <cstdint>
#include <cstring>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include "support/tlm_payload.h"

namespace aimc::test {

struct TlmProbe : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<TlmProbe> socket{"socket"};
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;

    explicit TlmProbe(sc_core::sc_module_name n) : sc_module(n) {}

    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        prepare_payload(tx, cmd, addr, data, len);
        socket->b_transport(tx, delay);
        return tx.get_response_status();
    }
    uint32_t read32(uint64_t addr, tlm::tlm_response_status* st = nullptr) {
        uint32_t v = 0;
        const auto s = access(tlm::TLM_READ_COMMAND, addr, &v, 4);
        if (st) *st = s;
        return v;
    }
    tlm::tlm_response_status write32(uint64_t addr, uint32_t v) { return access(tlm::TLM_WRITE_COMMAND, addr, &v, 4); }
    uint8_t read8(uint64_t addr) {
        uint8_t v = 0;
        access(tlm::TLM_READ_COMMAND, addr, &v, 1);
        return v;
    }
    tlm::tlm_response_status write8(uint64_t addr, uint8_t v) { return access(tlm::TLM_WRITE_COMMAND, addr, &v, 1); }
};

}  // namespace aimc::test
