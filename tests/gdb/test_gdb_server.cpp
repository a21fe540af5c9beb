// The gdb packet engine (models/host/gdb_server.h) against a fake hart, over loopback: framing,
// acks and checksums, every supported packet, malformed input, a second client, disconnection.
#include <future>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "host/gdb_server.h"
#include "host/rv32_csr_table.h"
#include "rsp_client.h"

namespace aimc::host {
namespace {

using namespace std::chrono_literals;
using test::RspClient;

// A hart with 64 KiB of memory at 0x80000000 and two CSRs (mstatus, mhartid).
class FakeTarget : public GdbTarget {
public:
    uint32_t x[32] = {};
    uint32_t pc = 0x80000000;
    std::map<uint16_t, uint32_t> csrs{{0x300, 0x1800}, {0xF14, 0}};
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x10000, 0);
    static constexpr uint32_t kRamBase = 0x80000000;
    struct PointCall {
        Point kind;
        uint32_t addr, len;
        bool on;
    };
    std::vector<PointCall> point_calls;
    std::map<std::tuple<int, uint32_t, uint32_t>, bool> points;

    bool read_register(unsigned r, uint32_t& v) override {
        if (r < 32) v = x[r];
        else if (r == 32) v = pc;
        else if (r >= 65 && csrs.count(static_cast<uint16_t>(r - 65))) v = csrs[static_cast<uint16_t>(r - 65)];
        else return false;
        return true;
    }
    bool write_register(unsigned r, uint32_t v) override {
        if (r < 32) x[r] = r ? v : 0;
        else if (r == 32) pc = v;
        else if (r == 65 + 0x300) csrs[0x300] = v;
        else return false;
        return true;
    }
    uint32_t read_memory(uint32_t addr, uint8_t* data, uint32_t len) override {
        uint32_t n = 0;
        for (; n < len; ++n) {
            const uint64_t a = uint64_t{addr} + n;
            if (a < kRamBase || a - kRamBase >= ram.size()) break;
            data[n] = ram[a - kRamBase];
        }
        return n;
    }
    uint32_t write_memory(uint32_t addr, const uint8_t* data, uint32_t len) override {
        uint32_t n = 0;
        for (; n < len; ++n) {
            const uint64_t a = uint64_t{addr} + n;
            if (a < kRamBase || a - kRamBase >= ram.size()) break;
            ram[a - kRamBase] = data[n];
        }
        return n;
    }
    bool set_point(Point kind, uint32_t addr, uint32_t len, bool on) override {
        point_calls.push_back({kind, addr, len, on});
        if (on) points[{static_cast<int>(kind), addr, len}] = true;
        else points.erase({static_cast<int>(kind), addr, len});
        return true;
    }
};

// A server with a connected client; `stop()` runs GdbServer::stopped() on a helper thread.
class GdbServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        server = std::make_unique<GdbServer>(target, 0, log);
        server->poll_interval = 0ms;
        ASSERT_NE(server->port(), 0);
        ASSERT_TRUE(client.connect(server->port()));
        ASSERT_TRUE(server->accept_client(5s));
    }
    void TearDown() override {
        client.close();
        if (pending.valid()) pending.wait_for(5s);
    }
    void stop(const GdbStop& why = GdbStop::trap()) {
        pending = std::async(std::launch::async, [this, why] { return server->stopped(why); });
    }
    GdbServer::Resume resumed() {
        EXPECT_EQ(pending.wait_for(5s), std::future_status::ready) << "the server did not let the hart go";
        return pending.get();
    }

    FakeTarget target;
    std::ostringstream log;
    std::unique_ptr<GdbServer> server;
    RspClient client;
    std::future<GdbServer::Resume> pending;
};

