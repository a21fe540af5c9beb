// XY dimension-order routing: along the row (x) to the destination column, then along the column (y).
// Minimal and deadlock-free on a mesh; the routes from one source form a tree (used by multicast).
#include "noc/routing.h"

namespace aimc::noc {

namespace {

class XyRouting : public RoutingPolicy {
public:
    void route(const MeshTopology& mesh, NodeId src, NodeId dst, std::vector<LinkId>& out) const override {
        const Coord s = mesh.coord_of(src), d = mesh.coord_of(dst);
        const uint32_t w = mesh.width();
        NodeId n = src;
        for (uint32_t x = s.x; x < d.x; ++x, ++n) out.push_back(MeshTopology::mesh_link(n, Direction::East));
        for (uint32_t x = s.x; x > d.x; --x, --n) out.push_back(MeshTopology::mesh_link(n, Direction::West));
        for (uint32_t y = s.y; y < d.y; ++y, n += w) out.push_back(MeshTopology::mesh_link(n, Direction::South));
        for (uint32_t y = s.y; y > d.y; --y, n -= w) out.push_back(MeshTopology::mesh_link(n, Direction::North));
    }
};

}  // namespace

RoutingInfo xy_routing() {
    return {"xy", "Dimension order: along the row (x) first, then along the column (y)",
            [] { return std::make_unique<XyRouting>(); }};
}

}  // namespace aimc::noc
