// The NoC as a SystemC block on a 4x4 mesh: host and tile traffic take the engine's zero-load latency
// plus the target's own, concurrent packets contend, tiles reach each other and RAM, reads are a
// request and a response, bad addresses send nothing, energy reaches the ledger and the transaction's
// CostExtension, debug accesses pass untimed, DMI is refused.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "aimc/platform.h"
#include "aimc/regs/tile.h"
#include "common/cost_extension.h"
#include "common/energy_ledger.h"
#include "fake_tile.h"
#include "mem/bus.h"
#include "mem/ram.h"
#include "noc/noc.h"
#include "tlm_probe.h"
#include "support/tlm_payload.h"

using namespace sc_core;
using aimc::noc::Ps;

namespace {

constexpr uint64_t kBase = AIMC_CHIP_BASE;
constexpr uint64_t kWindow = AIMC_TILE_WINDOW;
const sc_time kTileLatency(7, SC_NS);

sc_time ps(Ps t) { return sc_time::from_value(t); }

double ledger_j(const aimc::EnergyLedger& ledger, const std::string& component, const std::string& action) {
    for (const auto& e : ledger.entries())
        if (e.component == component && e.action == action) return e.joules;
    return -1;
}

struct Bench {
    aimc::EnergyLedger ledger;
    aimc::noc::NocParams params;
    aimc::mem::Bus bus;
    aimc::mem::Ram ram;
    std::unique_ptr<aimc::noc::Noc> noc;
    sc_vector<aimc::test::FakeTile> tiles;
    aimc::test::TlmProbe host{"host"};

    static aimc::mem::BusParams bus_params() {
        aimc::mem::BusParams b;
        b.latency = 0;  // the figures below are then the NoC's and the targets' alone
        return b;
    }
    static aimc::mem::RamParams ram_params() {
        aimc::mem::RamParams r;
        r.size = 1 << 20;
        return r;
    }
    static aimc::noc::NocParams noc_params() {
        aimc::noc::NocParams p;
        p.width = 4;
        p.height = 4;
        p.memory.x = 3;  // the memory port at the north-east corner, the host at (0,0)
        return p;
    }

    Bench()
        : params(noc_params()),
          bus("bus", bus_params()),
          ram("ram", ram_params()),
          noc(std::make_unique<aimc::noc::Noc>("noc", params, kBase, kWindow, ledger)),
          tiles("tile", 16, [](const char* n, std::size_t) { return new aimc::test::FakeTile(n, 0x80000); }) {
        host.socket.bind(bus.target);
        noc->memory_port.bind(bus.target);
        bus.map(ram.socket, 0x80000000, 1 << 20, "ram");
        // Twice the tiles' span, so addresses past the last tile reach the NoC's own decoder.
        bus.map(noc->host_port, kBase, 2 * 16 * kWindow, "chip");
        for (unsigned t = 0; t < 16; ++t) {
            noc->to_tile[t].bind(tiles[t].socket);
            tiles[t].noc.bind(noc->from_tile[t]);
        }
    }

    const aimc::noc::MeshNetwork& net() const { return noc->network(); }
    aimc::noc::PortId host_id() const { return noc->host_port_id(); }
    aimc::noc::PortId memory_id() const { return noc->memory_port_id(); }
    sc_time zero_load(aimc::noc::PortId s, aimc::noc::PortId d, uint64_t bytes) const {
        return ps(net().zero_load(s, d, bytes).latency);
    }
    // Lets every booking so far drain before the next check.
    void settle() { sc_start(1, SC_US); }
};

}  // namespace

