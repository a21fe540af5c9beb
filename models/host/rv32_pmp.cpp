#include "host/rv32_pmp.h"

#include <stdexcept>
#include <string>

namespace aimc::host {

Pmp::Pmp(unsigned entries, uint32_t granularity) : entries_(entries), g_(0) {
    if (entries > kMaxEntries)
        throw std::invalid_argument("PMP: " + std::to_string(entries) + " entries; RV32 holds at most 16");
    if (granularity < 4 || (granularity & (granularity - 1)) != 0)
        throw std::invalid_argument("PMP: granularity " + std::to_string(granularity) +
                                    " bytes is not a power of two >= 4");
    while ((4ull << g_) < granularity) ++g_;
    reset();
}

void Pmp::reset() {
    cfg_.fill(0);
    addr_.fill(0);
    rebuild();
}

uint32_t Pmp::read_cfg(unsigned reg) const {
    uint32_t v = 0;
    for (unsigned b = 0; b < 4; ++b) v |= static_cast<uint32_t>(cfg_[4 * reg + b]) << (8 * b);
    return v;
}

uint32_t Pmp::read_addr(unsigned i) const {
    if (g_ == 0) return addr_[i];
    // The stored value keeps every bit written; how it reads depends on the mode: in NAPOT bits
    // G-2..0 read as ones, otherwise bits G-1..0 read as zeros (the spec's granularity rule).
    if ((cfg_[i] & kAMask) == kNapot) return addr_[i] | ((1u << (g_ - 1)) - 1);
    return addr_[i] & ~((1u << g_) - 1);
}

// Locked entries ignore address writes, and so does the entry below a locked TOR entry (its
// address is that entry's lower bound).
bool Pmp::addr_locked(unsigned i) const {
    if (cfg_[i] & kL) return true;
    return i + 1 < entries_ && (cfg_[i + 1] & kL) && (cfg_[i + 1] & kAMask) == kTor;
}

bool Pmp::write_cfg(unsigned reg, uint32_t value) {
    bool changed = false;
    for (unsigned b = 0; b < 4; ++b) {
        const unsigned i = 4 * reg + b;
        if (i >= entries_ || (cfg_[i] & kL)) continue;
        uint8_t c = static_cast<uint8_t>(value >> (8 * b)) & (kL | kAMask | kX | kW | kR);
        if ((c & (kR | kW)) == kW) c &= static_cast<uint8_t>(~kW);  // R=0 W=1 is reserved: W reads 0 (as Spike)
        if (g_ >= 1 && (c & kAMask) == kNa4) c |= kNapot;              // no NA4 above 4-byte grain (as Spike)
        changed |= c != cfg_[i];
        cfg_[i] = c;
    }
    if (changed) rebuild();
    return changed;
}

bool Pmp::write_addr(unsigned i, uint32_t value) {
    if (i >= entries_ || addr_locked(i) || addr_[i] == value) return false;
    addr_[i] = value;  // RV32: all 32 bits hold address bits 33:2
    rebuild();
    return true;
}

void Pmp::rebuild() {
    n_rules_ = 0;
    enforcing_ = false;
    const uint64_t grain_mask = ~((uint64_t{1} << g_) - 1);
    for (unsigned i = 0; i < entries_; ++i) {
        const uint8_t a = cfg_[i] & kAMask;
        if (a == kOff) continue;
        Rule r{0, 0, cfg_[i]};
        if (a == kTor) {
            r.lo = i == 0 ? 0 : (addr_[i - 1] & grain_mask) << 2;
            r.hi = (addr_[i] & grain_mask) << 2;
            if (r.lo >= r.hi) r.lo = r.hi = 0;  // an empty range matches nothing
        } else if (a == kNa4) {
            r.lo = static_cast<uint64_t>(addr_[i]) << 2;
            r.hi = r.lo + 4;
        } else {
            const uint64_t v = read_addr(i);
            unsigned ones = 0;
            while (ones < 32 && ((v >> ones) & 1)) ++ones;
            const uint64_t size = uint64_t{8} << ones;  // 2^(ones+3) bytes; all ones: the whole space
            r.lo = (v << 2) & ~(size - 1);
            r.hi = r.lo + size;
        }
        rules_[n_rules_++] = r;
        if (r.cfg & kL) enforcing_ = true;
    }
}

bool Pmp::allows(uint32_t a, unsigned n, uint8_t perm) const {
    const uint64_t lo = a, hi = lo + n;
    for (unsigned k = 0; k < n_rules_; ++k) {
        const Rule& r = rules_[k];
        if (hi <= r.lo || lo >= r.hi) continue;  // no byte matches: a lower-priority entry decides
        if (lo < r.lo || hi > r.hi) return false;  // some bytes only: fails whatever L, R, W, X say
        if (!(r.cfg & kL)) return true;            // unlocked entries do not constrain M-mode
        return (r.cfg & perm) != 0;
    }
    return true;  // no entry matches: M-mode accesses succeed
}

}  // namespace aimc::host
