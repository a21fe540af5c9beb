// Mesh shape: ids, coordinates, directed links, attachments and their errors.
#include <gtest/gtest.h>

#include <set>

#include "noc/mesh_topology.h"
#include "support/error_of.h"

using namespace aimc::noc;
using aimc::test::error_of;

TEST(MeshTopology, IdsAndCoordinatesRoundTrip) {
    const MeshTopology m(5, 3);
    EXPECT_EQ(m.num_nodes(), 15u);
    for (NodeId n = 0; n < m.num_nodes(); ++n) EXPECT_EQ(m.node(m.coord(n)), n);
    EXPECT_EQ(m.node(4, 2), 14u);
    EXPECT_EQ(m.coord(7), (Coord{2, 1}));
}

TEST(MeshTopology, DirectedLinksBetweenNeighboursOnly) {
    for (auto [w, h] : {std::pair{1u, 1u}, {8u, 8u}, {3u, 5u}, {32u, 32u}}) {
        const MeshTopology m(w, h);
        uint32_t mesh_links = 0;
        for (LinkId l = 0; l < m.num_link_slots(); ++l) {
            if (!m.has_link(l) || m.link_kind(l) != LinkKind::Mesh) continue;
            ++mesh_links;
            EXPECT_EQ(m.distance(m.link_from(l), m.link_to(l)), 1u) << m.link_name(l);
        }
        EXPECT_EQ(mesh_links, m.num_mesh_links()) << w << "x" << h;
        EXPECT_EQ(m.num_mesh_links(), 2 * (w - 1) * h + 2 * w * (h - 1));
    }
    const MeshTopology m(4, 4);
    EXPECT_FALSE(m.has_link(MeshTopology::mesh_link(m.node(3, 0), Direction::East)));
    EXPECT_FALSE(m.has_link(MeshTopology::mesh_link(m.node(0, 0), Direction::North)));
    EXPECT_TRUE(m.has_link(MeshTopology::mesh_link(m.node(0, 0), Direction::South)));
    EXPECT_EQ(m.neighbour(m.node(1, 1), Direction::North), m.node(1, 0));
    EXPECT_EQ(m.link_name(MeshTopology::mesh_link(m.node(1, 2), Direction::East)), "(1,2)->E");
    EXPECT_NE(error_of<std::out_of_range>([&] { m.neighbour(m.node(3, 3), Direction::East); }).find("no neighbour"),
              std::string::npos);
}

TEST(MeshTopology, AttachmentsArePortsWithTheirOwnLocalLinks) {
    const MeshTopology m(4, 4, {{"host", {0, 0}}, {"memory", {3, 0}}});
    EXPECT_EQ(m.num_ports(), 18u);
    const PortId host = m.port("host"), mem = m.port("memory");
    EXPECT_EQ(host, 16u);
    EXPECT_EQ(m.port_node(host), 0u);
    EXPECT_EQ(m.port_node(mem), 3u);
    EXPECT_EQ(m.port("tile(2,1)"), m.node(2, 1));
    EXPECT_EQ(m.port_name(m.node(2, 1)), "tile(2,1)");
    EXPECT_EQ(m.link_name(m.inject_link(host)), "host->(0,0)");
    EXPECT_EQ(m.link_name(m.eject_link(m.node(3, 1))), "(3,1)->tile(3,1)");
    // Every link slot of a port is distinct from every other.
    std::set<LinkId> seen;
    for (PortId p = 0; p < m.num_ports(); ++p) {
        EXPECT_TRUE(seen.insert(m.inject_link(p)).second);
        EXPECT_TRUE(seen.insert(m.eject_link(p)).second);
        EXPECT_EQ(m.link_kind(m.inject_link(p)), LinkKind::Inject);
        EXPECT_EQ(m.link_port(m.eject_link(p)), p);
    }
}

TEST(MeshTopology, BadInputIsAClearError) {
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(0, 4); }).find("width and height must be at least 1"),
              std::string::npos);
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(4, 0); }).find("4x0"), std::string::npos);
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(1000, 4); }).find("at most 256"), std::string::npos);
    const MeshTopology m(8, 8, {{"host", {0, 0}}});
    EXPECT_EQ(error_of<std::out_of_range>([&] { m.node(8, 0); }), "noc: node (8,0) is outside the 8x8 mesh");
    EXPECT_NE(error_of<std::out_of_range>([&] { m.coord(64); }).find("nodes 0..63"), std::string::npos);
    EXPECT_NE(error_of<std::out_of_range>([&] { m.check_port(65); }).find("port 65 does not exist"), std::string::npos);
    EXPECT_NE(error_of<std::out_of_range>([&] { m.port("tile(9,9)"); }).find("(9,9) is outside"), std::string::npos);
    EXPECT_THROW(m.port("tile(1,2)x"), std::invalid_argument);
    EXPECT_EQ(error_of<std::invalid_argument>([&] { m.port("dram"); }),
              "noc: unknown port 'dram' (attachments: host; tiles are named tile(x,y))");
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(2, 2, {{"host", {2, 0}}}); })
                  .find("attachment 'host' at (2,0) is outside the 2x2 mesh"),
              std::string::npos);
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(2, 2, {{"a", {0, 0}}, {"a", {1, 0}}}); })
                  .find("defined twice"),
              std::string::npos);
    EXPECT_NE(error_of<std::invalid_argument>([] { MeshTopology(2, 2, {{"tile7", {0, 0}}}); }).find("reserved"),
              std::string::npos);
}
