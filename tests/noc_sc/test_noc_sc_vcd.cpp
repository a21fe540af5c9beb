// The NoC's VCD signals: one per link that carried traffic, declared on first use, holding the bytes
// on the wire while a packet occupies the link, recorded at the bookings' own (local) times; touching
// bookings made out of order do not drop the link to 0 in between.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "aimc/platform.h"
#include "aimc/regs/tile.h"
#include "common/energy_ledger.h"
#include "common/vcd_tracer.h"
#include "fake_tile.h"
#include "mem/ram.h"
#include "noc/noc.h"
#include "tlm_probe.h"

using namespace sc_core;

namespace {

// name -> list of (time, value), from a VCD file written by VcdTracer.
std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> parse_vcd(const std::string& path) {
    std::ifstream in(path);
    std::map<std::string, std::string> names;  // id -> name
    std::map<std::string, std::vector<std::pair<uint64_t, uint64_t>>> out;
    std::string line;
    uint64_t t = 0;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string w;
        ls >> w;
        if (w == "$var") {
            std::string type, width, id, name;
            ls >> type >> width >> id >> name;
            names[id] = name;
        } else if (!w.empty() && w[0] == '#') {
            t = std::stoull(w.substr(1));
        } else if (!w.empty() && w[0] == 'b') {
            std::string id;
            ls >> id;
            out[names.at(id)].emplace_back(t, std::stoull(w.substr(1), nullptr, 2));
        }
    }
    return out;
}

}  // namespace

TEST(NocScVcd, LinkSignalsOnFirstUse) {
    const std::string path = testing::TempDir() + "noc_sc_vcd.vcd";
    aimc::VcdTracer tracer(path, {});

    aimc::EnergyLedger ledger;
    aimc::noc::NocParams p;
    p.width = 4;
    p.height = 4;
    aimc::noc::Noc noc("noc", p, AIMC_CHIP_BASE, AIMC_TILE_WINDOW, ledger);
    noc.trace_to(tracer);
    sc_vector<aimc::test::FakeTile> tiles("tile", 16, [](const char* n, std::size_t) {
        return new aimc::test::FakeTile(n, 4096, SC_ZERO_TIME);
    });
    aimc::mem::RamParams rp;
    rp.size = 4096;
    aimc::mem::Ram ram("ram", rp);  // memory port target (addresses here are global: unused in this test)
    noc.memory_port.bind(ram.socket);
    aimc::test::TlmProbe host("host");  // no host traffic here
    host.socket.bind(noc.host_port);
    for (unsigned t = 0; t < 16; ++t) {
        noc.to_tile[t].bind(tiles[t].socket);
        tiles[t].noc.bind(noc.from_tile[t]);
    }
    sc_start(SC_ZERO_TIME);
    EXPECT_EQ(tracer.signal_count(), 0u);  // nothing declared before traffic

    // Tile 0 -> tile 1, 64 bytes (2 flits, Ts = 2 ns), at t = 0: inject [0,2), (0,0)->E [0,2), eject at
    // router (1,0) [3,5).
    uint8_t data[64] = {};
    sc_time d = SC_ZERO_TIME;
    tiles[0].send(tlm::TLM_WRITE_COMMAND, AIMC_CHIP_BASE + AIMC_TILE_WINDOW, data, 64, d);
    EXPECT_EQ(d, sc_time(5, SC_NS));
    EXPECT_EQ(tracer.signal_count(), 3u);
    // Out of order: a packet at local time 10 ns, then one at 8 ns that ends exactly when it starts
    // (2 flits from 8 ns): the link stays busy from 8 to 12 ns without a dip at 10 ns.
    d = sc_time(10, SC_NS);
    tiles[0].send(tlm::TLM_WRITE_COMMAND, AIMC_CHIP_BASE + AIMC_TILE_WINDOW, data, 64, d);
    d = sc_time(8, SC_NS);
    tiles[0].send(tlm::TLM_WRITE_COMMAND, AIMC_CHIP_BASE + AIMC_TILE_WINDOW, data, 32 + 1, d);
    EXPECT_EQ(d, sc_time(8 + 5, SC_NS));
    EXPECT_EQ(tracer.signal_count(), 3u);  // the same links: no new signals
    sc_start(1, SC_US);
    tracer.write(sc_time_stamp());

    const auto vcd = parse_vcd(path);
    ASSERT_EQ(vcd.size(), 3u);
    ASSERT_TRUE(vcd.count("link_x0_y0_east"));
    ASSERT_TRUE(vcd.count("inject_tile_x0_y0"));
    ASSERT_TRUE(vcd.count("eject_tile_x1_y0"));
    using V = std::vector<std::pair<uint64_t, uint64_t>>;
    // The link's initial 0 and its first booking share t = 0: the trace keeps the last value.
    EXPECT_EQ(vcd.at("link_x0_y0_east"), (V{{0, 64}, {2000, 0}, {8000, 64}, {12000, 0}}));
    EXPECT_EQ(vcd.at("eject_tile_x1_y0"), (V{{0, 0}, {3000, 64}, {5000, 0}, {11000, 64}, {15000, 0}}));

    // The scope is the NoC's hierarchical name.
    std::ifstream in(path);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("$scope module noc $end"), std::string::npos);
    std::remove(path.c_str());
}
