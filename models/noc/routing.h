// Routing policies for the mesh, as a small registry of named plug-ins.
//
// A policy turns (source router, destination router) into the ordered list of directed mesh links a
// packet takes. Each built-in policy lives in its own file (routing_xy.cpp, routing_yx.cpp) and is
// listed once in routing.cpp; more can be added at run time with register_routing(). Policies are
// deterministic and stateless (oblivious routing), so a route depends only on its two ends.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "noc/mesh_topology.h"

namespace aimc::noc {

class RoutingPolicy {
public:
    virtual ~RoutingPolicy() = default;
    // Appends the links from `src` to `dst` to `out` (nothing when src == dst). Ids are valid.
    virtual void route(const MeshTopology& mesh, NodeId src, NodeId dst, std::vector<LinkId>& out) const = 0;
};

using RoutingFactory = std::function<std::unique_ptr<RoutingPolicy>()>;

struct RoutingInfo {
    std::string name;
    std::string description;  // one line
    RoutingFactory make;
};

// Adds a policy; throws std::invalid_argument if the name is taken or empty.
void register_routing(RoutingInfo info);
// The policy called `name`; throws std::invalid_argument naming it and listing the known ones.
std::unique_ptr<RoutingPolicy> make_routing(const std::string& name);
// Known policy names, sorted (for the parameter's choice list and error messages).
std::vector<std::string> routing_names();
const RoutingInfo& routing_info(const std::string& name);

// Built-in policies (defined in their own files).
RoutingInfo xy_routing();
RoutingInfo yx_routing();

}  // namespace aimc::noc
