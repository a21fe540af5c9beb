#include "common/register_target.h"

#include <cstring>

#include "common/log.h"
#include "common/register_maps.h"

namespace aimc {

RegisterTarget::RegisterTarget(sc_core::sc_module_name name, const std::string& map_block,
                               sc_core::sc_time access_latency)
    : sc_module(name),
      socket("socket"),
      bank_(basename(), register_map(map_block).registers),
      latency_(access_latency) {
    socket.register_b_transport(this, &RegisterTarget::b_transport);
    socket.register_transport_dbg(this, &RegisterTarget::transport_dbg);
}

RegisterTarget::Memory& RegisterTarget::add_memory(std::string name, uint32_t base, size_t size) {
    Memory& m = memories_.emplace_back();
    m.name = std::move(name);
    m.base = base;
    m.size = size;
    return m;
}

void RegisterTarget::fail(tlm::tlm_generic_payload& tx, tlm::tlm_response_status status, const char* why) {
    if (!debug_)  // a debugger's probe of a bad address is not the device's problem
        log::warn(name(), "{} of {} bytes at offset {:#x}: {}", tx.is_read() ? "read" : "write", tx.get_data_length(),
                  tx.get_address(), why);
    tx.set_response_status(status);
}

bool RegisterTarget::access(tlm::tlm_generic_payload& tx, sc_core::sc_time* delay) {
    const uint64_t addr = tx.get_address();
    const unsigned len = tx.get_data_length();
    if (tx.get_byte_enable_ptr() || tx.get_streaming_width() != len) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    for (Memory& m : memories_) {
        if (addr < m.base || addr - m.base >= m.size) continue;
        const auto offset = static_cast<uint32_t>(addr - m.base);
        if (uint64_t(offset) + len > m.size) {
            fail(tx, tlm::TLM_ADDRESS_ERROR_RESPONSE, "runs past the end of a memory");
            return false;
        }
        // memmove: a tile SEND from its output buffer may land in an overlapping range of the same buffer.
        if (tx.is_read() && !m.allocated()) std::memset(tx.get_data_ptr(), 0, len);
        else if (tx.is_read()) std::memmove(tx.get_data_ptr(), m.bytes() + offset, len);
        else if (tx.is_write()) std::memmove(m.bytes() + offset, tx.get_data_ptr(), len);
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        if (delay && !debug_ && tx.get_command() != tlm::TLM_IGNORE_COMMAND && m.on_access)
            m.on_access(tx, offset, *delay);
        return true;
    }
    if (delay) *delay += latency_;
    return access_register(tx);
}

bool RegisterTarget::access_register(tlm::tlm_generic_payload& tx) {
    const auto offset = static_cast<uint32_t>(tx.get_address());
    const unsigned len = tx.get_data_length();
    RegisterBank::Result res;
    if (tx.is_read()) res = bank_.read(offset, tx.get_data_ptr(), len);
    else if (tx.is_write()) res = bank_.write(offset, tx.get_data_ptr(), len);
    else res = RegisterBank::Result::Ok;  // TLM_IGNORE_COMMAND
    if (res != RegisterBank::Result::Ok) {
        fail(tx, res == RegisterBank::Result::NoRegister ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE,
             RegisterBank::describe(res));
        return false;
    }
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void RegisterTarget::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    access_time_ = sc_core::sc_time_stamp() + delay;
    access(tx, &delay);
}

unsigned RegisterTarget::transport_dbg(tlm::tlm_generic_payload& tx) {
    access_time_ = sc_core::sc_time_stamp();
    debug_ = true;
    const bool ok = access(tx, nullptr);
    debug_ = false;
    return ok ? tx.get_data_length() : 0;
}

}  // namespace aimc
