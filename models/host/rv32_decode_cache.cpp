#include "host/rv32_decode_cache.h"

#include <algorithm>

#include "host/rv32_core.h"

namespace aimc::host::rv32 {

using isa::Cls;
using isa::Op;

namespace {

constexpr Entry kUndecodedEntry{nullptr, 0, static_cast<uint8_t>(Op::Undecoded), kSink, 0, 0, 0x7FFFFFFF, 0,
                                step_for(2), static_cast<uint8_t>(Cls::None)};
constexpr Entry kPageEndEntry{nullptr, 0, static_cast<uint8_t>(Op::PageEnd), kSink, 0, 0, 0, 0, step_for(2),
                              static_cast<uint8_t>(Cls::None)};

}  // namespace

void DecodeCache::fill_page(Entry* ents) const {
    Entry u = kUndecodedEntry, pe = kPageEndEntry;
    u.handler = labels[u.op];
    pe.handler = labels[pe.op];
    std::fill(ents, ents + kHalfwordsPerPage, u);
    ents[kHalfwordsPerPage] = pe;
    ents[kHalfwordsPerPage + 1] = pe;
}

void DecodeCache::add_region(const DmiRegion& region) {
    materialize_ring();  // the ring may point into decode pages that are about to go
    regions.erase(std::remove_if(regions.begin(), regions.end(),
                                 [&](const std::unique_ptr<Region>& r) { return r->base == region.base; }),
                  regions.end());
    auto r = std::make_unique<Region>();
    r->ptr = region.ptr, r->base = region.base, r->size = region.size;
    for (unsigned n : {1u, 2u, 4u}) r->lim[n] = region.size >= n ? region.size - n + 1 : 0;
    const size_t pages = (static_cast<uint64_t>(region.size) + kPageSize - 1) >> kPageBits;
    r->flags.assign(pages, 0);
    r->pages.resize(pages);
    regions.push_back(std::move(r));
    // Other regions may have decoded fetch faults at what is now mapped: start afresh.
    flush_all();
    code_mru = nullptr;
    data_mru = regions.front().get();
}

void DecodeCache::reset() {
    flush_all();
    for (auto& b : ring) b = BlockRec{1, 0};
    ring_idx = 0;
    for (auto& r : regions) std::fill(r->flags.begin(), r->flags.end(), 0);
}

bool DecodeCache::invalidate(uint32_t a, uint32_t len) {
    bool hit = false;
    for (auto& r : regions) {
        if (invalidate_in(*r, a, len)) hit = true;
    }
    return hit;
}

void DecodeCache::decode_one(const Region& r, uint32_t a, Entry& en, uint32_t pbase) const {
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
    en.handler = labels[en.op];
}

void DecodeCache::decode_fields(const Region& r, uint32_t a, Entry& en) const {
    en = Entry{};
    en.rd = kSink;
    en.step = step_for(2);
    en.cls = static_cast<uint8_t>(Cls::None);
    if (!r.contains(a, 2)) {
        en.op = static_cast<uint8_t>(Op::FetchFault), en.imm = static_cast<int32_t>(a);
        return;
    }
    if (pmp && !pmp->allows(a, 2, Pmp::kX)) {
        en.op = static_cast<uint8_t>(Op::FetchFault), en.imm = static_cast<int32_t>(a);
        return;
    }
    uint32_t bits = read16(r, a);
    if (isa::insn_length(bits) == 4) {
        en.step = step_for(4);
        if (!r.contains(a + 2, 2) || (pmp && !pmp->allows(a + 2, 2, Pmp::kX))) {
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

void DecodeCache::decode_block(Region& r, uint32_t idx, Entry* ents, uint32_t pc) {
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

void DecodeCache::reset_page(Region& r, uint32_t idx) {
    materialize_ring();
    fill_page(r.pages[idx].get());
}

void DecodeCache::flush_all() {
    materialize_ring();
    for (auto& r : regions) {
        for (auto& p : r->pages) {
            if (p) fill_page(p.get());
        }
    }
}

bool DecodeCache::invalidate_in(Region& r, uint32_t a, uint32_t len) {
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

uint32_t DecodeCache::pc_of_entry(uintptr_t key) const {
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

unsigned DecodeCache::length_at(uint32_t a) const {
    const Region* r = find_region(a, 2);
    if (!r) return 2;
    const uint32_t idx = (a - r->base) >> kPageBits;
    if (r->pages[idx]) {
        const Entry& en = r->pages[idx][(a - r->base - (idx << kPageBits)) >> 1];
        if (en.op != static_cast<uint8_t>(Op::Undecoded)) return len_of(en.step);
    }
    return isa::insn_length(read16(*r, a));
}

std::vector<uint32_t> DecodeCache::recent() const {
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

void DecodeCache::materialize_ring() {
    const std::vector<uint32_t> pcs = recent();
    for (auto& b : ring) b = BlockRec{1, 0};
    ring_idx = 0;
    for (uint32_t a : pcs) ring_push_pc(a);
    if (ring_excess) ring_rebuilt = true;
    ring_excess = 0;
}

uint32_t DecodeCache::fetch_raw(uint32_t a) const {
    const Region* r = find_region(a, 2);
    if (!r) return 0;
    uint32_t v = read16(*r, a);
    if (isa::insn_length(v) == 4) {
        if (!r->contains(a + 2, 2)) return v;
        v |= static_cast<uint32_t>(read16(*r, a + 2)) << 16;
    }
    return v;
}

void DecodeCache::ring_push_pc(uint32_t pc) {
    ring[ring_idx & 15] = BlockRec{(static_cast<uintptr_t>(pc) << 1) | 1, 1};
    ++ring_idx;
}

}  // namespace aimc::host::rv32
