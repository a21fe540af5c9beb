#include "host/rv32_interpreter.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "host/rv32_lsu.h"
#include "host/rv32_traps.h"

#define AIMC_LIKELY(x) __builtin_expect(!!(x), 1)
#define AIMC_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace aimc::host::rv32 {

using isa::Cls;
using isa::Op;

Interpreter::Interpreter(const Rv32Core::Config& c, CoreBus& b)
    : cfg(c), bus(b), csrs(c.hart_id, b, c.pmp_entries, c.pmp_granularity) {
    const CycleTable& t = cfg.cycles;
    auto set = [&](Cls k, uint32_t v) { cache.cost[static_cast<unsigned>(k)] = v; };
    set(Cls::Alu, t.alu), set(Cls::Load, t.load), set(Cls::Store, t.store);
    set(Cls::Branch, t.branch_not_taken), set(Cls::Jump, t.jump), set(Cls::Mul, t.mul);
    set(Cls::Div, t.div), set(Cls::Csr, t.csr), set(Cls::Amo, t.amo), set(Cls::System, t.system);
    set(Cls::None, 0);
    cost_taken = t.branch_taken, cost_not_taken = t.branch_not_taken, cost_jump = t.jump;
    cost_system = t.system, cost_csr = t.csr, cost_trap = t.trap;
    exec<false>(nullptr, 0, nullptr);  // publishes the label table to the decode cache
}

void Interpreter::reset() {
    std::fill(std::begin(x), std::end(x), 0u);
    pc_ = cfg.reset_pc;
    csrs.reset();
    ticks = retired = 0;
    run_start = 0;
    stop_req = wfi_req = events = false;
    resv_clear(*this);
    fatal = Rv32Core::FatalTrap{};
    cache.reset();
    pmp_apply(*this);
}

template <bool kSlow>
Interpreter::Exec Interpreter::exec(const Entry* e, uint32_t pg_base, const Entry* pg_ents) {
#define AIMC_LABEL_ADDR(name) &&L_##name,
    static const void* const kLabels[] = {AIMC_RV32_OPS(AIMC_LABEL_ADDR)};
#undef AIMC_LABEL_ADDR
    static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == isa::kNumOps, "label table out of step");
    if constexpr (!kSlow) {
        if (AIMC_UNLIKELY(e == nullptr)) {
            cache.labels = kLabels;
            return Exec::Continue;
        }
    }

    uint32_t* const xr = x;
    const Region* dr = cache.data_mru;
    uint32_t npc = 0;
    Pos sp{};         // kSlow: position of the single instruction
    Entry ecopy{};    // kSlow: the instruction's entry (entries may be reset while it runs)
    uint32_t raw = 0; // kSlow with a retire hook: raw bits

    sp = make_pos(e, pg_base, pg_ents);
    ticks += e->cyc_left;
    retired += e->n_left;
    cache.ring_push(e, e->n_left);
    if constexpr (kSlow) {
        if (retire_hook) raw = cache.fetch_raw(sp.pc);
        ecopy = *e;
        e = &ecopy;
    }
    // Hot counters live in locals (registers) while executing; the members are brought up to date
    // before anything that reads them (slow paths, callbacks, exits) and reloaded after.
    uint64_t lt = ticks, lr = retired, llim = limit;
    uint32_t lri = cache.ring_idx;
#define SYNC_OUT() (ticks = lt, retired = lr, cache.ring_idx = lri)
#define SYNC_IN() (lt = ticks, lr = retired, llim = limit, lri = cache.ring_idx, dr = cache.data_mru)

#define RD xr[e->rd]
#define RS1 xr[e->rs1]
#define RS2 xr[e->rs2]
#define PC() (kSlow ? sp.pc : pg_base + static_cast<uint32_t>((e - pg_ents) << 1))
#define POS() (kSlow ? sp : make_pos(e, pg_base, pg_ents))
#define DISPATCH()                                                                               \
    do {                                                                                         \
        if constexpr (kSlow) {                                                                   \
            goto* kLabels[e->op];                                                                \
        } else {                                                                                 \
            goto* e->handler;                                                                    \
        }                                                                                        \
    } while (0)
    // A non-terminating instruction is done.
