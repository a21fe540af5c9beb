// The RV32 hart's load/store unit off the fast path: misaligned accesses, other DMI regions than
// the most recent one, stores into pages holding decoded code or the LR/SC reservation, the bus,
// LR/SC and AMOs, and watchpoints. Internal.
//
// The interpreter's handlers do aligned loads and stores within the most recent DMI region
// themselves (rv32_interpreter.cpp); everything else comes here.
#pragma once

#include <cstdint>

#include "host/rv32_core.h"
#include "host/rv32_decode_cache.h"
#include "host/rv32_isa.h"

namespace aimc::host::rv32 {

struct Interpreter;

// Outcome of a slow access: done; done but the block must be left after the instruction (an event
// arrived during a bus callback, or the store hit decoded code); or an exception, whose cause and
// tval are in Interpreter::trap_cause / trap_tval.
enum MemStatus { kMemOk = 0, kMemBreak = 1, kMemTrap = 2 };

// Load/store of n = 1, 2 or 4 bytes at `a` by the instruction at `p` (zero-extended load value).
int load_slow(Interpreter& h, uint32_t a, unsigned n, uint32_t& v, const Pos& p);
int store_slow(Interpreter& h, uint32_t a, unsigned n, uint32_t v, const Pos& p);
// lr.w, sc.w and the AMOs; `out` is what the instruction writes to rd.
int atomic(Interpreter& h, isa::Op op, uint32_t a, uint32_t src, const Pos& p, uint32_t& out);

// After reset, a new DMI region or a write that changed the PMP's rules (CsrFile::pmp_dirty): while
// a locked entry is on, every load and store leaves the fast path to be checked, and fetches are
// checked as instructions are decoded (so decoded code is dropped); otherwise both fast paths stay.
void pmp_apply(Interpreter& h);

// Drop the LR/SC reservation.
void resv_clear(Interpreter& h);
// Record a watchpoint hit if an n-byte access of kind k at a touches one.
void watch_check(Interpreter& h, uint32_t a, unsigned n, Rv32Core::WatchKind k);

}  // namespace aimc::host::rv32
