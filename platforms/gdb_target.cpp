#include "gdb_target.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "common/log.h"
#include "platform.h"

namespace aimc::platform {
namespace {

constexpr unsigned kPcRegnum = 32, kCsrRegnumBase = 65, kCsrCount = 4096;

// gdb's signal for a trap that has no handler.
int signal_for_cause(uint32_t cause) {
    if (cause & 0x80000000u) return host::GdbServer::kSigTrap;  // interrupt with no vector
    switch (cause) {
        case 0: case 4: case 6: return host::GdbServer::kSigBus;    // misaligned
        case 1: case 5: case 7: return host::GdbServer::kSigSegv;   // access fault
        case 2: return host::GdbServer::kSigIll;
        default: return host::GdbServer::kSigTrap;                  // ebreak, ecall
    }
}

// Debug accesses that a device rejects (a register read with the wrong width while gdb feels its
// way through a window) are expected: keep them out of the log.
class QuietLog {
public:
    QuietLog() : saved_(log::level()) { log::set_level(log::Level::Error); }
    ~QuietLog() { log::set_level(saved_); }

private:
    log::Level saved_;
};

}  // namespace

GdbStub::GdbStub(Platform& platform, uint16_t port, std::ostream& log)
    : platform_(platform), server_(*this, port, log) {
    platform_.cpu().set_debugger(this);
}

bool GdbStub::wait_for_client(std::chrono::milliseconds timeout) { return server_.accept_client(timeout); }

void GdbStub::on_stop(Event why) {
    auto& core = platform_.cpu().core();
    host::GdbStop stop;
    switch (why) {
        case Event::Attach:
        case Event::Step: stop = host::GdbStop::trap(); break;
        case Event::Breakpoint: stop = host::GdbStop::breakpoint(core.pc()); break;
        case Event::Watchpoint: {
            const auto pcs = core.recent_pcs();  // the last one made the access
            stop = host::GdbStop::watchpoint(core.watch_hit_address(),
                                             pcs.empty() ? std::nullopt : std::optional<uint32_t>(pcs.back()));
            break;
        }
        case Event::Interrupted: stop = host::GdbStop::signalled(host::GdbServer::kSigInt); break;
        case Event::Fault:
            stop = host::GdbStop::signalled(signal_for_cause(core.fatal_trap().cause));
            stop.message = "aimc-vp: " + platform_.cpu().fatal_trap_message() +
                           "\naimc-vp: the run ends when the firmware is resumed\n";
            break;
        case Event::Deadlock:
            stop = host::GdbStop::trap();
            stop.message =
                "aimc-vp: deadlock: the firmware sleeps in wfi and nothing is left that could wake it\n"
                "aimc-vp: the run ends when the firmware is resumed\n";
            break;
    }
    const auto resume = server_.stopped(stop);
    core.set_single_step(resume == host::GdbServer::Resume::Step);
    if (resume == host::GdbServer::Resume::Kill)
        platform_.control().finish(SimControl::Reason::Exit, kExitKilled, "killed by gdb");
}

bool GdbStub::poll_interrupt() { return server_.interrupt_requested(); }

void GdbStub::on_finish(int exit_code) {
    if (finished_) return;
    finished_ = true;
    auto& control = platform_.control();
    switch (control.reason()) {
        case SimControl::Reason::Exit: server_.exited(exit_code); break;
        case SimControl::Reason::FatalTrap:
            server_.terminated(signal_for_cause(platform_.cpu().core().fatal_trap().cause),
                               "aimc-vp: " + control.message() + "\n");
            break;
        default: server_.exited(exit_code, "aimc-vp: " + control.message() + "\n"); break;
    }
}

bool GdbStub::read_register(unsigned regno, uint32_t& value) {
    auto& core = platform_.cpu().core();
    if (regno < 32) value = core.reg(regno);
    else if (regno == kPcRegnum) value = core.pc();
    else if (regno >= kCsrRegnumBase && regno < kCsrRegnumBase + kCsrCount)
        return core.read_csr(static_cast<uint16_t>(regno - kCsrRegnumBase), value);
    else return false;
    return true;
}

bool GdbStub::write_register(unsigned regno, uint32_t value) {
    auto& core = platform_.cpu().core();
    if (regno < 32) core.set_reg(regno, value);  // x0 stays 0
    else if (regno == kPcRegnum) core.set_pc(value);
    else if (regno >= kCsrRegnumBase && regno < kCsrRegnumBase + kCsrCount)
        return core.write_csr(static_cast<uint16_t>(regno - kCsrRegnumBase), value);
    else return false;
    return true;
}

bool GdbStub::transfer(bool write, uint32_t addr, uint8_t* data, uint32_t len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    tx.set_address(addr);
    tx.set_data_ptr(data);
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_byte_enable_ptr(nullptr);
    // The bus path the CPU uses; RAM reports debug writes to the core, which drops decoded code.
    return platform_.debug_socket->transport_dbg(tx) == len;
}

// Device windows only take register-sized accesses: after the whole range fails, go through it
// in naturally aligned words, halfwords and bytes; a narrow read of a wider register reads the
// aligned word around it. Returns the bytes done before the first hole.
uint32_t GdbStub::transfer_pieces(bool write, uint32_t addr, uint8_t* data, uint32_t len) {
    len = static_cast<uint32_t>(std::min<uint64_t>(len, (1ull << 32) - addr));
    QuietLog quiet;
    if (len == 0 || transfer(write, addr, data, len)) return len;
    uint32_t done = 0;
    while (done < len) {
        const uint32_t a = addr + done, left = len - done;
        bool ok = false;
        for (const uint32_t size : {4u, 2u, 1u}) {
            if (size > left || (a & (size - 1))) continue;
            if ((ok = transfer(write, a, data + done, size))) {
                done += size;
                break;
            }
        }
        if (!ok && !write) {
            uint8_t word[4];
            if (transfer(false, a & ~3u, word, 4)) {
                const uint32_t n = std::min(left, 4 - (a & 3));
                std::memcpy(data + done, word + (a & 3), n);
                done += n;
                ok = true;
            }
        }
        if (!ok) break;
    }
    return done;
}

uint32_t GdbStub::read_memory(uint32_t addr, uint8_t* data, uint32_t len) {
    return transfer_pieces(false, addr, data, len);
}

uint32_t GdbStub::write_memory(uint32_t addr, const uint8_t* data, uint32_t len) {
    std::vector<uint8_t> copy(data, data + len);  // TLM payloads take a mutable pointer
    return transfer_pieces(true, addr, copy.data(), len);
}

bool GdbStub::set_point(Point kind, uint32_t addr, uint32_t len, bool on) {
    auto& core = platform_.cpu().core();
    using Watch = host::Rv32Core::WatchKind;
    switch (kind) {
        case Point::Software:
        case Point::Hardware:
            // No memory patching: the core checks the pc against its breakpoint list.
            core.set_breakpoint(addr, on);
            return true;
        case Point::Write: core.set_watchpoint(addr, len, Watch::Write, on); return true;
        case Point::Read: core.set_watchpoint(addr, len, Watch::Read, on); return true;
        case Point::Access: core.set_watchpoint(addr, len, Watch::Access, on); return true;
    }
    return false;
}

}  // namespace aimc::platform
