#include "host/rv32_csr_table.h"

#include <array>

namespace aimc::host {
namespace {

constexpr unsigned kCsrSpace = 4096;

// The architecture makes a CSR read-only by its number (bits 11:10 = 3); the table must agree,
// and a read-only CSR has nothing writable.
constexpr bool access_matches_number() {
    for (const CsrDef& d : kCsrTable) {
        const bool ro_number = (d.number() >> 10) == 3;
        if (ro_number != (d.access == CsrAccess::ReadOnly)) return false;
        if (d.access == CsrAccess::ReadOnly && d.writable != 0) return false;
    }
    return true;
}
static_assert(access_matches_number(), "CSR table: access must follow the number (bits 11:10 = 3: read-only)");

constexpr bool numbers_unique() {
    for (size_t i = 0; i < kNumCsrs; ++i) {
        if (kCsrTable[i].number() >= kCsrSpace) return false;
        for (size_t j = i + 1; j < kNumCsrs; ++j) {
            if (kCsrTable[i].number() == kCsrTable[j].number()) return false;
        }
    }
    return true;
}
static_assert(numbers_unique(), "CSR table: numbers must be distinct 12-bit values");
static_assert(kNumCsrs < 255, "CSR table index is one byte");

// CSR number -> row index + 1 (0: not implemented).
constexpr std::array<uint8_t, kCsrSpace> make_index() {
    std::array<uint8_t, kCsrSpace> idx{};
    for (size_t i = 0; i < kNumCsrs; ++i) idx[kCsrTable[i].number()] = static_cast<uint8_t>(i + 1);
    return idx;
}
constexpr std::array<uint8_t, kCsrSpace> kIndex = make_index();

}  // namespace

const CsrDef* find_csr(uint32_t number) {
    if (number >= kCsrSpace || kIndex[number] == 0) return nullptr;
    return &kCsrTable[kIndex[number] - 1];
}

const CsrDef* find_csr(std::string_view name) {
    for (const CsrDef& d : kCsrTable) {
        if (name == d.name) return &d;
    }
    return nullptr;
}

}  // namespace aimc::host
