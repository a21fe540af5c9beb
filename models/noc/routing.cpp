#include "noc/routing.h"

#include <map>
#include <mutex>
#include <stdexcept>

namespace aimc::noc {

namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, RoutingInfo> policies;  // sorted by name: deterministic listings

    Registry() {
        // The built-in policies. Listed here rather than self-registering from their own files because
        // the linker drops an unreferenced member of a static library, and its registrar with it.
        for (auto info : {xy_routing(), yx_routing()}) policies.emplace(info.name, std::move(info));
    }
};

Registry& registry() {
    static Registry r;
    return r;
}

std::string known_list(const Registry& r) {
    std::string s;
    for (const auto& [name, info] : r.policies) s += (s.empty() ? "" : ", ") + name;
    return s;
}

}  // namespace

void register_routing(RoutingInfo info) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    if (info.name.empty() || !info.make) throw std::invalid_argument("noc: a routing policy needs a name and a factory");
    const std::string name = info.name;
    if (!r.policies.emplace(name, std::move(info)).second)
        throw std::invalid_argument("noc: routing policy '" + name + "' is already registered");
}

const RoutingInfo& routing_info(const std::string& name) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.policies.find(name);
    if (it == r.policies.end())
        throw std::invalid_argument("noc: unknown routing '" + name + "' (known: " + known_list(r) + ")");
    return it->second;
}

std::unique_ptr<RoutingPolicy> make_routing(const std::string& name) { return routing_info(name).make(); }

std::vector<std::string> routing_names() {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> names;
    for (const auto& [name, info] : r.policies) names.push_back(name);
    return names;
}

}  // namespace aimc::noc