#define NEXT()                                                                                   \
    do {                                                                                         \
        if constexpr (kSlow) {                                                                   \
            SYNC_OUT();                                                                          \
            exit_after(sp);                                                                      \
            goto L_slow_retired;                                                                 \
        } else {                                                                                 \
            e = reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(e) + e->step);      \
            DISPATCH();                                                                          \
        }                                                                                        \
    } while (0)
    // A non-terminating instruction is done and the block must be left (event, invalidation).
#define BREAK_AFTER(p)                                                                           \
    do {                                                                                         \
        if constexpr (kSlow) {                                                                   \
            NEXT();                                                                              \
        } else {                                                                                 \
            SYNC_OUT();                                                                          \
            exit_after(p);                                                                       \
            return Exec::Continue;                                                               \
        }                                                                                        \
    } while (0)
    // Enter the block at e (same page) if it fits the budget. Expanded in every control-flow
    // handler so that each has its own dispatch jump (better host branch prediction).
#define ENTER_BLOCK()                                                                            \
    do {                                                                                         \
        const uint64_t t_ = lt + e->cyc_left;                                                    \
        if (AIMC_UNLIKELY(t_ >= llim)) {                                                         \
            SYNC_OUT();                                                                          \
            pc_ = PC();                                                                          \
            return Exec::Continue;                                                               \
        }                                                                                        \
        lt = t_;                                                                                 \
        lr += e->n_left;                                                                         \
        cache.ring[lri & 15] = DecodeCache::BlockRec{reinterpret_cast<uintptr_t>(e), e->n_left}; \
        ++lri;                                                                                   \
        DISPATCH();                                                                              \
    } while (0)
    // A terminator is done; go on sequentially.
#define FALLTHROUGH()                                                                            \
    do {                                                                                         \
        if constexpr (kSlow) {                                                                   \
            SYNC_OUT();                                                                          \
            pc_ = sp.pc + sp.len;                                                                \
            goto L_slow_retired;                                                                 \
        } else {                                                                                 \
            e = reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(e) + e->step);      \
            ENTER_BLOCK();                                                                       \
        }                                                                                        \
    } while (0)
    // A terminator is done; go on at `target`.
#define JUMP(target)                                                                             \
    do {                                                                                         \
        npc = (target);                                                                          \
        if constexpr (kSlow) {                                                                   \
            SYNC_OUT();                                                                          \
            pc_ = npc;                                                                           \
            goto L_slow_retired;                                                                 \
        } else {                                                                                 \
            const uint32_t off_ = npc - pg_base;                                                 \
            if (AIMC_UNLIKELY(off_ >= kPageSize)) goto L_chain_far;                              \
            e = pg_ents + (off_ >> 1);                                                           \
            ENTER_BLOCK();                                                                       \
        }                                                                                        \
    } while (0)
    // A terminator is done; return to the outer loop (interrupts may have become pending).
#define EXIT_TO(target)                                                                          \
    do {                                                                                         \
        SYNC_OUT();                                                                              \
        pc_ = (target);                                                                          \
        if constexpr (kSlow) {                                                                   \
            goto L_slow_retired;                                                                 \
        } else {                                                                                 \
            return Exec::Continue;                                                               \
        }                                                                                        \
    } while (0)
#define EXCEPTION(p, cause, tval)                                                                \
    do {                                                                                         \
        SYNC_OUT();                                                                              \
        return raise_exception(*this, (p), (cause), (tval)) ? Exec::Trap : Exec::Fatal;          \
    } while (0)
    // Call a slow helper with the members up to date.
#define SLOW_CALL(st, call)                                                                      \
    SYNC_OUT();                                                                                  \
    const int st = (call);                                                                       \
    SYNC_IN();                                                                                   \
    if (AIMC_UNLIKELY(st == kMemTrap)) EXCEPTION(p, trap_cause, trap_tval)