TEST_F(GdbServerTest, HandshakeAndStopQuery) {
    stop();
    const std::string sup = client.request("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
    EXPECT_NE(sup.find("PacketSize=4000"), std::string::npos) << sup;
    EXPECT_NE(sup.find("qXfer:features:read+"), std::string::npos);
    EXPECT_NE(sup.find("swbreak+"), std::string::npos);
    EXPECT_NE(sup.find("hwbreak+"), std::string::npos);
    EXPECT_EQ(client.request("?"), "T05thread:1;");
    EXPECT_EQ(client.request("qAttached"), "1");
    EXPECT_EQ(client.request("qC"), "QC1");
    EXPECT_EQ(client.request("qfThreadInfo"), "m1");
    EXPECT_EQ(client.request("qsThreadInfo"), "l");
    EXPECT_EQ(client.request("Hg0"), "OK");
    EXPECT_EQ(client.request("vCont?"), "vCont;c;C;s;S");
    EXPECT_EQ(client.request("vMustReplyEmpty"), "");
    EXPECT_EQ(client.request("qTStatus"), "");  // unsupported: empty
    EXPECT_EQ(client.request("!"), "");
    EXPECT_NE(client.acks().find('+'), std::string::npos);  // the server acknowledged our packets
    client.send("c");
    EXPECT_EQ(resumed(), GdbServer::Resume::Continue);
}

// Reads the whole target description in chunks, as gdb would with a small packet size.
std::string read_target_xml(RspClient& client) {
    std::string xml;
    for (unsigned off = 0;;) {
        char req[64];
        std::snprintf(req, sizeof req, "qXfer:features:read:target.xml:%x,%x", off, 200);
        const std::string r = client.request(req);
        if (r.empty() || (r[0] != 'm' && r[0] != 'l') || off > 100000) {
            ADD_FAILURE() << "bad qXfer reply at offset " << off << ": " << r;
            return xml;
        }
        xml += r.substr(1);
        off += static_cast<unsigned>(r.size() - 1);
        if (r[0] == 'l') return xml;
    }
}

// With a target that can read any CSR number, the description lists exactly the hart's CSR table.
TEST_F(GdbServerTest, TargetDescriptionListsExactlyTheCsrTable) {
    for (unsigned n = 0; n < 4096; ++n) target.csrs[static_cast<uint16_t>(n)] = n;
    stop();
    const std::string xml = read_target_xml(client);
    const size_t feature = xml.find("<feature name=\"org.gnu.gdb.riscv.csr\">");
    ASSERT_NE(feature, std::string::npos) << xml;
    const size_t end = xml.find("</feature>", feature);
    ASSERT_NE(end, std::string::npos);
    std::set<std::pair<std::string, unsigned>> listed, table;
    const std::regex reg(R"re(<reg name="(\w+)" bitsize="32" type="int" save-restore="no" regnum="(\d+)"/>)re");
    const std::string csr_part = xml.substr(feature, end - feature);
    for (std::sregex_iterator it(csr_part.begin(), csr_part.end(), reg), last; it != last; ++it)
        listed.insert({(*it)[1].str(), static_cast<unsigned>(std::stoul((*it)[2].str()))});
    for (const CsrDef& d : kCsrTable) table.insert({d.name, 65u + d.number()});
    EXPECT_EQ(listed, table);
    EXPECT_EQ(listed.size(), kNumCsrs);
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, TargetDescription) {
    stop();
    std::string xml;
    for (unsigned off = 0;;) {  // small chunks, as gdb would with a small packet size
        char req[64];
        std::snprintf(req, sizeof req, "qXfer:features:read:target.xml:%x,%x", off, 200);
        const std::string r = client.request(req);
        ASSERT_FALSE(r.empty());
        ASSERT_TRUE(r[0] == 'm' || r[0] == 'l') << r;
        xml += r.substr(1);
        off += static_cast<unsigned>(r.size() - 1);
        if (r[0] == 'l') break;
        ASSERT_LT(off, 100000u);
    }
    EXPECT_NE(xml.find("<architecture>riscv:rv32</architecture>"), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.riscv.cpu"), std::string::npos);
    EXPECT_NE(xml.find("name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\""), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.riscv.csr"), std::string::npos);
    EXPECT_NE(xml.find("name=\"mstatus\" bitsize=\"32\" type=\"int\" save-restore=\"no\" regnum=\"833\""),
              std::string::npos);
    EXPECT_NE(xml.find("name=\"mhartid\""), std::string::npos);
    EXPECT_EQ(xml.find("name=\"mtvec\""), std::string::npos) << "only CSRs the target has are described";
    EXPECT_EQ(client.request("qXfer:features:read:other.xml:0,100"), "E00");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, Registers) {
    target.x[1] = 0x80000010;
    target.x[10] = 0x12345678;
    target.pc = 0x80000100;
    stop();
    const std::string g = client.request("g");
    ASSERT_EQ(g.size(), 33u * 8);
    EXPECT_EQ(g.substr(0, 8), "00000000");
    EXPECT_EQ(g.substr(8, 8), "10000080");  // little-endian
    EXPECT_EQ(g.substr(80, 8), "78563412");
    EXPECT_EQ(g.substr(256, 8), "00010080");
    EXPECT_EQ(client.request("p20"), "00010080");   // pc
    EXPECT_EQ(client.request("p341"), "00180000");  // 65 + 0x300: mstatus
    EXPECT_EQ(client.request("p400"), "E01");       // no such register
    EXPECT_EQ(client.request("Pa=efbeadde"), "OK");
    EXPECT_EQ(target.x[10], 0xdeadbeefu);
    EXPECT_EQ(client.request("P341=08000000"), "OK");
    EXPECT_EQ(target.csrs[0x300], 8u);
    EXPECT_EQ(client.request("P20=zz"), "E01");
    std::string regs(33 * 8, '0');
    regs.replace(8 * 5, 8, "01000000");       // t0 = 1
    regs.replace(8 * 32, 8, "00020080");      // pc
    EXPECT_EQ(client.request("G" + regs), "OK");
    EXPECT_EQ(target.x[5], 1u);
    EXPECT_EQ(target.pc, 0x80000200u);
    EXPECT_EQ(client.request("G0011"), "E01");  // too short
    client.send("s");
    EXPECT_EQ(resumed(), GdbServer::Resume::Step);
}

TEST_F(GdbServerTest, Memory) {
    for (unsigned i = 0; i < 8; ++i) target.ram[i] = static_cast<uint8_t>(0x10 + i);
    stop();
    EXPECT_EQ(client.request("m80000000,8"), "1011121314151617");
    EXPECT_EQ(client.request("m10,4"), "E14");                 // nothing there
    EXPECT_EQ(client.request("m8000fffe,4"), "0000");           // partial: the end of memory
    EXPECT_EQ(client.request("M80000010,4:efbeadde"), "OK");
    EXPECT_EQ(target.ram[0x10], 0xef);
    EXPECT_EQ(target.ram[0x13], 0xde);
    EXPECT_EQ(client.request("M10,1:00"), "E14");
    EXPECT_EQ(client.request("M80000010,4:ef"), "E01");  // length mismatch
    EXPECT_EQ(client.request("X80000020,0:"), "OK");     // gdb's probe for X
    // Binary write with escapes: 0x23 '#', 0x24 '$', 0x7d '}' travel as '}' + (byte ^ 0x20).
    const std::string bin = std::string("X80000020,4:") + "}\x03" + "}\x04" + "}]" + "A";
    EXPECT_EQ(client.request(bin), "OK");
    EXPECT_EQ(target.ram[0x20], 0x23);
    EXPECT_EQ(target.ram[0x21], 0x24);
    EXPECT_EQ(target.ram[0x22], 0x7d);
    EXPECT_EQ(target.ram[0x23], 'A');
    EXPECT_EQ(client.request("mzz,4"), "E01");
    EXPECT_EQ(client.request("m80000000"), "E01");
    EXPECT_EQ(client.request("m123456789,4"), "E01");  // wider than 32 bits
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, BreakAndWatchPoints) {
    stop();
    client.request("qSupported:swbreak+;hwbreak+");
    EXPECT_EQ(client.request("Z0,80000040,2"), "OK");
    EXPECT_EQ(client.request("Z1,80000080,4"), "OK");
    EXPECT_EQ(client.request("Z2,80001000,4"), "OK");
    EXPECT_EQ(client.request("Z3,80001010,4"), "OK");
    EXPECT_EQ(client.request("Z4,80001020,2"), "OK");
    EXPECT_EQ(client.request("Z5,80001020,2"), "");  // unknown type: unsupported
    EXPECT_EQ(client.request("Z2,80001000"), "E01");
    EXPECT_EQ(target.points.size(), 5u);
    EXPECT_TRUE((target.points.count({static_cast<int>(GdbTarget::Point::Write), 0x80001000, 4})));
    client.send("c");
    EXPECT_EQ(resumed(), GdbServer::Resume::Continue);

    stop(GdbStop::breakpoint(0x80000040));
    EXPECT_EQ(client.reply(), "T05swbreak:;thread:1;");
    client.send("c");
    resumed();
    stop(GdbStop::breakpoint(0x80000080));
    EXPECT_EQ(client.reply(), "T05hwbreak:;thread:1;");
    client.send("c");
    resumed();
    stop(GdbStop::watchpoint(0x80001002));
    EXPECT_EQ(client.reply(), "T05watch:80001002;thread:1;");
    client.send("c");
    resumed();
    stop(GdbStop::watchpoint(0x80001010));
    EXPECT_EQ(client.reply(), "T05rwatch:80001010;thread:1;");
    client.send("c");
    resumed();
    stop(GdbStop::watchpoint(0x80001021));
    EXPECT_EQ(client.reply(), "T05awatch:80001021;thread:1;");
    EXPECT_EQ(client.request("z0,80000040,2"), "OK");
    EXPECT_EQ(client.request("z2,80001000,4"), "OK");
    EXPECT_EQ(client.request("z2,80001000,4"), "OK");  // twice: harmless
    EXPECT_EQ(target.points.size(), 3u);
    client.send("D");
    EXPECT_EQ(client.reply(), "OK");
    EXPECT_EQ(resumed(), GdbServer::Resume::Detach);
    EXPECT_TRUE(target.points.empty()) << "detach takes every point back";
    EXPECT_FALSE(server->connected());
}

TEST_F(GdbServerTest, SameBreakpointTwiceStaysUntilBothAreRemoved) {
    stop();
    EXPECT_EQ(client.request("Z0,80000040,2"), "OK");
    EXPECT_EQ(client.request("Z1,80000040,2"), "OK");
    EXPECT_EQ(client.request("z0,80000040,2"), "OK");
    EXPECT_EQ(target.point_calls.size(), 1u) << "still one breakpoint at that pc";
    EXPECT_EQ(client.request("z1,80000040,2"), "OK");
    ASSERT_EQ(target.point_calls.size(), 2u);
    EXPECT_FALSE(target.point_calls.back().on);
    client.send("c");
    resumed();
}

// The hart stops after the access; gdb's RISC-V port expects to stop before it and steps over the
// instruction itself, with a single-step or with a breakpoint at the next pc and a continue.
TEST_F(GdbServerTest, WatchpointStepOverIsAnsweredWithoutRunning) {
    stop();
    EXPECT_EQ(client.request("Z2,80001000,4"), "OK");
    client.send("c");
    resumed();
    target.pc = 0x80000104;  // after the store at 0x80000100
    stop(GdbStop::watchpoint(0x80001000, 0x80000100));
    EXPECT_EQ(client.reply(), "T05watch:80001000;thread:1;");
    EXPECT_EQ(client.request("p20"), "00010080") << "the pc reads as the accessing instruction's";
    EXPECT_EQ(client.request("g").substr(256, 8), "00010080");
    EXPECT_EQ(client.request("z2,80001000,4"), "OK");
    EXPECT_EQ(client.request("Z0,80000104,4"), "OK");
    EXPECT_EQ(client.request("vCont;c:1"), "T05thread:1;");
    EXPECT_NE(pending.wait_for(100ms), std::future_status::ready) << "the step over must not run the hart";
    EXPECT_EQ(client.request("p20"), "04010080") << "and the pc is the real one again";
    EXPECT_EQ(client.request("z0,80000104,4"), "OK");
    EXPECT_EQ(client.request("Z2,80001000,4"), "OK");
    client.send("c");  // a real continue now
    EXPECT_EQ(resumed(), GdbServer::Resume::Continue);

    stop(GdbStop::watchpoint(0x80001000, 0x80000100));
    EXPECT_EQ(client.reply(), "T05watch:80001000;thread:1;");
    EXPECT_EQ(client.request("P20=00010080"), "OK") << "writing back the pc read changes nothing";
    EXPECT_EQ(target.pc, 0x80000104u);
    EXPECT_EQ(client.request("vCont;s:1"), "T05thread:1;");
    EXPECT_EQ(client.request("p20"), "04010080");
    client.send("vCont;s:1");  // a real step now
    EXPECT_EQ(resumed(), GdbServer::Resume::Step);

    stop(GdbStop::watchpoint(0x80001000, 0x80000100));
    EXPECT_EQ(client.reply(), "T05watch:80001000;thread:1;");
    EXPECT_EQ(client.request("P20=00020080"), "OK") << "a new pc ends the pretence";
    EXPECT_EQ(target.pc, 0x80000200u);
    client.send("vCont;s:1");
    EXPECT_EQ(resumed(), GdbServer::Resume::Step);
}

TEST_F(GdbServerTest, ResumeForms) {
    const std::pair<const char*, GdbServer::Resume> cases[] = {
        {"c", GdbServer::Resume::Continue},          {"s", GdbServer::Resume::Step},
        {"C05", GdbServer::Resume::Continue},        {"S05", GdbServer::Resume::Step},
        {"vCont;c", GdbServer::Resume::Continue},    {"vCont;s:1;c", GdbServer::Resume::Step},
        {"vCont;C02:1", GdbServer::Resume::Continue}, {"c80000400", GdbServer::Resume::Continue},
    };
    stop();
    for (const auto& [packet, expected] : cases) {
        client.send(packet);
        EXPECT_EQ(resumed(), expected) << packet;
        stop();  // the hart stops again: the client, waiting, is told
        EXPECT_EQ(client.reply(), "T05thread:1;") << packet;
    }
    EXPECT_EQ(target.pc, 0x80000400u) << "c addr sets the pc";
    EXPECT_EQ(client.request("vCont;t"), "E01");
    EXPECT_EQ(client.request("Czz"), "E01");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, Kill) {
    stop();
    client.send("k");
    EXPECT_EQ(resumed(), GdbServer::Resume::Kill);
    EXPECT_TRUE(client.closed_by_server());
    server->exited(137);  // nothing more is sent to a killed session
}

TEST_F(GdbServerTest, VKill) {
    stop();
    EXPECT_EQ(client.request("vKill;1"), "OK");
    EXPECT_EQ(resumed(), GdbServer::Resume::Kill);
}

TEST_F(GdbServerTest, ExitStatus) {
    stop();
    client.send("c");
    resumed();
    server->exited(42, "bye\n");
    EXPECT_EQ(client.reply(), "O6279650a");  // "bye\n" as console output
    EXPECT_EQ(client.reply(), "W2a");
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_FALSE(server->connected());
}

TEST_F(GdbServerTest, TerminatedBySignal) {
    stop();
    client.send("c");
    resumed();
    server->terminated(GdbServer::kSigSegv);
    EXPECT_EQ(client.reply(), "X0b");
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(GdbServerTest, StopMessageGoesToTheConsoleFirst) {
    stop();
    client.send("c");
    resumed();
    GdbStop why = GdbStop::signalled(GdbServer::kSigIll);
    why.message = "hi";
    stop(why);
    EXPECT_EQ(client.reply(), "O6869");
    EXPECT_EQ(client.reply(), "T04thread:1;");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, CtrlCWhileRunning) {
    stop();
    client.send("c");
    resumed();
    EXPECT_FALSE(server->interrupt_requested());
    client.send_raw("\x03");
    bool seen = false;
    for (int i = 0; i < 500 && !seen; ++i) {
        seen = server->interrupt_requested();
        if (!seen) std::this_thread::sleep_for(2ms);
    }
    EXPECT_TRUE(seen);
    stop(GdbStop::signalled(GdbServer::kSigInt));
    EXPECT_EQ(client.reply(), "T02thread:1;");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, ChecksumsAndAcks) {
    stop();
    client.send_raw("$?#00");  // wrong checksum: NAK, then the server waits for it again
    int c = client.read_byte();
    EXPECT_EQ(c, '-');
    client.send_raw("garbage between packets");
    EXPECT_EQ(client.request("?"), "T05thread:1;");
    client.send_raw("$m80000000,4");  // never finished: the next packet is served all the same
    EXPECT_EQ(client.request("qC"), "QC1");
    client.send_raw("$?#zz");  // not even hex
    EXPECT_EQ(client.read_byte(), '-');
    // A NAK from the client: the server sends its last packet again.
    client.send("qC");
    EXPECT_EQ(client.reply(), "QC1");
    client.send_raw("-");
    EXPECT_EQ(client.reply(), "QC1");
    EXPECT_GE(server->malformed(), 2u);
    // No-ack mode: no more '+' from the server.
    EXPECT_EQ(client.request("QStartNoAckMode"), "OK");
    client.set_ack(false);
    const size_t acks = client.acks().size();
    EXPECT_EQ(client.request("qC"), "QC1");
    EXPECT_EQ(client.request("?"), "T05thread:1;");
    EXPECT_EQ(client.acks().size(), acks);
    client.send_raw("$?#00");  // bad checksum in no-ack mode: dropped silently
    EXPECT_EQ(client.request("qC"), "QC1");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, OverlongPacketIsDropped) {
    stop();
    client.send_raw("$" + std::string(GdbServer::kPacketSize + 100, 'm'));
    EXPECT_EQ(client.read_byte(), '-');
    EXPECT_EQ(client.request("qC"), "QC1");
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, MalformedArgumentsGetErrors) {
    stop();
    for (const char* bad : {"p", "pzz", "P", "P1", "P1=", "m", "m,", "M80000000", "M80000000,2", "Z", "Z0", "Z0,",
                            "z2,1", "X80000000,4", "G", "C", "S;"}) {
        EXPECT_EQ(client.request(bad).substr(0, 1), "E") << bad;
    }
    EXPECT_EQ(client.request(""), "");
    EXPECT_EQ(client.request("qC"), "QC1") << "the server still works";
    client.send("c");
    resumed();
}

TEST_F(GdbServerTest, SecondClientIsRefused) {
    stop();
    RspClient second;
    ASSERT_TRUE(second.connect(server->port()));
    EXPECT_TRUE(second.closed_by_server());
    EXPECT_EQ(client.request("qC"), "QC1") << "the first client is still served";
    client.send("c");
    resumed();
    EXPECT_NE(log.str().find("refused a second client"), std::string::npos) << log.str();
    // And while the hart runs.
    RspClient third;
    ASSERT_TRUE(third.connect(server->port()));
    for (int i = 0; i < 100; ++i) {
        server->interrupt_requested();
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_TRUE(third.closed_by_server());
    EXPECT_TRUE(server->connected());
}

TEST_F(GdbServerTest, DisconnectWhileStopped) {
    stop();
    EXPECT_EQ(client.request("Z0,80000040,2"), "OK");
    client.close();
    EXPECT_EQ(resumed(), GdbServer::Resume::Detach);
    EXPECT_TRUE(target.points.empty());
    EXPECT_NE(log.str().find("disconnected"), std::string::npos);
    // Later stops do not wait for anybody.
    EXPECT_EQ(server->stopped(GdbStop::trap()), GdbServer::Resume::Detach);
    EXPECT_FALSE(server->interrupt_requested());
    server->exited(0);
}

TEST_F(GdbServerTest, DisconnectWhileRunning) {
    stop();
    EXPECT_EQ(client.request("Z2,80001000,4"), "OK");
    client.send("c");
    resumed();
    client.close();
    for (int i = 0; i < 500 && server->connected(); ++i) {
        EXPECT_FALSE(server->interrupt_requested());
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_FALSE(server->connected());
    EXPECT_TRUE(target.points.empty());
    EXPECT_NE(log.str().find("disconnected while the firmware was running"), std::string::npos) << log.str();
}

TEST(GdbServerAccept, TimesOutWithoutClient) {
    FakeTarget target;
    std::ostringstream log;
    GdbServer server(target, 0, log);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(server.accept_client(200ms));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST(GdbServerAccept, PortInUseIsAnError) {
    FakeTarget target;
    std::ostringstream log;
    GdbServer first(target, 0, log);
    EXPECT_THROW(GdbServer(target, first.port(), log), GdbError);
}

}  // namespace
}  // namespace aimc::host
