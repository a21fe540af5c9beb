// How a run ends: the firmware's exit, a fatal trap, a time limit, a deadlock or a signal (Ctrl-C). Blocks that end
// the run (syscon, HTIF, the CPU) report here; whoever is executing is asked to stop at once.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <systemc>

namespace aimc {

class SimControl {
public:
    enum class Reason { Running, Exit, FatalTrap, MaxTime, Deadlock, Interrupted };

    // Exit statuses of aimc-vp that are not the firmware's own.
    static constexpr int kExitMaxTime = 124;
    static constexpr int kExitFatalTrap = 125;
    static constexpr int kExitDeadlock = 126;
    static constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

    // The first report wins; later ones (e.g. the tail of a quantum after an exit) are ignored.
    void finish(Reason reason, int exit_code, std::string message);
    bool finished() const { return reason_ != Reason::Running; }
    Reason reason() const { return reason_; }
    int exit_code() const { return exit_code_; }
    const std::string& message() const { return message_; }
    static const char* reason_name(Reason r);

    // Called on finish(); the CPU registers one that makes its interpreter return.
    void on_finish(std::function<void()> hook) { hooks_.push_back(std::move(hook)); }

private:
    Reason reason_ = Reason::Running;
    int exit_code_ = 0;
    std::string message_;
    std::vector<std::function<void()>> hooks_;
};

// Ends the run from another host thread (the one that waits for SIGINT/SIGTERM): request() may be
// called from any thread; the simulation reports Reason::Interrupted at its next update phase, so
// the run ends between two SystemC steps and its outputs are written as after any other end.
class InterruptRequest : public sc_core::sc_prim_channel {
public:
    InterruptRequest(SimControl& control, std::function<std::string()> where);
    void request(int signal);

private:
    void update() override;
    SimControl& control_;
    std::function<std::string()> where_;
    std::atomic<int> signal_{0};
};

}  // namespace aimc