#define LOAD(T, N)                                                                               \
    {                                                                                            \
        const uint32_t a = RS1 + static_cast<uint32_t>(e->imm);                                  \
        const uint32_t off = a - dr->base;                                                       \
        if (AIMC_LIKELY(off < dr->lim[N] && !(a & (N - 1)))) {                                   \
            T v;                                                                                 \
            std::memcpy(&v, dr->ptr + off, N);                                                   \
            if constexpr (kSlow) {                                                               \
                if (!watches.empty()) watch_check(*this, a, N, Rv32Core::WatchKind::Read);       \
            }                                                                                    \
            RD = static_cast<uint32_t>(v);                                                       \
            NEXT();                                                                              \
        }                                                                                        \
        const Pos p = POS();                                                                     \
        uint32_t v;                                                                              \
        SLOW_CALL(st, load_slow(*this, a, N, v, p));                                             \
        RD = static_cast<uint32_t>(static_cast<T>(v));                                           \
        if (st == kMemBreak) BREAK_AFTER(p);                                                     \
        NEXT();                                                                                  \
    }

#define STORE(T, N)                                                                              \
    {                                                                                            \
        const uint32_t a = RS1 + static_cast<uint32_t>(e->imm);                                  \
        const uint32_t off = a - dr->base;                                                       \
        const uint32_t v = RS2;                                                                  \
        if (AIMC_LIKELY(off < dr->lim[N] && !(a & (N - 1)) && !dr->flags[off >> kPageBits])) {   \
            const T t = static_cast<T>(v);                                                       \
            std::memcpy(dr->ptr + off, &t, N);                                                   \
            if constexpr (kSlow) {                                                               \
                if (!watches.empty()) watch_check(*this, a, N, Rv32Core::WatchKind::Write);      \
            }                                                                                    \
            NEXT();                                                                              \
        }                                                                                        \
        const Pos p = POS();                                                                     \
        SLOW_CALL(st, store_slow(*this, a, N, v, p));                                            \
        if (st == kMemBreak) BREAK_AFTER(p);                                                     \
        NEXT();                                                                                  \
    }

    // Same-page variants: imm is the byte distance to the target's entry.
#define JUMP_NEAR()                                                                              \
    do {                                                                                         \
        if constexpr (kSlow) {                                                                   \
            JUMP(sp.pc + static_cast<uint32_t>(e->imm / static_cast<int32_t>(sizeof(Entry)) * 2)); \
        } else {                                                                                 \
            e = reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(e) + e->imm);       \
            ENTER_BLOCK();                                                                       \
        }                                                                                        \
    } while (0)
#define BRANCH_NEAR(cond)                                                                        \
    {                                                                                            \
        if (cond) {                                                                              \
            lt += cost_taken;                                                                    \
            JUMP_NEAR();                                                                         \
        }                                                                                        \
        lt += cost_not_taken;                                                                    \
        FALLTHROUGH();                                                                           \
    }
#define BRANCH(cond)                                                                             \
    {                                                                                            \
        if (cond) {                                                                              \
            lt += cost_taken;                                                                    \
            JUMP(static_cast<uint32_t>(e->imm));                                                 \
        }                                                                                        \
        lt += cost_not_taken;                                                                    \
        FALLTHROUGH();                                                                           \
    }

    DISPATCH();

    // ---------------------------------------------------------------------------------- RV32I
L_Lui:
L_Auipc:
    RD = static_cast<uint32_t>(e->imm);
    NEXT();
