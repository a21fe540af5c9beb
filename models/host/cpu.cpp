#include "host/cpu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "common/log.h"
#include "common/vcd_tracer.h"
#include "host/rv32_isa.h"

namespace aimc::host {
namespace {

const char* cause_name(uint32_t cause) {
    static const char* names[] = {"instruction address misaligned", "instruction access fault", "illegal instruction",
                                  "breakpoint", "load address misaligned", "load access fault",
                                  "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
                                  "ecall from S-mode", "reserved", "ecall from M-mode"};
    return cause < 12 ? names[cause] : (cause & 0x80000000u) ? "interrupt" : "unknown cause";
}

// The core's configuration; rules a parameter's range cannot state are checked here.
Rv32Core::Config core_config(const CpuParams& params) {
    const uint32_t g = params.pmp_granularity;
    if (g < 4 || (g & (g - 1)) != 0)
        throw ConfigError(fmt::format("cpu.pmp_granularity = {} bytes: must be a power of two from 4 bytes", g));
    Rv32Core::Config c{0, 0x80000000, params.cycles.table, params.misaligned == "emulate"};
    c.pmp_entries = params.pmp_entries;
    c.pmp_granularity = g;
    return c;
}

}  // namespace

Cpu::Cpu(sc_core::sc_module_name name, const CpuParams& params, SimControl& control, EnergyLedger& ledger)
    : sc_module(name),
      socket("socket"),
      msip("msip"),
      mtip("mtip"),
      meip("meip"),
      params_(params),
      control_(control),
      ledger_(ledger),
      energy_account_(ledger.open(this->name(), "instruction")),
      core_(core_config(params), *this),
      period_(1.0 / params.clock_hz, sc_core::SC_SEC),
      quantum_cycles_(std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(params.quantum * params.clock_hz)))) {
    control_.on_finish([this] { core_.request_stop(); });
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(thread);
}

void Cpu::trace_to(VcdTracer& vcd) {
    vcd_ = &vcd;
    state_signal_ = vcd.add_integer(name(), "state", 1);
}

void Cpu::map_dmi() {
    for (const uint64_t base : dmi_windows_) {
        tlm::tlm_generic_payload tx;
        tlm::tlm_dmi dmi;
        tx.set_address(base);
        tx.set_command(tlm::TLM_READ_COMMAND);
        if (!socket->get_direct_mem_ptr(tx, dmi) || !dmi.is_read_write_allowed())
            throw std::runtime_error(fmt::format("{}: no direct memory access to {:#x}", name(), base));
        const uint64_t start = dmi.get_start_address(), end = dmi.get_end_address() + 1;
        auto add = [&](uint64_t lo, uint64_t hi) {
            if (hi > lo)
                core_.add_dmi(DmiRegion{dmi.get_dmi_ptr() + (lo - start), static_cast<uint32_t>(lo),
                                        static_cast<uint32_t>(hi - lo)});
        };
        // HTIF's tohost stays off DMI, so the store that completes a command is seen as it happens
        // (as QEMU does), not at the end of the quantum.
        if (tohost_ && *tohost_ >= start && *tohost_ + 8 <= end) {
            add(start, *tohost_);
            add(*tohost_ + 8, end);
        } else {
            add(start, end);
        }
    }
}

sc_core::sc_time Cpu::local_offset() const { return period_ * static_cast<double>(core_.cycles_in_run()) + device_delay_; }

// A synchronisation point inside a quantum (a device access, a read of the timer): SystemC time
// catches up with the core first, so the device sees every other block as it is at this instant
// and interrupts raised until now are taken at the next instruction boundary. What the firmware
// computes then does not depend on the quantum; only RAM-only code runs ahead of the others.
void Cpu::sync_to_local_time() {
    if (!in_run_) return;
    const sc_core::sc_time offset = local_offset();
    if (offset == sc_core::SC_ZERO_TIME) return;
    flush_energy();
    wait(offset);
    core_.restart_run_clock();
    device_delay_ = sc_core::SC_ZERO_TIME;
    sample_irq_lines();
}

