// The accelerator: a W x H mesh of analog tiles on the NoC. Built by loops over the mesh from the
// platform's noc and tile parameters; the host reaches it through `host_port`, and its traffic to
// RAM leaves through `memory_port`.
#pragma once

#include <memory>
#include <vector>

#include <systemc>

#include "common/energy_ledger.h"
#include "common/params.h"
#include "noc/noc.h"
#include "noc/noc_params.h"
#include "tile/tile.h"
#include "interface/platform.h"

namespace aimc::platform {

struct ChipParams {
    uint64_t base = iface::platform::CHIP_BASE;  // tile t's window: base + t * iface::tile::WINDOW

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address of the tile windows on the host bus (tile t at base + t * 1 MiB)", 0,
                0xFFFFFFFF);
    }
};

class Chip : public sc_core::sc_module {
public:
    Chip(sc_core::sc_module_name name, const ChipParams& chip, const noc::NocParams& noc, const tile::TileParams& tile,
         EnergyLedger& ledger);

    unsigned tile_count() const { return static_cast<unsigned>(tiles_.size()); }
    tile::Tile& tile(unsigned t) { return tiles_[t]; }
    noc::Noc& noc() { return noc_; }
    uint64_t window_size() const;  // bytes of bus address space the chip occupies
    uint64_t ops() const;          // operations completed by all tiles
    uint64_t mvms() const;         // MVM vectors completed by all tiles
    // Before sc_start: the tiles and the NoC record their signals into `vcd`.
    void trace_to(VcdTracer& vcd) {
        for (auto& t : tiles_) t.trace_to(vcd);
        noc_.trace_to(vcd);
    }

    // The NoC's host-facing ports, re-exported for the platform to bind.
    tlm_utils::simple_target_socket<noc::Noc>& host_port() { return noc_.host_port; }
    tlm_utils::simple_initiator_socket<noc::Noc>& memory_port() { return noc_.memory_port; }

private:
    noc::Noc noc_;
    sc_core::sc_vector<tile::Tile> tiles_;
};

}  // namespace aimc::platform