L_Jal: {
    const uint32_t link = PC() + len_of(e->step);
    lt += cost_jump;
    RD = link;
    JUMP(static_cast<uint32_t>(e->imm));
}
L_Jalr: {
    const uint32_t t = (RS1 + static_cast<uint32_t>(e->imm)) & ~1u;
    const uint32_t link = PC() + len_of(e->step);
    lt += cost_jump;
    RD = link;
    JUMP(t);
}
L_JalNear: {
    const uint32_t link = PC() + len_of(e->step);
    lt += cost_jump;
    RD = link;
    JUMP_NEAR();
}
L_BeqNear: BRANCH_NEAR(RS1 == RS2)
L_BneNear: BRANCH_NEAR(RS1 != RS2)
L_BltNear: BRANCH_NEAR(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2))
L_BgeNear: BRANCH_NEAR(static_cast<int32_t>(RS1) >= static_cast<int32_t>(RS2))
L_BltuNear: BRANCH_NEAR(RS1 < RS2)
L_BgeuNear: BRANCH_NEAR(RS1 >= RS2)
L_Beq: BRANCH(RS1 == RS2)
L_Bne: BRANCH(RS1 != RS2)
L_Blt: BRANCH(static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2))
L_Bge: BRANCH(static_cast<int32_t>(RS1) >= static_cast<int32_t>(RS2))
L_Bltu: BRANCH(RS1 < RS2)
L_Bgeu: BRANCH(RS1 >= RS2)
L_Lb: LOAD(int8_t, 1)
L_Lh: LOAD(int16_t, 2)
L_Lw: LOAD(uint32_t, 4)
L_Lbu: LOAD(uint8_t, 1)
L_Lhu: LOAD(uint16_t, 2)
L_Sb: STORE(uint8_t, 1)
L_Sh: STORE(uint16_t, 2)
L_Sw: STORE(uint32_t, 4)
L_Addi: RD = RS1 + static_cast<uint32_t>(e->imm); NEXT();
L_Slti: RD = static_cast<int32_t>(RS1) < e->imm; NEXT();
L_Sltiu: RD = RS1 < static_cast<uint32_t>(e->imm); NEXT();
L_Xori: RD = RS1 ^ static_cast<uint32_t>(e->imm); NEXT();
L_Ori: RD = RS1 | static_cast<uint32_t>(e->imm); NEXT();
L_Andi: RD = RS1 & static_cast<uint32_t>(e->imm); NEXT();
L_Slli: RD = RS1 << e->imm; NEXT();
L_Srli: RD = RS1 >> e->imm; NEXT();
L_Srai: RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> e->imm); NEXT();
L_Add: RD = RS1 + RS2; NEXT();
L_Sub: RD = RS1 - RS2; NEXT();
L_Sll: RD = RS1 << (RS2 & 31); NEXT();
L_Slt: RD = static_cast<int32_t>(RS1) < static_cast<int32_t>(RS2); NEXT();
L_Sltu: RD = RS1 < RS2; NEXT();
L_Xor: RD = RS1 ^ RS2; NEXT();
L_Srl: RD = RS1 >> (RS2 & 31); NEXT();
L_Sra: RD = static_cast<uint32_t>(static_cast<int32_t>(RS1) >> (RS2 & 31)); NEXT();
L_Or: RD = RS1 | RS2; NEXT();
L_And: RD = RS1 & RS2; NEXT();
L_Fence: NEXT();
L_FenceI: {
    const Pos p = POS();
    lt += cost_system;
    SYNC_OUT();
    cache.flush_all();
    EXIT_TO(p.pc + p.len);
}
L_Ecall: {
    const Pos p = POS();
    EXCEPTION(p, kEcallM, 0);
}
L_Ebreak: {
    const Pos p = POS();
    EXCEPTION(p, kBreakpoint, p.pc);
}
L_Mret: {
    lt += cost_system;
    csrs.mstatus_mie = csrs.mstatus_mpie;
    csrs.mstatus_mpie = true;
    EXIT_TO(csrs.mepc);
}
L_Wfi: {
    lt += cost_system;
    if (csrs.pending_irq() != 0) FALLTHROUGH();
    wfi_req = true;
    EXIT_TO(PC() + len_of(e->step));
}
    // ---------------------------------------------------------------------------------- Zicsr
L_Csrrw:
L_Csrrs:
L_Csrrc:
L_Csrrwi:
L_Csrrsi:
L_Csrrci: {
    const Pos p = POS();
    const uint8_t rd = e->rd;  // a PMP change below drops every decoded entry, this one included
    uint32_t out;
    SYNC_OUT();
    if (!csr_insn(*e, out)) EXCEPTION(p, kIllegalInsn, cache.fetch_raw(p.pc));
    if (AIMC_UNLIKELY(csrs.pmp_dirty)) pmp_apply(*this);
    SYNC_IN();
    lt += cost_csr;
    xr[rd] = out;
    EXIT_TO(p.pc + p.len);
}
    // ---------------------------------------------------------------------------------- M
