// A GDB remote-serial-protocol server for one RV32 hart, over TCP on 127.0.0.1 only: the request
// handler (registers, memory, break/watch points, stop replies, the target description) on top of
// the RSP transport (gdb_rsp_transport.h: sockets, framing, acks, Ctrl-C).
//
// Plain C++, no SystemC. The server is passive: whoever runs the hart (the
// platform glue, platforms/gdb_target.h, from the CPU's SystemC thread) calls stopped() when the
// hart stops and gets back what gdb wants next, calls interrupt_requested() now and then while the
// hart runs (Ctrl-C), and calls exited() when the run ends. Registers, memory and break/watch
// points are reached through the GdbTarget interface, so unit tests drive the server with a fake.
//
// Packets: see docs/debugging.md ("What the stub supports") for the list and the replies.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "host/gdb_rsp_transport.h"

namespace aimc::host {

// What the server debugs.
class GdbTarget {
public:
    virtual ~GdbTarget() = default;
    // Registers in gdb's RISC-V numbering: 0..31 x0..x31, 32 pc, 65 + n the CSR numbered n. The
    // target description lists the CSRs of the hart's table (rv32_csr_table.h) that can be read.
    // False if the register does not exist (or, for a write, cannot be written).
    virtual bool read_register(unsigned regno, uint32_t& value) = 0;
    virtual bool write_register(unsigned regno, uint32_t value) = 0;
    // Memory as the hart sees it. Return the number of bytes done from `addr` on: fewer than
    // `len` when the range runs into something that cannot be accessed, 0 if nothing could be.
    virtual uint32_t read_memory(uint32_t addr, uint8_t* data, uint32_t len) = 0;
    virtual uint32_t write_memory(uint32_t addr, const uint8_t* data, uint32_t len) = 0;
    // Breakpoints stop before the instruction at `addr` runs; watchpoints stop after an access
    // that touches [addr, addr + len). False if the point cannot be set.
    enum class Point { Software, Hardware, Write, Read, Access };
    virtual bool set_point(Point kind, uint32_t addr, uint32_t len, bool on) = 0;
};

// Why the hart stopped, as reported to gdb.
struct GdbStop {
    enum class Kind { Signal, Breakpoint, Watchpoint };
    Kind kind = Kind::Signal;
    int signal = 5;     // gdb signal number: 5 SIGTRAP, 2 SIGINT, 4 SIGILL, 7 SIGBUS, 11 SIGSEGV
    uint32_t addr = 0;  // Breakpoint: the pc; Watchpoint: the data address that was accessed
    // Watchpoint: the pc of the instruction that made the access (the hart stands after it).
    std::optional<uint32_t> access_pc;
    std::string message;  // optional text shown in gdb's console ('O' packet) before the stop

    static GdbStop trap() { return {}; }
    static GdbStop signalled(int sig) { return GdbStop{Kind::Signal, sig, 0, {}, {}}; }
    static GdbStop breakpoint(uint32_t pc) { return GdbStop{Kind::Breakpoint, 5, pc, {}, {}}; }
    static GdbStop watchpoint(uint32_t data_addr, std::optional<uint32_t> access_pc = {}) {
        return GdbStop{Kind::Watchpoint, 5, data_addr, access_pc, {}};
    }
};

class GdbServer {
public:
    static constexpr int kSigInt = 2, kSigIll = 4, kSigTrap = 5, kSigBus = 7, kSigSegv = 11, kSigKill = 9;
    static constexpr size_t kPacketSize = RspTransport::kPacketSize;  // announced in qSupported

    // Listens on 127.0.0.1:`port` (0: any free port, see port()). Messages go to `log`.
    // Throws GdbError if the port cannot be bound.
    GdbServer(GdbTarget& target, uint16_t port, std::ostream& log);
    ~GdbServer();
    GdbServer(const GdbServer&) = delete;
    GdbServer& operator=(const GdbServer&) = delete;

    uint16_t port() const { return transport_.port(); }
    bool connected() const { return transport_.connected(); }

    // Waits up to `timeout` for the first client; false if none came.
    bool accept_client(std::chrono::milliseconds timeout);

    // What the client asked for when it let the hart go.
    enum class Resume { Continue, Step, Detach, Kill };
    // The hart has stopped. If the client is waiting for a stop (after c/s), it is told why;
    // otherwise `why` is kept for its '?' query. Then packets are served until the client resumes
    // the hart, detaches (Detach; also when it disconnects) or kills it (Kill). With no client,
    // returns Detach at once.
    Resume stopped(const GdbStop& why);
    // While the hart runs: true if the client sent Ctrl-C. Looks at the socket at most every
    // `poll_interval` of wall-clock time, so it can be called once per quantum. A client that
    // disconnects while the hart runs is dropped (the hart runs on) and a second client refused.
    bool interrupt_requested();
    std::chrono::milliseconds poll_interval{5};
    // The run has ended: tell a waiting client the exit status ('W') or the terminating signal
    // ('X'), with an optional console message, and close the connection.
    void exited(int exit_code, const std::string& message = {});
    void terminated(int signal, const std::string& message = {});

    // Statistics for tests: packets served and malformed ones (bad checksum, bad arguments).
    uint64_t packets() const { return transport_.packets(); }
    uint64_t malformed() const { return transport_.malformed() + malformed_; }

private:
    void end_session(const std::string& reply, const std::string& message);
    void close_all();
    void clear_points();

    // One request; returns true and sets `resume` when the hart must go on.
    bool handle(const std::string& packet, Resume& resume);
    std::string stop_reply(const GdbStop& why) const;
    std::string read_registers();
    std::string target_xml();
    std::string handle_query(const std::string& packet);
    std::string handle_point(const std::string& packet);
    std::string handle_memory_read(const std::string& packet);
    std::string handle_memory_write(const std::string& packet, bool binary);
    bool handle_resume(const std::string& packet, Resume& resume, std::string& reply);

    GdbTarget& target_;
    std::ostream& log_;
    RspTransport transport_;
    bool running_ = false;      // the client waits for a stop reply
    bool client_swbreak_ = false, client_hwbreak_ = false;
    // gdb's RISC-V port assumes a watchpoint stops *before* the access (have_nonsteppable_watchpoint)
    // and steps over the instruction with watchpoints removed before it reports it; the hart stops
    // *after* the access. So after a watchpoint stop the pc reads as the accessing instruction's
    // (rewound_pc_), and gdb's step over it -- 's', or a breakpoint at the next pc and 'c' -- is
    // answered at once, the hart standing where that step ends (real_pc_).
    bool rewound_ = false;
    uint32_t rewound_pc_ = 0, real_pc_ = 0;
    bool read_pc_register(uint32_t& value);
    bool write_pc_register(uint32_t value);
    GdbStop last_stop_;
    struct Inserted {
        GdbTarget::Point kind;
        uint32_t addr, len;
    };
    std::vector<Inserted> points_;
    std::chrono::steady_clock::time_point next_poll_{};
    uint64_t malformed_ = 0;  // requests with bad arguments (the transport counts bad frames)
};

}  // namespace aimc::host
