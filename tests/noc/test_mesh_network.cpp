// The transfer engine: zero-load formula, serialization, contention, gaps, multicast, stats, energy,
// errors and determinism.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "noc/mesh_network.h"
#include "support/error_of.h"

using namespace aimc::noc;
using aimc::test::error_of;

namespace {

// 1 GHz, 2 + 1 cycles per hop, 32-byte flits, 1 cycle per flit: Th = 3 ns, Ts = flits x 1 ns.
NocParams small(uint32_t w = 4, uint32_t h = 4) {
    NocParams p;
    p.width = w;
    p.height = h;
    return p;
}

constexpr Ps ns = 1000;

}  // namespace

TEST(MeshNetwork, ZeroLoadLatencyIsHopsTimesHopPlusSerialization) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    EXPECT_EQ(net.hop_latency(), 3 * ns);
    const auto r = net.transfer(m.node(0, 0), m.node(3, 2), 256, 10 * ns);
    EXPECT_EQ(r.hops, 5u);
    EXPECT_EQ(r.flits, 8u);
    EXPECT_EQ(r.zero_load, 5 * 3 * ns + 8 * ns);
    EXPECT_EQ(r.latency, r.zero_load);
    EXPECT_EQ(r.arrival, 10 * ns + r.latency);
    EXPECT_EQ(r.wait, 0u);
    EXPECT_EQ(net.zero_load(m.node(0, 0), m.node(3, 2), 256).latency, r.latency);

    // Other clock and cycle counts: 500 MHz, 4 + 2 cycles per hop, 2 cycles per flit.
    NocParams p = small();
    p.clock_hz = 500e6;
    p.router_latency_cycles = 4;
    p.link_latency_cycles = 2;
    p.cycles_per_flit = 2;
    MeshNetwork slow(p);
    const auto s = slow.transfer(m.node(1, 1), m.node(1, 3), 64, 0);
    EXPECT_EQ(s.latency, 2 * 12 * ns + 2 * 4 * ns);
}

TEST(MeshNetwork, SerializationCountsFlitsOfTheLinkWidth) {
    MeshNetwork net(small());
    EXPECT_EQ(net.flits(1), 1u);
    EXPECT_EQ(net.flits(32), 1u);
    EXPECT_EQ(net.flits(33), 2u);
    EXPECT_EQ(net.flits(0), 1u);  // a packet has at least its head flit
    EXPECT_EQ(net.serialization(net.flits(4096)), 128 * ns);
    const auto& m = net.topology();
    // Same router: no hops, only serialization through the local ports.
    EXPECT_EQ(net.transfer(m.port("host"), m.node(0, 0), 1024, 0).latency, 32 * ns);

    NocParams p = small();
    p.header_flits = 1;
    p.flit_bytes = 16;
    MeshNetwork hdr(p);
    EXPECT_EQ(hdr.flits(33), 4u);
    EXPECT_EQ(hdr.flits(0), 1u);
}

TEST(MeshNetwork, TheSecondOfTwoTransfersOnOneLinkWaitsExactlyTheFirstsOccupancy) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    const Ps ts = 8 * ns;
    // A: (0,0) -> (2,0) reaches link (1,0)->E at 3 ns. B: (1,0) -> (2,0) asks for it at 3 ns.
    const auto a = net.transfer(m.node(0, 0), m.node(2, 0), 256, 0);
    const auto b = net.transfer(m.node(1, 0), m.node(2, 0), 256, 3 * ns);
    EXPECT_EQ(a.wait, 0u);
    EXPECT_EQ(b.wait, ts);
    EXPECT_EQ(b.latency, ts + b.zero_load);

    // Same source port, same time: the second waits for the injection link.
    MeshNetwork net2(small());
    net2.transfer(m.node(0, 0), m.node(3, 3), 256, 0);
    EXPECT_EQ(net2.transfer(m.node(0, 0), m.node(0, 1), 256, 0).wait, ts);
    // Two sources into one destination: the second waits at the ejection link.
    net2.transfer(m.node(3, 0), m.node(2, 0), 256, 100 * ns);
    EXPECT_EQ(net2.transfer(m.node(1, 0), m.node(2, 0), 256, 100 * ns).wait, ts);
}

