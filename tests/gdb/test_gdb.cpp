// Whole-platform debugging: gdb-multiarch (batch mode) and a raw remote-protocol client against
// build/bin/aimc-vp --gdb, the instruction trace (compared with QEMU's when it is installed), and
// the fault reports. Every process runs with a time limit; sockets are loopback only.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rsp_client.h"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using aimc::test::RspClient;

const std::string kVp = std::string(AIMC_BIN_DIR) + "/aimc-vp";
const std::string kDemo = std::string(AIMC_SW_DIR) + "/gdb-demo.elf";
const std::string kHello = std::string(AIMC_SW_DIR) + "/hello.elf";

bool exists(const std::string& path) { return access(path.c_str(), R_OK) == 0; }
bool have_command(const std::string& name) { return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0; }

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string temp_path(const std::string& tag) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return ::testing::TempDir() + "aimc-gdb-" + std::to_string(getpid()) + "-" + info->name() + "-" + tag;
}

// A child process with stdout and stderr in files and stdin from /dev/null.
class Process {
public:
    Process(const std::vector<std::string>& argv, const std::string& tag)
        : out_(temp_path(tag + ".out")), err_(temp_path(tag + ".err")) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Process() {
        if (pid_ > 0 && status_ == kRunning) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    // Exit status; -1 if it had to be killed at the timeout, -2 if it died of a signal.
    int wait(std::chrono::milliseconds timeout = 60s) {
        if (status_ != kRunning) return status_;
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int st = 0;
            const pid_t r = ::waitpid(pid_, &st, WNOHANG);
            if (r == pid_) {
                status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -2;
                return status_;
            }
            if (std::chrono::steady_clock::now() > end) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, nullptr, 0);
                status_ = -1;
                return status_;
            }
            std::this_thread::sleep_for(5ms);
        }
    }
    void signal(int sig) { ::kill(pid_, sig); }
    // CPU time used so far (user + system), from /proc.
    double cpu_seconds() const {
        std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
        std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto close = stat.rfind(')');
        if (close == std::string::npos) return 0;
        std::istringstream rest(stat.substr(close + 2));
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i)
            if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
        return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    std::string out() const { return read_file(out_); }
    std::string err() const { return read_file(err_); }
    bool started() const { return pid_ > 0; }

private:
    static constexpr int kRunning = -100;
    pid_t pid_ = -1;
    int status_ = kRunning;
    std::string out_, err_;
};

// aimc-vp --gdb 0 on `elf`: returns the port it announces on stderr (0 if it does not in time).
uint16_t gdb_port(const Process& vp) {
    const std::regex announce("waiting for gdb on 127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 6000; ++i) {  // 30 s
        std::smatch m;
        const std::string err = vp.err();
        if (std::regex_search(err, m, announce)) return static_cast<uint16_t>(std::stoi(m[1]));
        std::this_thread::sleep_for(5ms);
    }
    return 0;
}

