// DMA engine (host side): follows a chain of descriptors in memory and moves data RAM <-> tile
// buffers and tile <-> tile over the host bus (and through it the NoC), 1D or 2D strided (rows of
// row_bytes at src + r * src_stride -> dst + r * dst_stride: enough for im2col patch gathers).
// Register map and descriptor format: models/interface/dma.json (interface/dma.h); docs: docs/models/dma.md.
//
// Timing: one SC_THREAD runs the chain. Per descriptor, setup_cycles of the DMA clock plus the
// descriptor read; then each row moves in bursts of at most burst_bytes, each burst a read from the
// source and a write to the destination presented one after the other at the engine's local time;
// their b_transport delays (bus, RAM, NoC hops and contention, the tile's own latency) accumulate and
// the thread waits them out after each burst, so DMA traffic takes simulated time and contends with
// other traffic. One burst is in flight at a time (no read/write pipelining).
//
// Energy: energy_per_byte for each byte moved, posted under (<name>, "transfer") with the busy time;
// the blocks on the path post their own. Every transaction the engine issues carries a CostExtension;
// what the path added is summed per descriptor (last_descriptor()).
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/energy_ledger.h"
#include "common/params.h"
#include "common/register_target.h"
#include "interface/dma.h"
#include "interface/platform.h"

namespace aimc {
class VcdTracer;
struct CostExtension;
}

namespace aimc::dma {

struct DmaParams {
    uint64_t base = iface::platform::DMA_BASE;
    uint32_t irq = iface::platform::DMA_IRQ;  // PLIC source
    double clock_hz = 1e9;
    uint32_t burst_bytes = 64;
    uint32_t setup_cycles = 10;
    // *assumed*: ~1 pJ/byte for the engine itself (staging each byte through a small SRAM buffer,
    // ~50 fJ/bit per access at 14 nm, write + read, plus address generation); see docs/models/dma.md.
    double energy_per_byte = 1e-12;
    double static_power = 0;
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("irq", irq, "", "PLIC source number of the DMA interrupt (below plic.num_sources)", 1, 1023);
        v.param("clock_hz", clock_hz, "Hz", "DMA engine clock", 1e6, 100e9);
        v.param("burst_bytes", burst_bytes, "bytes", "Largest read/write transaction the engine issues", 1, 65536);
        v.param("setup_cycles", setup_cycles, "cycles", "Engine cycles per descriptor besides its read", 0, 1000000);
        v.param("energy_per_byte", energy_per_byte, "J", "Energy of the engine itself per byte moved", 0, 1e-9);
        v.param("static_power", static_power, "W", "Static (leakage) power of the engine", 0, 10);
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Dma : public RegisterTarget {
public:
    tlm_utils::simple_initiator_socket<Dma> initiator;  // to the host bus: RAM, and tiles through the NoC
    sc_core::sc_out<bool> irq;                           // high while (STATUS.done | STATUS.error) && CTRL.IRQ_EN

    Dma(sc_core::sc_module_name name, const DmaParams& params, EnergyLedger& ledger);
    // Before sc_start: records `busy` into the platform's trace (registered on the first transfer).
    void trace_to(VcdTracer& vcd) { tracer_ = &vcd; }
    void reset() override;

    // What the last completed (or failed) descriptor cost.
    struct DescriptorCost {
        uint64_t bytes = 0;
        double time_s = 0;         // from its start (setup) to its last burst's end
        double energy_j = 0;       // the engine's own energy plus everything the path reported
        double path_energy_j = 0;  // the CostExtension sums of its transactions (bus, NoC, tiles)
    };
    const DescriptorCost& last_descriptor() const { return last_; }
    bool busy() const { return busy_; }

private:
    using Descriptor = iface::dma::Descriptor;

    void start(sc_core::sc_time at);
    void run();         // SC_THREAD: the chain
    void update_irq();  // SC_METHOD
    void finish(uint32_t error, uint64_t error_addr);
    // One bus transaction at local time sc_time_stamp() + delay; the path's energy goes to path_energy_.
    bool transfer(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len, sc_core::sc_time& delay);
    // Moves one descriptor's data; returns the error code (0 on success) and sets error_addr.
    uint32_t move(const Descriptor& d, uint64_t& error_addr, uint64_t& bytes);
    void count_bytes(uint64_t n);
    void trace_busy(bool busy);

    DmaParams params_;
    EnergyLedger& ledger_;
    EnergyLedger::Account account_;
    sc_core::sc_time cycle_, setup_;
    tlm::tlm_generic_payload tx_;  // reused for every transaction; owns its CostExtension
    CostExtension* cost_ = nullptr;
    std::vector<uint8_t> buffer_;
    double path_energy_ = 0;

    bool busy_ = false, done_ = false, error_ = false;
    uint64_t chain_ = 0;  // DESC_ADDR at START
    uint64_t bytes_total_ = 0;
    DescriptorCost last_;
    sc_core::sc_event start_event_, irq_changed_;

    VcdTracer* tracer_ = nullptr;
    int busy_signal_ = -2;  // -2: not yet registered
};

}  // namespace aimc::dma
