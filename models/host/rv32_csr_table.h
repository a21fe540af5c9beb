// The control and status registers of the RV32 hart, written once.
//
// One row per implemented CSR: name, number, access, reset value and the bits software can change,
// with a one-line description. Everything else is derived from it: the csr:: number constants,
// the Csr enum the CSR file (rv32_csr_file.h) switches over (so a row without behaviour does not
// compile cleanly), which numbers exist and which are read-only, the disassembler's names, the
// CSR registers of gdb's target description (gdb_server.cpp) and the table in
// docs/models/rv32_core.md (platforms/doc_tables.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace aimc::host {

// How a CSR's value after reset() is defined.
enum class CsrReset : uint8_t {
    Value,     // reset_value
    HartId,    // Rv32Core::Config::hart_id
    IrqLines,  // the interrupt lines driven through set_irq_lines (not reset by the core)
    Mtime,     // the platform timer, CoreBus::mtime()
};

enum class CsrAccess : uint8_t { ReadWrite, ReadOnly };

// X(name, number, access, reset kind, reset value, writable bits, description).
// `writable`: bits a write can change; a ReadWrite CSR with 0 accepts writes and ignores them (WARL).
#define AIMC_RV32_CSRS(X)                                                                                        \
    X(mstatus, 0x300, ReadWrite, Value, 0x00001800, 0x00000088,                                                  \
      "MIE (bit 3) and MPIE (bit 7) writable; MPP (12:11) reads 3 (M-mode only); other bits 0")                  \
    X(misa, 0x301, ReadWrite, Value, 0x40001105, 0x00000000,                                                     \
      "RV32 + A, C, I, M (no U: M-mode only); writes ignored (WARL)")                                            \
    X(mie, 0x304, ReadWrite, Value, 0x00000000, 0x00000888, "MSIE/MTIE/MEIE (bits 3, 7, 11) writable")           \
    X(mtvec, 0x305, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                    \
      "mode (1:0) 0 direct, 1 vectored; a write with mode >= 2 is ignored (as QEMU does)")                       \
    X(mscratch, 0x340, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "scratch word for trap handlers")              \
    X(mepc, 0x341, ReadWrite, Value, 0x00000000, 0xFFFFFFFE, "pc of the trapped instruction; bit 0 forced to 0") \
    X(mcause, 0x342, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "trap cause; bit 31 set for interrupts")         \
    X(mtval, 0x343, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "faulting address or instruction bits")           \
    X(mip, 0x344, ReadWrite, IrqLines, 0x00000000, 0x00000000,                                                   \
      "MSIP/MTIP/MEIP mirror the interrupt lines (`set_irq_lines`); writes are legal and ignored")               \
    X(pmpcfg0, 0x3A0, ReadWrite, Value, 0x00000000, 0x9F9F9F9F,                                                  \
      "PMP entries 0..3 config, one byte each: L (7), A (4:3), X W R (2:0); WARL, see the PMP section")          \
    X(pmpcfg1, 0x3A1, ReadWrite, Value, 0x00000000, 0x9F9F9F9F,                                                  \
      "PMP entries 4..7 config, one byte each: L (7), A (4:3), X W R (2:0); WARL, see the PMP section")          \
    X(pmpcfg2, 0x3A2, ReadWrite, Value, 0x00000000, 0x9F9F9F9F,                                                  \
      "PMP entries 8..11 config, one byte each: L (7), A (4:3), X W R (2:0); WARL, see the PMP section")         \
    X(pmpcfg3, 0x3A3, ReadWrite, Value, 0x00000000, 0x9F9F9F9F,                                                  \
      "PMP entries 12..15 config, one byte each: L (7), A (4:3), X W R (2:0); WARL, see the PMP section")        \
    X(pmpaddr0, 0x3B0, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 0 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr1, 0x3B1, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 1 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr2, 0x3B2, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 2 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr3, 0x3B3, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 3 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr4, 0x3B4, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 4 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr5, 0x3B5, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 5 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr6, 0x3B6, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 6 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr7, 0x3B7, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 7 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr8, 0x3B8, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 8 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr9, 0x3B9, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                 \
      "PMP entry 9 address, bits 33:2; WARL, see the PMP section")                                               \
    X(pmpaddr10, 0x3BA, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 10 address, bits 33:2; WARL, see the PMP section")                                              \
    X(pmpaddr11, 0x3BB, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 11 address, bits 33:2; WARL, see the PMP section")                                              \
    X(pmpaddr12, 0x3BC, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 12 address, bits 33:2; WARL, see the PMP section")                                              \
    X(pmpaddr13, 0x3BD, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 13 address, bits 33:2; WARL, see the PMP section")                                              \
    X(pmpaddr14, 0x3BE, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 14 address, bits 33:2; WARL, see the PMP section")                                              \
    X(pmpaddr15, 0x3BF, ReadWrite, Value, 0x00000000, 0xFFFFFFFF,                                                \
      "PMP entry 15 address, bits 33:2; WARL, see the PMP section")                                              \
    X(mcycle, 0xB00, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "cycles charged (see Timing), bits 31:0")        \
    X(minstret, 0xB02, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "instructions retired, bits 31:0")             \
    X(mcycleh, 0xB80, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "cycles charged, bits 63:32")                   \
    X(minstreth, 0xB82, ReadWrite, Value, 0x00000000, 0xFFFFFFFF, "instructions retired, bits 63:32")           \
    X(cycle, 0xC00, ReadOnly, Value, 0x00000000, 0x00000000, "alias of mcycle")                                 \
    X(time, 0xC01, ReadOnly, Mtime, 0x00000000, 0x00000000, "platform timer (`CoreBus::mtime()`), bits 31:0")   \
    X(instret, 0xC02, ReadOnly, Value, 0x00000000, 0x00000000, "alias of minstret")                             \
    X(cycleh, 0xC80, ReadOnly, Value, 0x00000000, 0x00000000, "alias of mcycleh")                               \
    X(timeh, 0xC81, ReadOnly, Mtime, 0x00000000, 0x00000000, "platform timer, bits 63:32")                      \
    X(instreth, 0xC82, ReadOnly, Value, 0x00000000, 0x00000000, "alias of minstreth")                           \
    X(mvendorid, 0xF11, ReadOnly, Value, 0x00000000, 0x00000000, "no JEDEC vendor id: 0")                       \
    X(marchid, 0xF12, ReadOnly, Value, 0x00000000, 0x00000000, "no registered architecture id: 0")              \
    X(mimpid, 0xF13, ReadOnly, Value, 0x00000000, 0x00000000, "no implementation version: 0")                   \
    X(mhartid, 0xF14, ReadOnly, HartId, 0x00000000, 0x00000000, "this hart's id (`Config::hart_id`)")

// mip/mie bits: the interrupt lines of the hart (software, timer, external).
constexpr uint32_t kMsip = 1u << 3, kMtip = 1u << 7, kMeip = 1u << 11;

// Machine-mode CSR numbers (csr::mstatus, ...), for code that names a CSR.
namespace csr {
#define AIMC_RV32_CSR_NUMBER(name, number, ...) constexpr uint16_t name = number;
AIMC_RV32_CSRS(AIMC_RV32_CSR_NUMBER)
#undef AIMC_RV32_CSR_NUMBER
}  // namespace csr

// The implemented CSRs; the value is the CSR number.
enum class Csr : uint16_t {
#define AIMC_RV32_CSR_ENUM(name, number, ...) name = number,
    AIMC_RV32_CSRS(AIMC_RV32_CSR_ENUM)
#undef AIMC_RV32_CSR_ENUM
};

struct CsrDef {
    Csr id;
    const char* name;
    CsrAccess access;
    CsrReset reset;
    uint32_t reset_value;  // for CsrReset::Value
    uint32_t writable;     // bits a write can change (0 for read-only CSRs)
    const char* description;

    constexpr uint16_t number() const { return static_cast<uint16_t>(id); }
};

inline constexpr CsrDef kCsrTable[] = {
#define AIMC_RV32_CSR_ROW(name, number, access, reset, reset_value, writable, description) \
    {Csr::name, #name, CsrAccess::access, CsrReset::reset, reset_value, writable, description},
    AIMC_RV32_CSRS(AIMC_RV32_CSR_ROW)
#undef AIMC_RV32_CSR_ROW
};
inline constexpr size_t kNumCsrs = sizeof(kCsrTable) / sizeof(kCsrTable[0]);

// The row of an implemented CSR, known at compile time (e.g. csr_def(Csr::mie).writable).
constexpr const CsrDef& csr_def(Csr id) {
    size_t i = 0;
    while (kCsrTable[i].id != id) ++i;  // every Csr has a row: the enum is made from the table
    return kCsrTable[i];
}

// The row of CSR `number`, or nullptr if the hart does not implement it. Constant time.
const CsrDef* find_csr(uint32_t number);
// The row of the CSR called `name` ("mstatus"), or nullptr.
const CsrDef* find_csr(std::string_view name);

}  // namespace aimc::host
