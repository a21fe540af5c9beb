// RV32IMAC + Zicsr + Zifencei interpreter. Design notes are in docs/models/rv32_core.md; in short:
//
//  * Decode cache: every DMI region is cut into 4 KiB pages; a page that ever held executed code
//    owns an array of 2048 (+2 sentinel) 32-byte entries, one per halfword, filled lazily by the
//    table-driven decoder (rv32_isa.cpp) one basic block at a time. An entry holds the handler,
//    the operands with pc-relative values already resolved (auipc result, branch/jal targets), and
//    the suffix sums `cyc_left`/`n_left`: cycles of the non-terminating instructions and number of
//    instructions from this entry to the end of its block. Blocks end at control flow, CSR and
//    system instructions, and at the page end (sentinel entry).
//  * Execution: direct-threaded dispatch (computed goto) inside one function; a block is charged
//    its cycles and instruction count on entry, so the per-instruction cost is just the handler.
//    Exact counters mid-block (traps, device accesses) are recovered from the suffix sums. Taken
//    branches chain straight into the next block while the budget allows it.
//  * A quantum that ends inside a block: run() patches the handler of the entry where it ends to a
//    "quantum stop" handler for the duration of the call, so the block still runs at full speed.
//  * A second instantiation of the same function executes exactly one instruction; it serves the
//    debug features (breakpoints, watchpoints, single-step) and the retire hook.
#include "host/rv32_core.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "host/rv32_isa.h"

#define AIMC_LIKELY(x) __builtin_expect(!!(x), 1)
#define AIMC_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace aimc::host {

using isa::Cls;
using isa::Op;

namespace {

constexpr unsigned kPageBits = 12;
constexpr uint32_t kPageSize = 1u << kPageBits;
constexpr unsigned kHalfwordsPerPage = kPageSize / 2;     // 2048
constexpr unsigned kPageEntries = kHalfwordsPerPage + 2;  // + sentinels for fall-through past the end
constexpr uint8_t kFlagCode = 1;  // the page (or the tail of the previous one) holds decoded code
constexpr uint8_t kFlagResv = 2;  // the LR/SC reservation lies in this page
constexpr uint8_t kSink = 32;     // register index that writes to x0 are redirected to

constexpr uint32_t kMisa = 0x40001105;  // RV32, A C I M (M-mode only: no U or S bit)

struct alignas(32) Entry {
    const void* handler; // the fast interpreter's label for op (direct threading)
    int32_t imm;         // immediate; absolute target for branches/jal, result for auipc
    uint8_t op;          // isa::Op
    uint8_t rd;          // 0..31, kSink for x0; zimm lives in rs1 for the immediate CSR forms
    uint8_t rs1, rs2;
    uint32_t cyc_left;   // cycles of this and the following non-terminating instructions of the block
    uint16_t n_left;     // instructions from this one to the end of the block, terminator included
    uint8_t step;        // bytes to the next entry: (instruction length / 2) * sizeof(Entry)
    uint8_t cls;         // isa::Cls
};
static_assert(sizeof(Entry) == 32, "decode-cache entry should stay 32 bytes");
constexpr uint8_t step_for(unsigned len) { return static_cast<uint8_t>(len / 2 * sizeof(Entry)); }
constexpr uint32_t len_of(uint8_t step) { return step * 2u / sizeof(Entry); }
constexpr uint32_t entries_of(uint8_t step) { return step / sizeof(Entry); }

constexpr Entry kUndecodedEntry{nullptr, 0, static_cast<uint8_t>(Op::Undecoded), kSink, 0, 0, 0x7FFFFFFF, 0,
                                step_for(2), static_cast<uint8_t>(Cls::None)};
constexpr Entry kPageEndEntry{nullptr, 0, static_cast<uint8_t>(Op::PageEnd), kSink, 0, 0, 0, 0, step_for(2),
                              static_cast<uint8_t>(Cls::None)};

struct Region {
    uint8_t* ptr = nullptr;
    uint32_t base = 0, size = 0;
    uint32_t lim[5] = {};  // an n-byte access at offset off is inside iff off < lim[n]
    std::vector<uint8_t> flags;                      // per page: kFlagCode | kFlagResv
    std::vector<std::unique_ptr<Entry[]>> pages;     // per page decode cache (lazily allocated)
    bool contains(uint32_t a, unsigned n) const { return a - base < lim[n]; }
};

// Everything needed to leave a block in the middle: taken before any callback or invalidation that
// could reset the entries.
struct Pos {
    uint32_t pc;
    uint32_t len;
    uint32_t cls;
    uint32_t cyc_here, n_here;  // suffix sums of the current instruction
    uint32_t cyc_next, n_next;  // suffix sums of the sequentially next one
};

enum MemStatus { kMemOk = 0, kMemBreak = 1, kMemTrap = 2 };

}  // namespace

struct Rv32Core::Impl {
    enum class Exec { Continue, Trap, Fatal, Watch };

    Config cfg;
    CoreBus& bus;

