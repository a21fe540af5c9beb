// Routing registry and the dimension-order policies.
#include <gtest/gtest.h>

#include "noc/mesh_network.h"
#include "noc/routing.h"

using namespace aimc::noc;

namespace {

std::vector<LinkId> route_of(const std::string& policy, const MeshTopology& m, Coord s, Coord d) {
    std::vector<LinkId> out;
    make_routing(policy)->route(m, m.node(s), m.node(d), out);
    return out;
}

LinkId L(const MeshTopology& m, uint32_t x, uint32_t y, Direction d) { return MeshTopology::mesh_link(m.node(x, y), d); }

}  // namespace

TEST(Routing, XyGoesAlongTheRowFirst) {
    const MeshTopology m(4, 4);
    using D = Direction;
    EXPECT_EQ(route_of("xy", m, {0, 0}, {2, 1}), (std::vector<LinkId>{L(m, 0, 0, D::East), L(m, 1, 0, D::East),
                                                                      L(m, 2, 0, D::South)}));
    EXPECT_EQ(route_of("xy", m, {3, 3}, {1, 2}), (std::vector<LinkId>{L(m, 3, 3, D::West), L(m, 2, 3, D::West),
                                                                      L(m, 1, 3, D::North)}));
    EXPECT_TRUE(route_of("xy", m, {2, 2}, {2, 2}).empty());
}

TEST(Routing, YxGoesAlongTheColumnFirst) {
    const MeshTopology m(4, 4);
    using D = Direction;
    EXPECT_EQ(route_of("yx", m, {0, 0}, {2, 1}), (std::vector<LinkId>{L(m, 0, 0, D::South), L(m, 0, 1, D::East),
                                                                      L(m, 1, 1, D::East)}));
    EXPECT_EQ(route_of("yx", m, {3, 3}, {1, 2}), (std::vector<LinkId>{L(m, 3, 3, D::North), L(m, 3, 2, D::West),
                                                                      L(m, 2, 2, D::West)}));
}

TEST(Routing, EveryRouteIsAMinimalConnectedPathOfExistingLinks) {
    const MeshTopology m(8, 5);
    for (const auto& policy : routing_names()) {
        const auto r = make_routing(policy);
        std::vector<LinkId> path;
        for (NodeId s = 0; s < m.num_nodes(); ++s) {
            for (NodeId d = 0; d < m.num_nodes(); ++d) {
                path.clear();
                r->route(m, s, d, path);
                ASSERT_EQ(path.size(), m.distance(s, d)) << policy;
                NodeId at = s;
                for (const LinkId l : path) {
                    ASSERT_TRUE(m.has_link(l)) << policy;
                    ASSERT_EQ(m.link_from(l), at) << policy;
                    at = m.link_to(l);
                }
                ASSERT_EQ(at, d) << policy;
            }
        }
    }
}

TEST(Routing, RegistryListsPoliciesAndRejectsUnknownNames) {
    const auto names = routing_names();
    EXPECT_NE(std::find(names.begin(), names.end(), "xy"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "yx"), names.end());
    try {
        make_routing("zigzag");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("unknown routing 'zigzag' (known: "), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("xy"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("yx"), std::string::npos);
    }
    EXPECT_THROW(register_routing(xy_routing()), std::invalid_argument);  // the name is taken
}

TEST(Routing, APolicyRegisteredAtRunTimeIsUsableByName) {
    // A deliberately odd policy: XY for everything (registered under another name).
    register_routing({"test-alias-of-xy", "XY under another name", [] { return xy_routing().make(); }});
    NocParams p;
    p.routing = "test-alias-of-xy";
    MeshNetwork net(p);
    EXPECT_EQ(net.route(net.topology().node(0, 0), net.topology().node(2, 1)).size(), 3u);
}
