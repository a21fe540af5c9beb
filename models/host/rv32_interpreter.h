// The RV32 hart behind Rv32Core: its architectural and run state, and the interpreter that
// executes the decode cache's entries. Internal (rv32_core.h is the interface).
//
//  * Execution: direct-threaded dispatch (computed goto) inside one function, exec(); a block is
//    charged its cycles and instruction count on entry, so the per-instruction cost is just the
//    handler. Exact counters mid-block (traps, device accesses) are recovered from the suffix sums.
//    Taken branches chain straight into the next block while the budget allows it.
//  * A quantum that ends inside a block: run() patches the handler of the entry where it ends to a
//    "quantum stop" handler for the duration of the call, so the block still runs at full speed.
//  * A second instantiation of exec() executes exactly one instruction; it serves the debug
//    features (breakpoints, watchpoints, single-step) and the retire hook.
//
// The parts that are not on the hot path live beside it: the decode cache (rv32_decode_cache.h),
// the CSR file (rv32_csr_file.h), trap entry (rv32_traps.h) and the data-access slow paths with
// LR/SC and watchpoints (rv32_lsu.h).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "host/rv32_core.h"
#include "host/rv32_csr_file.h"
#include "host/rv32_decode_cache.h"

namespace aimc::host::rv32 {

struct Interpreter {
    enum class Exec { Continue, Trap, Fatal, Watch };

    Interpreter(const Rv32Core::Config& c, CoreBus& b);

    Rv32Core::Config cfg;
    CoreBus& bus;

    // ---- hot state ----
    uint32_t x[33] = {};  // x[32] is the sink for writes to x0
    uint32_t pc_ = 0;
    uint64_t ticks = 0;    // cycles charged since reset (whole current block included)
    uint64_t retired = 0;  // instructions retired since reset (whole current block included)
    uint64_t limit = 0;    // chaining limit of the fast loop; 0 when the outer loop must look
    uint32_t cost_taken = 0, cost_not_taken = 0, cost_jump = 0, cost_system = 0, cost_csr = 0,
             cost_trap = 0;
    DecodeCache cache;
    CsrFile csrs;

    // ---- run control ----
    uint64_t run_start = 0;
    bool events = false, stop_req = false, wfi_req = false;
    uint32_t mid_cyc = 0, mid_n = 0;  // not-yet-executed part of the block during a bus callback
    uint32_t trap_cause = 0, trap_tval = 0;  // pending exception reported by a slow helper
    bool resv_valid = false;  // LR/SC reservation
    uint32_t resv_addr = 0;
    Rv32Core::FatalTrap fatal;

    // ---- debug ----
    std::vector<uint32_t> breakpoints;
    // The pc of the last Breakpoint stop: the next run() starting there executes that instruction
    // instead of stopping again (how a debugger continues from a breakpoint).
    bool bp_resume = false;
    uint32_t bp_resume_pc = 0;
    struct Watch {
        uint32_t addr, len;
        Rv32Core::WatchKind kind;
    };
    std::vector<Watch> watches;
    bool single_step = false;
    bool watch_hit = false;
    uint32_t watch_addr = 0;
    std::function<void(const RetiredInsn&)> retire_hook;

    // Counters as they stand between two instructions (exact inside a block and during callbacks).
    uint64_t exact_ticks() const { return ticks - mid_cyc; }
    uint64_t exact_retired() const { return retired - mid_n; }
    CounterSnapshot counters() const { return {exact_ticks(), exact_retired()}; }

    // Leave the block right after the current (non-terminating) instruction.
    void exit_after(const Pos& p) {
        ticks -= p.cyc_next;
        retired -= p.n_next;
        cache.ring_trim(p.n_next);
        pc_ = p.pc + p.len;
    }

    // Execute a Zicsr instruction (a block terminator, charged on completion); false -> illegal.
    bool csr_insn(const Entry& e, uint32_t& out) {
        const isa::Op op = static_cast<isa::Op>(e.op);
        const bool imm_form = op == isa::Op::Csrrwi || op == isa::Op::Csrrsi || op == isa::Op::Csrrci;
        const uint32_t src = imm_form ? e.rs1 : x[e.rs1];
        // Before: the instruction is counted in `retired` already, its cycles are not yet charged.
        const CounterSnapshot before{exact_ticks(), exact_retired() - 1};
        const CounterSnapshot after{exact_ticks() + cost_csr, exact_retired()};
        return csrs.instruction(op, static_cast<uint32_t>(e.imm), src, e.rs1 == 0,
                                e.rd == kSink, before, after, out);
    }

    // The interpreter proper (rv32_interpreter.cpp). kSlow = false: run chained blocks until the
    // budget, an event or a non-chainable exit (e == nullptr: just publish the label table).
    // kSlow = true: execute exactly the instruction at e, with watchpoints and the retire hook.
    // Either way the caller charged nothing; exec charges the block (suffix) it enters.
    template <bool kSlow>
    Exec exec(const Entry* e, uint32_t pg_base, const Entry* pg_ents);

    StopReason run(uint64_t max_cycles);
    void reset();
};

}  // namespace aimc::host::rv32
