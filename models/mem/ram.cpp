#include "mem/ram.h"

#include <cstring>
#include <new>

#include <fmt/format.h>

namespace aimc::mem {

void RamParams::check() const {
    if (base % kPageBytes != 0)
        throw ConfigError(fmt::format("ram.base = {:#x} is not a multiple of 4 KiB (0x1000): RAM is made of whole pages",
                                      base));
    if (size % kPageBytes != 0)
        throw ConfigError(fmt::format("ram.size = {} bytes is not a multiple of 4 KiB (4096 bytes): RAM is made of whole pages",
                                      size));
}

namespace {
const RamParams& checked(const RamParams& p) {
    p.check();
    return p;
}
}  // namespace

Ram::Ram(sc_core::sc_module_name name, const RamParams& params)
    : sc_module(name),
      socket("socket"),
      params_(checked(params)),
      bytes_(static_cast<uint8_t*>(std::calloc(params.size, 1))),
      size_(params.size),
      read_latency_(params.read_latency, sc_core::SC_SEC),
      write_latency_(params.write_latency, sc_core::SC_SEC) {
    if (!bytes_) throw std::bad_alloc();
    socket.register_b_transport(this, &Ram::b_transport);
    socket.register_transport_dbg(this, &Ram::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &Ram::get_direct_mem_ptr);
}

bool Ram::preload(uint64_t addr, const uint8_t* data, uint64_t len) {
    if (addr < params_.base || addr - params_.base > size_ || len > size_ - (addr - params_.base))
        return false;
    std::memcpy(&bytes_.get()[addr - params_.base], data, len);
    for (auto& observer : observers_) observer(addr, static_cast<unsigned>(len));
    return true;
}

bool Ram::copy(tlm::tlm_generic_payload& tx) {
    const uint64_t offset = tx.get_address();  // the bus passes target-relative addresses
    const unsigned len = tx.get_data_length();
    if (offset >= size_ || len > size_ - offset) {
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    if (tx.get_byte_enable_ptr()) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (tx.is_read()) {
        std::memcpy(tx.get_data_ptr(), &bytes_.get()[offset], len);
    } else if (tx.is_write()) {
        std::memcpy(&bytes_.get()[offset], tx.get_data_ptr(), len);
        for (auto& observer : observers_) observer(params_.base + offset, len);
    }
    tx.set_dmi_allowed(true);
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void Ram::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    if (copy(tx)) delay += tx.is_read() ? read_latency_ : write_latency_;
}

unsigned Ram::transport_dbg(tlm::tlm_generic_payload& tx) { return copy(tx) ? tx.get_data_length() : 0; }

bool Ram::get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(bytes_.get());
    dmi.set_start_address(0);
    dmi.set_end_address(size_ - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(read_latency_);
    dmi.set_write_latency(write_latency_);
    return true;
}

}  // namespace aimc::mem
