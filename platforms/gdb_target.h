// The gdb stub of a platform (`aimc-vp --gdb <port>`): the GDB remote-serial-protocol server
// (models/host/gdb_server.h) attached to the platform's CPU as its debugger.
//
// Registers come from the RV32 core, breakpoints, watchpoints and single-step are the core's, and
// memory goes through the platform's debug socket on the host bus: gdb sees RAM and every device
// window (registers, buffers) at the addresses and with the access sizes the firmware uses.
// Everything runs in the CPU's SystemC thread, so simulated time stands still while gdb holds
// the core.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <vector>

#include "host/cpu.h"
#include "host/gdb_server.h"

namespace aimc::platform {

class Platform;

class GdbStub final : public host::CpuDebugger, private host::GdbTarget {
public:
    // Listens on 127.0.0.1:`port` (0: any free port) and becomes the CPU's debugger. Throws
    // host::GdbError if the port cannot be bound. Messages go to `log`.
    GdbStub(Platform& platform, uint16_t port, std::ostream& log);

    uint16_t port() const { return server_.port(); }
    // Before the simulation starts: waits for gdb to connect; false if none came in `timeout`.
    bool wait_for_client(std::chrono::milliseconds timeout);

    // host::CpuDebugger
    void on_stop(Event why) override;
    bool poll_interrupt() override;
    void on_finish(int exit_code) override;

    // Exit status of aimc-vp when gdb kills the run (like a shell's 128 + SIGKILL).
    static constexpr int kExitKilled = 137;

private:
    // host::GdbTarget
    bool read_register(unsigned regno, uint32_t& value) override;
    bool write_register(unsigned regno, uint32_t value) override;
    uint32_t read_memory(uint32_t addr, uint8_t* data, uint32_t len) override;
    uint32_t write_memory(uint32_t addr, const uint8_t* data, uint32_t len) override;
    bool set_point(Point kind, uint32_t addr, uint32_t len, bool on) override;

    bool transfer(bool write, uint32_t addr, uint8_t* data, uint32_t len);
    uint32_t transfer_pieces(bool write, uint32_t addr, uint8_t* data, uint32_t len);

    Platform& platform_;
    host::GdbServer server_;
    bool finished_ = false;
};

}  // namespace aimc::platform
