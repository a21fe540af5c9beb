// Tallies energy and busy time per component instance, per action, and per firmware-marked region
// (a layer id the firmware writes to the syscon), where they are spent.
//
// Components open an account once (component, action) and add to it on every event: adding is a
// vector index, so it can sit on a hot path. Static (leakage) power is registered per component and
// integrated over simulated time by the report. Reports read the totals at the end of a run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace aimc {

class EnergyLedger {
public:
    using Account = std::size_t;

    EnergyLedger();
    // The current region is held by address: a copy would point into the original.
    EnergyLedger(const EnergyLedger&) = delete;
    EnergyLedger& operator=(const EnergyLedger&) = delete;

    Account open(const std::string& component, const std::string& action);
    void add(Account account, double joules, double busy_seconds = 0.0, std::size_t count = 1) {
        Entry& e = entries_[account];
        e.joules += joules;
        e.busy_s += busy_seconds;
        e.count += count;
        dynamic_j_ += joules;
        Region& r = *current_;
        r.dynamic_j += joules;
        if (account >= r.joules.size()) {
            r.joules.resize(entries_.size(), 0.0);
            r.posts.resize(entries_.size(), 0);
        }
        r.joules[account] += joules;
        r.posts[account] += count;
    }

    // Static power of a component (W), drawn for the whole simulated time.
    void add_static_power(const std::string& component, double watts);

    // What the chip has completed so far (its tiles' counters); sampled at every region change, so each
    // region is credited with the operations and MVM vectors completed while it was current.
    struct Progress {
        uint64_t ops = 0;
        uint64_t mvms = 0;
    };
    void set_progress_source(std::function<Progress()> source) { progress_source_ = std::move(source); }

    // The region (layer) the firmware marks as current, from simulated time `now_s` on.
    void set_region(uint32_t region, double now_s);
    uint32_t region() const { return region_; }
    // The current region's name (firmware writes it through the syscon's REGION_NAME; "" if none).
    std::string& region_name() { return region_names_[region_]; }
    std::string region_name(uint32_t region) const {
        const auto it = region_names_.find(region);
        return it == region_names_.end() ? std::string() : it->second;
    }

    double dynamic_j() const { return dynamic_j_; }
    double static_w() const { return static_w_; }
    // Dynamic energy plus static power integrated up to `now_s`.
    double total_j(double now_s) const { return dynamic_j_ + static_w_ * now_s; }

    struct Entry {
        std::string component;
        std::string action;
        double joules = 0;
        double busy_s = 0;
        std::size_t count = 0;
    };
    const std::vector<Entry>& entries() const { return entries_; }
    const std::map<std::string, double>& static_power() const { return static_power_; }

    struct Region {
        double dynamic_j = 0;
        std::vector<double> joules;      // per account: the part of dynamic_j posted to it (shorter: none after)
        std::vector<std::size_t> posts;  // per account: its events posted while current
        double time_s = 0;               // simulated time spent in this region (closed intervals)
        double entered_s = -1;           // start of the open interval, or -1
        uint64_t ops = 0;                // operations completed while current
        uint64_t mvms = 0;               // MVM vectors completed while current
        Progress at_entry;
        double wall_s = 0;  // host wall-clock time spent simulating it (not deterministic)
        double wall_at_entry = -1;
    };
    // Per region, with the open interval closed at `now_s`; static energy is static_w * time_s.
    std::map<uint32_t, Region> regions(double now_s) const;

private:
    static double wall_now();

    std::vector<Entry> entries_;
    std::map<std::string, double> static_power_;
    double dynamic_j_ = 0;
    double static_w_ = 0;
    uint32_t region_ = 0;
    std::map<uint32_t, Region> regions_;  // map nodes stay put: current_ points at one
    Region* current_ = nullptr;
    std::function<Progress()> progress_source_;
    std::map<uint32_t, std::string> region_names_;
};

}  // namespace aimc