std::vector<std::string> vp_args(const std::string& elf, std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {kVp, "--firmware", elf, "--gdb", "0", "--gdb-wait-timeout", "30s"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

// gdb-multiarch in batch mode on `elf`, connected to `port`, running `commands`.
std::string run_gdb(const std::string& elf, uint16_t port, const std::vector<std::string>& commands,
                    const std::string& limit = "60", const std::string& timeout_signal = "KILL") {
    std::vector<std::string> a = {"timeout", "-k", "10", "-s", timeout_signal, limit, "gdb-multiarch", "-batch",
                                  "-nx", elf, "-ex", "set confirm off", "-ex", "set pagination off",
                                  "-ex", "target remote :" + std::to_string(port)};
    for (const auto& c : commands) {
        a.push_back("-ex");
        a.push_back(c);
    }
    Process gdb(a, "gdb");
    gdb.wait(90s);
    return gdb.out() + gdb.err();
}

#define REQUIRE_GDB_SETUP()                                                                          \
    do {                                                                                             \
        if (!have_command("gdb-multiarch")) GTEST_SKIP() << "gdb-multiarch is not installed";        \
        if (!exists(kDemo)) GTEST_SKIP() << kDemo << " was not built (AIMC_BUILD_FIRMWARE=OFF?)";    \
    } while (0)

#define REQUIRE_FIRMWARE(elf)                                                                  \
    do {                                                                                       \
        if (!exists(elf)) GTEST_SKIP() << elf << " was not built (AIMC_BUILD_FIRMWARE=OFF?)"; \
    } while (0)

// --------------------------------------------------------------------------------------------
// gdb-multiarch
// --------------------------------------------------------------------------------------------

// The scenario of the issue: break in a driver function, read a variable and device registers,
// watch a buffer, step, continue to the exit code.
TEST(GdbMultiarch, BreakReadWatchStepExit) {
    REQUIRE_GDB_SETUP();
    Process vp(vp_args(kDemo), "vp");
    const uint16_t port = gdb_port(vp);
    ASSERT_NE(port, 0) << vp.err();
    const std::string out = run_gdb(kDemo, port,
                                    {"break aimc_uart_puts", "continue", "print s", "x/wx 0x00100004",
                                     "x/bx 0x10000005", "set {char}0x10000007 = 0x5a", "x/bx 0x10000007",
                                     "print/x $mhartid", "print/x $misa", "delete", "watch demo_buffer[3]", "continue",
                                     "print demo_buffer[3]", "stepi", "print/x $pc", "step", "delete", "continue"});
    EXPECT_EQ(vp.wait(), 42) << vp.err();
    EXPECT_TRUE(std::regex_search(out, std::regex(R"(Breakpoint 1(\.[0-9]+)?, aimc_uart_puts)"))) << out;
    EXPECT_NE(out.find("\"gdb-demo: start\\n\""), std::string::npos) << out;
    EXPECT_NE(out.find("0x100004:\t0x41494d43"), std::string::npos) << "syscon ID\n" << out;
    EXPECT_NE(out.find("0x10000005:\t0x60"), std::string::npos) << "UART LSR\n" << out;
    EXPECT_NE(out.find("0x10000007:\t0x5a"), std::string::npos) << "UART scratch written by gdb\n" << out;
    EXPECT_NE(out.find("= 0x0"), std::string::npos) << "mhartid\n" << out;
    EXPECT_NE(out.find("Hardware watchpoint 2: demo_buffer[3]"), std::string::npos) << out;
    EXPECT_NE(out.find("Old value = 0"), std::string::npos) << out;
    EXPECT_NE(out.find("New value = 12"), std::string::npos) << out;
    EXPECT_NE(out.find("demo_fill"), std::string::npos) << out;
    EXPECT_NE(out.find("exited with code 052"), std::string::npos) << out;
    EXPECT_NE(vp.err().find("gdb connected from 127.0.0.1"), std::string::npos) << vp.err();
    EXPECT_NE(vp.out().find("gdb-demo: checksum 408"), std::string::npos) << vp.out();
}

// Hardware breakpoints, read and write watchpoints, and a memory write that changes the result.
TEST(GdbMultiarch, HbreakRwatchAndMemoryWrite) {
    REQUIRE_GDB_SETUP();
    Process vp(vp_args(kDemo), "vp");
    const uint16_t port = gdb_port(vp);
    ASSERT_NE(port, 0) << vp.err();
    const std::string out =
        run_gdb(kDemo, port,
                {"hbreak demo_fill", "continue", "info registers pc", "rwatch demo_buffer[2]", "continue", "delete",
                 "watch demo_checksum", "continue", "set var demo_checksum = 7", "print demo_checksum", "delete",
                 "continue"});
    EXPECT_EQ(vp.wait(), 43) << vp.err();
    EXPECT_NE(out.find("Breakpoint 1, demo_fill"), std::string::npos) << out;
    EXPECT_NE(out.find("Hardware read watchpoint 2: demo_buffer[2]"), std::string::npos) << out;
    EXPECT_NE(out.find("Value = 9"), std::string::npos) << out;
    EXPECT_NE(out.find("New value = 408"), std::string::npos) << out;
    EXPECT_NE(out.find("$1 = 7"), std::string::npos) << out;
    EXPECT_NE(out.find("exited with code 053"), std::string::npos) << out;
    EXPECT_NE(vp.out().find("gdb-demo: checksum 7 "), std::string::npos) << vp.out();
}

// Ctrl-C from gdb (SIGINT to gdb makes it send 0x03) stops a firmware that spins, then kill.
TEST(GdbMultiarch, InterruptAndKill) {
    REQUIRE_GDB_SETUP();
    Process vp(vp_args(kDemo), "vp");
    const uint16_t port = gdb_port(vp);
    ASSERT_NE(port, 0) << vp.err();
    // A jump to itself at a free RAM address, and the pc there.
    Process gdb({"gdb-multiarch", "-batch", "-nx", kDemo, "-ex", "set confirm off", "-ex",
                 "target remote :" + std::to_string(port), "-ex", "set {int}0x80100000 = 0x0000006f", "-ex",
                 "set $pc = 0x80100000", "-ex", "echo RESUMING\\n", "-ex", "continue", "-ex", "print/x $pc", "-ex",
                 "kill"},
                "gdb");
    // Interrupt once the simulator spins: it burns CPU time only while the firmware runs.
    bool running = false;
    for (int i = 0; i < 600 && !running; ++i) {  // up to a minute on a busy machine
        if (gdb.out().find("RESUMING") == std::string::npos) {
            std::this_thread::sleep_for(100ms);
            continue;
        }
        const double before = vp.cpu_seconds();
        std::this_thread::sleep_for(200ms);
        running = vp.cpu_seconds() - before >= 0.05;
    }
    ASSERT_TRUE(running) << gdb.out() << gdb.err();
    gdb.signal(SIGINT);
    EXPECT_EQ(gdb.wait(60s), 0);
    const std::string out = gdb.out() + gdb.err();
    EXPECT_EQ(vp.wait(), 137) << vp.err();
    EXPECT_NE(out.find("SIGINT"), std::string::npos) << out;
    EXPECT_NE(out.find("= 0x80100000"), std::string::npos) << out;
    EXPECT_NE(vp.err().find("gdb killed the run"), std::string::npos) << vp.err();
}

// --------------------------------------------------------------------------------------------
// A raw protocol client: what gdb cannot easily be made to do.
// --------------------------------------------------------------------------------------------

class RawClient : public ::testing::Test {
protected:
    void start(std::vector<std::string> extra = {}) {
        vp = std::make_unique<Process>(vp_args(kDemo, extra), "vp");
        const uint16_t port = gdb_port(*vp);
        ASSERT_NE(port, 0) << vp->err();
        ASSERT_TRUE(client.connect(port));
        ASSERT_EQ(client.request("?"), "T05thread:1;");
    }
    // Puts `words` at 0x80100000 (free RAM) and the pc there.
    void run_code(const std::vector<uint32_t>& words) {
        std::string hex;
        for (const uint32_t w : words) {
            char b[9];
            std::snprintf(b, sizeof b, "%02x%02x%02x%02x", w & 0xFF, (w >> 8) & 0xFF, (w >> 16) & 0xFF, w >> 24);
            hex += b;
        }
        char len[16];
        std::snprintf(len, sizeof len, "%zx", 4 * words.size());
        ASSERT_EQ(client.request(std::string("M80100000,") + len + ":" + hex), "OK");
        ASSERT_EQ(client.request("P20=00001080"), "OK");
    }
    static std::string hex_of(const std::string& text) {
        std::string h;
        char b[3];
        for (const char c : text) {
            std::snprintf(b, sizeof b, "%02x", static_cast<uint8_t>(c));
            h += b;
        }
        return h;
    }
    void SetUp() override { REQUIRE_FIRMWARE(kDemo); }

    std::unique_ptr<Process> vp;
    RspClient client;
    static constexpr uint32_t kJumpSelf = 0x0000006f, kWfi = 0x10500073, kJumpBack4 = 0xffdff06f;
};

TEST_F(RawClient, DeviceRegistersThroughTheBus) {
    start();
    EXPECT_EQ(client.request("m100004,4"), "434d4941");  // syscon ID 'AIMC'
    EXPECT_EQ(client.request("m10000005,1"), "60");       // UART LSR
    const std::string uart = client.request("m10000000,8");  // byte-wide registers, one by one
    ASSERT_EQ(uart.size(), 16u) << uart;
    EXPECT_EQ(uart.substr(10, 2), "60") << uart;
    EXPECT_EQ(client.request("m100006,1"), "49") << "a byte of a word register: the aligned word is read";
    EXPECT_EQ(client.request("m40000000,4"), "454c4954") << "tile 0's ID 'TILE' through the NoC";
    EXPECT_EQ(client.request("m30000000,4"), "E14") << "nothing mapped";
    client.send("c");
    EXPECT_EQ(client.reply(), "W2a");
    EXPECT_EQ(vp->wait(), 42);
}

TEST_F(RawClient, CtrlCWhileRunningThenKill) {
    start();
    run_code({kJumpSelf});
    client.send("c");
    std::this_thread::sleep_for(300ms);
    client.send_raw("\x03");
    EXPECT_EQ(client.reply(), "T02thread:1;");
    EXPECT_EQ(client.request("p20"), "00001080");
    client.send("k");
    EXPECT_EQ(vp->wait(30s), 137) << vp->err();
}

// A store to a device ends the core's quantum; a breakpoint on the very next instruction must still
// stop it (the core skips a breakpoint at the first instruction of a run, the wrapper does not).
TEST_F(RawClient, BreakpointRightAfterADeviceStore) {
    start();
    run_code({0x100002b7,    // lui t0, 0x10000 (UART)
              0x000283a3,    // sb zero, 7(t0) (scratch register)
              0x00000013,    // nop <- breakpoint
              kJumpSelf});
    ASSERT_EQ(client.request("qSupported:swbreak+"), "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;"
                                                       "QStartNoAckMode+;vContSupported+");
    ASSERT_EQ(client.request("Z0,80100008,4"), "OK");
    client.send("c");
    EXPECT_EQ(client.reply(), "T05swbreak:;thread:1;");
    EXPECT_EQ(client.request("p20"), "08001080");
    client.send("k");
    EXPECT_EQ(vp->wait(30s), 137) << vp->err();
}

TEST_F(RawClient, CtrlCWhileAsleepInWfi) {
    start();
    // mtimecmp = 2^40 ticks (days of simulated time away) and mie.MTIE: wfi sleeps, not a deadlock.
    ASSERT_EQ(client.request("M2004000,8:0000000000010000"), "OK");
    ASSERT_EQ(client.request("P345=80000000"), "OK");
    run_code({kWfi, kJumpBack4});
    client.send("c");
    std::this_thread::sleep_for(300ms);
    client.send_raw("\x03");
    EXPECT_EQ(client.reply(), "T02thread:1;");
    const std::string pc = client.request("p20");
    EXPECT_TRUE(pc == "04001080" || pc == "00001080") << pc;
    client.send("k");
    EXPECT_EQ(vp->wait(30s), 137) << vp->err();
}

TEST_F(RawClient, DeadlockStopsThenEndsTheRun) {
    start();
    ASSERT_EQ(client.request("P345=00000000"), "OK");  // mie = 0: nothing can wake a wfi
    run_code({kWfi, kJumpBack4});
    client.send("c");
    std::string r = client.reply();
    EXPECT_EQ(r.substr(0, 1), "O") << r;
    EXPECT_NE(r.find(hex_of("deadlock")), std::string::npos) << r;
    EXPECT_EQ(client.reply(), "T05thread:1;");
    client.send("c");
    r = client.reply();
    EXPECT_EQ(r.substr(0, 1), "O") << r;
    EXPECT_EQ(client.reply(), "W7e");
    EXPECT_EQ(vp->wait(30s), 126) << vp->err();
}

TEST_F(RawClient, UnmappedFetchStopsWithSigsegvThenTerminates) {
    start();
    ASSERT_EQ(client.request("P346=00000000"), "OK");  // mtvec = 0: no handler
    ASSERT_EQ(client.request("P20=00000040"), "OK");   // pc = 0x40000000: nothing there
    client.send("c");
    std::string r = client.reply();
    EXPECT_EQ(r.substr(0, 1), "O") << r;
    EXPECT_NE(r.find(hex_of("fetch from 0x40000000")), std::string::npos) << r;
    EXPECT_EQ(client.reply(), "T0bthread:1;");
    EXPECT_EQ(client.request("p20"), "00000040");
    client.send("c");
    r = client.reply();
    EXPECT_EQ(r.substr(0, 1), "O") << r;
    EXPECT_EQ(client.reply(), "X0b");
    EXPECT_EQ(vp->wait(30s), 125) << vp->err();
    EXPECT_NE(vp->err().find("unhandled trap: instruction access fault (mcause 1): fetch from 0x40000000"),
              std::string::npos)
        << vp->err();
}

TEST_F(RawClient, MaxTimeEndsTheSessionWithTheStatus) {
    start({"--max-time", "1ms"});
    run_code({kJumpSelf});
    client.send("c");
    const std::string r = client.reply();
    EXPECT_NE(r.find(hex_of("--max-time")), std::string::npos) << r;
    EXPECT_EQ(client.reply(), "W7c");
    EXPECT_EQ(vp->wait(30s), 124) << vp->err();
}

TEST_F(RawClient, MalformedPacketsThenDetach) {
    start();
    client.send_raw("$?#00");
    EXPECT_EQ(client.read_byte(), '-');
    client.send_raw("noise\x01\x02");
    EXPECT_EQ(client.request("m,"), "E01");
    EXPECT_EQ(client.request("Zzz"), "E01");
    EXPECT_EQ(client.request("Z2,fffffff0,20"), "E01");  // a watched range past 4 GiB (found by fuzz-gdb_rsp)
    EXPECT_EQ(client.request("qC"), "QC1");
    client.send("D");
    EXPECT_EQ(client.reply(), "OK");
    EXPECT_EQ(vp->wait(30s), 42) << vp->err();
    EXPECT_NE(vp->err().find("detached"), std::string::npos) << vp->err();
}

TEST_F(RawClient, SecondClientIsRefused) {
    start();
    RspClient second;
    const std::regex announce("127\\.0\\.0\\.1:([0-9]+)");
    std::smatch m;
    const std::string err = vp->err();
    ASSERT_TRUE(std::regex_search(err, m, announce));
    ASSERT_TRUE(second.connect(static_cast<uint16_t>(std::stoi(m[1]))));
    EXPECT_TRUE(second.closed_by_server());
    EXPECT_EQ(client.request("qC"), "QC1");
    client.send("c");
    EXPECT_EQ(client.reply(), "W2a");
    EXPECT_EQ(vp->wait(30s), 42);
    EXPECT_NE(vp->err().find("refused a second client"), std::string::npos) << vp->err();
}

TEST_F(RawClient, DisconnectWhileRunningLetsTheFirmwareGoOn) {
    start({"--max-time", "500ms"});
    run_code({kJumpSelf});
    ASSERT_EQ(client.request("Z2,80000000,4"), "OK");  // a watchpoint the server must take back
    client.send("c");
    std::this_thread::sleep_for(20ms);
    client.close();
    EXPECT_EQ(vp->wait(60s), 124) << vp->err();
    EXPECT_NE(vp->err().find("disconnected while the firmware was running"), std::string::npos) << vp->err();
}

TEST_F(RawClient, DisconnectWhileStoppedLetsTheFirmwareGoOn) {
    start();
    ASSERT_EQ(client.request("Z0,80000000,2"), "OK");
    client.close();
    EXPECT_EQ(vp->wait(30s), 42) << vp->err();
    EXPECT_NE(vp->err().find("disconnected"), std::string::npos) << vp->err();
}

TEST(GdbStartup, NobodyConnects) {
    REQUIRE_FIRMWARE(kDemo);
    Process vp({kVp, "--firmware", kDemo, "--gdb", "0", "--gdb-wait-timeout", "300ms"}, "vp");
    EXPECT_EQ(vp.wait(30s), 2);
    EXPECT_NE(vp.err().find("no debugger connected"), std::string::npos) << vp.err();
}

TEST(GdbStartup, PortInUse) {
    REQUIRE_FIRMWARE(kDemo);
    Process first(vp_args(kDemo), "first");
    const uint16_t port = gdb_port(first);
    ASSERT_NE(port, 0);
    Process second({kVp, "--firmware", kDemo, "--gdb", std::to_string(port)}, "second");
    EXPECT_EQ(second.wait(30s), 2);
    EXPECT_NE(second.err().find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
        << second.err();
}

// --------------------------------------------------------------------------------------------
// Instruction trace
// --------------------------------------------------------------------------------------------

struct TraceLine {
    uint32_t pc;
    std::string function, rest;
};

// Both QEMU's `-d exec` lines and ours: "Trace 0: <x> [<x>/<pc>/<x>/<x>] <function>..."
std::vector<TraceLine> read_trace(const std::string& path) {
    std::vector<TraceLine> lines;
    std::ifstream in(path);
    const std::regex re(R"(^Trace 0: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\] ?([^ |]*)(.*)$)");
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, re))
            lines.push_back(TraceLine{static_cast<uint32_t>(std::stoul(m[1], nullptr, 16)), m[2], m[3]});
    }
    return lines;
}

