// YX dimension-order routing: along the column (y) to the destination row, then along the row (x).
// The mirror of XY; minimal and deadlock-free on a mesh.
#include "noc/routing.h"

namespace aimc::noc {

namespace {

class YxRouting : public RoutingPolicy {
public:
    void route(const MeshTopology& mesh, NodeId src, NodeId dst, std::vector<LinkId>& out) const override {
        const Coord s = mesh.coord_of(src), d = mesh.coord_of(dst);
        const uint32_t w = mesh.width();
        NodeId n = src;
        for (uint32_t y = s.y; y < d.y; ++y, n += w) out.push_back(MeshTopology::mesh_link(n, Direction::South));
        for (uint32_t y = s.y; y > d.y; --y, n -= w) out.push_back(MeshTopology::mesh_link(n, Direction::North));
        for (uint32_t x = s.x; x < d.x; ++x, ++n) out.push_back(MeshTopology::mesh_link(n, Direction::East));
        for (uint32_t x = s.x; x > d.x; --x, --n) out.push_back(MeshTopology::mesh_link(n, Direction::West));
    }
};

}  // namespace

RoutingInfo yx_routing() {
    return {"yx", "Dimension order: along the column (y) first, then along the row (x)",
            [] { return std::make_unique<YxRouting>(); }};
}

}  // namespace aimc::noc