TEST(MeshNetwork, TransfersOnDisjointLinksDoNotInteract) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    const auto a = net.transfer(m.node(0, 0), m.node(3, 0), 4096, 0);
    const auto b = net.transfer(m.node(0, 1), m.node(3, 1), 4096, 0);  // the next row
    const auto c = net.transfer(m.node(3, 2), m.node(0, 2), 4096, 0);  // opposite direction
    const auto d = net.transfer(m.node(2, 2), m.node(0, 2), 4096, 0);  // same row and direction as c
    EXPECT_EQ(a.wait, 0u);
    EXPECT_EQ(b.wait, 0u);
    EXPECT_EQ(c.wait, 0u);
    EXPECT_GT(d.wait, 0u);  // shares (2,2)->W with c
    // Links in both directions between the same two routers are separate.
    const auto e = net.transfer(m.node(0, 3), m.node(1, 3), 4096, 0);
    const auto f = net.transfer(m.node(1, 3), m.node(0, 3), 4096, 0);
    EXPECT_EQ(e.wait, 0u);
    EXPECT_EQ(f.wait, 0u);
}

TEST(MeshNetwork, AnEarlierRequestFitsIntoAGapLeftByLaterOnes) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    const PortId s = m.node(0, 0), d = m.node(1, 0);
    const auto late = net.transfer(s, d, 256, 50 * ns);    // books [50, 58) ns on its links
    const auto early = net.transfer(s, d, 256, 0);          // presented later (decoupling), fits before
    EXPECT_EQ(late.wait, 0u);
    EXPECT_EQ(early.wait, 0u);
    EXPECT_EQ(early.arrival, 3 * ns + 8 * ns);
    const auto clash = net.transfer(s, d, 256, 45 * ns);    // [45, 53) overlaps [50, 58): waits until 58
    EXPECT_EQ(clash.wait, 13 * ns);
}

TEST(MeshNetwork, RequestsOlderThanTheHorizonDoNotUseForgottenGaps) {
    NocParams p = small();
    p.calendar_horizon = 100e-9;
    MeshNetwork net(p);
    const auto& m = net.topology();
    const PortId s = m.node(0, 0), d = m.node(1, 0);
    net.transfer(s, d, 256, 0);        // link (0,0)->E busy [0, 8) ns
    net.transfer(s, d, 256, 20 * ns);  // [20, 28) ns
    net.transfer(m.node(3, 3), m.node(3, 2), 32, 1000 * ns);  // time moves on: the cut is at 900 ns
    // 9 ns would fit the gap [8, 20) ns, but that past is forgotten: it waits for the last known booking.
    const auto old = net.transfer(s, d, 256, 9 * ns);
    EXPECT_EQ(old.wait, 28 * ns - 9 * ns);
}

TEST(MeshNetwork, RetiringThePastChangesNoResultAndKeepsCalendarsShort) {
    // Requests up to 1 us ahead of "now", as with temporal decoupling; one network is told "now".
    NocParams p = small(8, 8);
    MeshNetwork told(p), untold(p);
    std::mt19937_64 rng(11);
    size_t longest_told = 0, longest_untold = 0;
    for (int i = 0; i < 20000; ++i) {
        const Ps now = static_cast<Ps>(i) * 2 * ns;
        const PortId s = rng() % 64, d = rng() % 64;
        const Ps t0 = now + rng() % (1000 * ns);
        told.retire_before(now);
        const auto a = told.transfer(s, d, 256, t0);
        const auto b = untold.transfer(s, d, 256, t0);
        ASSERT_EQ(a.arrival, b.arrival) << i;
        for (const LinkId l : told.route(s, d)) {
            longest_told = std::max(longest_told, told.calendar(l).size());
            longest_untold = std::max(longest_untold, untold.calendar(l).size());
        }
    }
    EXPECT_LT(longest_told, longest_untold);
}