TEST(InstructionTrace, FormatAndRange) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string all = temp_path("all.trace"), some = temp_path("some.trace");
    Process a({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + all}, "a");
    ASSERT_EQ(a.wait(), 42) << a.err();
    Process b({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + some, "--trace-range", "demo_fill"},
              "b");
    ASSERT_EQ(b.wait(), 42) << b.err();
    const auto full = read_trace(all), part = read_trace(some);
    ASSERT_GT(full.size(), 1000u);
    ASSERT_GT(part.size(), 16u * 4);
    for (const auto& l : part) EXPECT_EQ(l.function, "demo_fill") << std::hex << l.pc;
    size_t in_fill = 0;
    for (const auto& l : full) in_fill += l.function == "demo_fill";
    EXPECT_EQ(in_fill, part.size());
    EXPECT_EQ(full.front().pc, 0x80000000u);
    EXPECT_EQ(full.front().function, "_start");
    // " | <raw> | <disassembly>[ | <rd>=<value>]"
    const std::regex rest(R"( \| ( {4}[0-9a-f]{4}|[0-9a-f]{8}) \| [a-z.]+[^|]*( \| [a-z0-9]+=0x[0-9a-f]+)?)");
    for (size_t i = 0; i < 50; ++i) EXPECT_TRUE(std::regex_match(full[i].rest, rest)) << "'" << full[i].rest << "'";
    size_t writes = 0;
    for (const auto& l : full) writes += l.rest.find('=') != std::string::npos;
    EXPECT_GT(writes, full.size() / 3);

    const std::string range = temp_path("range.trace");
    Process c({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + range, "--trace-range",
               "0x80000000..0x80000010"},
              "c");
    ASSERT_EQ(c.wait(), 42);
    const auto r = read_trace(range);
    ASSERT_FALSE(r.empty());
    for (const auto& l : r) EXPECT_LT(l.pc, 0x80000010u);
    Process bad({kVp, "--firmware", kDemo, "--trace-range", "no_such_function"}, "bad");
    EXPECT_EQ(bad.wait(), 2);
}

