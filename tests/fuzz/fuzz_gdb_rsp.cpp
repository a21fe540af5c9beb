// Fuzz harness: the gdb stub (models/host/gdb_server.h on gdb_rsp_transport.h) reading what a client
// sends over a real loopback connection: packet framing, checksums, acks and no-ack mode, Ctrl-C,
// and every request it parses (registers, memory in hex and binary, break/watch points, queries,
// resume), against a fake hart with 4 KiB of RAM at 0x80000000.
//
// Input: a flags byte, then the client's bytes. Flags bit 0 clear: the bytes are split at '\n' and
// each piece framed as a packet ($payload#checksum); set: sent raw. Bits 1-2: how the hart stops
// (signal, breakpoint, watchpoint, watchpoint after another pc).
// Properties: everything the stub sends is acks ('+', '-') and frames with a correct checksum and
// no unescaped '$' or '#' inside; the fake hart is only asked for registers and memory it has (it
// answers the rest with "no"), never for a point that runs past the 32-bit address space; the session ends when the client hangs
// up (no hang: libFuzzer's -timeout catches one).
#include <poll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "fuzz_check.h"
#include "host/gdb_server.h"

namespace {

using aimc::host::GdbServer;
using aimc::host::GdbStop;
using aimc::host::GdbTarget;

class FakeHart : public GdbTarget {
public:
    static constexpr uint32_t kBase = 0x80000000u, kSize = 4096;
    uint32_t regs[33] = {};
    uint8_t ram[kSize] = {};

    bool read_register(unsigned regno, uint32_t& value) override {
        if (regno < 33) return value = regs[regno], true;
        if (regno == 65 + 0x300 || regno == 65 + 0x341) return value = 0x1800, true;  // mstatus, mepc
        return false;
    }
    bool write_register(unsigned regno, uint32_t value) override {
        if (regno == 0) return true;
        if (regno < 33) return regs[regno] = value, true;
        return false;
    }
    uint32_t span(uint32_t addr, uint32_t len) const {
        if (addr < kBase || addr - kBase >= kSize) return 0;
        return std::min<uint32_t>(len, kSize - (addr - kBase));
    }
    uint32_t read_memory(uint32_t addr, uint8_t* data, uint32_t len) override {
        const uint32_t n = span(addr, len);
        if (n) std::memcpy(data, ram + (addr - kBase), n);
        return n;
    }
    uint32_t write_memory(uint32_t addr, const uint8_t* data, uint32_t len) override {
        const uint32_t n = span(addr, len);
        if (n) std::memcpy(ram + (addr - kBase), data, n);
        return n;
    }
    bool set_point(Point, uint32_t addr, uint32_t len, bool) override {
        FUZZ_CHECK(uint64_t{addr} + len <= (uint64_t{1} << 32), "a point [0x%x, +0x%x) past the address space", addr, len);
        return span(addr, 1) != 0;
    }
};

class NullBuf : public std::streambuf {
protected:
    int overflow(int c) override { return c; }
};

std::string frame(const std::string& payload) {
    uint8_t sum = 0;
    for (const char c : payload) sum = uint8_t(sum + uint8_t(c));
    static const char* hex = "0123456789abcdef";
    return "$" + payload + "#" + hex[sum >> 4] + hex[sum & 15];
}

// What the stub sent: acks and well-formed frames only.
void check_replies(const std::string& in) {
    size_t i = 0;
    while (i < in.size()) {
        if (in[i] == '+' || in[i] == '-') {
            ++i;
            continue;
        }
        FUZZ_CHECK(in[i] == '$', "stray byte 0x%02x at %zu of the stub's output", uint8_t(in[i]), i);
        const size_t hash = in.find('#', i + 1);
        FUZZ_CHECK(hash != std::string::npos && hash + 2 < in.size(), "an unterminated frame at %zu", i);
        uint8_t sum = 0;
        for (size_t k = i + 1; k < hash; ++k) {
            FUZZ_CHECK(in[k] != '$', "an unescaped '$' inside a frame at %zu", k);
            sum = uint8_t(sum + uint8_t(in[k]));
        }
        const unsigned want = std::stoul(in.substr(hash + 1, 2), nullptr, 16);
        FUZZ_CHECK(want == sum, "a frame with checksum %02x, its payload sums to %02x", want, sum);
        i = hash + 3;
    }
}

// The client: sends `out` while reading everything the stub sends, hangs up, reads to the end.
void client(int fd, const std::string& out, std::string& in) {
    size_t sent = 0;
    bool closed_write = false;
    for (;;) {
        if (sent == out.size() && !closed_write) {
            ::shutdown(fd, SHUT_WR);
            closed_write = true;
        }
        pollfd p{fd, short(POLLIN | (closed_write ? 0 : POLLOUT)), 0};
        if (::poll(&p, 1, 5000) <= 0) break;  // the stub hangs: libFuzzer's timeout reports it
        if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[8192];
            const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) in.append(buf, size_t(n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) break;
        }
        if (!closed_write && (p.revents & POLLOUT)) {
            const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (n > 0) sent += size_t(n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR) break;
        }
    }
    const linger hard{1, 0};  // no TIME_WAIT: many sessions per second
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    ::close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 64 * 1024) return 0;
    const uint8_t flags = data[0];
    const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string out;
    if (flags & 1) {
        out = body;
    } else {
        size_t at = 0;
        while (at <= body.size()) {
            const size_t nl = std::min(body.find('\n', at), body.size());
            out += frame(body.substr(at, nl - at));
            at = nl + 1;
        }
    }

    NullBuf null_buf;
    std::ostream log(&null_buf);
    FakeHart hart;
    for (uint32_t i = 0; i < 33; ++i) hart.regs[i] = i ? 0x80000000u + 4 * i : 0;
    GdbServer server(hart, 0, log);
    server.poll_interval = std::chrono::milliseconds(0);

    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    FUZZ_CHECK(fd >= 0, "socket: %s", std::strerror(errno));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server.port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    FUZZ_CHECK(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0, "connect: %s", std::strerror(errno));
    FUZZ_CHECK(server.accept_client(std::chrono::milliseconds(5000)), "the stub did not accept the client");

    std::string replies;
    std::thread peer(client, fd, std::cref(out), std::ref(replies));
    const GdbStop stops[4] = {GdbStop::signalled(GdbServer::kSigTrap), GdbStop::breakpoint(0x80000010u),
                              GdbStop::watchpoint(0x80000100u), GdbStop::watchpoint(0x80000100u, 0x80000008u)};
    const GdbStop& stop = stops[(flags >> 1) & 3];
    for (int round = 0; round < 100000; ++round) {
        const GdbServer::Resume r = server.stopped(stop);
        if (r == GdbServer::Resume::Detach) break;
        if (r == GdbServer::Resume::Kill) {
            server.terminated(GdbServer::kSigKill);
            break;
        }
        (void)server.interrupt_requested();  // the hart "runs": a Ctrl-C may come
        if (round % 7 == 6) {                // now and then the run ends instead of stopping
            server.exited(round & 0xFF, "exit");
            break;
        }
    }
    server.exited(0);  // closes whatever is left
    peer.join();
    check_replies(replies);
    return 0;
}