TEST(MeshNetwork, MulticastBooksAndChargesTheSharedPrefixOnce) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    const std::vector<PortId> dsts{m.node(2, 0), m.node(2, 1), m.node(2, 2)};
    const auto r = net.multicast(m.node(0, 0), dsts, 256, 0);
    EXPECT_EQ(r.tree_links, 4u);  // (0,0)E (1,0)E (2,0)S (2,1)S; three unicasts would take 2+3+4 = 9
    EXPECT_EQ(r.max_hops, 4u);
    ASSERT_EQ(r.arrivals.size(), 3u);
    for (uint32_t k = 0; k < 3; ++k) EXPECT_EQ(r.arrivals[k], (2 + k) * 3 * ns + 8 * ns);
    EXPECT_EQ(r.arrival, r.arrivals[2]);
    EXPECT_EQ(r.max_wait, 0u);
    EXPECT_DOUBLE_EQ(r.energy, 8.0 * 4 * net.energy_per_flit_hop());
    const LinkId first = MeshTopology::mesh_link(m.node(0, 0), Direction::East);
    EXPECT_EQ(net.link_stats(first).transfers, 1u);
    EXPECT_EQ(net.link_stats(first).bytes, 256u);
    const auto rep = net.report();
    EXPECT_EQ(rep.multicasts, 1u);
    EXPECT_EQ(rep.deliveries, 3u);
    EXPECT_EQ(rep.flit_hops, 8u * 4);
    EXPECT_EQ(net.port_stats(m.node(2, 1)).ejected_bytes, 256u);
    EXPECT_EQ(net.port_stats(m.node(0, 0)).injected_bytes, 256u);

    // A later multicast on the same tree waits once for the first (on the injection link).
    const auto r2 = net.multicast(m.node(0, 0), dsts, 256, 0);
    EXPECT_EQ(r2.max_wait, 8 * ns);

    EXPECT_NE(error_of<std::invalid_argument>([&] { net.multicast(m.node(0, 0), {}, 8, 0); }).find("no destination"),
              std::string::npos);
    EXPECT_NE(error_of<std::invalid_argument>([&] { net.multicast(0, {1, 2, 1}, 8, 0); }).find("tile(1,0) twice"),
              std::string::npos);
    EXPECT_THROW(net.multicast(0, {1, 999}, 8, 0), std::out_of_range);
    EXPECT_EQ(net.report().multicasts, 2u);  // the rejected ones booked nothing
}

