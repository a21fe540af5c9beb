#include "host/gdb_rsp_transport.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aimc::host {

namespace rsp {
namespace {
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_hex(const std::string& s, size_t& pos, uint32_t& out) {
    uint64_t v = 0;
    const size_t start = pos;
    while (pos < s.size() && hex_digit(s[pos]) >= 0) {
        v = (v << 4) | static_cast<unsigned>(hex_digit(s[pos]));
        if (v > 0xFFFFFFFFull) return false;
        ++pos;
    }
    out = static_cast<uint32_t>(v);
    return pos > start;
}

bool expect(const std::string& s, size_t& pos, char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
}

void append_hex_byte(std::string& out, uint8_t b) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
}

void append_hex_le32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) append_hex_byte(out, static_cast<uint8_t>(v >> (8 * i)));
}

bool decode_hex_bytes(const std::string& s, size_t pos, size_t count, std::vector<uint8_t>& out) {
    if (s.size() - pos < 2 * count) return false;
    out.resize(count);
    for (size_t i = 0; i < count; ++i) {
        const int hi = hex_digit(s[pos + 2 * i]), lo = hex_digit(s[pos + 2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return true;
}

std::string hex_text(const std::string& text) {
    std::string out;
    for (const char c : text) append_hex_byte(out, static_cast<uint8_t>(c));
    return out;
}

std::string hex_u32(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x", v);
    return buf;
}

std::string escape_binary(const std::string& data) {
    std::string out;
    for (const char c : data) {
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            out += '}';
            out += static_cast<char>(c ^ 0x20);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace rsp

RspTransport::RspTransport(uint16_t port, std::ostream& log) : log_(log) {
    listen_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_ < 0) throw GdbError(std::string("gdb server: socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // loopback only: the stub gives full control of the host
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_, 1) != 0) {
        const std::string err = std::strerror(errno);
        ::close(listen_);
        listen_ = -1;
        throw GdbError("gdb server: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + err);
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
}

RspTransport::~RspTransport() {
    if (client_ >= 0) ::close(client_);
    if (listen_ >= 0) ::close(listen_);
}

bool RspTransport::accept_client(std::chrono::milliseconds timeout) {
    if (client_ >= 0) return true;
    if (listen_ < 0) return false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) return false;
        pollfd p{listen_, POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1 << 30)));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sockaddr_in peer{};
        socklen_t len = sizeof peer;
        const int fd = ::accept4(listen_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
        if (fd < 0) continue;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // many tiny packets
        client_ = fd;
        ack_mode_ = true;
        in_.clear();
        last_sent_.clear();
        log_ << "aimc-vp: gdb connected from 127.0.0.1:" << ntohs(peer.sin_port) << std::endl;
        return true;
    }
}

void RspTransport::refuse_extra_clients() {
    if (listen_ < 0) return;
    for (;;) {
        pollfd p{listen_, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) return;
        const int fd = ::accept4(listen_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) return;
        log_ << "aimc-vp: gdb: refused a second client (one debugger at a time)" << std::endl;
        ::close(fd);
    }
}

void RspTransport::drop_client(const char* why) {
    if (client_ < 0) return;
    log_ << "aimc-vp: gdb " << why << std::endl;
    if (on_drop) on_drop();
    close_all();  // no re-attach: the port closes with the session
}

void RspTransport::close_all() {
    if (client_ >= 0) ::close(client_);
    client_ = -1;
    if (listen_ >= 0) ::close(listen_);
    listen_ = -1;
}

// Waits up to `timeout_ms` (-1: for ever) for bytes from the client and appends them to in_,
// refusing second clients meanwhile. False if the client is gone.
bool RspTransport::fill(int timeout_ms) {
    pollfd p[2] = {{client_, POLLIN, 0}, {listen_, POLLIN, 0}};
    const int n = ::poll(p, listen_ >= 0 ? 2 : 1, timeout_ms);
    if (n < 0) return errno == EINTR;
    if (listen_ >= 0 && (p[1].revents & POLLIN)) refuse_extra_clients();
    if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) return true;
    char buf[4096];
    const ssize_t got = ::recv(client_, buf, sizeof buf, MSG_DONTWAIT);
    if (got > 0) {
        in_.append(buf, static_cast<size_t>(got));
        return true;
    }
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return true;
    return false;  // orderly shutdown or a reset
}

RspTransport::Read RspTransport::read_packet(std::string& payload) {
    for (;;) {
        size_t i = 0;
        while (i < in_.size()) {
            const char c = in_[i];
            if (c == '+') {
                ++i;
            } else if (c == '-') {
                ++i;
                if (ack_mode_ && !last_sent_.empty()) send_raw(last_sent_);
            } else if (c == '\x03') {
                in_.erase(0, i + 1);
                return Read::Interrupt;
            } else if (c == '$') {
                const size_t hash = in_.find('#', i + 1), restart = in_.find('$', i + 1);
                if (restart < hash) {  // a packet that never ended ('$' is always escaped inside one)
                    ++malformed_;
                    i = restart;
                    continue;
                }
                if (hash == std::string::npos || in_.size() < hash + 3) {
                    if (in_.size() - i > kPacketSize + 3) {  // no end in sight: drop it
                        ++malformed_;
                        in_.clear();
                        if (ack_mode_) send_raw("-");
                        i = 0;
                    }
                    break;  // wait for the rest
                }
                const int hi = rsp::hex_digit(in_[hash + 1]), lo = rsp::hex_digit(in_[hash + 2]);
                uint8_t sum = 0;
                for (size_t k = i + 1; k < hash; ++k) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(in_[k]));
                const bool ok = hi >= 0 && lo >= 0 && (hi << 4 | lo) == sum && hash - i - 1 <= kPacketSize;
                std::string body = in_.substr(i + 1, hash - i - 1);
                in_.erase(0, hash + 3);
                i = 0;
                if (!ok) {
                    ++malformed_;
                    if (ack_mode_) send_raw("-");  // gdb sends it again
                    continue;
                }
                if (ack_mode_) send_raw("+");
                ++packets_;
                payload = std::move(body);
                return Read::Packet;
            } else {
                ++i;  // noise between packets
            }
        }
        in_.erase(0, i);
        if (client_ < 0 || !fill(-1)) return Read::Closed;
    }
}

void RspTransport::send_raw(const std::string& bytes) {
    size_t done = 0;
    while (client_ >= 0 && done < bytes.size()) {
        const ssize_t n = ::send(client_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            drop_client("connection lost while sending; the firmware runs on without the debugger");
            return;
        }
        done += static_cast<size_t>(n);
    }
}

void RspTransport::send_packet(const std::string& payload) {
    uint8_t sum = 0;
    for (const char c : payload) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    std::string frame = "$" + payload + "#";
    rsp::append_hex_byte(frame, sum);
    last_sent_ = frame;
    send_raw(frame);
}

RspTransport::Poll RspTransport::poll_interrupt() {
    if (client_ < 0) return Poll::None;
    if (!fill(0)) return Poll::Lost;
    // Ctrl-C is a lone 0x03 between packets; packets sent while running wait for the next stop.
    bool in_packet = false;
    for (size_t i = 0; i < in_.size(); ++i) {
        if (in_[i] == '$') in_packet = true;
        else if (in_[i] == '#') in_packet = false;
        else if (in_[i] == '\x03' && !in_packet) {
            in_.erase(i, 1);
            return Poll::Interrupt;
        }
    }
    return Poll::None;
}

}  // namespace aimc::host