L_Mul: RD = RS1 * RS2; NEXT();
L_Mulh:
    RD = static_cast<uint32_t>(
        (static_cast<int64_t>(static_cast<int32_t>(RS1)) * static_cast<int64_t>(static_cast<int32_t>(RS2))) >> 32);
    NEXT();
L_Mulhsu:
    RD = static_cast<uint32_t>(
        (static_cast<int64_t>(static_cast<int32_t>(RS1)) * static_cast<int64_t>(static_cast<uint64_t>(RS2))) >> 32);
    NEXT();
L_Mulhu: RD = static_cast<uint32_t>((static_cast<uint64_t>(RS1) * static_cast<uint64_t>(RS2)) >> 32); NEXT();
L_Div: {
    const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
    RD = b == 0 ? 0xFFFFFFFFu
         : (a == std::numeric_limits<int32_t>::min() && b == -1) ? static_cast<uint32_t>(a)
                                                                  : static_cast<uint32_t>(a / b);
    NEXT();
}
L_Divu: {
    const uint32_t a = RS1, b = RS2;
    RD = b == 0 ? 0xFFFFFFFFu : a / b;
    NEXT();
}
L_Rem: {
    const int32_t a = static_cast<int32_t>(RS1), b = static_cast<int32_t>(RS2);
    RD = b == 0 ? static_cast<uint32_t>(a)
         : (a == std::numeric_limits<int32_t>::min() && b == -1) ? 0u
                                                                  : static_cast<uint32_t>(a % b);
    NEXT();
}
L_Remu: {
    const uint32_t a = RS1, b = RS2;
    RD = b == 0 ? a : a % b;
    NEXT();
}
    // ---------------------------------------------------------------------------------- A
L_LrW:
L_ScW:
L_AmoswapW:
L_AmoaddW:
L_AmoxorW:
L_AmoandW:
L_AmoorW:
L_AmominW:
L_AmomaxW:
L_AmominuW:
L_AmomaxuW: {
    const Pos p = POS();
    uint32_t out = 0;
    SLOW_CALL(st, atomic(*this, static_cast<Op>(e->op), RS1, RS2, p, out));
    RD = out;
    if (st == kMemBreak) BREAK_AFTER(p);
    NEXT();
}
    // ---------------------------------------------------------------------------------- internal
L_Illegal: {
    const Pos p = POS();
    EXCEPTION(p, kIllegalInsn, static_cast<uint32_t>(e->imm));
}
L_FetchFault: {
    const Pos p = POS();
    EXCEPTION(p, kInsnAccessFault, static_cast<uint32_t>(e->imm));
}
L_PageEnd:
    if constexpr (!kSlow) {
        if (cache.ring[(lri - 1) & 15].n == 0) --lri;  // entered as an empty block
        npc = PC();
        goto L_chain_pc;
    }
    return Exec::Continue;  // not reachable in single-instruction mode
L_QuantumStop:  // the quantum ends before this entry (patched in by run(); never decoded)
    lt -= e->cyc_left;
    lr -= e->n_left;
    cache.ring[(lri - 1) & 15].n -= e->n_left;
    SYNC_OUT();
    pc_ = PC();
    return Exec::Continue;
L_Undecoded:
    lt -= e->cyc_left;
    lr -= e->n_left;
    if (cache.ring[(lri - 1) & 15].n == 0) --lri;
    SYNC_OUT();
    pc_ = PC();
    return Exec::Continue;

    // ---------------------------------------------------------------------------------- chaining
L_chain_pc: __attribute__((unused));  // continue at npc (any page)
    if constexpr (!kSlow) {
        const uint32_t off = npc - pg_base;
        if (AIMC_LIKELY(off < kPageSize)) {
            e = pg_ents + (off >> 1);
            ENTER_BLOCK();
        }
    }
L_chain_far: __attribute__((unused));  // continue at npc, on another page
    if constexpr (!kSlow) {
        if (!cache.chain_lookup(npc, pg_base, pg_ents)) {
            SYNC_OUT();
            pc_ = npc;
            return Exec::Continue;
        }
        e = pg_ents + ((npc - pg_base) >> 1);
        ENTER_BLOCK();
    }
    // ---------------------------------------------------------------------------------- kSlow end