    // ---- hot state ----
    uint32_t x[33] = {};  // x[32] is the sink for writes to x0
    uint32_t pc_ = 0;
    uint64_t ticks = 0;    // cycles charged since reset (whole current block included)
    uint64_t retired = 0;  // instructions retired since reset (whole current block included)
    uint64_t limit = 0;    // chaining limit of the fast loop; 0 when the outer loop must look
    uint32_t cost[static_cast<unsigned>(Cls::Count)] = {};
    uint32_t cost_taken = 0, cost_not_taken = 0, cost_jump = 0, cost_system = 0, cost_csr = 0,
             cost_trap = 0;
    const Region* data_mru;
    Region* code_mru = nullptr;
    // recent-pc ring: one record per block entered; key = Entry* of the first instruction, or
    // (pc << 1) | 1 once materialized (entries are 16-byte aligned, so bit 0 tells them apart).
    struct BlockRec {
        uintptr_t key;
        uint32_t n;
    };
    BlockRec ring[16] = {};  // reset() fills it
    uint32_t ring_idx = 0;
    // While a mid-block instruction is in a slow path: instructions of the newest record that
    // follow it (not executed yet). If the ring is rebuilt meanwhile (code invalidation),
    // ring_rebuilt tells the block exit not to trim the newest record again.
    uint32_t ring_excess = 0;
    bool ring_rebuilt = false;

    // ---- CSRs ----
    bool mstatus_mie = false, mstatus_mpie = false;
    uint32_t mie = 0, mtvec = 0, mscratch = 0, mepc = 0, mcause = 0, mtval = 0;
    uint32_t irq_lines = 0;
    uint64_t mcycle_off = 0, minstret_off = 0;  // CSR value = raw counter + offset

    // ---- run control ----
    uint64_t run_start = 0;
    bool events = false, stop_req = false, wfi_req = false;
    uint32_t mid_cyc = 0, mid_n = 0;  // not-yet-executed part of the block during a bus callback
    uint32_t trap_cause = 0, trap_tval = 0;  // pending exception reported by a slow helper
    bool resv_valid = false;
    uint32_t resv_addr = 0;
    FatalTrap fatal;

    // ---- memory ----
    std::vector<std::unique_ptr<Region>> regions;
    Region no_region;  // lim = 0: every access misses it

    // ---- debug ----
    std::vector<uint32_t> breakpoints;
    // The pc of the last Breakpoint stop: the next run() starting there executes that instruction
    // instead of stopping again (how a debugger continues from a breakpoint).
    bool bp_resume = false;
    uint32_t bp_resume_pc = 0;
    struct Watch {
        uint32_t addr, len;
        WatchKind kind;
    };
    std::vector<Watch> watches;
    bool single_step = false;
    bool watch_hit = false;
    uint32_t watch_addr = 0;
    std::function<void(const RetiredInsn&)> retire_hook;

    // Label table of the fast interpreter (what Entry::handler points into).
    const void* const* fast_labels = nullptr;

    Impl(const Config& c, CoreBus& b) : cfg(c), bus(b), data_mru(&no_region) {
        const CycleTable& t = cfg.cycles;
        auto set = [&](Cls k, uint32_t v) { cost[static_cast<unsigned>(k)] = v; };
        set(Cls::Alu, t.alu), set(Cls::Load, t.load), set(Cls::Store, t.store);
        set(Cls::Branch, t.branch_not_taken), set(Cls::Jump, t.jump), set(Cls::Mul, t.mul);
        set(Cls::Div, t.div), set(Cls::Csr, t.csr), set(Cls::Amo, t.amo), set(Cls::System, t.system);
        set(Cls::None, 0);
        cost_taken = t.branch_taken, cost_not_taken = t.branch_not_taken, cost_jump = t.jump;
        cost_system = t.system, cost_csr = t.csr, cost_trap = t.trap;
        exec<false>(nullptr, 0, nullptr);  // fetches fast_labels
    }

    // ------------------------------------------------------------------------------------------
    // Regions and the decode cache
    // ------------------------------------------------------------------------------------------
    Region* find_region(uint32_t a, unsigned n) const {
        for (const auto& r : regions) {
            if (r->contains(a, n)) return r.get();
        }
        return nullptr;
    }

    void fill_page(Entry* ents) const {
        Entry u = kUndecodedEntry, pe = kPageEndEntry;
        u.handler = fast_labels[u.op];
        pe.handler = fast_labels[pe.op];
        std::fill(ents, ents + kHalfwordsPerPage, u);
        ents[kHalfwordsPerPage] = pe;
        ents[kHalfwordsPerPage + 1] = pe;
    }

    Entry* page_entries(Region& r, uint32_t idx) {
        auto& p = r.pages[idx];
        if (!p) {
            p.reset(new Entry[kPageEntries]);
            fill_page(p.get());
        }
        return p.get();
    }

    uint16_t read16(const Region& r, uint32_t a) const {
        uint16_t v;
        std::memcpy(&v, r.ptr + (a - r.base), 2);
        return v;
    }

    // Raw instruction bits at `a` (0 if not fetchable), as reported in mtval / RetiredInsn.
    uint32_t fetch_raw(uint32_t a) const {
        const Region* r = find_region(a, 2);
        if (!r) return 0;
        uint32_t v = read16(*r, a);
        if (isa::insn_length(v) == 4) {
            if (!r->contains(a + 2, 2)) return v;
            v |= static_cast<uint32_t>(read16(*r, a + 2)) << 16;
        }
        return v;
    }

