// The public face of the RV32 hart; the work is done by rv32::Interpreter and its parts.
#include "host/rv32_core.h"

#include <algorithm>

#include "host/rv32_interpreter.h"
#include "host/rv32_isa.h"
#include "host/rv32_lsu.h"

namespace aimc::host {

Rv32Core::Rv32Core(const Config& config, CoreBus& bus) : impl_(std::make_unique<rv32::Interpreter>(config, bus)) { reset(); }
Rv32Core::~Rv32Core() = default;

void Rv32Core::add_dmi(const DmiRegion& region) {
    if (!region.ptr || region.size == 0) return;
    impl_->cache.add_region(region);
    impl_->resv_valid = false;
    rv32::pmp_apply(*impl_);  // add_region reset the data fast path
}

void Rv32Core::reset() { impl_->reset(); }

StopReason Rv32Core::run(uint64_t max_cycles) { return impl_->run(max_cycles); }

uint64_t Rv32Core::cycles_in_run() const { return impl_->exact_ticks() - impl_->run_start; }

void Rv32Core::restart_run_clock() { impl_->run_start = impl_->exact_ticks(); }

void Rv32Core::set_irq_lines(uint32_t mask, bool level) {
    rv32::Interpreter& s = *impl_;
    mask &= kMsip | kMtip | kMeip;
    const uint32_t nv = level ? (s.csrs.irq_lines | mask) : (s.csrs.irq_lines & ~mask);
    if (nv != s.csrs.irq_lines) {
        s.csrs.irq_lines = nv;
        s.events = true;
        s.limit = 0;
    }
}

bool Rv32Core::wakeup_pending() const { return impl_->csrs.pending_irq() != 0; }

void Rv32Core::request_stop() {
    impl_->stop_req = true;
    impl_->events = true;
    impl_->limit = 0;
}

void Rv32Core::invalidate_code(uint32_t addr, uint32_t len) {
    rv32::Interpreter& s = *impl_;
    if (s.cache.invalidate(addr, len)) {
        s.events = true;
        s.limit = 0;
    }
}

uint32_t Rv32Core::pc() const { return impl_->pc_; }
void Rv32Core::set_pc(uint32_t pc) { impl_->pc_ = pc; }
uint32_t Rv32Core::reg(unsigned index) const { return index < 32 ? impl_->x[index] : 0; }
void Rv32Core::set_reg(unsigned index, uint32_t value) {
    if (index > 0 && index < 32) impl_->x[index] = value;
}

bool Rv32Core::read_csr(uint16_t number, uint32_t& value) const {
    const CsrDef* def = find_csr(number);
    if (!def) return false;
    value = impl_->csrs.read(def->id, impl_->counters());
    return true;
}

bool Rv32Core::write_csr(uint16_t number, uint32_t value) {
    const CsrDef* def = find_csr(number);
    if (!def || def->access == CsrAccess::ReadOnly) return false;
    const CounterSnapshot now = impl_->counters();  // no instruction in flight
    impl_->csrs.write(def->id, value, now, now);
    if (impl_->csrs.pmp_dirty) rv32::pmp_apply(*impl_);
    return true;
}

uint64_t Rv32Core::instret() const { return impl_->exact_retired(); }
uint64_t Rv32Core::cycles() const { return impl_->exact_ticks(); }

void Rv32Core::set_breakpoint(uint32_t addr, bool on) {
    auto& b = impl_->breakpoints;
    b.erase(std::remove(b.begin(), b.end(), addr), b.end());
    if (on) b.push_back(addr);
}

void Rv32Core::set_watchpoint(uint32_t addr, uint32_t len, WatchKind kind, bool on) {
    auto& w = impl_->watches;
    w.erase(std::remove_if(w.begin(), w.end(),
                           [&](const rv32::Interpreter::Watch& x) { return x.addr == addr && x.len == len && x.kind == kind; }),
            w.end());
    if (on && len > 0) w.push_back(rv32::Interpreter::Watch{addr, len, kind});
}

uint32_t Rv32Core::watch_hit_address() const { return impl_->watch_addr; }
void Rv32Core::set_single_step(bool on) { impl_->single_step = on; }
void Rv32Core::set_retire_hook(std::function<void(const RetiredInsn&)> hook) { impl_->retire_hook = std::move(hook); }
std::vector<uint32_t> Rv32Core::recent_pcs() const { return impl_->cache.recent(); }
const Rv32Core::FatalTrap& Rv32Core::fatal_trap() const { return impl_->fatal; }
std::string Rv32Core::disassemble(uint32_t insn, uint32_t pc) { return isa::disassemble(insn, pc); }

}  // namespace aimc::host