TEST(NocSc, TimingRoutingEnergyAndErrors) {
    Bench b;
    sc_start(SC_ZERO_TIME);
    const auto& m = b.net().topology();
    ASSERT_EQ(b.noc->tile_count(), 16u);

    // --- host write to tile 5 = (1,1): 2 hops. Latency = zero load + the tile's own.
    {
        SCOPED_TRACE("host write");
        uint8_t data[16];
        for (int i = 0; i < 16; ++i) data[i] = static_cast<uint8_t>(0xA0 + i);
        b.host.delay = SC_ZERO_TIME;
        EXPECT_EQ(b.host.access(tlm::TLM_WRITE_COMMAND, kBase + 5 * kWindow + 0x20000, data, 16), tlm::TLM_OK_RESPONSE);
        const sc_time l0 = b.zero_load(b.host_id(), 5, 16);
        EXPECT_EQ(l0, sc_time(2 * 3 + 1, SC_NS));  // 2 hops x 3 ns + 1 flit
        EXPECT_EQ(b.host.delay, l0 + kTileLatency);
        EXPECT_EQ(b.tiles[5].last_arrival, sc_time_stamp() + l0);
        EXPECT_EQ(std::memcmp(&b.tiles[5].mem[0x20000], data, 16), 0);
        EXPECT_EQ(b.net().report().transfers, 1u);
    }
    b.settle();

    // --- two concurrent writes contend: host -> tile 15 and tile 0 -> tile 15 leave router (0,0) on the
    // same east link at the same time; the second waits for the first's serialization.
    {
        SCOPED_TRACE("contention");
        const auto east = aimc::noc::MeshTopology::mesh_link(m.node(0, 0), aimc::noc::Direction::East);
        const uint64_t east_before = b.net().link_stats(east).transfers;
        uint8_t data[256] = {};
        sc_time d1 = SC_ZERO_TIME, d2 = SC_ZERO_TIME;
        b.host.delay = SC_ZERO_TIME;
        b.host.access(tlm::TLM_WRITE_COMMAND, kBase + 15 * kWindow, data, 256);
        d1 = b.host.delay;
        EXPECT_EQ(b.tiles[0].send(tlm::TLM_WRITE_COMMAND, kBase + 15 * kWindow + 256, data, 256, d2),
                  tlm::TLM_OK_RESPONSE);
        const sc_time ts(8, SC_NS);  // 256 bytes = 8 flits of 32 bytes at 1 ns
        EXPECT_EQ(d1, b.zero_load(b.host_id(), 15, 256) + kTileLatency);
        EXPECT_EQ(d2, b.zero_load(0, 15, 256) + kTileLatency + ts);
        EXPECT_EQ(b.net().report().total_wait_s, ts.to_seconds());
        // The first link both take: (0,0)->E, booked twice back to back.
        EXPECT_EQ(b.net().link_stats(east).transfers, east_before + 2);
        EXPECT_EQ(b.net().link_stats(east).peak_wait, 8000u);
        // A third, later in simulated time, does not wait.
        sc_time d3(20, SC_NS);
        b.tiles[0].send(tlm::TLM_WRITE_COMMAND, kBase + 15 * kWindow, data, 256, d3);
        EXPECT_EQ(d3, sc_time(20, SC_NS) + b.zero_load(0, 15, 256) + kTileLatency);
    }
    b.settle();

    // --- tile -> tile: tile 2 = (2,0) writes into tile 13 = (1,3): 1 + 3 hops; window-relative at the target.
    {
        SCOPED_TRACE("tile to tile");
        uint32_t v = 0xDEADBEEF;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(b.tiles[2].send(tlm::TLM_WRITE_COMMAND, kBase + 13 * kWindow + 0x40010, &v, 4, d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(b.net().zero_load(2, 13, 4).hops, 4u);
        EXPECT_EQ(d, b.zero_load(2, 13, 4) + kTileLatency);
        uint32_t got = 0;
        std::memcpy(&got, &b.tiles[13].mem[0x40010], 4);
        EXPECT_EQ(got, 0xDEADBEEFu);
        EXPECT_EQ(b.net().port_stats(2).injected_transfers, 1u);
        EXPECT_EQ(b.net().port_stats(13).ejected_bytes, 4u);
        // A tile writing its own window stays in its router: serialization only.
        d = SC_ZERO_TIME;
        b.tiles[13].send(tlm::TLM_WRITE_COMMAND, kBase + 13 * kWindow + 0x40014, &v, 4, d);
        EXPECT_EQ(d, sc_time(1, SC_NS) + kTileLatency);
    }
    b.settle();

    // --- tile -> RAM through the memory port at (3,0): global address on the host bus.
    {
        SCOPED_TRACE("tile to RAM");
        uint8_t out[64], in[64] = {};
        for (int i = 0; i < 64; ++i) out[i] = static_cast<uint8_t>(i * 3);
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(b.tiles[12].send(tlm::TLM_WRITE_COMMAND, 0x80000100, out, 64, d), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, b.zero_load(12, b.memory_id(), 64) + sc_time(10, SC_NS));  // RAM write latency
        EXPECT_EQ(std::memcmp(b.ram.data() + 0x100, out, 64), 0);
        EXPECT_EQ(b.net().zero_load(12, b.memory_id(), 64).hops, 6u);  // (0,3) -> (3,0)
        const sc_time start = d;  // the read follows the write in the tile's local time
        EXPECT_EQ(b.tiles[12].send(tlm::TLM_READ_COMMAND, 0x80000100, in, 64, d), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(in, out, 64), 0);
        // Request (no payload: one flit) there, RAM read, response with the data back.
        EXPECT_EQ(d - start,
                  b.zero_load(12, b.memory_id(), 0) + sc_time(10, SC_NS) + b.zero_load(b.memory_id(), 12, 64));
        // An address mapped nowhere: the request travels, the bus answers with an error.
        d = SC_ZERO_TIME;
        EXPECT_EQ(b.tiles[12].send(tlm::TLM_READ_COMMAND, 0x30000000, in, 4, d), tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
    b.settle();

    // --- host read of a tile: request + response; data comes back.
    {
        SCOPED_TRACE("host read");
        std::memcpy(&b.tiles[10].mem[0x40000], "0123456789abcdef", 16);
        char buf[17] = {};
        b.host.delay = SC_ZERO_TIME;
        EXPECT_EQ(b.host.access(tlm::TLM_READ_COMMAND, kBase + 10 * kWindow + 0x40000, buf, 16), tlm::TLM_OK_RESPONSE);
        EXPECT_STREQ(buf, "0123456789abcdef");
        EXPECT_EQ(b.host.delay, b.zero_load(b.host_id(), 10, 0) + kTileLatency + b.zero_load(10, b.host_id(), 16));
        // The response is injected when the tile has answered.
        EXPECT_EQ(b.tiles[10].last_arrival, sc_time_stamp() + b.zero_load(b.host_id(), 10, 0));
    }
    b.settle();

    // --- bad addresses: past the last tile, or across a window's end: an error and nothing sent.
    {
        SCOPED_TRACE("unmapped");
        const uint64_t before = b.net().report().transfers;
        uint8_t data[8] = {};
        b.host.delay = SC_ZERO_TIME;
        EXPECT_EQ(b.host.access(tlm::TLM_WRITE_COMMAND, kBase + 16 * kWindow, data, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.host.access(tlm::TLM_READ_COMMAND, kBase + 31 * kWindow + 8, data, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.host.access(tlm::TLM_WRITE_COMMAND, kBase + 4 * kWindow - 4, data, 8), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.host.delay, SC_ZERO_TIME);
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(b.tiles[1].send(tlm::TLM_WRITE_COMMAND, kBase + 3 * kWindow - 4, data, 8, d),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.net().report().transfers, before);
        // Inside a window but past the tile's memory: the packet goes, the tile refuses it.
        EXPECT_EQ(b.host.access(tlm::TLM_WRITE_COMMAND, kBase + 3 * kWindow + 0x80000, data, 4),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.net().report().transfers, before + 1);
    }
    b.settle();

    // --- energy: the ledger holds flits x hops x per-hop energy, split router/link; the transaction's
    // CostExtension gets the NoC's share and the tile's.
    {
        SCOPED_TRACE("energy");
        const auto rep = b.net().report();
        const double router = ledger_j(b.ledger, "noc", "router"), link = ledger_j(b.ledger, "noc", "link");
        EXPECT_DOUBLE_EQ(router, rep.flit_hops * b.params.energy_per_flit_router);
        EXPECT_DOUBLE_EQ(link, rep.flit_hops * b.params.energy_per_flit_link);
        EXPECT_NEAR(router + link, rep.dynamic_energy_j, 1e-18);

        uint8_t data[100] = {};
        aimc::CostExtension cost;
        sc_time d = SC_ZERO_TIME;
        ASSERT_EQ(b.tiles[0].send(tlm::TLM_WRITE_COMMAND, kBase + 15 * kWindow, data, 100, d, &cost),
                  tlm::TLM_OK_RESPONSE);
        const auto zl = b.net().zero_load(0, 15, 100);  // 4 flits x 6 hops
        EXPECT_EQ(zl.flits * zl.hops, 24u);
        EXPECT_DOUBLE_EQ(cost.energy_j, zl.energy + b.tiles[15].energy_per_access);
        EXPECT_DOUBLE_EQ(ledger_j(b.ledger, "noc", "router") + ledger_j(b.ledger, "noc", "link") - router - link,
                         zl.energy);
        // A read: request (1 flit) and response (4 flits), both over 6 hops.
        cost.energy_j = 0;
        d = SC_ZERO_TIME;
        b.tiles[0].send(tlm::TLM_READ_COMMAND, kBase + 15 * kWindow, data, 100, d, &cost);
        EXPECT_DOUBLE_EQ(cost.energy_j, (1 + 4) * 6 * b.net().energy_per_flit_hop() + b.tiles[15].energy_per_access);
    }
    b.settle();

    // --- debug transport: untimed, uncosted, both directions; DMI refused for tiles.
    {
        SCOPED_TRACE("debug");
        const auto before = b.net().report();
        const double energy = b.ledger.dynamic_j();
        const unsigned accesses = b.tiles[7].accesses;
        std::memcpy(&b.tiles[7].mem[0x100], "debug!", 6);
        char buf[7] = {};
        tlm::tlm_generic_payload tx;
        aimc::test::prepare_payload(tx, tlm::TLM_READ_COMMAND, kBase + 7 * kWindow + 0x100, buf, 6);
        EXPECT_EQ(b.host.socket->transport_dbg(tx), 6u);
        EXPECT_STREQ(buf, "debug!");
        tx.set_address(kBase + 16 * kWindow);
        EXPECT_EQ(b.host.socket->transport_dbg(tx), 0u);  // past the last tile

        uint32_t v = 0x12345678, r = 0;
        EXPECT_EQ(b.tiles[3].debug(tlm::TLM_WRITE_COMMAND, 0x80000200, &v, 4), 4u);  // RAM via the memory port
        EXPECT_EQ(b.tiles[3].debug(tlm::TLM_READ_COMMAND, 0x80000200, &r, 4), 4u);
        EXPECT_EQ(r, v);
        EXPECT_EQ(b.tiles[3].debug(tlm::TLM_WRITE_COMMAND, kBase + 7 * kWindow + 0x200, &v, 4), 4u);  // a tile
        EXPECT_EQ(std::memcmp(&b.tiles[7].mem[0x200], &v, 4), 0);

        EXPECT_EQ(b.net().report().transfers, before.transfers);
        EXPECT_EQ(b.ledger.dynamic_j(), energy);
        EXPECT_EQ(b.tiles[7].accesses, accesses);

        tlm::tlm_dmi dmi;
        tx.set_address(kBase + 7 * kWindow);
        EXPECT_FALSE(b.host.socket->get_direct_mem_ptr(tx, dmi));
        EXPECT_LE(dmi.get_start_address(), kBase + 7 * kWindow);
        EXPECT_GE(dmi.get_end_address(), kBase + 7 * kWindow);
        tx.set_address(0x80000000);
        EXPECT_FALSE(b.tiles[3].noc->get_direct_mem_ptr(tx, dmi));
    }

    // --- statistics: per-link bytes, busy time, peak queueing are the engine's.
    const auto rep = b.net().report();
    EXPECT_GT(rep.links.size(), 0u);
    EXPECT_EQ(rep.peak_wait_s, 8e-9);
}
