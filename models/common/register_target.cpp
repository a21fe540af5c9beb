#include "common/register_target.h"

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

bool RegisterTarget::access(tlm::tlm_generic_payload& tx) {
    const auto offset = static_cast<uint32_t>(tx.get_address());
    const unsigned len = tx.get_data_length();
    if (tx.get_byte_enable_ptr() || tx.get_streaming_width() != len) {
        tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    RegisterBank::Result res;
    if (tx.is_read()) res = bank_.read(offset, tx.get_data_ptr(), len);
    else if (tx.is_write()) res = bank_.write(offset, tx.get_data_ptr(), len);
    else res = RegisterBank::Result::Ok;  // TLM_IGNORE_COMMAND
    if (res != RegisterBank::Result::Ok) {
        log::warn(name(), "{} of {} bytes at offset {:#x}: {}", tx.is_read() ? "read" : "write", len, offset,
                  RegisterBank::describe(res));
        tx.set_response_status(res == RegisterBank::Result::NoRegister ? tlm::TLM_ADDRESS_ERROR_RESPONSE
                                                                       : tlm::TLM_COMMAND_ERROR_RESPONSE);
        return false;
    }
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return true;
}

void RegisterTarget::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    access_time_ = sc_core::sc_time_stamp() + delay;
    access(tx);
    delay += latency_;
}

unsigned RegisterTarget::transport_dbg(tlm::tlm_generic_payload& tx) {
    access_time_ = sc_core::sc_time_stamp();
    debug_ = true;
    const bool ok = access(tx);
    debug_ = false;
    return ok ? tx.get_data_length() : 0;
}

}  // namespace aimc
