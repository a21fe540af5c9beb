#include "noc/noc.h"

#include <limits>

#include <fmt/format.h>

#include "common/cost_extension.h"
#include "common/log.h"
#include "common/params.h"
#include "common/vcd_tracer.h"

namespace aimc::noc {

namespace {

constexpr int kUnregistered = -2;

// MeshNetwork works in integer picoseconds; sc_time::value() is in units of the time resolution.
void check_resolution() {
    if (sc_core::sc_get_time_resolution() != sc_core::sc_time(1, sc_core::SC_PS))
        throw ConfigError("noc: the SystemC time resolution must be 1 ps (the NoC engine counts picoseconds)");
}

const char* direction_word(Direction d) {
    switch (d) {
        case Direction::East: return "east";
        case Direction::West: return "west";
        case Direction::North: return "north";
        case Direction::South: return "south";
    }
    return "?";
}

}  // namespace

Noc::Noc(sc_core::sc_module_name name, const NocParams& params, uint64_t chip_base, uint64_t tile_window,
         EnergyLedger& ledger)
    : sc_module(name),
      host_port("host_port"),
      memory_port("memory_port"),
      from_tile("from_tile", params.width * params.height),
      to_tile("to_tile", params.width * params.height),
      net_(params),
      ledger_(ledger),
      router_account_(ledger.open(this->name(), "router")),
      link_account_(ledger.open(this->name(), "link")),
      chip_base_(chip_base),
      window_(tile_window),
      tiles_(params.width * params.height),
      host_(net_.topology().port("host")),
      memory_(net_.topology().port("memory")),
      energy_router_(params.energy_per_flit_router),
      energy_link_(params.energy_per_flit_link) {
    check_resolution();
    if (window_ == 0) throw ConfigError(fmt::format("{}: the tile window size is 0", this->name()));
    for (int b = 0; b < 64; ++b)
        if (window_ == uint64_t{1} << b) window_shift_ = b;
    if (params.static_power_per_router > 0)
        ledger.add_static_power(this->name(), params.static_power_per_router * tiles_);

    host_port.register_b_transport(this, &Noc::host_b_transport);
    host_port.register_transport_dbg(this, &Noc::host_transport_dbg);
    host_port.register_get_direct_mem_ptr(this, &Noc::host_get_dmi);
    for (unsigned t = 0; t < tiles_; ++t) {
        from_tile[t].register_b_transport(this, &Noc::tile_b_transport, static_cast<int>(t));
        from_tile[t].register_transport_dbg(this, &Noc::tile_transport_dbg, static_cast<int>(t));
        from_tile[t].register_get_direct_mem_ptr(this, &Noc::tile_get_dmi, static_cast<int>(t));
    }
}

void Noc::end_of_elaboration() {
    tile_fw_.resize(tiles_);
    for (unsigned t = 0; t < tiles_; ++t) tile_fw_[t] = to_tile[t].operator->();
}

namespace {
inline void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#endif
}
}  // namespace

unsigned Noc::decode(uint64_t offset, unsigned len) const {
    const uint64_t t = window_shift_ >= 0 ? offset >> window_shift_ : offset / window_;
    if (t >= tiles_) return tiles_;
    const uint64_t in_window = offset - t * window_;
    if (len > window_ - in_window) return tiles_;  // crosses into the next window
    return static_cast<unsigned>(t);
}

void Noc::send(PortId src, PortId dst, uint64_t bytes, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    net_.retire_before(now.value());  // no initiator can present a time before now
    const TransferResult r = net_.transfer(src, dst, bytes, (now + delay).value());
    delay += sc_core::sc_time::from_value(r.latency);
    if (r.hops == 0) return;  // within one router: no dynamic energy
    const double flit_hops = static_cast<double>(r.flits) * r.hops;
    const double e_router = flit_hops * energy_router_, e_link = flit_hops * energy_link_;
    const auto count = static_cast<std::size_t>(flit_hops);
    ledger_.add(router_account_, e_router, 0.0, count);
    ledger_.add(link_account_, e_link, 0.0, count);
    add_cost(tx, e_router + e_link);
}

template <class Forward>
void Noc::deliver(PortId src, PortId dst, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay, Forward&& forward) {
    const bool read = tx.is_read();
    const unsigned len = tx.get_data_length();
    send(src, dst, read ? 0 : len, tx, delay);  // a read's request carries no payload
    forward(tx, delay);
    if (read) send(dst, src, tx.is_response_ok() ? len : 0, tx, delay);
    tx.set_dmi_allowed(false);
}

void Noc::host_b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const uint64_t offset = tx.get_address();
    const unsigned t = decode(offset, tx.get_data_length());
    if (t == tiles_) {
        log::debug(name(), "host {} at chip offset {:#x}: no tile there", tx.is_write() ? "write" : "read", offset);
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    tlm::tlm_fw_transport_if<>* tile = tile_fw_[t];
    prefetch(tile);
    tx.set_address(offset - uint64_t{t} * window_);
    deliver(host_, t, tx, delay, [&](auto& p, auto& d) { tile->b_transport(p, d); });
    tx.set_address(offset);
}

