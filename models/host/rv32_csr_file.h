// The hart's CSR file: the state behind the CSRs of rv32_csr_table.h, their read and write rules,
// and the Zicsr instructions' access checks. Internal to the core (rv32_core.h is the interface).
//
// The interpreter reads the few fields it needs on its hot path (mstatus.MIE, mepc, ...)
// directly; everything else goes through read()/write(), which switch over every Csr.
#pragma once

#include <cstdint>

#include "host/rv32_csr_table.h"
#include "host/rv32_isa.h"
#include "host/rv32_pmp.h"

namespace aimc::host {

class CoreBus;

// The hart's raw cycle and instruction counters at one instant.
struct CounterSnapshot {
    uint64_t cycles = 0;
    uint64_t instret = 0;
};

class CsrFile {
public:
    // pmp_entries and pmp_granularity as Pmp takes them (rv32_pmp.h).
    CsrFile(uint32_t hart_id, CoreBus& bus, unsigned pmp_entries, uint32_t pmp_granularity)
        : pmp(pmp_entries, pmp_granularity), hart_id_(hart_id), bus_(bus) {}

    // Every CSR to its reset value (the interrupt lines are driven from outside and stay).
    void reset();

    // Value of `id` when the raw counters stand at `now` (for a CSR instruction: before it).
    uint32_t read(Csr id, CounterSnapshot now) const;
    // Write `value` to `id` under the CSR's rules. The 64-bit counters take the written half over
    // their value `before` the writing instruction and keep the other half, so the writing
    // instruction's own increment is suppressed for the whole counter; `after` is where the raw
    // counters stand for the next instruction (equal to `before` for a debugger write).
    void write(Csr id, uint32_t value, CounterSnapshot before, CounterSnapshot after);

    // One Zicsr instruction (`op` one of Csrrw..Csrrci) on CSR `number` with source operand `src`
    // (rs1's value, or the zero-extended immediate); `src_field_zero`: the rs1/uimm field is 0,
    // `rd_is_x0`: the result is discarded. False for an illegal access (unimplemented CSR, write
    // to a read-only one); otherwise `out` is the old value.
    bool instruction(isa::Op op, uint32_t number, uint32_t src, bool src_field_zero, bool rd_is_x0,
                     CounterSnapshot before, CounterSnapshot after, uint32_t& out);

    uint32_t pending_irq() const { return irq_lines & mie; }
    bool irq_ready() const { return mstatus_mie && pending_irq() != 0; }

    // ---- state read and written directly by the interpreter and trap entry ----
    bool mstatus_mie = false, mstatus_mpie = false;
    uint32_t mie = 0, mtvec = 0, mscratch = 0, mepc = 0, mcause = 0, mtval = 0;
    uint32_t irq_lines = 0;  // kMsip | kMtip | kMeip lines, what mip shows
    Pmp pmp;
    // A write changed the PMP's rules: the core must re-decide its fast paths (rv32_lsu.h, pmp_apply).
    bool pmp_dirty = false;

private:
    uint32_t hart_id_;
    CoreBus& bus_;
    // CSR value = raw counter + offset (the raw counters are never rewritten).
    uint64_t mcycle_off_ = 0, minstret_off_ = 0;
};

}  // namespace aimc::host