// The pc sequence of aimc-vp's trace against QEMU's for the same ELF, up to where the platforms
// differ for reasons that are not bugs (CSR values such as misa, device timing).
TEST(InstructionTrace, MatchesQemu) {
    REQUIRE_FIRMWARE(kHello);
    if (!have_command("qemu-system-riscv32")) GTEST_SKIP() << "qemu-system-riscv32 is not installed";
    const std::string ours = temp_path("vp.trace"), qemu = temp_path("qemu.trace");
    Process vp({kVp, "--firmware", kHello, "--quiet", "--trace-instructions=" + ours}, "vp");
    ASSERT_EQ(vp.wait(), 0) << vp.err();
    Process q({"timeout", "-k", "5", "60", "qemu-system-riscv32", "-M", "virt", "-bios", "none", "-nographic",
               "-monitor", "none", "-serial", "null", "-kernel", kHello, "-d", "exec,nochain", "-singlestep", "-D",
               qemu},
              "qemu");
    ASSERT_EQ(q.wait(90s), 0) << q.err();
    auto a = read_trace(ours), b = read_trace(qemu);
    b.erase(std::remove_if(b.begin(), b.end(), [](const TraceLine& l) { return l.pc < 0x80000000u; }), b.end());
    ASSERT_GT(a.size(), 1000u);
    ASSERT_GT(b.size(), 1000u);

    // Walk both; at a difference, find the nearest point where 16 pcs agree again.
    size_t i = 0, j = 0, matched = 0, first_divergence = SIZE_MAX;
    std::vector<std::string> divergences;
    while (i < a.size() && j < b.size()) {
        if (a[i].pc == b[j].pc) {
            ++i, ++j, ++matched;
            continue;
        }
        if (first_divergence == SIZE_MAX) first_divergence = i;
        char what[200];
        std::snprintf(what, sizeof what, "#%zu: aimc-vp at 0x%08x <%s>, QEMU at 0x%08x <%s>, after 0x%08x <%s>%s", i,
                      a[i].pc, a[i].function.c_str(), b[j].pc, b[j].function.c_str(), i ? a[i - 1].pc : 0,
                      i ? a[i - 1].function.c_str() : "", i ? a[i - 1].rest.c_str() : "");
        divergences.push_back(what);
        bool found = false;
        for (size_t d = 1; d < 400 && !found; ++d) {
            for (size_t k = 0; k <= d && !found; ++k) {
                const size_t ii = i + k, jj = j + (d - k);
                if (ii + 16 > a.size() || jj + 16 > b.size()) continue;
                bool same = true;
                for (size_t n = 0; n < 16 && same; ++n) same = a[ii + n].pc == b[jj + n].pc;
                if (same) i = ii, j = jj, found = true;
            }
        }
        if (!found) break;
    }
    std::string report;
    for (const auto& d : divergences) report += "  " + d + "\n";
    std::printf("aimc-vp %zu / QEMU %zu instructions, %zu matched in order; first divergence at %s; %zu divergences:\n%s",
                a.size(), b.size(), matched, first_divergence == SIZE_MAX ? "none" : std::to_string(first_divergence).c_str(),
                divergences.size(), report.c_str());
    EXPECT_GE(first_divergence, 1000u) << report;
    EXPECT_GE(matched, std::min(a.size(), b.size()) * 95 / 100) << report;
    EXPECT_LE(divergences.size(), 10u) << report;
}

