// The shape of the 2D mesh: W x H routers, the directed links between neighbours, and the ports where
// traffic enters and leaves the mesh (one tile per router, plus named attachments such as "host").
//
// Coordinates: x is the column (grows east), y the row (grows south); node id = y * W + x, so (0,0) is
// the north-west corner. Every router has four mesh ports (E, W, N, S) and local ports; a directed mesh
// link is named by the router it leaves and its direction. Every port (a tile or an attachment) has its
// own injection link (port -> router) and ejection link (router -> port), so traffic from two ports
// of one router contends only in the mesh, and traffic into one port contends on its ejection link.
//
// Plain C++, no SystemC. Immutable after construction; all look-ups are O(1) except by name.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace aimc::noc {

using NodeId = uint32_t;  // router index, y * width + x
using LinkId = uint32_t;  // dense index of a directed link (mesh, injection or ejection)
using PortId = uint32_t;  // [0, nodes): the tile at that node; [nodes, nodes + attachments): attachments

struct Coord {
    uint32_t x = 0;
    uint32_t y = 0;
    bool operator==(const Coord& o) const { return x == o.x && y == o.y; }
    bool operator!=(const Coord& o) const { return !(*this == o); }
};

// Direction of travel on a mesh link.
enum class Direction : uint8_t { East = 0, West = 1, North = 2, South = 3 };
constexpr uint32_t kMeshDirections = 4;
const char* direction_name(Direction d);

enum class LinkKind : uint8_t { Mesh, Inject, Eject };

// An extra port attached to a router, e.g. {"host", {0, 0}}.
struct Attachment {
    std::string name;
    Coord at;
};

// Hard limit per side; the mesh is meant for up to 32x32 but larger ones work.
constexpr uint32_t kMaxMeshSide = 256;

class MeshTopology {
public:
    // Throws std::invalid_argument for a zero or oversized side, an attachment outside the mesh, an
    // empty or duplicate attachment name, or a name of the tile form "tile...".
    MeshTopology(uint32_t width, uint32_t height, std::vector<Attachment> attachments = {});

    uint32_t width() const { return width_; }
    uint32_t height() const { return height_; }
    uint32_t num_nodes() const { return width_ * height_; }
    uint32_t num_ports() const { return num_nodes() + static_cast<uint32_t>(attachments_.size()); }
    // Link ids are dense in [0, num_link_slots()); mesh slots on the border have no link (has_link).
    uint32_t num_link_slots() const { return kMeshDirections * num_nodes() + 2 * num_ports(); }
    // Directed mesh links that exist: 2 (W-1) H + 2 W (H-1).
    uint32_t num_mesh_links() const { return 2 * (width_ - 1) * height_ + 2 * width_ * (height_ - 1); }

    bool contains(Coord c) const { return c.x < width_ && c.y < height_; }
    // Checked conversions: throw std::out_of_range naming the coordinate/id and the mesh size.
    NodeId node(Coord c) const;
    NodeId node(uint32_t x, uint32_t y) const { return node(Coord{x, y}); }
    Coord coord(NodeId n) const;
    void check_node(NodeId n) const {
        if (n >= num_nodes()) throw_bad_node(n);
    }
    void check_port(PortId p) const {
        if (p >= num_ports()) throw_bad_port(p);
    }
    // Unchecked (hot path; callers have validated ids).
    Coord coord_of(NodeId n) const { return Coord{n % width_, n / width_}; }
    NodeId node_of(Coord c) const { return c.y * width_ + c.x; }

    // Manhattan distance: the hop count of any minimal route.
    uint32_t distance(NodeId a, NodeId b) const;

    // --- mesh links
    // The link leaving `from` in direction `d`; unchecked, may name a border slot without a link.
    static LinkId mesh_link(NodeId from, Direction d) { return from * kMeshDirections + static_cast<uint32_t>(d); }
    // The neighbour of `n` in direction `d`; throws std::out_of_range at the border.
    NodeId neighbour(NodeId n, Direction d) const;
    bool has_link(LinkId l) const;

    // --- ports
    PortId tile_port(NodeId n) const { check_node(n); return n; }
    // The port named `name`: an attachment name, or "tile(x,y)". Throws std::invalid_argument listing
    // the known attachments.
    PortId port(const std::string& name) const;
    NodeId port_node(PortId p) const { return p < num_nodes() ? p : attachment_nodes_[p - num_nodes()]; }
    std::string port_name(PortId p) const;
    const std::vector<Attachment>& attachments() const { return attachments_; }
    LinkId inject_link(PortId p) const { return kMeshDirections * num_nodes() + 2 * p; }
    LinkId eject_link(PortId p) const { return kMeshDirections * num_nodes() + 2 * p + 1; }

    // --- describing links (for reports; not on the hot path)
    LinkKind link_kind(LinkId l) const;
    // Mesh link: the routers it joins. Injection link: from = to = the port's router.
    NodeId link_from(LinkId l) const;
    NodeId link_to(LinkId l) const;
    // Mesh links only: the direction of travel.
    Direction link_direction(LinkId l) const { return static_cast<Direction>(l % kMeshDirections); }
    // Injection/ejection links: the port.
    PortId link_port(LinkId l) const { return (l - kMeshDirections * num_nodes()) / 2; }
    // "(1,2)->E", "host->(0,0)", "(3,1)->tile(3,1)".
    std::string link_name(LinkId l) const;

private:
    [[noreturn]] void throw_bad_node(NodeId n) const;
    [[noreturn]] void throw_bad_port(PortId p) const;

    uint32_t width_;
    uint32_t height_;
    std::vector<Attachment> attachments_;
    std::vector<NodeId> attachment_nodes_;
    std::unordered_map<std::string, PortId> port_by_name_;
};

std::string to_string(Coord c);

}  // namespace aimc::noc