    void decode_one(const Region& r, uint32_t a, Entry& en, uint32_t pbase) const {
        decode_fields(r, a, en);
        // Branches/jal to the same page: the handler steps straight to the target entry.
        const Op op = static_cast<Op>(en.op);
        if ((op >= Op::Beq && op <= Op::Bgeu) || op == Op::Jal) {
            const uint32_t target = static_cast<uint32_t>(en.imm);
            if (target - pbase < kPageSize) {
                en.op = static_cast<uint8_t>(op == Op::Jal ? Op::JalNear
                                                           : static_cast<Op>(static_cast<unsigned>(Op::BeqNear) +
                                                                             (static_cast<unsigned>(op) - static_cast<unsigned>(Op::Beq))));
                en.imm = (static_cast<int32_t>(target - a) / 2) * static_cast<int32_t>(sizeof(Entry));
            }
        }
        en.handler = fast_labels[en.op];
    }
    void decode_fields(const Region& r, uint32_t a, Entry& en) const {
        en = Entry{};
        en.rd = kSink;
        en.step = step_for(2);
        en.cls = static_cast<uint8_t>(Cls::None);
        if (!r.contains(a, 2)) {
            en.op = static_cast<uint8_t>(Op::FetchFault), en.imm = static_cast<int32_t>(a);
            return;
        }
        uint32_t bits = read16(r, a);
        if (isa::insn_length(bits) == 4) {
            en.step = step_for(4);
            if (!r.contains(a + 2, 2)) {
                en.op = static_cast<uint8_t>(Op::FetchFault), en.imm = static_cast<int32_t>(a + 2);
                return;
            }
            bits |= static_cast<uint32_t>(read16(r, a + 2)) << 16;
        }
        isa::Decoded d;
        if (!isa::decode(bits, d)) {
            en.op = static_cast<uint8_t>(Op::Illegal), en.imm = static_cast<int32_t>(bits);
            return;
        }
        en.op = static_cast<uint8_t>(d.op);
        en.cls = static_cast<uint8_t>(d.cls);
        en.rd = d.rd ? d.rd : kSink;
        en.rs1 = d.rs1, en.rs2 = d.rs2;
        en.imm = d.imm;
        switch (d.op) {
        case Op::Auipc:
        case Op::Jal:
        case Op::Beq: case Op::Bne: case Op::Blt: case Op::Bge: case Op::Bltu: case Op::Bgeu:
            en.imm = static_cast<int32_t>(a + static_cast<uint32_t>(d.imm));
            break;
        default:
            break;
        }
    }

    // Decode the block starting at `pc` (which must be undecoded) and everything up to its end.
    void decode_block(Region& r, uint32_t idx, Entry* ents, uint32_t pc) {
        const uint32_t pbase = r.base + (idx << kPageBits);
        uint16_t list[kHalfwordsPerPage];
        unsigned n = 0;
        unsigned i = (pc - pbase) >> 1;
        bool straddle = false;
        while (ents[i].op == static_cast<uint8_t>(Op::Undecoded)) {
            Entry& en = ents[i];
            decode_one(r, pbase + 2 * i, en, pbase);
            list[n++] = static_cast<uint16_t>(i);
            if (i == kHalfwordsPerPage - 1 && en.step == step_for(4)) straddle = true;
            if (isa::is_block_end(static_cast<Op>(en.op))) break;
            i += entries_of(en.step);
        }
        while (n--) {
            Entry& en = ents[list[n]];
            if (isa::is_block_end(static_cast<Op>(en.op))) {
                en.cyc_left = 0, en.n_left = 1;
            } else {
                const Entry& nx = ents[list[n] + entries_of(en.step)];
                en.cyc_left = cost[en.cls] + nx.cyc_left;
                en.n_left = static_cast<uint16_t>(1 + nx.n_left);
            }
        }
        r.flags[idx] |= kFlagCode;
        if (straddle && idx + 1 < r.flags.size()) r.flags[idx + 1] |= kFlagCode;
    }

    // Entry for `pc`, decoding its block if needed; nullptr if pc cannot be fetched at all.
    Entry* entry_for(uint32_t pc, uint32_t& pg_base, Entry*& pg_ents) {
        Region* r = code_mru;
        if (!r || !r->contains(pc, 2)) {
            r = find_region(pc, 2);
            if (!r) return nullptr;
            code_mru = r;
        }
        const uint32_t idx = (pc - r->base) >> kPageBits;
        pg_ents = page_entries(*r, idx);
        pg_base = r->base + (idx << kPageBits);
        Entry* e = pg_ents + ((pc - pg_base) >> 1);
        if (e->op == static_cast<uint8_t>(Op::Undecoded)) decode_block(*r, idx, pg_ents, pc);
        return e;
    }

    // Fast-loop lookup of an already-allocated page for a jump target on another page.
    bool chain_lookup(uint32_t pc, uint32_t& pg_base, const Entry*& pg_ents) {
        Region* r = code_mru;
        if (!r || !r->contains(pc, 2)) {
            r = find_region(pc, 2);
            if (!r) return false;
            code_mru = r;
        }
        const uint32_t idx = (pc - r->base) >> kPageBits;
        if (!r->pages[idx]) return false;
        pg_ents = r->pages[idx].get();
        pg_base = r->base + (idx << kPageBits);
        return true;
    }

    void reset_page(Region& r, uint32_t idx) {
        materialize_ring();
        fill_page(r.pages[idx].get());
    }

    void flush_all_code() {
        materialize_ring();
        for (auto& r : regions) {
            for (auto& p : r->pages) {
                if (p) fill_page(p.get());
            }
        }
    }