// --------------------------------------------------------------------------------------------
// Fault reports (no debugger)
// --------------------------------------------------------------------------------------------

std::string write_blob(const std::vector<uint32_t>& words) {
    const std::string path = temp_path("blob.bin");
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(words.data()), static_cast<std::streamsize>(4 * words.size()));
    return path;
}

TEST(FaultReport, FetchFromUnmappedMemory) {
    REQUIRE_FIRMWARE(kDemo);
    // Over the entry point: lui t0, 0x40000; jr t0 -- with mtvec still 0 at reset.
    const std::string blob = write_blob({0x400002b7, 0x00028067});
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 125);
    const std::string err = vp.err();
    EXPECT_NE(err.find("unhandled trap: instruction access fault (mcause 1): fetch from 0x40000000, where nothing "
                       "executable is mapped, after pc 0x80000004 <_start+0x4>"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("last pcs: 0x80000000 <_start> 0x80000004"), std::string::npos) << err;
}

TEST(FaultReport, IllegalInstruction) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string blob = write_blob({0x00000013, 0xffffffff});  // nop; an illegal encoding
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 125);
    EXPECT_NE(vp.err().find("unhandled trap: illegal instruction (mcause 2) at pc 0x80000004 <_start+0x4>: "
                            "instruction 0xffffffff"),
              std::string::npos)
        << vp.err();
}

TEST(FaultReport, MaxTimeShowsTheInstruction) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string blob = write_blob({0x00000013, 0x0000006f});  // nop; j .
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--max-time", "5us", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 124);
    EXPECT_NE(vp.err().find("stopped at --max-time 5us before the firmware exited; the host was at pc 0x80000004 "
                            "<_start+0x4>: 0x0000006f j 0x80000004; last pcs:"),
              std::string::npos)
        << vp.err();
    EXPECT_NE(vp.err().find("last pcs: 0x80000004 <_start+0x4> (x16)"), std::string::npos)
        << "repeated pcs are counted\n" << vp.err();
}

}  // namespace
