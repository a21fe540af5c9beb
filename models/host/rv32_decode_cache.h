// The decode cache of the RV32 interpreter (design notes: docs/models/rv32_core.md). Internal.
//
// Every DMI region is cut into 4 KiB pages; a page that ever held executed code owns an array of
// 2048 (+2 sentinel) 32-byte entries, one per halfword, filled lazily by the table-driven decoder
// (rv32_isa.h) one basic block at a time. An entry holds the interpreter's handler address, the
// operands with pc-relative values already resolved (auipc result, branch/jal targets), and the
// suffix sums `cyc_left`/`n_left`: cycles of the non-terminating instructions and number of
// instructions from this entry to the end of its block. Blocks end at control flow, CSR and system
// instructions, and at the page end (sentinel entry).
//
// The cache also keeps the recent-block history (one record per block entered), whose records
// point into its pages, so it converts them to plain pcs before it drops any entry.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "host/rv32_isa.h"
#include "host/rv32_pmp.h"

namespace aimc::host {
struct DmiRegion;
}

namespace aimc::host::rv32 {

constexpr unsigned kPageBits = 12;
constexpr uint32_t kPageSize = 1u << kPageBits;
constexpr unsigned kHalfwordsPerPage = kPageSize / 2;     // 2048
constexpr unsigned kPageEntries = kHalfwordsPerPage + 2;  // + sentinels for fall-through past the end
constexpr uint8_t kFlagCode = 1;  // the page (or the tail of the previous one) holds decoded code
constexpr uint8_t kFlagResv = 2;  // the LR/SC reservation lies in this page
constexpr uint8_t kSink = 32;     // register index that writes to x0 are redirected to

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

inline Pos make_pos(const Entry* e, uint32_t pg_base, const Entry* pg_ents) {
    const Entry* nx = reinterpret_cast<const Entry*>(reinterpret_cast<const char*>(e) + e->step);
    return Pos{pg_base + static_cast<uint32_t>((e - pg_ents) << 1), len_of(e->step),
               e->cls, e->cyc_left, e->n_left, nx->cyc_left, nx->n_left};
}

class DecodeCache {
public:
    DecodeCache() : data_mru(&no_region) {}

    // The interpreter's handler address per isa::Op, and the cycles per isa::Cls that the block
    // sums are built from; both set once before anything is decoded.
    const void* const* labels = nullptr;
    uint32_t cost[static_cast<unsigned>(isa::Cls::Count)] = {};

    // ---- memory regions (DMI) ----
    std::vector<std::unique_ptr<Region>> regions;
    Region no_region;  // lim = 0: every access misses it
    const Region* data_mru;  // the loads' and stores' fast path looks here first
    Region* code_mru = nullptr;
    // Set while the PMP enforces (rv32_lsu.h, pmp_apply): each 2-byte instruction parcel is checked
    // for execute permission as it is decoded; a denied one decodes as a fetch fault.
    const Pmp* pmp = nullptr;

    Region* find_region(uint32_t a, unsigned n) const {
        for (const auto& r : regions) {
            if (r->contains(a, n)) return r.get();
        }
        return nullptr;
    }
    // Adds a region, replacing one with the same base (a re-granted DMI pointer); drops all code.
    void add_region(const DmiRegion& region);
    // Raw instruction bits at `a` (0 if not fetchable), as reported in mtval / RetiredInsn.
    uint32_t fetch_raw(uint32_t a) const;

    // Entry for `pc`, decoding its block if needed; nullptr if pc cannot be fetched at all.
    Entry* entry_for(uint32_t pc, uint32_t& pg_base, Entry*& pg_ents) {
        Region* r = code_region(pc);
        if (!r) return nullptr;
        const uint32_t idx = (pc - r->base) >> kPageBits;
        pg_ents = page_entries(*r, idx);
        pg_base = r->base + (idx << kPageBits);
        Entry* e = pg_ents + ((pc - pg_base) >> 1);
        if (e->op == static_cast<uint8_t>(isa::Op::Undecoded)) decode_block(*r, idx, pg_ents, pc);
        return e;
    }
    // Fast-loop lookup of an already-allocated page for a jump target on another page.
    bool chain_lookup(uint32_t pc, uint32_t& pg_base, const Entry*& pg_ents) {
        Region* r = code_region(pc);
        if (!r) return false;
        const uint32_t idx = (pc - r->base) >> kPageBits;
        if (!r->pages[idx]) return false;
        pg_ents = r->pages[idx].get();
        pg_base = r->base + (idx << kPageBits);
        return true;
    }

    // Drop decoded instructions overlapping [a, a+len) in region r / in any region. True if any was.
    bool invalidate_in(Region& r, uint32_t a, uint32_t len);
    bool invalidate(uint32_t a, uint32_t len);
    void flush_all();
    // flush_all() and an empty history; no page is marked as holding code or the reservation.
    void reset();

    // ---- recent-block history ----
    // One record per block entered: key = Entry* of the first instruction, or (pc << 1) | 1 once
    // materialized (entries are 32-byte aligned, so bit 0 tells them apart).
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

    void ring_push(const Entry* e, uint32_t n) {
        ring[ring_idx & 15] = BlockRec{reinterpret_cast<uintptr_t>(e), n};
        ++ring_idx;
    }
    BlockRec& ring_last() { return ring[(ring_idx - 1) & 15]; }
    // Trim the newest record by k instructions (unless it was rebuilt exactly meanwhile).
    void ring_trim(uint32_t k) {
        if (ring_rebuilt) {
            ring_rebuilt = false;
            return;
        }
        ring_last().n -= k;
    }
    // The last executed pcs, oldest first (at most 16).
    std::vector<uint32_t> recent() const;
    // Before decode entries are dropped: turn block records into one record per instruction.
    void materialize_ring();

private:
    Region* code_region(uint32_t pc) {
        Region* r = code_mru;
        if (!r || !r->contains(pc, 2)) {
            r = find_region(pc, 2);
            if (!r) return nullptr;
            code_mru = r;
        }
        return r;
    }
    Entry* page_entries(Region& r, uint32_t idx) {
        auto& p = r.pages[idx];
        if (!p) {
            p.reset(new Entry[kPageEntries]);
            fill_page(p.get());
        }
        return p.get();
    }
    static uint16_t read16(const Region& r, uint32_t a) {
        uint16_t v;
        std::memcpy(&v, r.ptr + (a - r.base), 2);
        return v;
    }
    void fill_page(Entry* ents) const;
    void decode_fields(const Region& r, uint32_t a, Entry& en) const;
    void decode_one(const Region& r, uint32_t a, Entry& en, uint32_t pbase) const;
    void decode_block(Region& r, uint32_t idx, Entry* ents, uint32_t pc);
    void reset_page(Region& r, uint32_t idx);
    void ring_push_pc(uint32_t pc);
    uint32_t pc_of_entry(uintptr_t key) const;
    unsigned length_at(uint32_t a) const;
};

}  // namespace aimc::host::rv32