    // Drop decoded instructions overlapping [a, a+len) in region r. True if any was dropped.
    bool invalidate_in(Region& r, uint32_t a, uint32_t len) {
        bool hit = false;
        const uint64_t lo = std::max<uint64_t>(r.base, static_cast<uint64_t>(a & ~1u) >= 2 ? (a & ~1u) - 2 : 0);
        const uint64_t hi = std::min<uint64_t>(static_cast<uint64_t>(r.base) + r.size, static_cast<uint64_t>(a) + len);
        uint64_t h = lo;
        while (h < hi) {
            const uint32_t idx = static_cast<uint32_t>((h - r.base) >> kPageBits);
            const uint64_t page_end = static_cast<uint64_t>(r.base) + (static_cast<uint64_t>(idx + 1) << kPageBits);
            const uint64_t stop = std::min(hi, page_end);
            if (r.pages[idx] && (r.flags[idx] & kFlagCode)) {
                const Entry* ents = r.pages[idx].get();
                const uint32_t pbase = r.base + (idx << kPageBits);
                for (uint64_t k = h; k < stop; k += 2) {
                    const Entry& en = ents[(k - pbase) >> 1];
                    if (en.op == static_cast<uint8_t>(Op::Undecoded)) continue;
                    if (k + len_of(en.step) > a) {
                        reset_page(r, idx);
                        hit = true;
                        break;
                    }
                }
            }
            h = page_end;
        }
        return hit;
    }

    // ------------------------------------------------------------------------------------------
    // Counters, recent pcs
    // ------------------------------------------------------------------------------------------
    uint64_t exact_ticks() const { return ticks - mid_cyc; }
    uint64_t exact_retired() const { return retired - mid_n; }

    void ring_push(const Entry* e, uint32_t n) {
        ring[ring_idx & 15] = BlockRec{reinterpret_cast<uintptr_t>(e), n};
        ++ring_idx;
    }
    void ring_push_pc(uint32_t pc) {
        ring[ring_idx & 15] = BlockRec{(static_cast<uintptr_t>(pc) << 1) | 1, 1};
        ++ring_idx;
    }
    // Guest address of a decode-cache entry (slow: only for fault reports).
    uint32_t pc_of_entry(uintptr_t key) const {
        if (key & 1) return static_cast<uint32_t>(key >> 1);
        const Entry* e = reinterpret_cast<const Entry*>(key);
        for (const auto& r : regions) {
            for (size_t idx = 0; idx < r->pages.size(); ++idx) {
                const Entry* ents = r->pages[idx].get();
                if (ents && e >= ents && e < ents + kPageEntries) {
                    return r->base + static_cast<uint32_t>(idx << kPageBits) + static_cast<uint32_t>((e - ents) << 1);
                }
            }
        }
        return 0;
    }
    BlockRec& ring_last() { return ring[(ring_idx - 1) & 15]; }

    unsigned length_at(uint32_t a) const {
        const Region* r = find_region(a, 2);
        if (!r) return 2;
        const uint32_t idx = (a - r->base) >> kPageBits;
        if (r->pages[idx]) {
            const Entry& en = r->pages[idx][(a - r->base - (idx << kPageBits)) >> 1];
            if (en.op != static_cast<uint8_t>(Op::Undecoded)) return len_of(en.step);
        }
        return isa::insn_length(read16(*r, a));
    }

    std::vector<uint32_t> recent() const {
        std::vector<uint32_t> out;
        for (unsigned i = 0; i < 16; ++i) {
            const BlockRec& b = ring[(ring_idx + i) & 15];
            if (b.n == 0) continue;
            uint32_t a = pc_of_entry(b.key);
            uint32_t n = i == 15 ? b.n - std::min(b.n, ring_excess) : b.n;
            n = std::min<uint32_t>(n, kHalfwordsPerPage + 1);  // a block never holds more
            for (uint32_t k = 0; k < n; ++k) {
                out.push_back(a);
                if (k + 1 < n) a += length_at(a);
            }
            if (out.size() > 64) out.erase(out.begin(), out.end() - 16);
        }
        if (out.size() > 16) out.erase(out.begin(), out.end() - 16);
        return out;
    }

    // Before decode entries are dropped: turn block records into one record per instruction.
    void materialize_ring() {
        const std::vector<uint32_t> pcs = recent();
        for (auto& b : ring) b = BlockRec{1, 0};
        ring_idx = 0;
        for (uint32_t a : pcs) ring_push_pc(a);
        if (ring_excess) ring_rebuilt = true;
        ring_excess = 0;
    }
    // Trim the newest record by k instructions (unless it was rebuilt exactly meanwhile).
    void ring_trim(uint32_t k) {
        if (ring_rebuilt) {
            ring_rebuilt = false;
            return;
        }
        ring_last().n -= k;
    }

    // ------------------------------------------------------------------------------------------
    // Traps and interrupts
    // ------------------------------------------------------------------------------------------
    void resv_clear() {
        if (!resv_valid) return;
        resv_valid = false;
        if (Region* r = find_region(resv_addr, 4)) r->flags[(resv_addr - r->base) >> kPageBits] &= ~kFlagResv;
    }

    bool fetchable(uint32_t a) const { return find_region(a, 2) != nullptr; }

    // Enter the trap handler; false (and fatal_trap filled) if its vector cannot be fetched.
    bool take_trap(uint32_t cause, uint32_t tval, uint32_t epc) {
        const uint32_t base = mtvec & ~3u;
        const bool irq = (cause & 0x80000000u) != 0;
        const uint32_t vec = (irq && (mtvec & 1)) ? base + 4 * (cause & 0x7FFFFFFFu) : base;
        if (!fetchable(vec)) {
            fatal.happened = true;
            fatal.cause = cause, fatal.pc = epc, fatal.tval = tval, fatal.insn = fetch_raw(epc);
            pc_ = epc;
            return false;
        }
        resv_clear();
        mepc = epc & ~1u;
        mcause = cause;
        mtval = tval;
        mstatus_mpie = mstatus_mie;
        mstatus_mie = false;
        pc_ = vec;
        ticks += cost_trap;
        return true;
    }

