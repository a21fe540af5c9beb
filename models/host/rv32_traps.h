// Trap handling of the RV32 hart: exception and interrupt entry, interrupt priority, and the
// fatal-trap rule (a trap whose handler cannot be fetched stops the run). Internal.
#pragma once

#include <cstdint>

#include "host/rv32_decode_cache.h"

namespace aimc::host::rv32 {

struct Interpreter;

// mcause exception codes (privileged spec, table 3.6).
enum TrapCause : uint32_t {
    kInsnMisaligned = 0,
    kInsnAccessFault = 1,
    kIllegalInsn = 2,
    kBreakpoint = 3,
    kLoadMisaligned = 4,
    kLoadAccessFault = 5,
    kStoreMisaligned = 6,  // store or AMO
    kStoreAccessFault = 7,
    kEcallM = 11,
};
constexpr uint32_t kInterruptBit = 0x80000000u;  // mcause bit 31: an interrupt

// mcause code of the interrupt taken among `pending` (mip & mie, not 0): MEI > MSI > MTI.
uint32_t interrupt_code(uint32_t pending);

// Enter the trap handler: mepc, mcause, mtval, mstatus, the reservation, pc, the trap's cycles.
// False (and nothing changed but Interpreter::fatal and pc = epc) if the vector cannot be fetched.
bool take_trap(Interpreter& h, uint32_t cause, uint32_t tval, uint32_t epc);

// A mid-block instruction at `p` raised an exception: un-charge it and the rest of its block,
// charge its own class, and take the trap (false if fatal).
bool raise_exception(Interpreter& h, const Pos& p, uint32_t cause, uint32_t tval);

// Take the highest-priority pending and enabled interrupt at pc (false if fatal).
bool take_interrupt(Interpreter& h);

}  // namespace aimc::host::rv32
