// The NoC as a SystemC block: TLM sockets around the plain-C++ mesh engine (mesh_network.h).
//
// Every transaction that crosses the chip asks MeshNetwork when its packet arrives and what it cost,
// adds that latency to the TLM delay, charges the energy where it is spent (ledger + CostExtension),
// and only then is forwarded to its destination, which adds its own latency:
//
//   host_port  (from the host bus; addresses relative to chip_base)  -> tile t = addr / tile_window
//   from_tile[s] (tile s's NoC initiator; global addresses)
//        in [chip_base, chip_base + tiles * tile_window)             -> tile t
//        anywhere else                                              -> memory_port (global address)
//   to_tile[t]  (to tile t's target socket; window-relative addresses)
//
// Packets: a write is one packet carrying the payload; a read is a request packet (no payload: one
// flit, plus header_flits) to the destination and, after the destination has answered, a response
// packet with the data back. Header flits are added by the engine per its parameters. An address
// past the last tile, or an access crossing a tile window's end, is a TLM_ADDRESS_ERROR_RESPONSE and
// sends nothing. Debug transport passes through untimed and uncosted; DMI is never granted (every
// access must cross the mesh to be timed).
//
// Energy: per packet, flits x hops x energy_per_flit_router under (<name>, "router") and flits x hops
// x energy_per_flit_link under (<name>, "link"), each counting flit-hops; the sum is added to the
// transaction's CostExtension. Static power: static_power_per_router x W x H.
//
// VCD (after trace_to()): per directed link, on its first use, an integer signal
// <name>.link_x<x>_y<y>_<dir> (mesh), <name>.inject_<port> / <name>.eject_<port> (local links, ports
// "tile_x<x>_y<y>", "host", "memory") holding the bytes on the wire (flits x flit_bytes) while a packet
// occupies the link and 0 when it is idle, recorded at the bookings' start and end times.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "common/energy_ledger.h"
#include "noc/mesh_network.h"
#include "noc/noc_params.h"

namespace aimc {
class VcdTracer;
}

namespace aimc::noc {

class Noc : public sc_core::sc_module, private BookingObserver {
public:
    tlm_utils::simple_target_socket<Noc> host_port;        // from the host bus (chip-relative addresses)
    tlm_utils::simple_initiator_socket<Noc> memory_port;   // to the host bus (global addresses)
    sc_core::sc_vector<tlm_utils::simple_target_socket_tagged<Noc>> from_tile;   // tile t's `noc` binds here
    sc_core::sc_vector<tlm_utils::simple_initiator_socket_tagged<Noc>> to_tile;  // binds tile t's `socket`

    // `chip_base`: bus address of tile 0's window; `tile_window`: bytes per tile window. Throws
    // aimc::ConfigError for bad parameters (NocParams::validate) or a zero window.
    Noc(sc_core::sc_module_name name, const NocParams& params, uint64_t chip_base, uint64_t tile_window,
        EnergyLedger& ledger);
    // Before sc_start: records link occupancy into the platform's trace (a link on its first use).
    void trace_to(VcdTracer& vcd) {
        tracer_ = &vcd;
        net_.set_observer(this);
    }

    const MeshNetwork& network() const { return net_; }
    unsigned tile_count() const { return tiles_; }
    uint64_t chip_base() const { return chip_base_; }
    uint64_t tile_window() const { return window_; }
    PortId host_port_id() const { return host_; }
    PortId memory_port_id() const { return memory_; }

private:
    void end_of_elaboration() override;
    void host_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned host_transport_dbg(tlm::tlm_generic_payload& tx);
    bool host_get_dmi(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    void tile_b_transport(int id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned tile_transport_dbg(int id, tlm::tlm_generic_payload& tx);
    bool tile_get_dmi(int id, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);

    // The tile whose window holds [offset, offset + len) (offset relative to chip_base), or tiles_ if
    // none does (past the last tile, or crossing a window's end).
    unsigned decode(uint64_t offset, unsigned len) const;
    // Request (and for reads, response) packets around the destination's b_transport.
    template <class Forward>
    void deliver(PortId src, PortId dst, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, Forward&& forward);
    // One packet injected at the initiator's local time; adds its latency to `delay` and charges it.
    void send(PortId src, PortId dst, uint64_t bytes, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    void booked(LinkId link, Ps start, Ps end, uint32_t flits, uint64_t bytes) override;
    std::string link_signal_name(LinkId link) const;

    MeshNetwork net_;
    EnergyLedger& ledger_;
    EnergyLedger::Account router_account_, link_account_;
    uint64_t chip_base_, window_;
    int window_shift_ = -1;  // log2(window) when it is a power of two
    unsigned tiles_;
    PortId host_, memory_;
    double energy_router_, energy_link_;

    // The tiles' forward interfaces, dense (filled when binding is complete): one load instead of an
    // sc_vector element and its port, and something to prefetch while the engine books the links.
    std::vector<tlm::tlm_fw_transport_if<>*> tile_fw_;

    VcdTracer* tracer_ = nullptr;
    std::vector<int> link_signal_;  // per link id: VCD signal, or kUnregistered
};

}  // namespace aimc::noc
