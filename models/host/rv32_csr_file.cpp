#include "host/rv32_csr_file.h"

#include "host/rv32_core.h"

namespace aimc::host {
namespace {

constexpr uint32_t kMstatusMie = 1u << 3, kMstatusMpie = 1u << 7;
static_assert(csr_def(Csr::mstatus).writable == (kMstatusMie | kMstatusMpie), "mstatus: only MIE and MPIE are kept");
static_assert(csr::pmpcfg3 == csr::pmpcfg0 + 3 && csr::pmpaddr15 == csr::pmpaddr0 + 15, "PMP CSRs are numbered in a row");

constexpr uint64_t kLow = 0xFFFFFFFFull, kHigh = kLow << 32;

constexpr uint64_t with_low(uint64_t v, uint32_t low) { return (v & kHigh) | low; }
constexpr uint64_t with_high(uint64_t v, uint32_t high) { return (static_cast<uint64_t>(high) << 32) | (v & kLow); }

// The bits of a CSR that writes leave alone, as they are after reset.
constexpr uint32_t fixed_bits(Csr id) { return csr_def(id).reset_value & ~csr_def(id).writable; }

}  // namespace

void CsrFile::reset() {
    const uint32_t ms = csr_def(Csr::mstatus).reset_value;
    mstatus_mie = (ms & kMstatusMie) != 0;
    mstatus_mpie = (ms & kMstatusMpie) != 0;
    mie = csr_def(Csr::mie).reset_value;
    mtvec = csr_def(Csr::mtvec).reset_value;
    mscratch = csr_def(Csr::mscratch).reset_value;
    mepc = csr_def(Csr::mepc).reset_value;
    mcause = csr_def(Csr::mcause).reset_value;
    mtval = csr_def(Csr::mtval).reset_value;
    // The counters restart from their reset value together with the raw counts.
    mcycle_off_ = csr_def(Csr::mcycle).reset_value;
    minstret_off_ = csr_def(Csr::minstret).reset_value;
    pmp.reset();
    pmp_dirty = true;
}

uint32_t CsrFile::read(Csr id, CounterSnapshot now) const {
    const uint64_t cyc = now.cycles + mcycle_off_;
    const uint64_t ins = now.instret + minstret_off_;
    switch (id) {
    case Csr::mstatus:
        return fixed_bits(Csr::mstatus) | (mstatus_mie ? kMstatusMie : 0) | (mstatus_mpie ? kMstatusMpie : 0);
    case Csr::mie: return mie;
    case Csr::mtvec: return mtvec;
    case Csr::mscratch: return mscratch;
    case Csr::mepc: return mepc;
    case Csr::mcause: return mcause;
    case Csr::mtval: return mtval;
    case Csr::mip: return irq_lines & (kMsip | kMtip | kMeip);
    case Csr::mhartid: return hart_id_;
    case Csr::mcycle: case Csr::cycle: return static_cast<uint32_t>(cyc);
    case Csr::mcycleh: case Csr::cycleh: return static_cast<uint32_t>(cyc >> 32);
    case Csr::minstret: case Csr::instret: return static_cast<uint32_t>(ins);
    case Csr::minstreth: case Csr::instreth: return static_cast<uint32_t>(ins >> 32);
    case Csr::time: return static_cast<uint32_t>(bus_.mtime());
    case Csr::timeh: return static_cast<uint32_t>(bus_.mtime() >> 32);
    case Csr::misa: case Csr::mvendorid: case Csr::marchid: case Csr::mimpid:
        return csr_def(id).reset_value;  // constants
    case Csr::pmpcfg0: case Csr::pmpcfg1: case Csr::pmpcfg2: case Csr::pmpcfg3:
        return pmp.read_cfg(static_cast<unsigned>(id) - csr::pmpcfg0);
    case Csr::pmpaddr0: case Csr::pmpaddr1: case Csr::pmpaddr2: case Csr::pmpaddr3: case Csr::pmpaddr4:
    case Csr::pmpaddr5: case Csr::pmpaddr6: case Csr::pmpaddr7: case Csr::pmpaddr8: case Csr::pmpaddr9:
    case Csr::pmpaddr10: case Csr::pmpaddr11: case Csr::pmpaddr12: case Csr::pmpaddr13: case Csr::pmpaddr14:
    case Csr::pmpaddr15:
        return pmp.read_addr(static_cast<unsigned>(id) - csr::pmpaddr0);
    }
    return 0;  // not a Csr: callers look numbers up in the table first
}

void CsrFile::write(Csr id, uint32_t v, CounterSnapshot before, CounterSnapshot after) {
    switch (id) {
    case Csr::mstatus:
        mstatus_mie = (v & kMstatusMie) != 0;
        mstatus_mpie = (v & kMstatusMpie) != 0;
        break;
    case Csr::mie: mie = v & csr_def(Csr::mie).writable; break;
    case Csr::mtvec:
        if ((v & 3) < 2) mtvec = v & csr_def(Csr::mtvec).writable;  // reserved modes: write ignored (as QEMU does)
        break;
    case Csr::mscratch: mscratch = v & csr_def(Csr::mscratch).writable; break;
    case Csr::mepc: mepc = v & csr_def(Csr::mepc).writable; break;
    case Csr::mcause: mcause = v & csr_def(Csr::mcause).writable; break;
    case Csr::mtval: mtval = v & csr_def(Csr::mtval).writable; break;
    case Csr::mcycle: mcycle_off_ = with_low(before.cycles + mcycle_off_, v) - after.cycles; break;
    case Csr::mcycleh: mcycle_off_ = with_high(before.cycles + mcycle_off_, v) - after.cycles; break;
    case Csr::minstret: minstret_off_ = with_low(before.instret + minstret_off_, v) - after.instret; break;
    case Csr::minstreth: minstret_off_ = with_high(before.instret + minstret_off_, v) - after.instret; break;
    case Csr::pmpcfg0: case Csr::pmpcfg1: case Csr::pmpcfg2: case Csr::pmpcfg3:
        pmp_dirty |= pmp.write_cfg(static_cast<unsigned>(id) - csr::pmpcfg0, v);
        break;
    case Csr::pmpaddr0: case Csr::pmpaddr1: case Csr::pmpaddr2: case Csr::pmpaddr3: case Csr::pmpaddr4:
    case Csr::pmpaddr5: case Csr::pmpaddr6: case Csr::pmpaddr7: case Csr::pmpaddr8: case Csr::pmpaddr9:
    case Csr::pmpaddr10: case Csr::pmpaddr11: case Csr::pmpaddr12: case Csr::pmpaddr13: case Csr::pmpaddr14:
    case Csr::pmpaddr15:
        pmp_dirty |= pmp.write_addr(static_cast<unsigned>(id) - csr::pmpaddr0, v);
        break;
    case Csr::misa: case Csr::mip:  // WARL with nothing writable: the write is legal and changes nothing
    case Csr::cycle: case Csr::time: case Csr::instret: case Csr::cycleh: case Csr::timeh: case Csr::instreth:
    case Csr::mvendorid: case Csr::marchid: case Csr::mimpid: case Csr::mhartid:  // read-only
        break;
    }
}

bool CsrFile::instruction(isa::Op op, uint32_t number, uint32_t src, bool src_field_zero, bool rd_is_x0,
                          CounterSnapshot before, CounterSnapshot after, uint32_t& out) {
    using isa::Op;
    const CsrDef* def = find_csr(number);
    if (!def) return false;
    const bool is_rw = op == Op::Csrrw || op == Op::Csrrwi;
    // csrrs/csrrc with x0 or uimm 0 do not write (so they may read read-only CSRs); csrrw with
    // rd = x0 does not read (no side effect of the read, e.g. on time).
    const bool writes = is_rw || !src_field_zero;
    const bool reads = !is_rw || !rd_is_x0;
    if (writes && def->access == CsrAccess::ReadOnly) return false;
    const uint32_t old = reads ? read(def->id, before) : 0;
    if (writes) {
        uint32_t nv = src;
        if (op == Op::Csrrs || op == Op::Csrrsi) nv = old | src;
        if (op == Op::Csrrc || op == Op::Csrrci) nv = old & ~src;
        write(def->id, nv, before, after);
    }
    out = old;
    return true;
}

}  // namespace aimc::host
