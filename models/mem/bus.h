// The host bus: decodes addresses to the mapped targets, forwards DMI and debug accesses, and
// answers unmapped addresses with a TLM address error (the CPU turns that into an access fault).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "common/params.h"

namespace aimc::mem {

struct BusParams {
    double latency = 1e-9;  // added to every forwarded transaction

    void describe(ParamVisitor& v) { v.param("latency", latency, "s", "Decode and transfer latency per transaction", 0, 1e-3); }
};

class Bus : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<Bus> target;       // initiators bind here
    tlm_utils::multi_passthrough_initiator_socket<Bus> initiator;  // targets bind here, via map()

    Bus(sc_core::sc_module_name name, const BusParams& params);

    // Binds `socket` and maps [base, base + size) to it; targets see addresses relative to base.
    // Overlapping ranges are a configuration error naming both targets.
    template <class Socket>
    void map(Socket& socket, uint64_t base, uint64_t size, const std::string& target_name) {
        add_range(base, size, target_name);
        initiator.bind(socket);
    }

    struct Range {
        uint64_t base, size;
        std::string name;
        unsigned port;
    };
    const std::vector<Range>& ranges() const { return ranges_; }
    // The mapped target holding `addr`, or nullptr.
    const Range* decode(uint64_t addr) const;

private:
    void add_range(uint64_t base, uint64_t size, const std::string& name);
    void b_transport(int id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned transport_dbg(int id, tlm::tlm_generic_payload& tx);
    bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);

    sc_core::sc_time latency_;
    std::vector<Range> ranges_;
};

}  // namespace aimc::mem
