// The DMA engine on a small platform: host bus, RAM, a 4x4 NoC with fake tiles. 1D and 2D-strided
// copies RAM -> tile, tile -> RAM and tile -> tile with the right bytes, strides and timing; the IRQ;
// energy in the ledger and the path's cost per descriptor; error paths; START while busy; VCD.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include "aimc/platform.h"
#include "aimc/regs/dma.h"
#include "aimc/regs/tile.h"
#include "common/energy_ledger.h"
#include "common/vcd_tracer.h"
#include "dma/dma.h"
#include "fake_tile.h"
#include "mem/bus.h"
#include "mem/ram.h"
#include "noc/noc.h"
#include "tlm_probe.h"

using namespace sc_core;

namespace {

constexpr uint64_t kRam = AIMC_RAM_BASE;
constexpr uint64_t kDma = AIMC_DMA_BASE;
uint64_t tile_addr(unsigned t, uint64_t offset) { return AIMC_CHIP_BASE + t * uint64_t{AIMC_TILE_WINDOW} + offset; }

double ledger_j(const aimc::EnergyLedger& ledger, const std::string& component, const std::string& action) {
    for (const auto& e : ledger.entries())
        if (e.component == component && e.action == action) return e.joules;
    return -1;
}

// Records when the IRQ line changes.
struct IrqMonitor : sc_module {
    sc_in<bool> line{"line"};
    std::vector<std::pair<sc_time, bool>> edges;
    SC_HAS_PROCESS(IrqMonitor);
    explicit IrqMonitor(sc_module_name n) : sc_module(n) {
        SC_METHOD(changed);
        sensitive << line;
        dont_initialize();
    }
    void changed() { edges.emplace_back(sc_time_stamp(), line.read()); }
};

struct Platform {
    aimc::EnergyLedger ledger;
    aimc::mem::Bus bus{"bus", aimc::mem::BusParams{}};  // 1 ns per transaction
    aimc::mem::Ram ram;
    aimc::noc::NocParams noc_params;
    aimc::noc::Noc noc;
    sc_vector<aimc::test::FakeTile> tiles;
    aimc::dma::DmaParams dma_params;
    aimc::dma::Dma dma;
    aimc::test::TlmProbe cpu{"cpu"};
    sc_signal<bool> irq{"irq"};
    IrqMonitor monitor{"monitor"};

    static aimc::mem::RamParams ram_params() {
        aimc::mem::RamParams r;
        r.size = 1 << 20;
        return r;
    }
    static aimc::noc::NocParams small_mesh() {
        aimc::noc::NocParams p;
        p.width = 4;
        p.height = 4;
        return p;
    }

    Platform()
        : ram("ram", ram_params()),
          noc_params(small_mesh()),
          noc("noc", noc_params, AIMC_CHIP_BASE, AIMC_TILE_WINDOW, ledger),
          tiles("tile", 16, [](const char* n, std::size_t) { return new aimc::test::FakeTile(n, 0x80000); }),
          dma("dma", dma_params, ledger) {
        cpu.socket.bind(bus.target);
        dma.initiator.bind(bus.target);
        noc.memory_port.bind(bus.target);
        bus.map(ram.socket, kRam, 1 << 20, "ram");
        bus.map(noc.host_port, AIMC_CHIP_BASE, 16 * uint64_t{AIMC_TILE_WINDOW}, "chip");
        bus.map(dma.socket, kDma, 0x1000, "dma");
        for (unsigned t = 0; t < 16; ++t) {
            noc.to_tile[t].bind(tiles[t].socket);
            tiles[t].noc.bind(noc.from_tile[t]);
        }
        dma.irq.bind(irq);
        monitor.line.bind(irq);
    }

    void put_desc(uint64_t at, const aimc_dma_desc& d) { std::memcpy(ram.data() + (at - kRam), &d, sizeof d); }
    // Register accesses from the test, each at the current simulated time.
    uint32_t reg(uint32_t offset) {
        cpu.delay = SC_ZERO_TIME;
        return cpu.read32(kDma + offset);
    }
    void write(uint32_t offset, uint32_t v) {
        cpu.delay = SC_ZERO_TIME;
        cpu.write32(kDma + offset, v);
    }
    // The engine starts when the CTRL write reaches it: now + the bus latency.
    void run_chain(uint64_t desc, bool irq_enable = true) {
        write(AIMC_DMA_DESC_ADDR, static_cast<uint32_t>(desc));
        write(AIMC_DMA_CTRL, AIMC_DMA_CTRL_START | (irq_enable ? AIMC_DMA_CTRL_IRQ_EN : 0));
    }
    void ack() { write(AIMC_DMA_IRQ_ACK, AIMC_DMA_STATUS_DONE | AIMC_DMA_STATUS_ERROR); }
};

}  // namespace

