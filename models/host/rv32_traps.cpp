#include "host/rv32_traps.h"

#include "host/rv32_interpreter.h"
#include "host/rv32_lsu.h"

namespace aimc::host::rv32 {

uint32_t interrupt_code(uint32_t pending) { return (pending & kMeip) ? 11 : (pending & kMsip) ? 3 : 7; }

bool take_trap(Interpreter& h, uint32_t cause, uint32_t tval, uint32_t epc) {
    CsrFile& c = h.csrs;
    const uint32_t base = c.mtvec & ~3u;
    const bool irq = (cause & kInterruptBit) != 0;
    const uint32_t vec = (irq && (c.mtvec & 1)) ? base + 4 * (cause & ~kInterruptBit) : base;
    if (!h.cache.find_region(vec, 2) || (h.cache.pmp && !h.cache.pmp->allows(vec, 2, Pmp::kX))) {
        h.fatal.happened = true;
        h.fatal.cause = cause, h.fatal.pc = epc, h.fatal.tval = tval, h.fatal.insn = h.cache.fetch_raw(epc);
        h.pc_ = epc;
        return false;
    }
    resv_clear(h);
    c.mepc = epc & ~1u;
    c.mcause = cause;
    c.mtval = tval;
    c.mstatus_mpie = c.mstatus_mie;
    c.mstatus_mie = false;
    h.pc_ = vec;
    h.ticks += h.cost_trap;
    return true;
}

bool raise_exception(Interpreter& h, const Pos& p, uint32_t cause, uint32_t tval) {
    h.ticks -= p.cyc_here;
    h.retired -= p.n_here;
    h.cache.ring_trim(p.n_here - 1);
    h.ticks += h.cache.cost[p.cls];
    return take_trap(h, cause, tval, p.pc);
}

bool take_interrupt(Interpreter& h) {
    return take_trap(h, kInterruptBit | interrupt_code(h.csrs.pending_irq()), 0, h.pc_);
}

}  // namespace aimc::host::rv32
