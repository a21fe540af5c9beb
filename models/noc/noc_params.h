// Parameters of the 2D-mesh NoC: size, clock, link width, per-hop latencies, energy per action, routing
// and where the host and memory ports attach. Numbers live in the platform file; these are defaults.
// Sources and assumptions for each default are in docs/models/noc.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/params.h"
#include "noc/mesh_topology.h"
#include "noc/routing.h"

namespace aimc::noc {

// Where an extra port (host, memory) attaches to the mesh.
struct PortPlacement {
    uint32_t x = 0;
    uint32_t y = 0;

    void describe(ParamVisitor& v) {
        v.param("x", x, "", "Column of the router the port attaches to (0 = west edge)", 0, kMaxMeshSide - 1);
        v.param("y", y, "", "Row of the router the port attaches to (0 = north edge)", 0, kMaxMeshSide - 1);
    }
};

struct NocParams {
    uint32_t width = 8;   // IBM 64-core chip: 8x8 grid (Le Gallo et al. 2023)
    uint32_t height = 8;
    double clock_hz = 1e9;  // HERMES digital clock, 1 GHz (Khaddam-Aljameh et al. 2022)
    uint32_t flit_bytes = 32;  // *assumed*: 256-bit links, the ISAAC router width; IBM link width unconfirmed
    uint32_t router_latency_cycles = 2;  // *assumed*: 2-stage router pipeline
    uint32_t link_latency_cycles = 1;    // *assumed*: one cycle per neighbour link
    uint32_t cycles_per_flit = 1;        // one flit per cycle per link
    uint32_t header_flits = 0;           // extra flits per packet (address/command); 0 = payload only
    // ISAAC/Accelergy router 20.74 pJ per 256 b at 32 nm, scaled to 14 nm at 0.8 V by Stillmaker & Baas
    // (x0.211): 4.37 pJ per 256-bit flit (*assumed* scaling).
    double energy_per_flit_router = 4.37e-12;
    // *assumed*: ~0.1 pJ/bit/mm for on-chip wires x 1.5 mm tile pitch (12 mm die / 8) x 256 b.
    double energy_per_flit_link = 38.4e-12;
    double static_power_per_router = 0;  // ISAAC's per-flit figure already spreads router power over traffic
    double calendar_horizon = 10e-6;     // keep link bookings this far behind the latest request (>= quantum)
    std::string routing = "xy";
    PortPlacement host;    // host bus port (host loads/stores, DMA)
    PortPlacement memory;  // memory port (DMA RAM <-> tile)

    void describe(ParamVisitor& v) {
        v.param("width", width, "", "Routers per row (mesh columns)", 1, kMaxMeshSide);
        v.param("height", height, "", "Routers per column (mesh rows)", 1, kMaxMeshSide);
        v.param("clock_hz", clock_hz, "Hz", "NoC clock (routers and links)", 1e6, 100e9);
        v.param("flit_bytes", flit_bytes, "bytes", "Link width: bytes moved per flit", 1, 4096);
        v.param("router_latency_cycles", router_latency_cycles, "cycles", "Router pipeline latency per hop", 0, 1000);
        v.param("link_latency_cycles", link_latency_cycles, "cycles", "Link traversal latency per hop", 0, 1000);
        v.param("cycles_per_flit", cycles_per_flit, "cycles", "Cycles a link is busy per flit (serialization)", 1, 1000);
        v.param("header_flits", header_flits, "flits", "Extra head flits per packet besides the payload", 0, 64);
        v.param("energy_per_flit_router", energy_per_flit_router, "J", "Router traversal energy per flit per hop", 0, 1e-9);
        v.param("energy_per_flit_link", energy_per_flit_link, "J", "Link traversal energy per flit per hop", 0, 1e-9);
        v.param("static_power_per_router", static_power_per_router, "W", "Static (leakage) power per router", 0, 10);
        v.param("calendar_horizon", calendar_horizon, "s",
                "How far behind the latest request link bookings are kept (>= the quantum)", 0, 1);
        v.choice("routing", routing, routing_names(), "Routing policy");
        v.group("host", host, "Where the host bus port attaches");
        v.group("memory", memory, "Where the memory (DMA) port attaches");
    }

    // Throws aimc::ConfigError naming the key for values outside their range (as describe() states),
    // an unknown routing, or a port outside the mesh. Platform files are checked by apply_json already;
    // this covers structs filled in code.
    void validate() const;
    // The named ports: {"host", ...}, {"memory", ...}.
    std::vector<Attachment> attachments() const;
};

}  // namespace aimc::noc