    // A mid-block instruction raised an exception: un-charge it and the rest of its block.
    bool exception(const Pos& p, uint32_t cause, uint32_t tval) {
        ticks -= p.cyc_here;
        retired -= p.n_here;
        ring_trim(p.n_here - 1);
        ticks += cost[p.cls];
        return take_trap(cause, tval, p.pc);
    }

    // Leave the block right after the current (non-terminating) instruction.
    void exit_after(const Pos& p) {
        ticks -= p.cyc_next;
        retired -= p.n_next;
        ring_trim(p.n_next);
        pc_ = p.pc + p.len;
    }

    uint32_t pending_irq() const { return irq_lines & mie; }
    bool irq_ready() const { return mstatus_mie && pending_irq() != 0; }

    // Take the highest-priority pending interrupt (MEI > MSI > MTI). False if fatal.
    bool take_interrupt() {
        const uint32_t p = pending_irq();
        const uint32_t code = (p & kMeip) ? 11 : (p & kMsip) ? 3 : 7;
        return take_trap(0x80000000u | code, 0, pc_);
    }

    // ------------------------------------------------------------------------------------------
    // Memory slow paths (misaligned, other regions, code/reservation pages, bus)
    // ------------------------------------------------------------------------------------------
    void watch_check(uint32_t a, unsigned n, WatchKind k) {
        for (const Watch& w : watches) {
            if (!(static_cast<unsigned>(w.kind) & static_cast<unsigned>(k))) continue;
            const uint64_t lo = std::max<uint64_t>(a, w.addr);
            const uint64_t hi = std::min<uint64_t>(static_cast<uint64_t>(a) + n, static_cast<uint64_t>(w.addr) + w.len);
            if (lo < hi) {
                watch_hit = true;
                watch_addr = static_cast<uint32_t>(lo);
                return;
            }
        }
    }

    int set_trap(uint32_t cause, uint32_t tval) {
        trap_cause = cause, trap_tval = tval;
        return kMemTrap;
    }

    // Aligned read of n bytes anywhere; fault_cause is reported on a bus error.
    int mem_read(uint32_t a, unsigned n, uint32_t& v, const Pos& p, uint32_t fault_cause) {
        if (!ring_rebuilt) ring_excess = p.n_here - 1;
        struct Clear {
            uint32_t& x;
            ~Clear() { x = 0; }
        } clear{ring_excess};
        if (const Region* r = find_region(a, n)) {
            data_mru = r;
            v = 0;
            std::memcpy(&v, r->ptr + (a - r->base), n);
        } else {
            mid_cyc = p.cyc_here, mid_n = p.n_here;
            const bool ok = bus.load(a, n, v);
            mid_cyc = 0, mid_n = 0;
            if (!ok) return set_trap(fault_cause, a);
            if (n == 1) v &= 0xFF;
            if (n == 2) v &= 0xFFFF;
        }
        if (!watches.empty()) watch_check(a, n, WatchKind::Read);
        return events ? kMemBreak : kMemOk;
    }

    int mem_write(uint32_t a, unsigned n, uint32_t v, const Pos& p, uint32_t fault_cause) {
        if (!ring_rebuilt) ring_excess = p.n_here - 1;
        struct Clear {
            uint32_t& x;
            ~Clear() { x = 0; }
        } clear{ring_excess};
        if (resv_valid && a < resv_addr + 4 && resv_addr < a + n) resv_clear();
        bool brk = false;
        if (Region* r = find_region(a, n)) {
            data_mru = r;
            const uint32_t off = a - r->base;
            if ((r->flags[off >> kPageBits] & kFlagCode) && invalidate_in(*r, a, n)) brk = true;
            std::memcpy(r->ptr + off, &v, n);
        } else {
            mid_cyc = p.cyc_here, mid_n = p.n_here;
            const bool ok = bus.store(a, n, v);
            mid_cyc = 0, mid_n = 0;
            if (!ok) return set_trap(fault_cause, a);
        }
        if (!watches.empty()) watch_check(a, n, WatchKind::Write);
        return (brk || events) ? kMemBreak : kMemOk;
    }

    int load_slow(uint32_t a, unsigned n, uint32_t& v, const Pos& p) {
        if (a & (n - 1)) return set_trap(4, a);
        return mem_read(a, n, v, p, 5);
    }

    int store_slow(uint32_t a, unsigned n, uint32_t v, const Pos& p) {
        if (a & (n - 1)) return set_trap(6, a);
        return mem_write(a, n, v, p, 7);
    }

    int atomic(Op op, uint32_t a, uint32_t src, const Pos& p, uint32_t& out) {
        if (op == Op::LrW) {
            if (a & 3) return set_trap(4, a);
            const int st = mem_read(a, 4, out, p, 5);
            if (st == kMemTrap) return st;
            resv_clear();
            resv_valid = true;
            resv_addr = a;
            if (Region* r = find_region(a, 4)) r->flags[(a - r->base) >> kPageBits] |= kFlagResv;
            return st;
        }
        if (a & 3) return set_trap(6, a);
        if (op == Op::ScW) {
            if (resv_valid && resv_addr == a) {
                const int st = mem_write(a, 4, src, p, 7);
                if (st == kMemTrap) return st;
                resv_clear();
                out = 0;
                return st;
            }
            resv_clear();
            out = 1;
            return events ? kMemBreak : kMemOk;
        }
        uint32_t old;
        int st = mem_read(a, 4, old, p, 7);
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
        const int st2 = mem_write(a, 4, nv, p, 7);
        if (st2 == kMemTrap) return st2;
        out = old;
        return (st == kMemBreak || st2 == kMemBreak) ? kMemBreak : kMemOk;
    }