void Cpu::sample_irq_lines() {
    core_.set_irq_lines(kMsip, msip.read());
    core_.set_irq_lines(kMtip, mtip.read());
    core_.set_irq_lines(kMeip, meip.read());
}

void Cpu::thread() {
    map_dmi();
    trace_state(kRunning);
    if (debugger_) debugger_stop(CpuDebugger::Event::Attach);
    while (!control_.finished()) {
        sample_irq_lines();
        sync_requested_ = false;
        device_delay_ = sc_core::SC_ZERO_TIME;
        in_run_ = true;
        const StopReason why = core_.run(quantum_cycles_);
        in_run_ = false;
        const sc_core::sc_time used = local_offset();
        flush_energy();
        if (control_.finished()) break;
        if (why == StopReason::Requested && core_.fatal_trap().happened) {
            if (debugger_) debugger_stop(CpuDebugger::Event::Fault);  // inspect it before the run ends
            report_fatal_trap();
            break;
        }
        wait(used);  // the quantum keeper's sync: other blocks catch up to the core
        if (debugger_) {
            if (why == StopReason::Breakpoint) debugger_stop(CpuDebugger::Event::Breakpoint);
            else if (why == StopReason::Watchpoint) debugger_stop(CpuDebugger::Event::Watchpoint);
            else if (why == StopReason::Step) debugger_stop(CpuDebugger::Event::Step);
            else if (debugger_->poll_interrupt()) debugger_stop(CpuDebugger::Event::Interrupted);
        }
        if (why == StopReason::Wfi && !control_.finished()) {
            sleep_until_interrupt();
            trace_state(kRunning);
        }
    }
    if (debugger_) debugger_->on_finish(control_.exit_code());
}

void Cpu::debugger_stop(CpuDebugger::Event why) { debugger_->on_stop(why); }

void Cpu::trace_state(unsigned state) {
    if (vcd_) vcd_->record(state_signal_, state, sc_core::sc_time_stamp());
}

void Cpu::sleep_until_interrupt() {
    // Idle in simulated time: nothing runs on the host until an interrupt line changes.
    const sc_core::sc_event_or_list irq_changed =
        msip.value_changed_event() | mtip.value_changed_event() | meip.value_changed_event();
    sample_irq_lines();
    if (!core_.wakeup_pending()) trace_state(kAsleep);
    while (!core_.wakeup_pending() && !control_.finished()) {
        if (!debugger_) {
            wait(irq_changed);
            sample_irq_lines();
            continue;
        }
        // With a debugger: wake up now and then to see a Ctrl-C, and stop at a deadlock (which
        // would otherwise just end the run) so that it can be inspected.
        static const sc_core::sc_time kDebuggerPoll(100, sc_core::SC_US);
        wait(kDebuggerPoll, irq_changed);
        sample_irq_lines();
        if (core_.wakeup_pending()) break;
        if (debugger_->poll_interrupt()) {
            debugger_stop(CpuDebugger::Event::Interrupted);
            return;  // the debugger may have changed the pc: run again (a wfi comes back here)
        }
        if (!sc_core::sc_pending_activity()) {
            debugger_stop(CpuDebugger::Event::Deadlock);
            if (!sc_core::sc_pending_activity() && !core_.wakeup_pending())
                control_.finish(SimControl::Reason::Deadlock, SimControl::kExitDeadlock,
                                fmt::format("deadlock: the firmware waits (wfi) for an interrupt that nothing will "
                                            "raise; the host was at {}", where()));
            return;
        }
    }
}

void Cpu::flush_energy() {
    const uint64_t retired = core_.instret();
    if (retired == energy_flushed_instret_) return;
    const uint64_t n = retired - energy_flushed_instret_;
    ledger_.add(energy_account_, params_.energy_per_instruction * static_cast<double>(n), 0.0, n);
    energy_flushed_instret_ = retired;
}

