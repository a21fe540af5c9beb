// One place that sets up a TLM generic payload for a test initiator's read or write.
#pragma once

#include <cstdint>

#include <tlm>

namespace aimc::test {

// Prepares `tx` for a plain (non-byte-enabled, non-streaming) access of `len` bytes at `addr`.
inline void prepare_payload(tlm::tlm_generic_payload& tx, tlm::tlm_command cmd, uint64_t addr, void* data,
                            unsigned len) {
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

}  // namespace aimc::test