    // ------------------------------------------------------------------------------------------
    // CSRs
    // ------------------------------------------------------------------------------------------
    static bool csr_exists(uint32_t n) {
        switch (n) {
        case csr::mstatus: case csr::misa: case csr::mie: case csr::mtvec: case csr::mscratch:
        case csr::mepc: case csr::mcause: case csr::mtval: case csr::mip: case csr::mhartid:
        case csr::mcycle: case csr::minstret: case csr::mcycleh: case csr::minstreth:
        case csr::cycle: case csr::time: case csr::instret: case csr::cycleh: case csr::timeh:
        case csr::instreth: case csr::mvendorid: case csr::marchid: case csr::mimpid:
            return true;
        default:
            return false;
        }
    }
    static bool csr_read_only(uint32_t n) { return (n >> 10) == 3; }

    // `insn_retired`: the reading instruction is already counted in `retired` (CSR instructions).
    uint32_t csr_read(uint32_t n, bool insn_retired) const {
        const uint64_t cyc = exact_ticks() + mcycle_off;
        const uint64_t ins = exact_retired() - (insn_retired ? 1 : 0) + minstret_off;
        switch (n) {
        case csr::mstatus:
            return (mstatus_mie ? 1u << 3 : 0) | (mstatus_mpie ? 1u << 7 : 0) | (3u << 11);
        case csr::misa: return kMisa;
        case csr::mie: return mie;
        case csr::mtvec: return mtvec;
        case csr::mscratch: return mscratch;
        case csr::mepc: return mepc;
        case csr::mcause: return mcause;
        case csr::mtval: return mtval;
        case csr::mip: return irq_lines & (kMsip | kMtip | kMeip);
        case csr::mhartid: return cfg.hart_id;
        case csr::mcycle: case csr::cycle: return static_cast<uint32_t>(cyc);
        case csr::mcycleh: case csr::cycleh: return static_cast<uint32_t>(cyc >> 32);
        case csr::minstret: case csr::instret: return static_cast<uint32_t>(ins);
        case csr::minstreth: case csr::instreth: return static_cast<uint32_t>(ins >> 32);
        case csr::time: return static_cast<uint32_t>(bus.mtime());
        case csr::timeh: return static_cast<uint32_t>(bus.mtime() >> 32);
        default: return 0;  // mvendorid, marchid, mimpid
        }
    }

    // `pending_cycles`: cycles the writing instruction will still charge after the write, so that
    // the written value is what the next instruction observes (the write suppresses the count of
    // the writing instruction itself, like minstret).
    void csr_write(uint32_t n, uint32_t v, uint32_t pending_cycles) {
        const uint64_t t = exact_ticks() + pending_cycles;
        const uint64_t ins = exact_retired();
        switch (n) {
        case csr::mstatus:
            mstatus_mie = (v >> 3) & 1;
            mstatus_mpie = (v >> 7) & 1;
            break;
        case csr::mie: mie = v & (kMsip | kMtip | kMeip); break;
        case csr::mtvec:
            if ((v & 3) < 2) mtvec = v;  // reserved modes: write ignored (as QEMU does)
            break;
        case csr::mscratch: mscratch = v; break;
        case csr::mepc: mepc = v & ~1u; break;
        case csr::mcause: mcause = v; break;
        case csr::mtval: mtval = v; break;
        case csr::mcycle: {
            const uint64_t cur = t + mcycle_off;
            mcycle_off = ((cur & 0xFFFFFFFF00000000ull) | v) - t;
            break;
        }
        case csr::mcycleh: {
            const uint64_t cur = t + mcycle_off;
            mcycle_off = ((static_cast<uint64_t>(v) << 32) | (cur & 0xFFFFFFFFull)) - t;
            break;
        }
        case csr::minstret: {
            const uint64_t cur = ins + minstret_off;
            minstret_off = ((cur & 0xFFFFFFFF00000000ull) | v) - ins;
            break;
        }
        case csr::minstreth: {
            const uint64_t cur = ins + minstret_off;
            minstret_off = ((static_cast<uint64_t>(v) << 32) | (cur & 0xFFFFFFFFull)) - ins;
            break;
        }
        default: break;  // misa, mip: WARL, nothing writable
        }
    }

    // Execute a Zicsr instruction; false -> illegal instruction.
    bool csr_insn(const Entry& e, uint32_t& out) {
        const uint32_t n = static_cast<uint32_t>(e.imm);
        const Op op = static_cast<Op>(e.op);
        const bool imm_form = op == Op::Csrrwi || op == Op::Csrrsi || op == Op::Csrrci;
        const uint32_t src = imm_form ? e.rs1 : x[e.rs1];
        const bool is_rw = op == Op::Csrrw || op == Op::Csrrwi;
        const bool writes = is_rw || e.rs1 != 0;
        const bool reads = !is_rw || e.rd != kSink;
        if (!csr_exists(n)) return false;
        if (writes && csr_read_only(n)) return false;
        const uint32_t old = reads ? csr_read(n, true) : 0;
        if (writes) {
            uint32_t nv = src;
            if (op == Op::Csrrs || op == Op::Csrrsi) nv = old | src;
            if (op == Op::Csrrc || op == Op::Csrrci) nv = old & ~src;
            csr_write(n, nv, cost_csr);
        }
        out = old;
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // The interpreter
    // ------------------------------------------------------------------------------------------
    static Pos make_pos(const Entry* e, uint32_t pg_base, const Entry* pg_ents) {
        const Entry* nx = reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(e) + e->step);
        return Pos{pg_base + static_cast<uint32_t>((e - pg_ents) << 1), len_of(e->step),
                   e->cls, e->cyc_left, e->n_left, nx->cyc_left, nx->n_left};
    }