L_slow_retired: __attribute__((unused));  // members are in sync here
    if constexpr (kSlow) {
        if (retire_hook) {
            RetiredInsn ri{};
            ri.pc = sp.pc;
            ri.insn = raw;
            ri.length = static_cast<uint8_t>(sp.len);
            ri.rd = ecopy.rd == kSink ? int8_t{-1} : static_cast<int8_t>(ecopy.rd);
            ri.rd_value = ecopy.rd == kSink ? 0 : x[ecopy.rd];
            retire_hook(ri);
        }
        if (watch_hit) return Exec::Watch;
    }
    return Exec::Continue;

#undef SYNC_OUT
#undef SYNC_IN
#undef SLOW_CALL
#undef RD
#undef RS1
#undef RS2
#undef PC
#undef POS
#undef DISPATCH
#undef NEXT
#undef BREAK_AFTER
#undef FALLTHROUGH
#undef ENTER_BLOCK
#undef JUMP
#undef EXIT_TO
#undef EXCEPTION
#undef LOAD
#undef STORE
#undef BRANCH
#undef BRANCH_NEAR
#undef JUMP_NEAR
}

StopReason Interpreter::run(uint64_t max_cycles) {
    run_start = ticks;
    const uint64_t lim =
        max_cycles > std::numeric_limits<uint64_t>::max() - ticks ? std::numeric_limits<uint64_t>::max() : ticks + max_cycles;
    const bool debug = single_step || !breakpoints.empty() || !watches.empty() || retire_hook;
    bool first = bp_resume && pc_ == bp_resume_pc;  // resuming from a breakpoint stop: step off it
    bp_resume = false;
    for (;;) {
        if (stop_req) {
            stop_req = false;
            return StopReason::Requested;
        }
        if (ticks >= lim) return StopReason::Budget;
        events = false;
        if (csrs.irq_ready()) {
            if (!take_interrupt(*this)) return StopReason::Requested;
            first = false;
            if (single_step) return StopReason::Step;
            continue;
        }
        if (debug && !first && !breakpoints.empty() &&
            std::find(breakpoints.begin(), breakpoints.end(), pc_) != breakpoints.end()) {
            bp_resume = true;
            bp_resume_pc = pc_;
            return StopReason::Breakpoint;
        }
        first = false;
        uint32_t pg_base = 0;
        Entry* pg_ents = nullptr;
        Entry* e = (pc_ & 1) ? nullptr : cache.entry_for(pc_, pg_base, pg_ents);
        Exec r;
        if (!e) {
            // pc odd (only reachable through set_pc) or outside every DMI region.
            const uint32_t cause = (pc_ & 1) ? kInsnMisaligned : kInsnAccessFault;
            r = take_trap(*this, cause, pc_, pc_) ? Exec::Trap : Exec::Fatal;
        } else if (debug) {
            watch_hit = false;
            r = exec<true>(e, pg_base, pg_ents);
        } else if (ticks + e->cyc_left < lim) {
            limit = lim;
            r = exec<false>(e, pg_base, pg_ents);
        } else {
            // The quantum ends inside this block: find the first instruction boundary at or past
            // the limit, make that entry return to us, and run the block up to there.
            Entry* stop = e;
            while (ticks + (e->cyc_left - stop->cyc_left) < lim) {
                stop = reinterpret_cast<Entry*>(reinterpret_cast<char*>(stop) + stop->step);
            }
            const void* saved = stop->handler;
            const void* patch = cache.labels[static_cast<unsigned>(Op::QuantumStop)];
            stop->handler = patch;
            limit = lim;
            r = exec<false>(e, pg_base, pg_ents);
            if (stop->handler == patch) stop->handler = saved;  // unless the page was reset meanwhile
        }
        if (r == Exec::Fatal) return StopReason::Requested;
        if (r == Exec::Watch) return StopReason::Watchpoint;
        if (wfi_req) {
            wfi_req = false;
            return StopReason::Wfi;
        }
        if (single_step) return StopReason::Step;
    }
}

}  // namespace aimc::host::rv32
