// The NoC timing and energy engine: per transaction, not per clock.
//
// The SystemC wrapper (noc.{h,cpp}) asks: "B bytes from port S to port D, injected at time t0: when does
// the tail arrive, and what did it cost?" The answer comes from the route, the per-hop latency, the
// serialization of the packet's flits and the bookings already on each link:
//
//   flits         F  = max(1, header_flits + ceil(B / flit_bytes))
//   serialization Ts = F x (cycles_per_flit / clock)        (the per-flit time rounded to the ps once)
//   per hop       Th = (router_latency_cycles + link_latency_cycles) / clock   (rounded to the ps once)
//   zero load     L0 = H x Th + Ts                          (H = mesh links on the route)
//
// Wormhole-style: the head takes the source's injection link, then each mesh link of the route, then
// the destination's ejection link; each link is booked for Ts from the moment the head gets it, and the
// head moves on Th later. A busy link makes the head wait for the earliest gap of length Ts (see
// link_calendar.h); everything after it shifts. The tail arrives Ts after the head gets the ejection
// link. Dynamic energy = F x H x (energy_per_flit_router + energy_per_flit_link).
//
// Times are integer picoseconds (Ps): SystemC's default resolution, where sc_time::value() is already in
// ps. Plain C++, no SystemC; deterministic (results depend only on the sequence of calls).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "noc/link_calendar.h"
#include "noc/mesh_topology.h"
#include "noc/noc_params.h"
#include "noc/routing.h"

namespace aimc::noc {

inline Ps ps_from_seconds(double s) { return static_cast<Ps>(std::llround(s * 1e12)); }
inline double seconds_from_ps(Ps t) { return static_cast<double>(t) * 1e-12; }

struct TransferResult {
    Ps inject = 0;      // requested injection time t0
    Ps arrival = 0;     // tail delivered at the destination port
    Ps latency = 0;     // arrival - inject
    Ps zero_load = 0;   // latency without contention: H x Th + Ts
    Ps wait = 0;        // queueing delay: latency - zero_load (sum of the waits at each link)
    uint32_t hops = 0;  // mesh links on the route
    uint32_t flits = 0;
    double energy = 0;  // J, dynamic

    double latency_s() const { return seconds_from_ps(latency); }
    double wait_s() const { return seconds_from_ps(wait); }
};

struct MulticastResult {
    Ps inject = 0;
    Ps arrival = 0;               // the last destination's tail
    Ps latency = 0;               // arrival - inject
    Ps max_wait = 0;              // the largest queueing delay over destinations
    uint32_t tree_links = 0;      // distinct mesh links of the tree (each booked and charged once)
    uint32_t max_hops = 0;
    uint32_t flits = 0;
    double energy = 0;            // J: F x tree_links x per-hop energy
    std::vector<Ps> arrivals;     // per destination, in the order given

    double latency_s() const { return seconds_from_ps(latency); }
};

// Counters of one directed link.
struct LinkStats {
    uint64_t transfers = 0;
    uint64_t flits = 0;
    uint64_t bytes = 0;
    Ps busy = 0;        // booked time
    Ps total_wait = 0;  // sum over transfers of the time the head waited for this link
    Ps peak_wait = 0;   // the longest such wait
};

struct PortStats {
    uint64_t injected_transfers = 0;
    uint64_t injected_bytes = 0;
    uint64_t ejected_transfers = 0;
    uint64_t ejected_bytes = 0;
};

// --- the report: plain data for text/JSON reports, times in seconds, energies in joules.
struct LinkReport {
    LinkId id = 0;
    std::string name;  // "(1,2)->E", "host->(0,0)", "(3,1)->tile(3,1)"
    LinkKind kind = LinkKind::Mesh;
    NodeId from = 0, to = 0;
    LinkStats stats;
    double busy_s = 0;
    double utilization = 0;  // busy / report window
    double total_wait_s = 0;
    double peak_wait_s = 0;
    double energy_j = 0;  // mesh links: flits x (router + link) energy; local links: 0
};

struct PortReport {
    PortId id = 0;
    std::string name;  // "tile(x,y)" or the attachment's name
    NodeId node = 0;
    PortStats stats;
};

struct NodeReport {
    NodeId id = 0;
    Coord at;
    uint64_t injected_bytes = 0;  // over all ports of the router
    uint64_t ejected_bytes = 0;
};

struct NocReport {
    uint32_t width = 0, height = 0;
    uint64_t transfers = 0;     // unicast transfers
    uint64_t multicasts = 0;    // multicast transfers
    uint64_t deliveries = 0;    // destinations reached (transfers + multicast destinations)
    uint64_t bytes = 0;         // payload bytes injected
    uint64_t flits = 0;         // flits injected
    uint64_t flit_hops = 0;     // flits x mesh links traversed
    uint64_t hops = 0;          // mesh links traversed, summed over transfers (tree links for multicasts)
    double dynamic_energy_j = 0;
    double static_power_w = 0;  // all routers
    double total_latency_s = 0;  // summed over deliveries
    double total_wait_s = 0;
    double peak_wait_s = 0;
    double mean_latency_s = 0;
    double window_s = 0;  // first injection to last arrival
    std::vector<LinkReport> links;
    std::vector<PortReport> ports;
    std::vector<NodeReport> nodes;

