// The cost of one transaction, carried with it.
//
// Who writes: every block a transaction passes through (NoC routers and links, a tile's buffers,
// the DMA engine) ADDS the energy it spent on this transaction to `energy_j`, at the place it spends
// it, and posts the same amount to the EnergyLedger under its own name. Latency travels in the TLM
// delay argument as usual, never here.
// Who reads: the initiator, after b_transport returns (the DMA engine sums it per descriptor;
// tests check it). A transaction without the extension is costed all the same (the ledger is the
// record); the extension only reports it back.
#pragma once

#include <tlm>

namespace aimc {

struct CostExtension : tlm::tlm_extension<CostExtension> {
    double energy_j = 0;  // added to by each block on the path

    tlm::tlm_extension_base* clone() const override { return new CostExtension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        energy_j = static_cast<const CostExtension&>(other).energy_j;
    }
};

// Adds `joules` to the transaction's cost, if it carries the extension.
inline void add_cost(tlm::tlm_generic_payload& tx, double joules) {
    if (auto* cost = tx.get_extension<CostExtension>()) cost->energy_j += joules;
}

}  // namespace aimc