TEST(MeshNetwork, StatisticsPerLinkPortAndTotal) {
    MeshNetwork net(small());
    const auto& m = net.topology();
    const Ps ts = 8 * ns;
    net.transfer(m.node(0, 0), m.node(2, 0), 256, 0);
    net.transfer(m.node(1, 0), m.node(2, 0), 256, 3 * ns);  // waits ts for (1,0)->E
    const LinkId shared = MeshTopology::mesh_link(m.node(1, 0), Direction::East);
    const auto& s = net.link_stats(shared);
    EXPECT_EQ(s.transfers, 2u);
    EXPECT_EQ(s.bytes, 512u);
    EXPECT_EQ(s.flits, 16u);
    EXPECT_EQ(s.busy, 2 * ts);
    EXPECT_EQ(s.total_wait, ts);
    EXPECT_EQ(s.peak_wait, ts);
    EXPECT_EQ(net.link_stats(MeshTopology::mesh_link(m.node(0, 0), Direction::East)).peak_wait, 0u);

    const auto rep = net.report();
    EXPECT_EQ(rep.transfers, 2u);
    EXPECT_EQ(rep.bytes, 512u);
    EXPECT_EQ(rep.flits, 16u);
    EXPECT_EQ(rep.hops, 3u);
    EXPECT_EQ(rep.flit_hops, 24u);
    EXPECT_DOUBLE_EQ(rep.peak_wait_s, 8e-9);
    EXPECT_DOUBLE_EQ(rep.total_wait_s, 8e-9);
    // 2 injection + 2 mesh + 1 ejection links carried traffic.
    EXPECT_EQ(rep.links.size(), 5u);
    const auto it = std::find_if(rep.links.begin(), rep.links.end(), [&](const LinkReport& l) { return l.id == shared; });
    ASSERT_NE(it, rep.links.end());
    EXPECT_EQ(it->name, "(1,0)->E");
    EXPECT_DOUBLE_EQ(it->busy_s, 16e-9);
    EXPECT_DOUBLE_EQ(it->peak_wait_s, 8e-9);
    EXPECT_EQ(rep.nodes[m.node(2, 0)].ejected_bytes, 512u);
    EXPECT_EQ(rep.nodes[m.node(1, 0)].injected_bytes, 256u);
    EXPECT_EQ(rep.ports.size(), m.num_ports());
    EXPECT_EQ(net.report(true).links.size(), m.num_mesh_links() + 2 * m.num_ports());

    net.reset_stats();
    EXPECT_EQ(net.report().transfers, 0u);
    EXPECT_EQ(net.link_stats(shared).bytes, 0u);
    EXPECT_TRUE(net.report().links.empty());
    // Bookings survive a stats reset.
    EXPECT_EQ(net.transfer(m.node(1, 0), m.node(2, 0), 256, 3 * ns).wait, 2 * ts);
}

TEST(MeshNetwork, EnergyIsFlitsTimesHopsTimesPerHopEnergy) {
    NocParams p = small(8, 8);
    p.energy_per_flit_router = 3e-12;
    p.energy_per_flit_link = 5e-12;
    p.static_power_per_router = 1e-3;
    MeshNetwork net(p);
    const auto& m = net.topology();
    const auto r = net.transfer(m.port("host"), m.node(5, 7), 1000, 0);  // 32 flits, 12 hops
    EXPECT_EQ(r.flits, 32u);
    EXPECT_EQ(r.hops, 12u);
    EXPECT_DOUBLE_EQ(r.energy, 32 * 12 * 8e-12);
    EXPECT_DOUBLE_EQ(net.transfer(m.node(2, 2), m.node(2, 2), 64, 0).energy, 0.0);  // no hop
    const auto rep = net.report();
    EXPECT_DOUBLE_EQ(rep.dynamic_energy_j, r.energy);
    EXPECT_DOUBLE_EQ(rep.static_power_w, 64e-3);
    EXPECT_DOUBLE_EQ(rep.static_energy_j(2e-6), 128e-9);
    double per_link = 0;
    for (const auto& l : rep.links) per_link += l.energy_j;
    EXPECT_DOUBLE_EQ(per_link, rep.dynamic_energy_j);
    // The default router figure is ISAAC's 20.74 pJ per 256 b scaled 32 nm -> 14 nm.
    EXPECT_NEAR(NocParams{}.energy_per_flit_router, 20.74e-12 * 0.2106, 0.01e-12);
}