    double static_energy_j(double sim_time_s) const { return static_power_w * sim_time_s; }
};

// Told of every link booking as it is made (for traces; the SystemC wrapper draws per-link VCD signals
// from it). The link carries the packet over [start, end); `flits` and `bytes` are the packet's.
class BookingObserver {
public:
    virtual ~BookingObserver() = default;
    virtual void booked(LinkId link, Ps start, Ps end, uint32_t flits, uint64_t bytes) = 0;
};

class MeshNetwork {
public:
    // Validates `params` (throws aimc::ConfigError naming the key). `extra` attachments are added
    // after "host" and "memory".
    explicit MeshNetwork(const NocParams& params, std::vector<Attachment> extra = {});

    const MeshTopology& topology() const { return mesh_; }
    const NocParams& params() const { return params_; }

    // One packet of `bytes` from `src` to `dst` injected at `inject`; books the links. Throws
    // std::out_of_range for a port that does not exist.
    TransferResult transfer(PortId src, PortId dst, uint64_t bytes, Ps inject);
    // One packet to several destinations along the union of their routes (for XY a tree: the shared
    // prefix is booked and charged once, branches proceed independently). Throws std::out_of_range for a
    // bad port and std::invalid_argument for an empty or repeated destination list.
    MulticastResult multicast(PortId src, const std::vector<PortId>& dsts, uint64_t bytes, Ps inject);
    // The contention-free figures (nothing booked).
    TransferResult zero_load(PortId src, PortId dst, uint64_t bytes) const;

    // The mesh links from `src`'s router to `dst`'s router under the configured routing.
    std::vector<LinkId> route(PortId src, PortId dst) const;
    uint32_t flits(uint64_t bytes) const;
    Ps serialization(uint32_t flits) const;
    Ps hop_latency() const { return hop_; }
    double energy_per_flit_hop() const { return params_.energy_per_flit_router + params_.energy_per_flit_link; }

    // Promises that no request from now on is injected before `now`, so bookings that end by then can
    // be forgotten. The SystemC wrapper passes sc_time_stamp(): every initiator's local time (and so
    // every t0 it presents) is at least that. Exact and keeps the calendars short; without it, bookings
    // are kept for calendar_horizon behind the latest injection seen. A request older than `now` is
    // still served, conservatively (see link_calendar.h).
    void retire_before(Ps now);

    const LinkStats& link_stats(LinkId l) const { return links_.at(l).stats; }
    // A port's counters are those of its injection and ejection links.
    PortStats port_stats(PortId p) const;
    const LinkCalendar& calendar(LinkId l) const { return links_.at(l).calendar; }

    // Reports every booking to `observer` from now on (nullptr: none, the default; costs one test per
    // booking). The observer must outlive its registration.
    void set_observer(BookingObserver* observer) { observer_ = observer; }
    BookingObserver* observer() const { return observer_; }

    // Statistics as plain data. Idle links are left out unless asked for.
    NocReport report(bool include_idle_links = false) const;
    // Zeroes the counters (bookings are kept: links stay busy as booked).
    void reset_stats();

private:
    // What the hot path touches per link, kept together (two cache lines).
    struct alignas(64) LinkState {
        LinkCalendar calendar;
        LinkStats stats;
    };

    Ps book(LinkId l, Ps ready, Ps duration, uint32_t flits, uint64_t bytes);
    void prefetch(LinkId l) const;
    void note_inject(Ps inject);
    void update_cut();

    NocParams params_;
    MeshTopology mesh_;
    std::unique_ptr<RoutingPolicy> routing_;
    Ps hop_ = 0;
    Ps flit_ps_ = 0;       // cycles_per_flit / clock, rounded to the ps once
    int flit_shift_ = -1;  // log2(flit_bytes) when it is a power of two
    Ps horizon_ = 0;
    Ps latest_inject_ = 0;
    Ps retired_ = 0;  // from retire_before()
    Ps cut_ = 0;      // bookings ending by this are forgotten: max(retired_, latest_inject_ - horizon_)

    std::vector<LinkState> links_;
    std::vector<LinkId> route_;  // scratch
    BookingObserver* observer_ = nullptr;

    // Multicast scratch: per link, the call that last booked it and the grant time.
    std::vector<uint64_t> tree_stamp_;
    std::vector<Ps> tree_grant_;
    uint64_t tree_call_ = 0;

    // Totals.
    uint64_t transfers_ = 0, multicasts_ = 0, deliveries_ = 0, bytes_ = 0, flits_ = 0, flit_hops_ = 0, hops_ = 0;
    double energy_ = 0;
    Ps total_latency_ = 0, total_wait_ = 0, peak_wait_ = 0;
    Ps first_inject_ = 0, last_arrival_ = 0;
    bool any_ = false;
};

}  // namespace aimc::noc
