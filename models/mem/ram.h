// Host RAM: a TLM target with DMI, so the CPU reads and writes it directly.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "common/params.h"
#include "interface/platform.h"

namespace aimc::mem {

struct RamParams {
    uint64_t base = iface::platform::RAM_BASE;
    uint64_t size = 16u << 20;
    double read_latency = 10e-9;   // per bus transaction (DMI users are charged by their own timing)
    double write_latency = 10e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("size", size, "bytes", "Size", 4096, 2048.0 * 1048576);
        v.param("read_latency", read_latency, "s", "Latency of a bus read transaction", 0, 1e-3);
        v.param("write_latency", write_latency, "s", "Latency of a bus write transaction", 0, 1e-3);
    }

    // RAM is whole 4 KiB pages: a rule a single key's range cannot state; throws ConfigError naming
    // ram.base / ram.size and their values. The Ram checks its parameters before it allocates
    // anything. That it lies inside the 32-bit host address space is the platform's address-map
    // check (platforms/platform.h, validate_platform), which holds for every window on the bus.
    static constexpr uint64_t kPageBytes = 4096;
    void check() const;
};

class Ram : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<Ram> socket;

    Ram(sc_core::sc_module_name name, const RamParams& params);

    uint8_t* data() { return bytes_.get(); }
    // Copies bytes in at bus address `addr` before the simulation starts (the loader's path: sockets
    // are not usable until elaboration ends). False if the range is not inside this RAM.
    bool preload(uint64_t addr, const uint8_t* data, uint64_t len);
    uint64_t size() const { return size_; }
    // Told of every write that does not go through DMI (DMA, loader, debugger), with the bus address,
    // so the CPU can drop decoded instructions there.
    void add_write_observer(std::function<void(uint64_t addr, unsigned len)> observer) {
        observers_.push_back(std::move(observer));
    }

private:
    void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    unsigned transport_dbg(tlm::tlm_generic_payload& tx);
    bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
    bool copy(tlm::tlm_generic_payload& tx);  // the data move shared by both transports

    RamParams params_;
    // calloc: the system hands out zero pages on first touch, so host memory follows what the
    // firmware uses, not ram.size.
    struct Free {
        void operator()(uint8_t* p) const { std::free(p); }
    };
    std::unique_ptr<uint8_t, Free> bytes_;
    uint64_t size_ = 0;
    sc_core::sc_time read_latency_, write_latency_;
    std::vector<std::function<void(uint64_t, unsigned)>> observers_;
};

}  // namespace aimc::mem