TEST(Dma, CopiesIrqCostErrorsAndBusy) {
    const std::string vcd_path = testing::TempDir() + "dma_test.vcd";
    aimc::VcdTracer tracer(vcd_path, {});

    Platform p;
    p.dma.trace_to(tracer);
    sc_start(SC_ZERO_TIME);
    EXPECT_EQ(p.reg(AIMC_DMA_ID), AIMC_DMA_ID_VALUE);
    EXPECT_EQ(p.reg(AIMC_DMA_STATUS), 0u);
    EXPECT_FALSE(p.irq.read());

    // RAM image: 256 bytes, byte i = i.
    for (int i = 0; i < 256; ++i) p.ram.data()[0x10000 + i] = static_cast<uint8_t>(i);

    // --- 1D: 200 bytes RAM -> tile 5's input buffer, in bursts of 64, 64, 64, 8.
    {
        SCOPED_TRACE("1D RAM -> tile");
        p.put_desc(kRam + 0x1000, {static_cast<uint32_t>(kRam + 0x10000), static_cast<uint32_t>(tile_addr(5, 0x20000)),
                                   200, 1, 0, 0, 0, 0});
        const sc_time t_start = sc_time_stamp() + sc_time(1, SC_NS);  // CTRL reaches the engine through the bus
        const double noc_before = p.ledger.dynamic_j() - ledger_j(p.ledger, "dma", "transfer");
        p.run_chain(kRam + 0x1000);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_BUSY);
        EXPECT_EQ(p.reg(AIMC_DMA_CTRL), AIMC_DMA_CTRL_IRQ_EN);  // START reads back as 0
        sc_start(2, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_DONE);
        EXPECT_EQ(p.reg(AIMC_DMA_ERROR), 0u);
        EXPECT_EQ(p.reg(AIMC_DMA_DESC_DONE), 1u);
        EXPECT_EQ(p.reg(AIMC_DMA_BYTES), 200u);
        EXPECT_EQ(p.reg(AIMC_DMA_BYTES + 4), 0u);
        for (int i = 0; i < 200; ++i) ASSERT_EQ(p.tiles[5].mem[0x20000 + i], i) << i;
        EXPECT_EQ(p.tiles[5].mem[0x20000 + 200], 0);
        EXPECT_EQ(p.tiles[5].accesses, 4u);

        // Timing: setup (10 cycles at 1 GHz) + descriptor read (bus 1 ns + RAM 10 ns), then per burst a RAM
        // read (1 + 10 ns) and a write over the bus, the NoC (host -> tile 5: 2 hops) and the tile (7 ns).
        sc_time expect = t_start + sc_time(10 + 11, SC_NS);
        double noc_energy = 0;
        for (unsigned n : {64u, 64u, 64u, 8u}) {
            const auto zl = p.noc.network().zero_load(p.noc.host_port_id(), 5, n);
            expect += sc_time(11 + 1 + 7, SC_NS) + sc_time::from_value(zl.latency);
            noc_energy += zl.energy;
        }
        ASSERT_EQ(p.monitor.edges.size(), 1u);
        EXPECT_EQ(p.monitor.edges[0], std::make_pair(expect, true));
        EXPECT_TRUE(p.irq.read());

        // Energy: the engine's own per byte in the ledger; the path's through the cost extension.
        EXPECT_DOUBLE_EQ(ledger_j(p.ledger, "dma", "transfer"), 200 * p.dma_params.energy_per_byte);
        const auto& cost = p.dma.last_descriptor();
        EXPECT_EQ(cost.bytes, 200u);
        EXPECT_DOUBLE_EQ(cost.path_energy_j, noc_energy + 4 * p.tiles[5].energy_per_access);
        EXPECT_DOUBLE_EQ(cost.energy_j, cost.path_energy_j + 200 * p.dma_params.energy_per_byte);
        EXPECT_NEAR(cost.time_s, (expect - t_start).to_seconds(), 1e-15);
        const double noc_after = p.ledger.dynamic_j() - ledger_j(p.ledger, "dma", "transfer");
        EXPECT_NEAR(noc_after - noc_before, noc_energy, 1e-18);  // NoC posted exactly what the path reported

        p.ack();
        sc_start(10, SC_NS);
        EXPECT_FALSE(p.irq.read());
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), 0u);
    }

    // --- 2D chain: gather a 3 x 4 patch from a 16-byte-wide RAM image into tile 6 (packed), copy it
    // tile 6 -> tile 9, then scatter it back to RAM with a 32-byte row pitch. Three descriptors.
    {
        SCOPED_TRACE("2D chain");
        const uint32_t img = kRam + 0x10000, out = kRam + 0x20000;
        p.put_desc(kRam + 0x1100, {img + 2 * 16 + 5, static_cast<uint32_t>(tile_addr(6, 0x20000)), 4, 3, 16, 4,
                                   static_cast<uint32_t>(kRam + 0x1120), 0});
        p.put_desc(kRam + 0x1120, {static_cast<uint32_t>(tile_addr(6, 0x20000)),
                                   static_cast<uint32_t>(tile_addr(9, 0x40000)), 12, 1, 0, 0,
                                   static_cast<uint32_t>(kRam + 0x1140), 0});
        p.put_desc(kRam + 0x1140, {static_cast<uint32_t>(tile_addr(9, 0x40000)), out, 4, 3, 4, 32, 0, 0});
        std::memset(p.ram.data() + 0x20000, 0xEE, 128);
        p.run_chain(kRam + 0x1100);
        sc_start(2, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_DONE);
        EXPECT_EQ(p.reg(AIMC_DMA_DESC_DONE), 4u);
        EXPECT_EQ(p.reg(AIMC_DMA_BYTES), 200u + 12 + 12 + 12);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 4; ++c) {
                const uint8_t v = static_cast<uint8_t>((2 + r) * 16 + 5 + c);
                EXPECT_EQ(p.tiles[6].mem[0x20000 + r * 4 + c], v);
                EXPECT_EQ(p.tiles[9].mem[0x40000 + r * 4 + c], v);
                EXPECT_EQ(p.ram.data()[0x20000 + r * 32 + c], v);
            }
        EXPECT_EQ(p.ram.data()[0x20000 + 4], 0xEE);  // the gap between scattered rows is untouched
        EXPECT_EQ(p.ram.data()[0x20000 + 32 + 4], 0xEE);
        EXPECT_EQ(p.ram.data()[0x20000 + 96], 0xEE);
        // The last descriptor read tile 9 over the NoC: its path cost includes the request/response packets.
        EXPECT_EQ(p.dma.last_descriptor().bytes, 12u);
        EXPECT_GT(p.dma.last_descriptor().path_energy_j, 3 * p.tiles[9].energy_per_access);
        p.ack();
        sc_start(10, SC_NS);
    }

    // --- errors: each stops the chain with STATUS.error, ERROR and ERROR_ADDR, and raises the IRQ.
    struct Case {
        const char* what;
        uint64_t desc;
        aimc_dma_desc d;
        uint32_t error;
        uint64_t error_addr;
    };
    const uint32_t src = kRam + 0x10000;
    const Case cases[] = {
        {"descriptor address unmapped", 0x70000000, {}, AIMC_DMA_ERR_DESC_READ, 0x70000000},
        {"descriptor misaligned", kRam + 0x1202, {}, AIMC_DMA_ERR_BAD_DESC, kRam + 0x1202},
        {"rows = 0", kRam + 0x1200, {src, static_cast<uint32_t>(tile_addr(1, 0)), 16, 0, 0, 0, 0, 0},
         AIMC_DMA_ERR_BAD_DESC, kRam + 0x1200},
        {"row_bytes = 0", kRam + 0x1200, {src, static_cast<uint32_t>(tile_addr(1, 0)), 0, 1, 0, 0, 0, 0},
         AIMC_DMA_ERR_BAD_DESC, kRam + 0x1200},
        {"destination unmapped", kRam + 0x1200, {src, 0x30000000, 100, 1, 0, 0, 0, 0}, AIMC_DMA_ERR_DST, 0x30000000},
        {"destination past the tile's memory (second burst)", kRam + 0x1200,
         {src, static_cast<uint32_t>(tile_addr(1, 0x80000 - 64)), 128, 1, 0, 0, 0, 0}, AIMC_DMA_ERR_DST,
         tile_addr(1, 0x80000)},
        {"source unmapped, second row", kRam + 0x1200, {kRam + 0x100000 - 16, static_cast<uint32_t>(tile_addr(1, 0)), 16,
                                                         2, 16, 16, 0, 0},
         AIMC_DMA_ERR_SRC, kRam + 0x100000},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        p.put_desc(kRam + 0x1200, c.d);
        const uint32_t done_before = p.reg(AIMC_DMA_DESC_DONE);
        const size_t edges = p.monitor.edges.size();
        p.run_chain(c.desc);
        sc_start(2, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_ERROR);
        EXPECT_EQ(p.reg(AIMC_DMA_ERROR), c.error);
        EXPECT_EQ(p.reg(AIMC_DMA_ERROR_ADDR), static_cast<uint32_t>(c.error_addr));
        EXPECT_EQ(p.reg(AIMC_DMA_DESC_DONE), done_before);
        EXPECT_TRUE(p.irq.read());
        EXPECT_EQ(p.monitor.edges.size(), edges + 1);
        p.write(AIMC_DMA_IRQ_ACK, AIMC_DMA_STATUS_ERROR);
        sc_start(10, SC_NS);
        EXPECT_FALSE(p.irq.read());
        EXPECT_EQ(p.reg(AIMC_DMA_ERROR), 0u);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), 0u);
    }

    // A chain whose second descriptor fails: the first one's work stands.
    {
        SCOPED_TRACE("second descriptor fails");
        p.put_desc(kRam + 0x1300, {src, static_cast<uint32_t>(tile_addr(2, 0)), 32, 1, 0, 0,
                                   static_cast<uint32_t>(kRam + 0x1320), 0});
        p.put_desc(kRam + 0x1320, {src, 0x30000000, 32, 1, 0, 0, 0, 0});
        const uint32_t done_before = p.reg(AIMC_DMA_DESC_DONE);
        p.run_chain(kRam + 0x1300);
        sc_start(2, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_ERROR);
        EXPECT_EQ(p.reg(AIMC_DMA_DESC_DONE), done_before + 1);
        EXPECT_EQ(p.tiles[2].mem[31], 31);
        p.ack();
    }

    // --- IRQ disabled: done without a rising line; enabling it afterwards raises it.
    {
        SCOPED_TRACE("irq disabled");
        p.put_desc(kRam + 0x1400, {src, static_cast<uint32_t>(tile_addr(3, 0)), 16, 1, 0, 0, 0, 0});
        p.run_chain(kRam + 0x1400, false);
        sc_start(2, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_DONE);
        EXPECT_FALSE(p.irq.read());
        p.write(AIMC_DMA_CTRL, AIMC_DMA_CTRL_IRQ_EN);
        sc_start(10, SC_NS);
        EXPECT_TRUE(p.irq.read());
        p.ack();
        sc_start(10, SC_NS);
    }

    // --- START while busy is ignored: the running chain finishes as programmed.
    {
        SCOPED_TRACE("start while busy");
        p.put_desc(kRam + 0x1500, {src, static_cast<uint32_t>(tile_addr(15, 0)), 4096, 1, 0, 0, 0, 0});
        p.put_desc(kRam + 0x1520, {src, static_cast<uint32_t>(tile_addr(14, 0)), 64, 1, 0, 0, 0, 0});
        const uint32_t done_before = p.reg(AIMC_DMA_DESC_DONE);
        p.run_chain(kRam + 0x1500);
        sc_start(100, SC_NS);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_BUSY);
        p.run_chain(kRam + 0x1520);  // ignored (with a warning in the log); DESC_ADDR was latched at START
        sc_start(10, SC_US);
        EXPECT_EQ(p.reg(AIMC_DMA_STATUS), AIMC_DMA_STATUS_DONE);
        EXPECT_EQ(p.reg(AIMC_DMA_DESC_DONE), done_before + 1);
        EXPECT_EQ(p.dma.last_descriptor().bytes, 4096u);
        EXPECT_EQ(p.tiles[14].accesses, 0u);
        EXPECT_EQ(std::memcmp(p.tiles[15].mem.data(), p.ram.data() + 0x10000, 4096), 0);
    }

    // --- VCD: the engine's busy signal.
    tracer.write(sc_time_stamp());
    std::ifstream in(vcd_path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find(" busy $end"), std::string::npos);
    EXPECT_NE(text.find("$scope module dma $end"), std::string::npos);
    std::remove(vcd_path.c_str());
}
