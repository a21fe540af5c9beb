#include "common/energy_ledger.h"

namespace aimc {

EnergyLedger::Account EnergyLedger::open(const std::string& component, const std::string& action) {
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].component == component && entries_[i].action == action) return i;
    entries_.push_back(Entry{component, action});
    return entries_.size() - 1;
}

}  // namespace aimc
