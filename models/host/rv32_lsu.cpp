#include "host/rv32_lsu.h"

#include <algorithm>
#include <cstring>

#include "host/rv32_interpreter.h"
#include "host/rv32_traps.h"

namespace aimc::host::rv32 {

using isa::Op;
using WatchKind = Rv32Core::WatchKind;

namespace {

int set_trap(Interpreter& h, uint32_t cause, uint32_t tval) {
    h.trap_cause = cause, h.trap_tval = tval;
    return kMemTrap;
}

// Keeps the recent-pc history exact while a mid-block instruction waits for the bus: the
// instructions after it in its block have not run yet.
struct PendingInBlock {
    PendingInBlock(DecodeCache& c, const Pos& p) : cache(c) {
        if (!cache.ring_rebuilt) cache.ring_excess = p.n_here - 1;
    }
    ~PendingInBlock() { cache.ring_excess = 0; }
    DecodeCache& cache;
};

// Aligned read of n bytes anywhere; fault_cause is reported on a bus error or a PMP denial.
int mem_read(Interpreter& h, uint32_t a, unsigned n, uint32_t& v, const Pos& p, uint32_t fault_cause) {
    if (h.cache.pmp && !h.cache.pmp->allows(a, n, Pmp::kR)) return set_trap(h, fault_cause, a);
    PendingInBlock pending(h.cache, p);
    if (const Region* r = h.cache.find_region(a, n)) {
        if (!h.cache.pmp) h.cache.data_mru = r;  // while the PMP enforces, the fast path stays off
        v = 0;
        std::memcpy(&v, r->ptr + (a - r->base), n);
    } else {
        h.mid_cyc = p.cyc_here, h.mid_n = p.n_here;
        const bool ok = h.bus.load(a, n, v);
        h.mid_cyc = 0, h.mid_n = 0;
        if (!ok) return set_trap(h, fault_cause, a);
        if (n == 1) v &= 0xFF;
        if (n == 2) v &= 0xFFFF;
    }
    if (!h.watches.empty()) watch_check(h, a, n, WatchKind::Read);
    return h.events ? kMemBreak : kMemOk;
}

int mem_write(Interpreter& h, uint32_t a, unsigned n, uint32_t v, const Pos& p, uint32_t fault_cause) {
    if (h.cache.pmp && !h.cache.pmp->allows(a, n, Pmp::kW)) return set_trap(h, fault_cause, a);
    PendingInBlock pending(h.cache, p);
    if (h.resv_valid && a < h.resv_addr + 4 && h.resv_addr < a + n) resv_clear(h);
    bool brk = false;
    if (Region* r = h.cache.find_region(a, n)) {
        if (!h.cache.pmp) h.cache.data_mru = r;
        const uint32_t off = a - r->base;
        if ((r->flags[off >> kPageBits] & kFlagCode) && h.cache.invalidate_in(*r, a, n)) brk = true;
        std::memcpy(r->ptr + off, &v, n);
    } else {
        h.mid_cyc = p.cyc_here, h.mid_n = p.n_here;
        const bool ok = h.bus.store(a, n, v);
        h.mid_cyc = 0, h.mid_n = 0;
        if (!ok) return set_trap(h, fault_cause, a);
    }
    if (!h.watches.empty()) watch_check(h, a, n, WatchKind::Write);
    return (brk || h.events) ? kMemBreak : kMemOk;
}

}  // namespace

void pmp_apply(Interpreter& h) {
    h.csrs.pmp_dirty = false;
    const Pmp* enforcing = h.csrs.pmp.enforcing() ? &h.csrs.pmp : nullptr;
    if (enforcing || h.cache.pmp) h.cache.flush_all();  // decoded entries hold the old fetch checks
    h.cache.pmp = enforcing;
    h.cache.data_mru = enforcing || h.cache.regions.empty() ? &h.cache.no_region : h.cache.regions.front().get();
    h.events = true;  // leave the current block: it may have been dropped
    h.limit = 0;
}

void resv_clear(Interpreter& h) {
    if (!h.resv_valid) return;
    h.resv_valid = false;
    if (Region* r = h.cache.find_region(h.resv_addr, 4)) r->flags[(h.resv_addr - r->base) >> kPageBits] &= ~kFlagResv;
}

void watch_check(Interpreter& h, uint32_t a, unsigned n, WatchKind k) {
    for (const Interpreter::Watch& w : h.watches) {
        if (!(static_cast<unsigned>(w.kind) & static_cast<unsigned>(k))) continue;
        const uint64_t lo = std::max<uint64_t>(a, w.addr);
        const uint64_t hi = std::min<uint64_t>(static_cast<uint64_t>(a) + n, static_cast<uint64_t>(w.addr) + w.len);
        if (lo < hi) {
            h.watch_hit = true;
            h.watch_addr = static_cast<uint32_t>(lo);
            return;
        }
    }
}

// A misaligned access performed as n byte accesses (little-endian), at the extra cost in cycles
// the platform sets. A fault on any byte traps with that byte's address; bytes of a store before
// the faulting one stay written (as on cores that split such accesses).
int misaligned_read(Interpreter& h, uint32_t a, unsigned n, uint32_t& v, const Pos& p) {
    h.ticks += h.cfg.cycles.misaligned;
    bool brk = false;
    v = 0;
    for (unsigned i = 0; i < n; ++i) {
        uint32_t b = 0;
        const int st = mem_read(h, a + i, 1, b, p, kLoadAccessFault);
        if (st == kMemTrap) return st;
        brk |= st == kMemBreak;
        v |= (b & 0xFF) << (8 * i);
    }
    return brk ? kMemBreak : kMemOk;
}

int misaligned_write(Interpreter& h, uint32_t a, unsigned n, uint32_t v, const Pos& p) {
    h.ticks += h.cfg.cycles.misaligned;
    bool brk = false;
    for (unsigned i = 0; i < n; ++i) {
        const int st = mem_write(h, a + i, 1, (v >> (8 * i)) & 0xFF, p, kStoreAccessFault);
        if (st == kMemTrap) return st;
        brk |= st == kMemBreak;
    }
    return brk ? kMemBreak : kMemOk;
}

int load_slow(Interpreter& h, uint32_t a, unsigned n, uint32_t& v, const Pos& p) {
    if (a & (n - 1))
        return h.cfg.emulate_misaligned ? misaligned_read(h, a, n, v, p) : set_trap(h, kLoadMisaligned, a);
    return mem_read(h, a, n, v, p, kLoadAccessFault);
}

int store_slow(Interpreter& h, uint32_t a, unsigned n, uint32_t v, const Pos& p) {
    if (a & (n - 1))
        return h.cfg.emulate_misaligned ? misaligned_write(h, a, n, v, p) : set_trap(h, kStoreMisaligned, a);
    return mem_write(h, a, n, v, p, kStoreAccessFault);
}

int atomic(Interpreter& h, Op op, uint32_t a, uint32_t src, const Pos& p, uint32_t& out) {
    if (op == Op::LrW) {
        if (a & 3) return set_trap(h, kLoadMisaligned, a);
        const int st = mem_read(h, a, 4, out, p, kLoadAccessFault);
        if (st == kMemTrap) return st;
        resv_clear(h);
        h.resv_valid = true;
        h.resv_addr = a;
        if (Region* r = h.cache.find_region(a, 4)) r->flags[(a - r->base) >> kPageBits] |= kFlagResv;
        return st;
    }
    if (a & 3) return set_trap(h, kStoreMisaligned, a);
    if (op == Op::ScW) {
        if (h.resv_valid && h.resv_addr == a) {
            const int st = mem_write(h, a, 4, src, p, kStoreAccessFault);
            if (st == kMemTrap) return st;
            resv_clear(h);
            out = 0;
            return st;
        }
        resv_clear(h);
        out = 1;
        return h.events ? kMemBreak : kMemOk;
    }
    uint32_t old;
    int st = mem_read(h, a, 4, old, p, kStoreAccessFault);  // an AMO's read half faults as a store
    if (st == kMemTrap) return st;
    uint32_t nv;
    switch (op) {
    case Op::AmoswapW: nv = src; break;
    case Op::AmoaddW: nv = old + src; break;
    case Op::AmoxorW: nv = old ^ src; break;
    case Op::AmoandW: nv = old & src; break;
    case Op::AmoorW: nv = old | src; break;
    case Op::AmominW: nv = static_cast<int32_t>(old) < static_cast<int32_t>(src) ? old : src; break;
    case Op::AmomaxW: nv = static_cast<int32_t>(old) > static_cast<int32_t>(src) ? old : src; break;
    case Op::AmominuW: nv = old < src ? old : src; break;
    default: nv = old > src ? old : src; break;  // AmomaxuW
    }
    const int st2 = mem_write(h, a, 4, nv, p, kStoreAccessFault);
    if (st2 == kMemTrap) return st2;
    out = old;
    return (st == kMemBreak || st2 == kMemBreak) ? kMemBreak : kMemOk;
}

}  // namespace aimc::host::rv32
