#include "host/cpu.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "common/log.h"

namespace aimc::host {
namespace {

const char* cause_name(uint32_t cause) {
    static const char* names[] = {"instruction address misaligned", "instruction access fault", "illegal instruction",
                                  "breakpoint", "load address misaligned", "load access fault",
                                  "store/AMO address misaligned", "store/AMO access fault", "ecall from U-mode",
                                  "ecall from S-mode", "reserved", "ecall from M-mode"};
    return cause < 12 ? names[cause] : "unknown cause";
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
      core_(Rv32Core::Config{0, 0x80000000, params.cycles.table}, *this),
      period_(1.0 / params.clock_hz, sc_core::SC_SEC),
      quantum_cycles_(std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(params.quantum * params.clock_hz)))) {
    control_.on_finish([this] { core_.request_stop(); });
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(thread);
}

void Cpu::map_dmi() {
    for (const uint64_t base : dmi_windows_) {
        tlm::tlm_generic_payload tx;
        tlm::tlm_dmi dmi;
        tx.set_address(base);
        tx.set_command(tlm::TLM_READ_COMMAND);
        if (!socket->get_direct_mem_ptr(tx, dmi) || !dmi.is_read_write_allowed())
            throw std::runtime_error(fmt::format("{}: no direct memory access to {:#x}", name(), base));
        const uint64_t start = dmi.get_start_address();
        core_.add_dmi(DmiRegion{dmi.get_dmi_ptr(), static_cast<uint32_t>(start),
                                static_cast<uint32_t>(dmi.get_end_address() - start + 1)});
    }
}

sc_core::sc_time Cpu::local_offset() const { return period_ * static_cast<double>(core_.cycles_in_run()) + device_delay_; }

void Cpu::sample_irq_lines() {
    core_.set_irq_lines(kMsip, msip.read());
    core_.set_irq_lines(kMtip, mtip.read());
    core_.set_irq_lines(kMeip, meip.read());
}

void Cpu::thread() {
    map_dmi();
    while (!control_.finished()) {
        sample_irq_lines();
        sync_requested_ = false;
        device_delay_ = sc_core::SC_ZERO_TIME;
        const StopReason why = core_.run(quantum_cycles_);
        const sc_core::sc_time used = local_offset();
        flush_energy();
        if (tohost_) poll_htif();
        if (control_.finished()) break;
        if (why == StopReason::Requested && core_.fatal_trap().happened) {
            report_fatal_trap();
            break;
        }
        wait(used);  // the quantum keeper's sync: other blocks catch up to the core
        if (why == StopReason::Wfi) sleep_until_interrupt();
    }
}

void Cpu::sleep_until_interrupt() {
    // Idle in simulated time: nothing runs on the host until an interrupt line changes.
    sample_irq_lines();
    while (!core_.wakeup_pending() && !control_.finished()) {
        wait(msip.value_changed_event() | mtip.value_changed_event() | meip.value_changed_event());
        sample_irq_lines();
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

std::string Cpu::where() const {
    std::string pcs;
    for (const uint32_t pc : core_.recent_pcs()) pcs += fmt::format(" {:#x}", pc);
    return fmt::format("{}; last pcs:{}", describe_pc(core_.pc()), pcs);
}

void Cpu::report_fatal_trap() {
    const auto& t = core_.fatal_trap();
    uint32_t mtvec = 0;
    core_.read_csr(csr::mtvec, mtvec);
    std::string pcs;
    for (const uint32_t pc : core_.recent_pcs()) pcs += fmt::format(" {:#x}", pc);
    control_.finish(SimControl::Reason::FatalTrap, SimControl::kExitFatalTrap,
                    fmt::format("unhandled trap: {} (mcause {}) at {}: instruction {:#010x} ({}), mtval {:#x}; "
                                "the trap vector mtvec = {:#x} cannot be fetched; last pcs:{}",
                                cause_name(t.cause), t.cause, describe_pc(t.pc), t.insn,
                                Rv32Core::disassemble(t.insn, t.pc), t.tval, mtvec, pcs));
}

bool Cpu::transport(tlm::tlm_command cmd, uint32_t addr, unsigned size, uint32_t& value) {
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
    // End the quantum: a device write may raise an interrupt the next instruction must see.
    sync_requested_ = true;
    core_.request_stop();
    return true;
}

uint64_t Cpu::mtime() { return mtime_at_ ? mtime_at_(sc_core::sc_time_stamp() + local_offset()) : 0; }

}  // namespace aimc::host
