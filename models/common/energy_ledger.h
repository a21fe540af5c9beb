// Tallies energy and busy time per component instance and per action, where they are spent.
//
// Components open an account once (component, action) and add to it on every event: adding is a
// vector index, so it can sit on a hot path. Reports read the totals at the end of a run.
#pragma once

#include <cstddef>
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
        total_j_ += joules;
    }

    double total_j() const { return total_j_; }

    struct Entry {
        std::string component;
        std::string action;
        double joules = 0;
        double busy_s = 0;
        std::size_t count = 0;
    };
    const std::vector<Entry>& entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
    double total_j_ = 0;
};

}  // namespace aimc
