// A stand-in for an analog tile in NoC and DMA test benches: a byte array behind a target socket
// (window-relative addresses) with a fixed latency and a fixed energy per access, and a NoC initiator
// the test drives directly (global addresses).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "common/cost_extension.h"
#include "support/tlm_payload.h"

namespace aimc::test {

struct FakeTile : sc_core::sc_module {
    tlm_utils::simple_target_socket<FakeTile> socket{"socket"};
    tlm_utils::simple_initiator_socket<FakeTile> noc{"noc"};
    std::vector<uint8_t> mem;
    sc_core::sc_time latency;
    double energy_per_access;
    sc_core::sc_time last_arrival;  // local time at which the last access reached this tile
    unsigned accesses = 0;

    FakeTile(sc_core::sc_module_name n, std::size_t size, sc_core::sc_time latency_ = sc_core::sc_time(7, sc_core::SC_NS),
             double energy = 1e-12)
        : sc_module(n), mem(size, 0), latency(latency_), energy_per_access(energy) {
        socket.register_b_transport(this, &FakeTile::b_transport);
        socket.register_transport_dbg(this, &FakeTile::transport_dbg);
    }

    bool copy(tlm::tlm_generic_payload& tx) {
        const uint64_t a = tx.get_address();
        const unsigned len = tx.get_data_length();
        if (a >= mem.size() || len > mem.size() - a) {
            tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return false;
        }
        if (tx.is_read()) std::memcpy(tx.get_data_ptr(), &mem[a], len);
        else if (tx.is_write()) std::memcpy(&mem[a], tx.get_data_ptr(), len);
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        return true;
    }
    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
        last_arrival = sc_core::sc_time_stamp() + delay;
        ++accesses;
        if (!copy(tx)) return;
        delay += latency;
        add_cost(tx, energy_per_access);
    }
    unsigned transport_dbg(tlm::tlm_generic_payload& tx) { return copy(tx) ? tx.get_data_length() : 0; }

    // An access through this tile's NoC initiator at local time sc_time_stamp() + delay.
    tlm::tlm_response_status send(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len, sc_core::sc_time& delay,
                                  CostExtension* cost = nullptr) {
        tlm::tlm_generic_payload tx;
        prepare_payload(tx, cmd, addr, data, len);
        if (cost) tx.set_extension(cost);
        noc->b_transport(tx, delay);
        if (cost) tx.clear_extension(cost);
        return tx.get_response_status();
    }
    unsigned debug(tlm::tlm_command cmd, uint64_t addr, void* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        prepare_payload(tx, cmd, addr, data, len);
        return noc->transport_dbg(tx);
    }
};

}  // namespace aimc::test