void Cpu::poll_htif() {
    // riscv-tests / spike convention: the firmware writes a 64-bit command to `tohost`.
    uint8_t buf[8] = {};
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(*tohost_);
    tx.set_data_ptr(buf);
    tx.set_data_length(8);
    tx.set_streaming_width(8);
    if (socket->transport_dbg(tx) != 8) return;
    uint64_t value = 0;
    std::memcpy(&value, buf, 8);
    if (value == 0) return;
    const unsigned device = static_cast<unsigned>(value >> 56), command = static_cast<unsigned>((value >> 48) & 0xFF);
    if (device == 0 && (value & 1)) {
        const int code = static_cast<int>((value >> 1) & 0x7FFFFFFF);
        control_.finish(SimControl::Reason::Exit, code, fmt::format("firmware exited through tohost with code {}", code));
        return;
    }
    if (device == 1 && command == 1) {  // console putchar
        std::fputc(static_cast<int>(value & 0xFF), stdout);
    } else {
        log::warn(name(), "unsupported HTIF request {:#018x} (device {}, command {}) ignored", value, device, command);
    }
    // Acknowledge: clear tohost, and tell fromhost the request is done.
    std::memset(buf, 0, 8);
    tx.set_command(tlm::TLM_WRITE_COMMAND);
    socket->transport_dbg(tx);
    if (fromhost_) {
        const uint64_t ack = (value >> 48) << 48 | 1;
        std::memcpy(buf, &ack, 8);
        tx.set_address(*fromhost_);
        socket->transport_dbg(tx);
    }
}

std::string Cpu::describe_pc(uint32_t pc) const {
    const std::string sym = symbolize_ ? symbolize_(pc) : "";
    return sym.empty() ? fmt::format("pc {:#010x}", pc) : fmt::format("pc {:#010x} <{}>", pc, sym);
}

bool Cpu::debug_fetch(uint32_t pc, uint32_t& insn) {
    uint16_t half[2] = {};
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(pc);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(half));
    tx.set_data_length(2);
    tx.set_streaming_width(2);
    if (socket->transport_dbg(tx) != 2) return false;
    insn = half[0];
    if ((half[0] & 3) != 3) return true;  // compressed
    tx.set_address(pc + 2);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(&half[1]));
    if (socket->transport_dbg(tx) != 2) return false;
    insn |= static_cast<uint32_t>(half[1]) << 16;
    return true;
}

// " 0x80000100 <delay+0x4> 0x80000104 0x80000010 <main+0x10> 0x80000056 <main+0x56> (x12)": a symbol
// where the function changes, and a count for a pc repeated in a row (a jump to itself).
std::string Cpu::pcs_text(const std::vector<uint32_t>& pcs) const {
    std::string out, last_function;
    for (size_t i = 0; i < pcs.size();) {
        size_t n = 1;
        while (i + n < pcs.size() && pcs[i + n] == pcs[i]) ++n;
        const std::string sym = symbolize_ ? symbolize_(pcs[i]) : "";
        const std::string function = sym.substr(0, sym.find('+'));
        out += fmt::format(" {:#x}", pcs[i]);
        if (!sym.empty() && function != last_function) out += " <" + sym + ">";
        if (n > 1) out += fmt::format(" (x{})", n);
        last_function = function;
        i += n;
    }
    return out;
}

std::string Cpu::where() {
    const uint32_t pc = core_.pc();
    uint32_t insn = 0;
    const std::string at = debug_fetch(pc, insn)
                               ? fmt::format("{}: {:#0{}x} {}", describe_pc(pc), insn, (insn & 3) == 3 ? 10 : 6,
                                             Rv32Core::disassemble(insn, pc))
                               : fmt::format("{} (nothing to fetch there)", describe_pc(pc));
    return fmt::format("{}; last pcs:{}", at, pcs_text(core_.recent_pcs()));
}

