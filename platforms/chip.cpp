#include "chip.h"

#include "interface/tile.h"

namespace aimc::platform {

Chip::Chip(sc_core::sc_module_name name, const ChipParams& chip, const noc::NocParams& noc, const tile::TileParams& tile,
           EnergyLedger& ledger)
    : sc_module(name),
      noc_("noc", noc, chip.base, iface::tile::WINDOW, ledger),
      tiles_("tile", noc.width * noc.height, [&](const char* tile_name, std::size_t t) {
          return new tile::Tile(tile_name, tile, static_cast<unsigned>(t), static_cast<unsigned>(t % noc.width),
                                static_cast<unsigned>(t / noc.width), ledger);
      }) {
    for (unsigned t = 0; t < tile_count(); ++t) {
        noc_.to_tile[t].bind(tiles_[t].socket);
        tiles_[t].noc.bind(noc_.from_tile[t]);
    }
}

uint64_t Chip::window_size() const { return uint64_t{tiles_.size()} * iface::tile::WINDOW; }

uint64_t Chip::ops() const {
    uint64_t n = 0;
    for (const auto& t : tiles_) n += t.ops();
    return n;
}

uint64_t Chip::mvms() const {
    uint64_t n = 0;
    for (const auto& t : tiles_) n += t.mvm_count();
    return n;
}

}  // namespace aimc::platform