TEST(MeshNetwork, BadInputIsAClearError) {
    NocParams p = small();
    MeshNetwork net(p);
    EXPECT_NE(error_of<std::out_of_range>([&] { net.transfer(0, 100, 8, 0); }).find("port 100 does not exist"),
              std::string::npos);
    EXPECT_NE(error_of<std::out_of_range>([&] { net.transfer(100, 0, 8, 0); }).find("port 100"), std::string::npos);

    NocParams zero = small(0, 4);
    EXPECT_NE(error_of<aimc::ConfigError>([&] { MeshNetwork{zero}; }).find("noc.width = 0 is out of range [1, 256]"),
              std::string::npos);
    NocParams routing = small();
    routing.routing = "zigzag";
    const auto msg = error_of<aimc::ConfigError>([&] { MeshNetwork{routing}; });
    EXPECT_NE(msg.find("noc.routing = 'zigzag' is not one of: "), std::string::npos) << msg;
    EXPECT_NE(msg.find("xy"), std::string::npos) << msg;
    NocParams outside = small();
    outside.host.x = 4;
    EXPECT_NE(error_of<aimc::ConfigError>([&] { MeshNetwork{outside}; }).find("noc.host: port at (4,0) is outside the 4x4 mesh"),
              std::string::npos);
    NocParams clock = small();
    clock.clock_hz = 0;
    EXPECT_NE(error_of<aimc::ConfigError>([&] { MeshNetwork{clock}; }).find("noc.clock_hz"), std::string::npos);
    EXPECT_THROW(MeshNetwork(small(), {{"host", {1, 1}}}), std::invalid_argument);  // duplicate name
}

TEST(MeshNetwork, ParametersAreDescribedWithUnits) {
    struct Collect : aimc::ParamVisitor {
        std::map<std::string, std::string> units;
        std::string prefix;
        void enter_group(const std::string& n, const std::string&) override { prefix = n + "."; }
        void leave_group() override { prefix.clear(); }
        void visit(const aimc::ParamInfo& i, aimc::ParamRef) override {
            EXPECT_FALSE(i.description.empty()) << i.name;
            units[prefix + i.name] = i.unit;
        }
    } c;
    NocParams p;
    p.describe(c);
    EXPECT_EQ(c.units.at("clock_hz"), "Hz");
    EXPECT_EQ(c.units.at("flit_bytes"), "bytes");
    EXPECT_EQ(c.units.at("router_latency_cycles"), "cycles");
    EXPECT_EQ(c.units.at("energy_per_flit_link"), "J");
    EXPECT_EQ(c.units.at("static_power_per_router"), "W");
    for (const char* k : {"width", "height", "link_latency_cycles", "cycles_per_flit", "energy_per_flit_router",
                          "routing", "host.x", "host.y", "memory.x", "calendar_horizon"})
        EXPECT_EQ(c.units.count(k), 1u) << k;
}

TEST(MeshNetwork, ResultsAreDeterministic) {
    auto run = [] {
        NocParams p = small(8, 8);
        MeshNetwork net(p);
        std::mt19937_64 rng(7);
        std::vector<Ps> arrivals;
        for (int i = 0; i < 5000; ++i) {
            const PortId s = rng() % 64, d = rng() % 64;
            const Ps t0 = static_cast<Ps>(i) * 2 * ns + rng() % (500 * ns);  // out of order by up to 0.5 us
            arrivals.push_back(net.transfer(s, d, 32 * (1 + rng() % 16), t0).arrival);
        }
        const auto rep = net.report();
        arrivals.push_back(static_cast<Ps>(rep.total_wait_s * 1e12));
        arrivals.push_back(static_cast<Ps>(rep.dynamic_energy_j * 1e15));
        return arrivals;
    };
    EXPECT_EQ(run(), run());
}

TEST(MeshNetwork, LargeMeshUnderLoadKeepsInvariants) {
    MeshNetwork net(small(32, 32));
    std::mt19937_64 rng(1);
    Ps total_wait = 0;
    for (int i = 0; i < 20000; ++i) {
        const PortId s = rng() % 1024, d = rng() % 1024;
        const auto r = net.transfer(s, d, 256, static_cast<Ps>(i) * 500 + rng() % (1000 * ns));
        ASSERT_EQ(r.latency, r.zero_load + r.wait);
        ASSERT_EQ(r.hops, net.topology().distance(s, d));
        total_wait += r.wait;
    }
    const auto rep = net.report();
    EXPECT_EQ(static_cast<Ps>(std::llround(rep.total_wait_s * 1e12)), total_wait);
    // No link is booked for more than the window (no double booking).
    for (const auto& l : rep.links) EXPECT_LE(l.utilization, 1.0 + 1e-9) << l.name;
}
