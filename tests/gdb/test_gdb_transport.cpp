// The gdb stub's transport (models/host/gdb_rsp_transport.*) in whole-platform runs of
// build/bin/aimc-vp --gdb: listening and refusing, a second client, disconnection, Ctrl-C (from gdb
// and as a raw 0x03), malformed packets and detach. Every process runs with a time limit; sockets
// are loopback only.
#include <signal.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "gdb_session.h"

namespace {

using namespace aimc::test;

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
// A raw protocol client
// --------------------------------------------------------------------------------------------

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

// --------------------------------------------------------------------------------------------
// Start-up
// --------------------------------------------------------------------------------------------

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

}  // namespace
