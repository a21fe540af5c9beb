#include "common/energy_ledger.h"

#include <chrono>

namespace aimc {

EnergyLedger::EnergyLedger() {
    current_ = &regions_[0];
    current_->entered_s = 0;
    current_->wall_at_entry = wall_now();
}

EnergyLedger::Account EnergyLedger::open(const std::string& component, const std::string& action) {
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].component == component && entries_[i].action == action) return i;
    entries_.push_back(Entry{component, action});
    return entries_.size() - 1;
}

void EnergyLedger::add_static_power(const std::string& component, double watts) {
    static_power_[component] += watts;
    static_w_ += watts;
}

void EnergyLedger::set_region(uint32_t region, double now_s) {
    if (region == region_) return;
    const Progress done = progress_source_ ? progress_source_() : Progress{};
    const double wall = wall_now();
    Region& old = *current_;
    old.wall_s += wall - old.wall_at_entry;
    old.wall_at_entry = -1;
    old.time_s += now_s - old.entered_s;
    old.entered_s = -1;
    old.ops += done.ops - old.at_entry.ops;
    old.mvms += done.mvms - old.at_entry.mvms;
    region_ = region;
    current_ = &regions_[region_];
    current_->entered_s = now_s;
    current_->at_entry = done;
    current_->wall_at_entry = wall;
}

double EnergyLedger::wall_now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::map<uint32_t, EnergyLedger::Region> EnergyLedger::regions(double now_s) const {
    auto out = regions_;
    const Progress done = progress_source_ ? progress_source_() : Progress{};
    for (auto& [id, r] : out)
        if (r.entered_s >= 0) {
            r.time_s += now_s - r.entered_s;
            r.entered_s = -1;
            r.ops += done.ops - r.at_entry.ops;
            r.mvms += done.mvms - r.at_entry.mvms;
            r.wall_s += wall_now() - r.wall_at_entry;
            r.wall_at_entry = -1;
        }
    return out;
}

}  // namespace aimc
