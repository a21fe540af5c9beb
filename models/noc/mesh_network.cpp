#include "noc/mesh_network.h"

#include <algorithm>
#include <stdexcept>

namespace aimc::noc {

namespace {

std::vector<Attachment> all_attachments(const NocParams& p, std::vector<Attachment> extra) {
    p.validate();
    auto a = p.attachments();
    for (auto& e : extra) a.push_back(std::move(e));
    return a;
}

}  // namespace

MeshNetwork::MeshNetwork(const NocParams& params, std::vector<Attachment> extra)
    : params_(params),
      mesh_(params.width, params.height, all_attachments(params, std::move(extra))),
      routing_(make_routing(params.routing)) {
    const double cycle_ps = 1e12 / params_.clock_hz;
    hop_ = static_cast<Ps>(std::llround((params_.router_latency_cycles + params_.link_latency_cycles) * cycle_ps));
    flit_ps_ = std::max<Ps>(1, static_cast<Ps>(std::llround(params_.cycles_per_flit * cycle_ps)));
    for (int b = 0; b < 32; ++b)
        if (params_.flit_bytes == (1u << b)) flit_shift_ = b;
    horizon_ = ps_from_seconds(params_.calendar_horizon);
    links_.resize(mesh_.num_link_slots());
    tree_stamp_.assign(mesh_.num_link_slots(), 0);
    tree_grant_.assign(mesh_.num_link_slots(), 0);
    route_.reserve(2 * (mesh_.width() + mesh_.height()));
}

uint32_t MeshNetwork::flits(uint64_t bytes) const {
    const uint64_t payload = flit_shift_ >= 0 ? (bytes + params_.flit_bytes - 1) >> flit_shift_
                                              : (bytes + params_.flit_bytes - 1) / params_.flit_bytes;
    const uint64_t f = std::max<uint64_t>(1, payload + params_.header_flits);
    if (f > UINT32_MAX) throw std::invalid_argument("noc: transfer of " + std::to_string(bytes) + " bytes is too large");
    return static_cast<uint32_t>(f);
}

Ps MeshNetwork::serialization(uint32_t flits) const { return flits * flit_ps_; }

std::vector<LinkId> MeshNetwork::route(PortId src, PortId dst) const {
    mesh_.check_port(src);
    mesh_.check_port(dst);
    std::vector<LinkId> out;
    routing_->route(mesh_, mesh_.port_node(src), mesh_.port_node(dst), out);
    return out;
}

void MeshNetwork::update_cut() {
    cut_ = std::max(retired_, latest_inject_ > horizon_ ? latest_inject_ - horizon_ : 0);
}

void MeshNetwork::retire_before(Ps now) {
    if (now > retired_) {
        retired_ = now;
        update_cut();
    }
}

void MeshNetwork::note_inject(Ps inject) {
    if (inject > latest_inject_) {
        latest_inject_ = inject;
        update_cut();
    }
    if (!any_ || inject < first_inject_) first_inject_ = inject;
    any_ = true;
}

inline void MeshNetwork::prefetch(LinkId l) const {
#if defined(__GNUC__)
    const char* p = reinterpret_cast<const char*>(&links_[l]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
#endif
}

inline Ps MeshNetwork::book(LinkId l, Ps ready, Ps duration, uint32_t flits, uint64_t bytes) {
    LinkState& link = links_[l];
    link.calendar.forget_before(cut_);
    const Ps grant = link.calendar.reserve(ready, duration);
    LinkStats& s = link.stats;
    const Ps wait = grant - ready;
    ++s.transfers;
    s.flits += flits;
    s.bytes += bytes;
    s.busy += duration;
    s.total_wait += wait;
    s.peak_wait = std::max(s.peak_wait, wait);
    if (observer_) observer_->booked(l, grant, grant + duration, flits, bytes);
    return grant;
}

TransferResult MeshNetwork::zero_load(PortId src, PortId dst, uint64_t bytes) const {
    mesh_.check_port(src);
    mesh_.check_port(dst);
    TransferResult r;
    r.flits = flits(bytes);
    r.hops = static_cast<uint32_t>(route(src, dst).size());
    r.zero_load = r.latency = r.arrival = r.hops * hop_ + serialization(r.flits);
    r.energy = static_cast<double>(r.flits) * r.hops * energy_per_flit_hop();
    return r;
}

TransferResult MeshNetwork::transfer(PortId src, PortId dst, uint64_t bytes, Ps inject) {
    mesh_.check_port(src);
    mesh_.check_port(dst);
    prefetch(mesh_.inject_link(src));
    prefetch(mesh_.eject_link(dst));
    TransferResult r;
    r.inject = inject;
    r.flits = flits(bytes);
    const Ps ts = serialization(r.flits);
    note_inject(inject);

    route_.clear();
    routing_->route(mesh_, mesh_.port_node(src), mesh_.port_node(dst), route_);
    r.hops = static_cast<uint32_t>(route_.size());
    // The links' states are independent loads: start them all now rather than one miss per hop.
    for (const LinkId l : route_) prefetch(l);

    Ps head = book(mesh_.inject_link(src), inject, ts, r.flits, bytes);
    for (uint32_t i = 0; i < r.hops; ++i) {
        if (i + 2 < r.hops) links_[route_[i + 2]].calendar.prefetch_newest();  // its state has arrived by now
        head = book(route_[i], head, ts, r.flits, bytes) + hop_;
    }
    r.arrival = book(mesh_.eject_link(dst), head, ts, r.flits, bytes) + ts;

    r.latency = r.arrival - inject;
    r.zero_load = r.hops * hop_ + ts;
    r.wait = r.latency - r.zero_load;
    r.energy = static_cast<double>(r.flits) * r.hops * energy_per_flit_hop();

    ++transfers_;
    ++deliveries_;
    bytes_ += bytes;
    flits_ += r.flits;
    flit_hops_ += static_cast<uint64_t>(r.flits) * r.hops;
    hops_ += r.hops;
    energy_ += r.energy;
    total_latency_ += r.latency;
    total_wait_ += r.wait;
    peak_wait_ = std::max(peak_wait_, r.wait);
    last_arrival_ = std::max(last_arrival_, r.arrival);
    return r;
}

MulticastResult MeshNetwork::multicast(PortId src, const std::vector<PortId>& dsts, uint64_t bytes, Ps inject) {
    mesh_.check_port(src);
    if (dsts.empty()) throw std::invalid_argument("noc: multicast from " + mesh_.port_name(src) + " has no destination");
    // Validate everything before booking anything. Ejection-link stamps catch repeated destinations.
    const uint64_t check = ++tree_call_;
    for (const PortId d : dsts) {
        mesh_.check_port(d);
        const LinkId e = mesh_.eject_link(d);
        if (tree_stamp_[e] == check)
            throw std::invalid_argument("noc: multicast lists destination " + mesh_.port_name(d) + " twice");
        tree_stamp_[e] = check;
    }
    const uint64_t call = ++tree_call_;

    MulticastResult r;
    r.inject = inject;
    r.flits = flits(bytes);
    const Ps ts = serialization(r.flits);
    note_inject(inject);
    r.arrivals.reserve(dsts.size());

    const Ps start = book(mesh_.inject_link(src), inject, ts, r.flits, bytes);
    const NodeId src_node = mesh_.port_node(src);
    for (const PortId d : dsts) {
        route_.clear();
        routing_->route(mesh_, src_node, mesh_.port_node(d), route_);
        Ps head = start;
        for (const LinkId l : route_) {
            if (tree_stamp_[l] != call) {  // a new branch of the tree: book it
                tree_stamp_[l] = call;
                tree_grant_[l] = book(l, head, ts, r.flits, bytes);
                ++r.tree_links;
            }
            head = tree_grant_[l] + hop_;
        }
        const Ps arrival = book(mesh_.eject_link(d), head, ts, r.flits, bytes) + ts;
        const uint32_t hops = static_cast<uint32_t>(route_.size());
        const Ps wait = arrival - inject - (hops * hop_ + ts);
        r.arrivals.push_back(arrival);
        r.arrival = std::max(r.arrival, arrival);
        r.max_wait = std::max(r.max_wait, wait);
        r.max_hops = std::max(r.max_hops, hops);

        ++deliveries_;
        total_latency_ += arrival - inject;
        total_wait_ += wait;
        peak_wait_ = std::max(peak_wait_, wait);
    }
    r.latency = r.arrival - inject;
    r.energy = static_cast<double>(r.flits) * r.tree_links * energy_per_flit_hop();

    ++multicasts_;
    bytes_ += bytes;
    flits_ += r.flits;
    flit_hops_ += static_cast<uint64_t>(r.flits) * r.tree_links;
    hops_ += r.tree_links;
    energy_ += r.energy;
    last_arrival_ = std::max(last_arrival_, r.arrival);
    return r;
}

PortStats MeshNetwork::port_stats(PortId p) const {
    mesh_.check_port(p);
    const LinkStats& in = links_[mesh_.inject_link(p)].stats;
    const LinkStats& out = links_[mesh_.eject_link(p)].stats;
    return PortStats{in.transfers, in.bytes, out.transfers, out.bytes};
}

NocReport MeshNetwork::report(bool include_idle_links) const {
    NocReport rep;
    rep.width = mesh_.width();
    rep.height = mesh_.height();
    rep.transfers = transfers_;
    rep.multicasts = multicasts_;
    rep.deliveries = deliveries_;
    rep.bytes = bytes_;
    rep.flits = flits_;
    rep.flit_hops = flit_hops_;
    rep.hops = hops_;
    rep.dynamic_energy_j = energy_;
    rep.static_power_w = params_.static_power_per_router * mesh_.num_nodes();
    rep.total_latency_s = seconds_from_ps(total_latency_);
    rep.total_wait_s = seconds_from_ps(total_wait_);
    rep.peak_wait_s = seconds_from_ps(peak_wait_);
    rep.mean_latency_s = deliveries_ ? rep.total_latency_s / static_cast<double>(deliveries_) : 0;
    rep.window_s = any_ && last_arrival_ > first_inject_ ? seconds_from_ps(last_arrival_ - first_inject_) : 0;

    for (LinkId l = 0; l < mesh_.num_link_slots(); ++l) {
        if (!mesh_.has_link(l)) continue;
        const LinkStats& s = links_[l].stats;
        if (!include_idle_links && s.transfers == 0) continue;
        LinkReport lr;
        lr.id = l;
        lr.name = mesh_.link_name(l);
        lr.kind = mesh_.link_kind(l);
        lr.from = mesh_.link_from(l);
        lr.to = mesh_.link_to(l);
        lr.stats = s;
        lr.busy_s = seconds_from_ps(s.busy);
        lr.utilization = rep.window_s > 0 ? lr.busy_s / rep.window_s : 0;
        lr.total_wait_s = seconds_from_ps(s.total_wait);
        lr.peak_wait_s = seconds_from_ps(s.peak_wait);
        lr.energy_j = lr.kind == LinkKind::Mesh ? static_cast<double>(s.flits) * energy_per_flit_hop() : 0;
        rep.links.push_back(std::move(lr));
    }
    rep.nodes.resize(mesh_.num_nodes());
    for (NodeId n = 0; n < mesh_.num_nodes(); ++n) {
        rep.nodes[n].id = n;
        rep.nodes[n].at = mesh_.coord_of(n);
    }
    for (PortId p = 0; p < mesh_.num_ports(); ++p) {
        const PortStats s = port_stats(p);
        rep.ports.push_back(PortReport{p, mesh_.port_name(p), mesh_.port_node(p), s});
        NodeReport& nr = rep.nodes[mesh_.port_node(p)];
        nr.injected_bytes += s.injected_bytes;
        nr.ejected_bytes += s.ejected_bytes;
    }
    return rep;
}

void MeshNetwork::reset_stats() {
    for (auto& l : links_) l.stats = LinkStats{};
    transfers_ = multicasts_ = deliveries_ = bytes_ = flits_ = flit_hops_ = hops_ = 0;
    energy_ = 0;
    total_latency_ = total_wait_ = peak_wait_ = 0;
    first_inject_ = last_arrival_ = 0;
    any_ = false;
}

}  // namespace aimc::noc
