// Physical memory protection of the M-mode-only hart (privileged spec, section 3.7): the state
// behind pmpcfg0..3 and pmpaddr0..15, their WARL rules, and the check of an M-mode access.
// Internal to the core (rv32_core.h is the interface).
//
// On a hart with only M-mode, an entry constrains accesses only when it is locked (L = 1); an
// unlocked matching entry lets the access through. enforcing() says whether any locked entry is
// on (A != OFF): while it is false the core keeps its fast paths and never calls allows().
#pragma once

#include <array>
#include <cstdint>

namespace aimc::host {

class Pmp {
public:
    static constexpr unsigned kMaxEntries = 16;  // RV32: pmpcfg0..3 hold 16 entries' bytes
    // pmpcfg byte fields.
    static constexpr uint8_t kR = 0x01, kW = 0x02, kX = 0x04, kL = 0x80;
    static constexpr uint8_t kAMask = 0x18, kOff = 0x00, kTor = 0x08, kNa4 = 0x10, kNapot = 0x18;

    // `entries` (0..16) are implemented, the others read 0 and ignore writes; `granularity` in bytes
    // is a power of two >= 4 (2^(G+2)). Throws std::invalid_argument otherwise.
    Pmp(unsigned entries, uint32_t granularity);

    void reset();  // every entry OFF and unlocked, addresses 0

    uint32_t read_cfg(unsigned reg) const;  // pmpcfg<reg>, reg 0..3
    uint32_t read_addr(unsigned i) const;   // pmpaddr<i>, i 0..15
    // Write under the WARL rules; true if anything the checks use changed.
    bool write_cfg(unsigned reg, uint32_t value);
    bool write_addr(unsigned i, uint32_t value);

    bool enforcing() const { return enforcing_; }
    // May an M-mode access of n bytes at `a` with permission `perm` (kR, kW or kX) proceed?
    bool allows(uint32_t a, unsigned n, uint8_t perm) const;

    unsigned entries() const { return entries_; }
    unsigned g() const { return g_; }

private:
    // One entry that is not OFF, as the byte range [lo, hi) it matches (empty: matches nothing).
    struct Rule {
        uint64_t lo, hi;
        uint8_t cfg;
    };
    void rebuild();
    bool addr_locked(unsigned i) const;

    unsigned entries_;
    unsigned g_;  // granularity 2^(g_+2) bytes
    std::array<uint8_t, kMaxEntries> cfg_{};
    std::array<uint32_t, kMaxEntries> addr_{};
    std::array<Rule, kMaxEntries> rules_{};  // in priority order (lowest entry first)
    unsigned n_rules_ = 0;
    bool enforcing_ = false;
};

}  // namespace aimc::host
