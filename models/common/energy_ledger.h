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

    Account open(const std::string& component, const std::string& action);
    void add(Account account, double joules, double busy_seconds = 0.0, std::size_t count = 1) {
        Entry& e = entries_[account];
        e.joules += joules;
        e.busy_s += busy_seconds;
        e.count += count;
        dynamic_j_ += joules;
        regions_[region_].dynamic_j += joules;
    }

    // Static power of a component (W), drawn for the whole simulated time.
    void add_static_power(const std::string& component, double watts);

    // Where the operations done so far are counted (the chip's tiles); sampled at every region
    // change, so each region is credited with the operations completed while it was current.
    void set_ops_source(std::function<uint64_t()> ops) { ops_source_ = std::move(ops); }

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
        double time_s = 0;      // simulated time spent in this region (closed intervals)
        double entered_s = -1;  // start of the open interval, or -1
        uint64_t ops = 0;       // operations completed while current
        uint64_t ops_at_entry = 0;
        double wall_s = 0;      // host wall-clock time spent simulating it (not deterministic)
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
    std::map<uint32_t, Region> regions_{{0, Region{0, 0, 0, 0, 0, 0, wall_now()}}};
    std::function<uint64_t()> ops_source_;
    std::map<uint32_t, std::string> region_names_;
};

}  // namespace aimc
