// The host CPU: a thin SystemC wrapper around the plain-C++ RV32 interpreter (rv32_core.h).
//
// Loosely timed with temporal decoupling: the interpreter runs ahead of SystemC time for up to one
// quantum through RAM-only code (DMI), then the wrapper waits for the time it used. A device access
// or a read of `time` first catches SystemC time up with the core (so results do not depend on the
// quantum); interrupt lines are sampled then and between quanta, and a store to a device ends the
// quantum early, so an interrupt that store raises is seen at once.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/energy_ledger.h"
#include "common/params.h"
#include "common/sim_control.h"
#include "common/vcd_tracer.h"
#include "host/rv32_core.h"

namespace aimc::host {

struct CycleParams {
    CycleTable table;

    void describe(ParamVisitor& v) {
        v.param("alu", table.alu, "cycles", "Integer ALU, lui, auipc", 1, 1000);
        v.param("load", table.load, "cycles", "Load", 1, 1000);
        v.param("store", table.store, "cycles", "Store", 1, 1000);
        v.param("branch_taken", table.branch_taken, "cycles", "Conditional branch, taken", 1, 1000);
        v.param("branch_not_taken", table.branch_not_taken, "cycles", "Conditional branch, not taken", 1, 1000);
        v.param("jump", table.jump, "cycles", "jal, jalr", 1, 1000);
        v.param("mul", table.mul, "cycles", "mul, mulh*", 1, 1000);
        v.param("div", table.div, "cycles", "div, divu, rem, remu", 1, 1000);
        v.param("csr", table.csr, "cycles", "CSR access", 1, 1000);
        v.param("amo", table.amo, "cycles", "lr, sc, amo*", 1, 1000);
        v.param("system", table.system, "cycles", "ecall, ebreak, mret, wfi, fence, fence.i", 1, 1000);
        v.param("trap", table.trap, "cycles", "Extra cycles to take a trap or interrupt", 0, 1000);
        v.param("misaligned", table.misaligned, "cycles",
                "Extra cycles of a misaligned load/store performed (cpu.misaligned = emulate)", 0, 1000);
    }
};

struct CpuParams {
    double clock_hz = 1e9;
    double quantum = 1e-6;  // how far the interpreter may run ahead of SystemC time
    double energy_per_instruction = 20e-12;  // *assumed*: a small in-order rv32 core in 14 nm
    std::string misaligned = "trap";  // "trap" or "emulate" (docs/models/cpu.md says why trap)
    uint32_t pmp_entries = 16;        // RV32 PMP (docs/models/rv32_core.md)
    uint32_t pmp_granularity = 4;     // bytes, a power of two (checked when the CPU is built)
    CycleParams cycles;

    void describe(ParamVisitor& v) {
        v.param("clock_hz", clock_hz, "Hz", "Core clock", 1e3, 100e9);
        v.param("quantum", quantum, "s", "Temporal-decoupling quantum: how far the core runs ahead of other blocks", 1e-12, 1);
        v.param("energy_per_instruction", energy_per_instruction, "J", "Energy per retired instruction (core + L1)", 0, 1e-6);
        v.choice("misaligned", misaligned, {"trap", "emulate"},
                 "Misaligned load/store: trap (cause 4/6) or emulate (performed, at cycles.misaligned extra)");
        v.param("pmp_entries", pmp_entries, "", "PMP entries implemented (pmpcfg/pmpaddr of the others read 0)", 0, 16);
        v.param("pmp_granularity", pmp_granularity, "bytes", "PMP grain: smallest region a PMP entry protects (a power of two)",
                4, 2048.0 * 1048576);
        v.group("cycles", cycles, "Cycles per instruction class");
    }
};

// A debugger attached to the CPU (the gdb stub). Called from the CPU's thread; while a call blocks,
// simulated time stands still.
class CpuDebugger {
public:
    // Fault: a trap with no handler (core().fatal_trap()); Deadlock: the core sleeps in wfi and
    // nothing is left that could wake it. Both end the run once on_stop returns.
    enum class Event { Attach, Breakpoint, Watchpoint, Step, Interrupted, Fault, Deadlock };
    virtual ~CpuDebugger() = default;
    // The core has stopped at an instruction boundary; return when it may go on. The debugger
    // arms breakpoints, watchpoints and single-step on the core before returning.
    virtual void on_stop(Event why) = 0;
    // Polled once per quantum (and now and then while the core sleeps in wfi): true asks the core
    // to stop (Ctrl-C from gdb).
    virtual bool poll_interrupt() = 0;
    // The run has ended (exit code or aimc-vp's own status); the debugger can tell its client.
    // Called by the CPU's thread, or by whoever ends the simulation from outside; once is enough.
    virtual void on_finish(int exit_code) = 0;
};

class Cpu : public sc_core::sc_module, private CoreBus {
public:
    tlm_utils::simple_initiator_socket<Cpu> socket;
    sc_core::sc_in<bool> msip, mtip, meip;

