#include "noc/mesh_topology.h"

#include <cstdio>
#include <stdexcept>

namespace aimc::noc {

const char* direction_name(Direction d) {
    switch (d) {
        case Direction::East: return "E";
        case Direction::West: return "W";
        case Direction::North: return "N";
        case Direction::South: return "S";
    }
    return "?";
}

std::string to_string(Coord c) { return "(" + std::to_string(c.x) + "," + std::to_string(c.y) + ")"; }

namespace {
std::string mesh_size(uint32_t w, uint32_t h) { return std::to_string(w) + "x" + std::to_string(h); }
}  // namespace

MeshTopology::MeshTopology(uint32_t width, uint32_t height, std::vector<Attachment> attachments)
    : width_(width), height_(height), attachments_(std::move(attachments)) {
    if (width_ == 0 || height_ == 0)
        throw std::invalid_argument("noc: mesh size " + mesh_size(width_, height_) +
                                    ": width and height must be at least 1");
    if (width_ > kMaxMeshSide || height_ > kMaxMeshSide)
        throw std::invalid_argument("noc: mesh size " + mesh_size(width_, height_) + ": at most " +
                                    std::to_string(kMaxMeshSide) + " routers per side");
    for (size_t i = 0; i < attachments_.size(); ++i) {
        const auto& a = attachments_[i];
        if (a.name.empty()) throw std::invalid_argument("noc: an attachment has an empty name");
        if (a.name.rfind("tile", 0) == 0)
            throw std::invalid_argument("noc: attachment name '" + a.name + "' is reserved for tile ports");
        if (!contains(a.at))
            throw std::invalid_argument("noc: attachment '" + a.name + "' at " + to_string(a.at) +
                                        " is outside the " + mesh_size(width_, height_) + " mesh");
        const PortId p = num_nodes() + static_cast<PortId>(i);
        if (!port_by_name_.emplace(a.name, p).second)
            throw std::invalid_argument("noc: attachment '" + a.name + "' is defined twice");
        attachment_nodes_.push_back(node_of(a.at));
    }
}

NodeId MeshTopology::node(Coord c) const {
    if (!contains(c))
        throw std::out_of_range("noc: node " + to_string(c) + " is outside the " + mesh_size(width_, height_) +
                                " mesh");
    return node_of(c);
}

Coord MeshTopology::coord(NodeId n) const {
    check_node(n);
    return coord_of(n);
}

void MeshTopology::throw_bad_node(NodeId n) const {
    throw std::out_of_range("noc: node " + std::to_string(n) + " is outside the " +
                                mesh_size(width_, height_) + " mesh (nodes 0.." +
                                std::to_string(num_nodes() - 1) + ")");
}

void MeshTopology::throw_bad_port(PortId p) const {
    throw std::out_of_range("noc: port " + std::to_string(p) + " does not exist (" + std::to_string(num_nodes()) +
                            " tile ports and " + std::to_string(attachments_.size()) + " attachments)");
}

uint32_t MeshTopology::distance(NodeId a, NodeId b) const {
    const Coord ca = coord_of(a), cb = coord_of(b);
    const uint32_t dx = ca.x > cb.x ? ca.x - cb.x : cb.x - ca.x;
    const uint32_t dy = ca.y > cb.y ? ca.y - cb.y : cb.y - ca.y;
    return dx + dy;
}

NodeId MeshTopology::neighbour(NodeId n, Direction d) const {
    const Coord c = coord(n);
    switch (d) {
        case Direction::East:
            if (c.x + 1 < width_) return n + 1;
            break;
        case Direction::West:
            if (c.x > 0) return n - 1;
            break;
        case Direction::North:
            if (c.y > 0) return n - width_;
            break;
        case Direction::South:
            if (c.y + 1 < height_) return n + width_;
            break;
    }
    throw std::out_of_range("noc: node " + to_string(c) + " has no neighbour to the " + direction_name(d));
}

bool MeshTopology::has_link(LinkId l) const {
    if (l >= num_link_slots()) return false;
    if (l >= kMeshDirections * num_nodes()) return true;
    const Coord c = coord_of(l / kMeshDirections);
    switch (link_direction(l)) {
        case Direction::East: return c.x + 1 < width_;
        case Direction::West: return c.x > 0;
        case Direction::North: return c.y > 0;
        case Direction::South: return c.y + 1 < height_;
    }
    return false;
}

PortId MeshTopology::port(const std::string& name) const {
    if (const auto it = port_by_name_.find(name); it != port_by_name_.end()) return it->second;
    unsigned x = 0, y = 0;
    int used = 0;
    if (std::sscanf(name.c_str(), "tile(%u,%u)%n", &x, &y, &used) == 2 && used == static_cast<int>(name.size()))
        return tile_port(node(x, y));
    std::string known;
    for (const auto& a : attachments_) known += (known.empty() ? "" : ", ") + a.name;
    throw std::invalid_argument("noc: unknown port '" + name + "' (attachments: " +
                                (known.empty() ? "none" : known) + "; tiles are named tile(x,y))");
}

std::string MeshTopology::port_name(PortId p) const {
    check_port(p);
    if (p < num_nodes()) return "tile" + to_string(coord_of(p));
    return attachments_[p - num_nodes()].name;
}

LinkKind MeshTopology::link_kind(LinkId l) const {
    if (l < kMeshDirections * num_nodes()) return LinkKind::Mesh;
    return (l - kMeshDirections * num_nodes()) % 2 == 0 ? LinkKind::Inject : LinkKind::Eject;
}

NodeId MeshTopology::link_from(LinkId l) const {
    if (link_kind(l) == LinkKind::Mesh) return l / kMeshDirections;
    return port_node(link_port(l));
}

NodeId MeshTopology::link_to(LinkId l) const {
    if (link_kind(l) == LinkKind::Mesh) return neighbour(l / kMeshDirections, link_direction(l));
    return port_node(link_port(l));
}

std::string MeshTopology::link_name(LinkId l) const {
    if (!has_link(l)) throw std::out_of_range("noc: link " + std::to_string(l) + " does not exist");
    switch (link_kind(l)) {
        case LinkKind::Mesh:
            return to_string(coord_of(l / kMeshDirections)) + "->" + direction_name(link_direction(l));
        case LinkKind::Inject:
            return port_name(link_port(l)) + "->" + to_string(coord_of(link_from(l)));
        case LinkKind::Eject:
            return to_string(coord_of(link_from(l))) + "->" + port_name(link_port(l));
    }
    return "?";
}

}  // namespace aimc::noc