    template <bool kSlow>
    Exec exec(const Entry* e, uint32_t pg_base, const Entry* pg_ents);

    StopReason run(uint64_t max_cycles);
};

// The interpreter proper. kSlow = false: run chained blocks until the budget, an event or a
// non-chainable exit (e == nullptr: just publish the label table). kSlow = true: execute exactly
// the instruction at e, with watchpoints and the retire hook. Either way the caller charged
// nothing; this function charges the block (suffix) it enters.
template <bool kSlow>
Rv32Core::Impl::Exec Rv32Core::Impl::exec(const Entry* e, uint32_t pg_base, const Entry* pg_ents) {
#define AIMC_LABEL_ADDR(name) &&L_##name,
    static const void* const kLabels[] = {AIMC_RV32_OPS(AIMC_LABEL_ADDR)};
#undef AIMC_LABEL_ADDR
    static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == isa::kNumOps, "label table out of step");
    if constexpr (!kSlow) {
        if (AIMC_UNLIKELY(e == nullptr)) {
            fast_labels = kLabels;
            return Exec::Continue;
        }
    }

    uint32_t* const xr = x;
    const Region* dr = data_mru;
    uint32_t npc = 0;
    Pos sp{};         // kSlow: position of the single instruction
    Entry ecopy{};    // kSlow: the instruction's entry (entries may be reset while it runs)
    uint32_t raw = 0; // kSlow with a retire hook: raw bits

    sp = make_pos(e, pg_base, pg_ents);
    ticks += e->cyc_left;
    retired += e->n_left;
    ring_push(e, e->n_left);
    if constexpr (kSlow) {
        if (retire_hook) raw = fetch_raw(sp.pc);
        ecopy = *e;
        e = &ecopy;
    }
    // Hot counters live in locals (registers) while executing; the members are brought up to date
    // before anything that reads them (slow paths, callbacks, exits) and reloaded after.
    uint64_t lt = ticks, lr = retired, llim = limit;
    uint32_t lri = ring_idx;
#define SYNC_OUT() (ticks = lt, retired = lr, ring_idx = lri)
#define SYNC_IN() (lt = ticks, lr = retired, llim = limit, lri = ring_idx, dr = data_mru)

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
        ring[lri & 15] = BlockRec{reinterpret_cast<uintptr_t>(e), e->n_left};                    \
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
        return exception((p), (cause), (tval)) ? Exec::Trap : Exec::Fatal;                       \
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
                if (!watches.empty()) watch_check(a, N, WatchKind::Read);                        \
            }                                                                                    \
            RD = static_cast<uint32_t>(v);                                                       \
            NEXT();                                                                              \
        }                                                                                        \
        const Pos p = POS();                                                                     \
        uint32_t v;                                                                              \
        SLOW_CALL(st, load_slow(a, N, v, p));                                                    \
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
                if (!watches.empty()) watch_check(a, N, WatchKind::Write);                       \
            }                                                                                    \
            NEXT();                                                                              \
        }                                                                                        \
        const Pos p = POS();                                                                     \
        SLOW_CALL(st, store_slow(a, N, v, p));                                                   \
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
    flush_all_code();
    EXIT_TO(p.pc + p.len);
}
L_Ecall: {
    const Pos p = POS();
    EXCEPTION(p, 11, 0);
}
L_Ebreak: {
    const Pos p = POS();
    EXCEPTION(p, 3, p.pc);
}
L_Mret: {
    lt += cost_system;
    mstatus_mie = mstatus_mpie;
    mstatus_mpie = true;
    EXIT_TO(mepc);
}
L_Wfi: {
    lt += cost_system;
    if (pending_irq() != 0) FALLTHROUGH();
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
    uint32_t out;
    SYNC_OUT();
    if (!csr_insn(*e, out)) EXCEPTION(p, 2, fetch_raw(p.pc));
    SYNC_IN();
    lt += cost_csr;
    RD = out;
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
    SLOW_CALL(st, atomic(static_cast<Op>(e->op), RS1, RS2, p, out));
    RD = out;
    if (st == kMemBreak) BREAK_AFTER(p);
    NEXT();
}
    // ---------------------------------------------------------------------------------- internal
L_Illegal: {
    const Pos p = POS();
    EXCEPTION(p, 2, static_cast<uint32_t>(e->imm));
}
L_FetchFault: {
    const Pos p = POS();
    EXCEPTION(p, 1, static_cast<uint32_t>(e->imm));
}
L_PageEnd:
    if constexpr (!kSlow) {
        if (ring[(lri - 1) & 15].n == 0) --lri;  // entered as an empty block
        npc = PC();
        goto L_chain_pc;
    }
    return Exec::Continue;  // not reachable in single-instruction mode
L_QuantumStop:  // the quantum ends before this entry (patched in by run(); never decoded)
    lt -= e->cyc_left;
    lr -= e->n_left;
    ring[(lri - 1) & 15].n -= e->n_left;
    SYNC_OUT();
    pc_ = PC();
    return Exec::Continue;
