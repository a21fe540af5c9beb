// RV32IMAC + Zicsr + Zifencei hart, M-mode only: a plain C++ interpreter with no SystemC in it.
// Its parts: rv32_interpreter (state, threaded dispatch), rv32_decode_cache, rv32_csr_file with
// rv32_csr_table, rv32_traps, rv32_lsu, and rv32_isa (instruction table, decoder, disassembler).
//
// The SystemC wrapper (cpu.h) owns one of these, hands it a CoreBus for everything outside DMI
// memory, and calls run() once per quantum. Tests drive it directly with a flat memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/rv32_csr_table.h"  // csr:: numbers, mip/mie bits

namespace aimc::host {

namespace rv32 {
struct Interpreter;
}

// What the core needs from the outside world for accesses that are not served by a DMI region.
// Implemented by the SystemC wrapper (TLM b_transport) and by unit tests.
class CoreBus {
public:
    virtual ~CoreBus() = default;
    // size is 1, 2 or 4; addr is naturally aligned. Return false on a bus error (-> access fault).
    virtual bool load(uint32_t addr, unsigned size, uint32_t& value) = 0;
    virtual bool store(uint32_t addr, unsigned size, uint32_t value) = 0;
    // Current value of the platform timer (CLINT mtime), read through the `time` CSRs.
    virtual uint64_t mtime() = 0;
};

// A host memory window the core may read, write and execute directly (RAM).
struct DmiRegion {
    uint8_t* ptr = nullptr;  // host pointer to byte `base`
    uint32_t base = 0;
    uint32_t size = 0;
};

// Cycles charged per instruction class at the core clock; a platform parameter table.
struct CycleTable {
    uint32_t alu = 1;          // integer register/immediate ops, lui, auipc
    uint32_t load = 2;
    uint32_t store = 1;
    uint32_t branch_taken = 3;
    uint32_t branch_not_taken = 1;
    uint32_t jump = 2;         // jal, jalr
    uint32_t mul = 3;
    uint32_t div = 34;
    uint32_t csr = 1;
    uint32_t amo = 4;          // lr/sc/amo*
    uint32_t system = 3;       // ecall, ebreak, mret, wfi, fence, fence.i
    uint32_t trap = 5;         // extra cycles when a trap or interrupt is taken
    uint32_t misaligned = 4;   // extra cycles of a misaligned load/store performed (Config::emulate_misaligned)
};

// Why run() returned.
enum class StopReason {
    Budget,       // the cycle budget is used up
    Wfi,          // wfi with no enabled interrupt pending: sleep until one arrives
    Requested,    // request_stop() was called (e.g. the firmware wrote the exit register)
    Breakpoint,   // pc hit a debug breakpoint (before executing it); the next run() from there executes it
    Watchpoint,   // a load/store touched a debug watchpoint (after the access)
    Step,         // single-step mode: one instruction done
};

// One executed instruction, for tracing (--trace-instructions) and the recent-pc history.
struct RetiredInsn {
    uint32_t pc;
    uint32_t insn;       // raw encoding (16-bit forms zero-extended)
    uint8_t length;      // 2 or 4
    int8_t rd;           // written register, -1 if none (x0 writes count as none)
    uint32_t rd_value;
};

class Rv32Core {
public:
    struct Config {
        uint32_t hart_id = 0;
        uint32_t reset_pc = 0x80000000;
        CycleTable cycles{};
        // false: a misaligned load/store traps (cause 4/6, mtval = address); true: it is performed
        // byte by byte at cycles.misaligned extra cycles. lr/sc/AMOs always trap when misaligned.
        bool emulate_misaligned = false;
        // Physical memory protection: implemented entries (0..16; pmpcfg/pmpaddr of the others read
        // 0) and the grain in bytes (a power of two >= 4). See rv32_pmp.h.
        unsigned pmp_entries = 16;
        uint32_t pmp_granularity = 4;
    };

    Rv32Core(const Config& config, CoreBus& bus);
    ~Rv32Core();
    Rv32Core(const Rv32Core&) = delete;
    Rv32Core& operator=(const Rv32Core&) = delete;

    // Memory the core may touch directly; code can only be fetched from these.
    void add_dmi(const DmiRegion& region);

    void reset();  // registers to 0, pc to reset_pc, CSRs to their reset values

    // Execute until at least `max_cycles` cycles have been charged or a stop reason occurs.
    StopReason run(uint64_t max_cycles);
    // Cycles charged by the last (or the current) run() call so far; valid inside CoreBus callbacks,
    // so the wrapper can annotate device accesses with the time already spent in this quantum.
    uint64_t cycles_in_run() const;
    // From a CoreBus callback, after the wrapper caught SystemC time up with the core: cycles_in_run()
    // counts from here (the run still ends at the budget it was given).
    void restart_run_clock();

    // Level-sensitive interrupt lines (kMsip, kMtip, kMeip) driven by CLINT/PLIC.
    void set_irq_lines(uint32_t mask, bool level);
    // True if an interrupt is pending and enabled in mie (what ends a wfi, whatever mstatus.MIE says).
    bool wakeup_pending() const;
    // Ask run() to return at the next instruction boundary with StopReason::Requested.
    void request_stop();

    // Another agent (DMA, debugger, loader) wrote memory: drop decoded instructions in that range.
    void invalidate_code(uint32_t addr, uint32_t len);

    // Architectural state, for the loader, the debugger and tests.
    uint32_t pc() const;
    void set_pc(uint32_t pc);
    uint32_t reg(unsigned index) const;
    void set_reg(unsigned index, uint32_t value);
    // Debugger/test access to any implemented CSR; returns false if it does not exist.
    bool read_csr(uint16_t number, uint32_t& value) const;
    bool write_csr(uint16_t number, uint32_t value);
    uint64_t instret() const;
    uint64_t cycles() const;

    // Debug support (used by the gdb stub).
    void set_breakpoint(uint32_t addr, bool on);
    enum class WatchKind { Read = 1, Write = 2, Access = 3 };
    void set_watchpoint(uint32_t addr, uint32_t len, WatchKind kind, bool on);
    // After StopReason::Watchpoint: the address that triggered it.
    uint32_t watch_hit_address() const;
    void set_single_step(bool on);

    // Called for each retired instruction when set (slow path; tracing only).
    void set_retire_hook(std::function<void(const RetiredInsn&)> hook);
    // The last executed pcs, oldest first (kept cheaply at all times, for fault reports).
    std::vector<uint32_t> recent_pcs() const;

    // A trap whose handler cannot run (fetching the instruction at the trap vector faults, e.g.
    // mtvec = 0 with nothing mapped there) stops the run with StopReason::Requested and records
    // the original trap here, so a firmware without a handler is reported instead of looping.
    struct FatalTrap {
        bool happened = false;
        uint32_t cause = 0, pc = 0, tval = 0, insn = 0;
    };
    const FatalTrap& fatal_trap() const;

    // Disassemble one instruction (mnemonic and operands, QEMU/objdump style).
    static std::string disassemble(uint32_t insn, uint32_t pc);

private:
    std::unique_ptr<rv32::Interpreter> impl_;  // rv32_interpreter.h
};

}  // namespace aimc::host