std::string Cpu::fatal_trap_message() {
    const auto& t = core_.fatal_trap();
    uint32_t mtvec = 0;
    core_.read_csr(csr::mtvec, mtvec);
    std::string what;
    if (t.cause == 1) {
        // A fetch from an address with no memory: there is no instruction to show; the last pcs
        // say where the jump came from.
        const auto pcs = core_.recent_pcs();
        what = fmt::format("unhandled trap: {} (mcause {}): fetch from {:#x}, where nothing executable is mapped{}",
                           cause_name(t.cause), t.cause, t.pc,
                           pcs.empty() ? "" : ", after " + describe_pc(pcs.back()));
    } else {
        what = fmt::format("unhandled trap: {} (mcause {}) at {}: instruction {:#0{}x} ({}), mtval {:#x}",
                           cause_name(t.cause), t.cause, describe_pc(t.pc), t.insn, (t.insn & 3) == 3 ? 10 : 6,
                           Rv32Core::disassemble(t.insn, t.pc), t.tval);
    }
    return fmt::format("{}; the trap vector mtvec = {:#x} cannot be fetched; last pcs:{}", what, mtvec,
                       pcs_text(core_.recent_pcs()));
}

void Cpu::report_fatal_trap() {
    control_.finish(SimControl::Reason::FatalTrap, SimControl::kExitFatalTrap, fatal_trap_message());
}

void Cpu::trace_instructions(std::FILE* out, uint32_t lo, uint64_t hi) {
    if (!out) {
        core_.set_retire_hook(nullptr);
        return;
    }
    core_.set_retire_hook([this, out, lo, hi](const RetiredInsn& r) {
        if (r.pc < lo || r.pc >= hi) return;
        // "Trace 0: <pc> [00000000/<pc>/00000000/00000000] <function>" as QEMU 7.2 prints it for
        // `-d exec,nochain -singlestep` (where the first number is a host address), then ours.
        std::string function = symbolize_ ? symbolize_(r.pc) : "";
        function.resize(std::min(function.size(), function.find('+')));
        const std::string raw = r.length == 2 ? fmt::format("    {:04x}", r.insn & 0xFFFF) : fmt::format("{:08x}", r.insn);
        std::string line = fmt::format("Trace 0: {:#010x} [00000000/{:08x}/00000000/00000000] {} | {} | {}", r.pc,
                                       r.pc, function, raw, Rv32Core::disassemble(r.insn, r.pc));
        if (r.rd > 0) line += fmt::format(" | {}={:#x}", isa::reg_name(static_cast<unsigned>(r.rd)), r.rd_value);
        line += '\n';
        std::fwrite(line.data(), 1, line.size(), out);
    });
}

bool Cpu::transport(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value) {
    const bool is_tohost = tohost_ && addr - *tohost_ < 8;  // tohost is RAM, not a device
    if (!is_tohost) sync_to_local_time();
    tx_.set_command(cmd);
    tx_.set_address(addr);
    tx_.set_data_ptr(reinterpret_cast<unsigned char*>(&value));
    tx_.set_data_length(size);
    tx_.set_streaming_width(size);
    tx_.set_byte_enable_ptr(nullptr);
    tx_.set_dmi_allowed(false);
    tx_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = local_offset();
    const sc_core::sc_time before = delay;
    socket->b_transport(tx_, delay);
    device_delay_ += delay - before;
    return tx_.is_response_ok();
}

bool Cpu::load(uint32_t addr, unsigned size, uint32_t& value) {
    flush_energy();  // the energy counter in the syscon must include this core's instructions so far
    value = 0;
    return transport(tlm::TLM_READ_COMMAND, addr, size, value);
}

bool Cpu::store(uint32_t addr, unsigned size, uint32_t value) {
    if (!transport(tlm::TLM_WRITE_COMMAND, addr, size, value)) return false;
    if (tohost_ && addr - *tohost_ < 8) {
        // tohost is RAM, not a device: no sync. Only a store to its upper word completes a command
        // (the HTIF contract, QEMU's rule): after the lower word alone the request is half-written.
        if (addr <= *tohost_ + 4 && *tohost_ + 4 < uint64_t{addr} + size) poll_htif();
        return true;
    }
    // End the quantum: a device write may raise an interrupt the next instruction must see.
    sync_requested_ = true;
    core_.request_stop();
    return true;
}

uint64_t Cpu::mtime() {
    sync_to_local_time();  // a timeout loop reading `time` sees interrupts and devices on time
    return mtime_at_ ? mtime_at_(sc_core::sc_time_stamp() + local_offset()) : 0;
}

}  // namespace aimc::host
