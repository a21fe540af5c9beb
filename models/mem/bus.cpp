#include "mem/bus.h"

#include "common/log.h"
#include "common/params.h"

namespace aimc::mem {

Bus::Bus(sc_core::sc_module_name name, const BusParams& params)
    : sc_module(name), target("target"), initiator("initiator"), latency_(params.latency, sc_core::SC_SEC) {
    target.register_b_transport(this, &Bus::b_transport);
    target.register_transport_dbg(this, &Bus::transport_dbg);
    target.register_get_direct_mem_ptr(this, &Bus::get_direct_mem_ptr);
    initiator.register_invalidate_direct_mem_ptr(this, &Bus::invalidate_direct_mem_ptr);
}

void Bus::add_range(uint64_t base, uint64_t size, const std::string& name) {
    if (size == 0) throw ConfigError(fmt::format("{}: '{}' has size 0", this->name(), name));
    for (const auto& r : ranges_)
        if (base < r.base + r.size && r.base < base + size)
            throw ConfigError(fmt::format("{}: '{}' [{:#x}, {:#x}) overlaps '{}' [{:#x}, {:#x})", this->name(), name,
                                          base, base + size, r.name, r.base, r.base + r.size));
    ranges_.push_back(Range{base, size, name, static_cast<unsigned>(ranges_.size())});
}

const Bus::Range* Bus::decode(uint64_t addr) const {
    for (const auto& r : ranges_)
        if (addr >= r.base && addr - r.base < r.size) return &r;
    return nullptr;
}

void Bus::b_transport(int, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const uint64_t addr = tx.get_address();
    const Range* r = decode(addr);
    if (!r || tx.get_data_length() > r->size - (addr - r->base)) {
        log::debug(name(), "{} at unmapped address {:#x}", tx.is_write() ? "write" : "read", addr);
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    tx.set_address(addr - r->base);
    delay += latency_;
    initiator[r->port]->b_transport(tx, delay);
    tx.set_address(addr);
}

unsigned Bus::transport_dbg(int, tlm::tlm_generic_payload& tx) {
    const uint64_t addr = tx.get_address();
    const Range* r = decode(addr);
    if (!r || tx.get_data_length() > r->size - (addr - r->base)) return 0;
    tx.set_address(addr - r->base);
    const unsigned n = initiator[r->port]->transport_dbg(tx);
    tx.set_address(addr);
    return n;
}

bool Bus::get_direct_mem_ptr(int, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const uint64_t addr = tx.get_address();
    const Range* r = decode(addr);
    if (!r) return false;
    tx.set_address(addr - r->base);
    const bool ok = initiator[r->port]->get_direct_mem_ptr(tx, dmi);
    tx.set_address(addr);
    // Back to bus addresses, clipped to the mapped window.
    dmi.set_start_address(dmi.get_start_address() + r->base);
    dmi.set_end_address(std::min<uint64_t>(dmi.get_end_address() + r->base, r->base + r->size - 1));
    return ok;
}

void Bus::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    const Range& r = ranges_.at(port);
    for (unsigned i = 0; i < target.size(); ++i) target[i]->invalidate_direct_mem_ptr(start + r.base, end + r.base);
}

}  // namespace aimc::mem