L_Undecoded:
    lt -= e->cyc_left;
    lr -= e->n_left;
    if (ring[(lri - 1) & 15].n == 0) --lri;
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
        if (!chain_lookup(npc, pg_base, pg_ents)) {
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

StopReason Rv32Core::Impl::run(uint64_t max_cycles) {
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
        if (irq_ready()) {
            if (!take_interrupt()) return StopReason::Requested;
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
        Entry* e = (pc_ & 1) ? nullptr : entry_for(pc_, pg_base, pg_ents);
        Exec r;
        if (!e) {
            // pc odd (only reachable through set_pc) or outside every DMI region.
            const uint32_t cause = (pc_ & 1) ? 0 : 1;
            r = take_trap(cause, pc_, pc_) ? Exec::Trap : Exec::Fatal;
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
            const void* patch = fast_labels[static_cast<unsigned>(Op::QuantumStop)];
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

// ------------------------------------------------------------------------------------------------
// Public interface
// ------------------------------------------------------------------------------------------------
Rv32Core::Rv32Core(const Config& config, CoreBus& bus) : impl_(std::make_unique<Impl>(config, bus)) { reset(); }
Rv32Core::~Rv32Core() = default;

void Rv32Core::add_dmi(const DmiRegion& region) {
    Impl& s = *impl_;
    if (!region.ptr || region.size == 0) return;
    s.materialize_ring();  // the ring may point into decode pages that are about to go
    // Replace a region with the same base (a re-granted DMI pointer); otherwise add one.
    s.regions.erase(std::remove_if(s.regions.begin(), s.regions.end(),
                                   [&](const std::unique_ptr<Region>& r) { return r->base == region.base; }),
                    s.regions.end());
    auto r = std::make_unique<Region>();
    r->ptr = region.ptr, r->base = region.base, r->size = region.size;
    for (unsigned n : {1u, 2u, 4u}) r->lim[n] = region.size >= n ? region.size - n + 1 : 0;
    const size_t pages = (static_cast<uint64_t>(region.size) + kPageSize - 1) >> kPageBits;
    r->flags.assign(pages, 0);
    r->pages.resize(pages);
    s.regions.push_back(std::move(r));
    // Other regions may have decoded fetch faults at what is now mapped: start afresh.
    s.flush_all_code();
    s.code_mru = nullptr;
    s.data_mru = s.regions.front().get();
    s.resv_valid = false;
}

void Rv32Core::reset() {
    Impl& s = *impl_;
    std::fill(std::begin(s.x), std::end(s.x), 0u);
    s.pc_ = s.cfg.reset_pc;
    s.mstatus_mie = s.mstatus_mpie = false;
    s.mie = s.mtvec = s.mscratch = s.mepc = s.mcause = s.mtval = 0;
    s.ticks = s.retired = 0;
    s.mcycle_off = s.minstret_off = 0;
    s.run_start = 0;
    s.stop_req = s.wfi_req = s.events = false;
    s.resv_clear();
    s.fatal = FatalTrap{};
    s.flush_all_code();
    for (auto& b : s.ring) b = Impl::BlockRec{1, 0};
    s.ring_idx = 0;
    for (auto& r : s.regions) std::fill(r->flags.begin(), r->flags.end(), 0);
}

StopReason Rv32Core::run(uint64_t max_cycles) { return impl_->run(max_cycles); }

uint64_t Rv32Core::cycles_in_run() const { return impl_->exact_ticks() - impl_->run_start; }

void Rv32Core::set_irq_lines(uint32_t mask, bool level) {
    Impl& s = *impl_;
    mask &= kMsip | kMtip | kMeip;
    const uint32_t nv = level ? (s.irq_lines | mask) : (s.irq_lines & ~mask);
    if (nv != s.irq_lines) {
        s.irq_lines = nv;
        s.events = true;
        s.limit = 0;
    }
}

bool Rv32Core::wakeup_pending() const { return impl_->pending_irq() != 0; }

void Rv32Core::request_stop() {
    impl_->stop_req = true;
    impl_->events = true;
    impl_->limit = 0;
}

void Rv32Core::invalidate_code(uint32_t addr, uint32_t len) {
    Impl& s = *impl_;
    bool hit = false;
    for (auto& r : s.regions) {
        if (s.invalidate_in(*r, addr, len)) hit = true;
    }
    if (hit) {
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
    if (!Impl::csr_exists(number)) return false;
    value = impl_->csr_read(number, false);
    return true;
}

bool Rv32Core::write_csr(uint16_t number, uint32_t value) {
    if (!Impl::csr_exists(number) || Impl::csr_read_only(number)) return false;
    impl_->csr_write(number, value, 0);
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
                           [&](const Impl::Watch& x) { return x.addr == addr && x.len == len && x.kind == kind; }),
            w.end());
    if (on && len > 0) w.push_back(Impl::Watch{addr, len, kind});
}

uint32_t Rv32Core::watch_hit_address() const { return impl_->watch_addr; }
void Rv32Core::set_single_step(bool on) { impl_->single_step = on; }
void Rv32Core::set_retire_hook(std::function<void(const RetiredInsn&)> hook) { impl_->retire_hook = std::move(hook); }
std::vector<uint32_t> Rv32Core::recent_pcs() const { return impl_->recent(); }
const Rv32Core::FatalTrap& Rv32Core::fatal_trap() const { return impl_->fatal; }
std::string Rv32Core::disassemble(uint32_t insn, uint32_t pc) { return isa::disassemble(insn, pc); }

}  // namespace aimc::host
