// The gdb stub's requests against the platform (models/host/gdb_server.* and platforms/gdb_target.*)
// in whole-platform runs of build/bin/aimc-vp --gdb: gdb-multiarch (batch mode) and a raw protocol
// client reading device registers through the bus, breaking, watching, stepping, and the stops and
// exits the run reports (deadlock, fault, --max-time). Every process runs with a time limit; sockets
// are loopback only.
#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gdb_session.h"

namespace {

using namespace aimc::test;

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

// --------------------------------------------------------------------------------------------
// A raw protocol client: what gdb cannot easily be made to do.
// --------------------------------------------------------------------------------------------

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

}  // namespace