void Noc::tile_b_transport(int id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const auto src = static_cast<PortId>(id);
    const uint64_t addr = tx.get_address();
    if (addr >= chip_base_ && addr - chip_base_ < uint64_t{tiles_} * window_) {
        const uint64_t offset = addr - chip_base_;
        const unsigned t = decode(offset, tx.get_data_length());
        if (t == tiles_) {
            log::debug(name(), "tile {} access at {:#x} crosses a tile window", id, addr);
            tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        tlm::tlm_fw_transport_if<>* tile = tile_fw_[t];
        prefetch(tile);
        tx.set_address(offset - uint64_t{t} * window_);
        deliver(src, t, tx, delay, [&](auto& p, auto& d) { tile->b_transport(p, d); });
        tx.set_address(addr);
    } else {
        deliver(src, memory_, tx, delay, [&](auto& p, auto& d) { memory_port->b_transport(p, d); });
    }
}

unsigned Noc::host_transport_dbg(tlm::tlm_generic_payload& tx) {
    const uint64_t offset = tx.get_address();
    const unsigned t = decode(offset, tx.get_data_length());
    if (t == tiles_) return 0;
    tx.set_address(offset - uint64_t{t} * window_);
    const unsigned n = to_tile[t]->transport_dbg(tx);
    tx.set_address(offset);
    return n;
}

unsigned Noc::tile_transport_dbg(int, tlm::tlm_generic_payload& tx) {
    const uint64_t addr = tx.get_address();
    if (addr < chip_base_ || addr - chip_base_ >= uint64_t{tiles_} * window_) return memory_port->transport_dbg(tx);
    const uint64_t offset = addr - chip_base_;
    const unsigned t = decode(offset, tx.get_data_length());
    if (t == tiles_) return 0;
    tx.set_address(offset - uint64_t{t} * window_);
    const unsigned n = to_tile[t]->transport_dbg(tx);
    tx.set_address(addr);
    return n;
}

// DMI is refused for the whole chip window, so the initiator does not ask again.
bool Noc::host_get_dmi(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.allow_none();
    dmi.set_start_address(0);
    dmi.set_end_address(uint64_t{tiles_} * window_ - 1);
    return false;
}

bool Noc::tile_get_dmi(int, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    // Refused everywhere: RAM, too, is reached across the mesh. The range names the region around the
    // address (below, inside or above the chip window).
    const uint64_t addr = tx.get_address(), end = chip_base_ + uint64_t{tiles_} * window_;
    dmi.allow_none();
    if (addr < chip_base_) {
        dmi.set_start_address(0);
        dmi.set_end_address(chip_base_ - 1);
    } else if (addr < end) {
        dmi.set_start_address(chip_base_);
        dmi.set_end_address(end - 1);
    } else {
        dmi.set_start_address(end);
        dmi.set_end_address(std::numeric_limits<sc_dt::uint64>::max());
    }
    return false;
}

// --- VCD: one signal per link, declared on the link's first booking.

std::string Noc::link_signal_name(LinkId l) const {
    const MeshTopology& m = net_.topology();
    if (m.link_kind(l) == LinkKind::Mesh) {
        const Coord c = m.coord_of(m.link_from(l));
        return fmt::format("link_x{}_y{}_{}", c.x, c.y, direction_word(m.link_direction(l)));
    }
    const PortId p = m.link_port(l);
    std::string port;
    if (p < m.num_nodes()) {
        const Coord c = m.coord_of(p);
        port = fmt::format("tile_x{}_y{}", c.x, c.y);
    } else {
        port = m.port_name(p);
    }
    return (m.link_kind(l) == LinkKind::Inject ? "inject_" : "eject_") + port;
}

void Noc::booked(LinkId l, Ps start, Ps end, uint32_t flits, uint64_t) {
    if (link_signal_.empty()) link_signal_.assign(net_.topology().num_link_slots(), kUnregistered);
    int& sig = link_signal_[l];
    if (sig == kUnregistered) {
        sig = tracer_->add_integer(name(), link_signal_name(l), 32);
        tracer_->record(sig, 0, sc_core::SC_ZERO_TIME);
    }
    if (sig < 0) return;  // filtered out
    tracer_->record(sig, uint64_t{flits} * net_.params().flit_bytes, sc_core::sc_time::from_value(start));
    // Idle at `end` unless a booking already starts there (bookings are made out of time order; one
    // made later and starting at `end` records its own value after this one).
    if (net_.calendar(l).earliest(end, 1) == end) tracer_->record(sig, 0, sc_core::sc_time::from_value(end));
}

}  // namespace aimc::noc