    Cpu(sc_core::sc_module_name name, const CpuParams& params, SimControl& control, EnergyLedger& ledger);

    Rv32Core& core() { return core_; }
    // Before sc_start: records `state` (running / asleep in wfi) into the platform's trace.
    void trace_to(VcdTracer& vcd);

    // Set-up by the platform before simulation starts.
    void add_dmi_window(uint64_t base) { dmi_windows_.push_back(base); }
    void set_time_source(std::function<uint64_t(const sc_core::sc_time&)> mtime_at) { mtime_at_ = std::move(mtime_at); }
    void set_htif(uint32_t tohost, std::optional<uint32_t> fromhost) { tohost_ = tohost; fromhost_ = fromhost; }
    void set_symbolizer(std::function<std::string(uint32_t)> symbolize) { symbolize_ = std::move(symbolize); }
    // Attach a debugger before the simulation starts: it gets control before the first instruction.
    void set_debugger(CpuDebugger* debugger) { debugger_ = debugger; }
    // Where the host stands now, for reports after a run stops:
    // "pc 0x80000010 <main+0x10>: 0x00a00513 addi a0, zero, 10; last pcs: 0x80000004 <main+0x4> ...".
    std::string where();
    std::string describe_pc(uint32_t pc) const;
    // The unhandled trap that ended (or is about to end) the run, in one line.
    std::string fatal_trap_message();
    // --trace-instructions: one line per retired instruction whose pc is in [lo, hi), in a format
    // whose pc column lines up with QEMU's `-d exec` (see docs/debugging.md). nullptr: off.
    void trace_instructions(std::FILE* out, uint32_t lo = 0, uint64_t hi = 1ull << 32);

    void flush_energy();  // post the energy of the instructions retired since the last flush
    double clock_hz() const { return params_.clock_hz; }

private:
    void thread();
    void sample_irq_lines();
    void map_dmi();
    void sleep_until_interrupt();
    void trace_state(unsigned state);
    void poll_htif();
    void report_fatal_trap();
    void debugger_stop(CpuDebugger::Event why);
    bool debug_fetch(uint32_t pc, uint32_t& insn);
    std::string pcs_text(const std::vector<uint32_t>& pcs) const;
    sc_core::sc_time local_offset() const;
    void sync_to_local_time();
    bool transport(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value);

    // CoreBus
    bool load(uint32_t addr, unsigned size, uint32_t& value) override;
    bool store(uint32_t addr, unsigned size, uint32_t value) override;
    uint64_t mtime() override;

    CpuParams params_;
    SimControl& control_;
    EnergyLedger& ledger_;
    EnergyLedger::Account energy_account_;
    Rv32Core core_;
    sc_core::sc_time period_;
    uint64_t quantum_cycles_;
    sc_core::sc_time device_delay_;  // device latency accumulated in the current quantum
    bool sync_requested_ = false;
    bool in_run_ = false;  // inside core_.run(): the core may be ahead of SystemC time
    uint64_t energy_flushed_instret_ = 0;
    std::vector<uint64_t> dmi_windows_;
    std::function<uint64_t(const sc_core::sc_time&)> mtime_at_;
    std::optional<uint32_t> tohost_, fromhost_;
    std::function<std::string(uint32_t)> symbolize_;
    CpuDebugger* debugger_ = nullptr;
    // VCD: `state` is 1 while the core sleeps in wfi, 0 while it runs.
    static constexpr unsigned kRunning = 0, kAsleep = 1;
    VcdTracer* vcd_ = nullptr;
    int state_signal_ = -1;
    tlm::tlm_generic_payload tx_;  // reused: a payload per access would cost more than the access
};

}  // namespace aimc::host
