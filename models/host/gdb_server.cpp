#include "host/gdb_server.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aimc::host {
namespace {

constexpr unsigned kPcRegnum = 32, kCsrRegnumBase = 65, kNumGRegs = 33;  // 'g' packet: x0..x31, pc
constexpr char kHex[] = "0123456789abcdef";

// The machine-level CSRs gdb may be told about; only those the target can read are described.
struct CsrName {
    uint16_t number;
    const char* name;
};
constexpr CsrName kCsrNames[] = {
    {0x300, "mstatus"},   {0x301, "misa"},     {0x302, "medeleg"},   {0x303, "mideleg"},  {0x304, "mie"},
    {0x305, "mtvec"},     {0x306, "mcounteren"}, {0x310, "mstatush"}, {0x320, "mcountinhibit"},
    {0x340, "mscratch"},  {0x341, "mepc"},     {0x342, "mcause"},    {0x343, "mtval"},    {0x344, "mip"},
    {0xB00, "mcycle"},    {0xB02, "minstret"}, {0xB80, "mcycleh"},   {0xB82, "minstreth"},
    {0xC00, "cycle"},     {0xC01, "time"},     {0xC02, "instret"},   {0xC80, "cycleh"},   {0xC81, "timeh"},
    {0xC82, "instreth"},  {0xF11, "mvendorid"}, {0xF12, "marchid"},  {0xF13, "mimpid"},   {0xF14, "mhartid"},
};

// gdb's own names and types for the integer registers (features/riscv/32bit-cpu.xml).
constexpr const char* kGprNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
                                       "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                       "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Parses hex digits at `pos` (at least one, at most 32 bits), advancing `pos`.
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

// Binary payloads (qXfer) escape the framing characters: '}' then the byte xor 0x20.
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

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool same_point(const GdbTarget::Point a, uint32_t addr_a, uint32_t len_a, const GdbTarget::Point b, uint32_t addr_b,
                uint32_t len_b) {
    const auto is_break = [](GdbTarget::Point p) {
        return p == GdbTarget::Point::Software || p == GdbTarget::Point::Hardware;
    };
    if (is_break(a) && is_break(b)) return addr_a == addr_b;  // both are one pc breakpoint on the hart
    return a == b && addr_a == addr_b && len_a == len_b;
}

}  // namespace

GdbServer::GdbServer(GdbTarget& target, uint16_t port, std::ostream& log) : target_(target), log_(log) {
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

GdbServer::~GdbServer() {
    if (client_ >= 0) ::close(client_);
    if (listen_ >= 0) ::close(listen_);
}

bool GdbServer::accept_client(std::chrono::milliseconds timeout) {
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
        running_ = false;
        in_.clear();
        last_sent_.clear();
        log_ << "aimc-vp: gdb connected from 127.0.0.1:" << ntohs(peer.sin_port) << std::endl;
        return true;
    }
}

void GdbServer::refuse_extra_clients() {
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

void GdbServer::drop_client(const char* why) {
    if (client_ < 0) return;
    log_ << "aimc-vp: gdb " << why << std::endl;
    clear_points();
    close_all();  // no re-attach: the port closes with the session
}

void GdbServer::clear_points() {
    for (const auto& p : points_) target_.set_point(p.kind, p.addr, p.len, false);
    points_.clear();
}

// Waits up to `timeout_ms` (-1: for ever) for bytes from the client and appends them to in_,
// refusing second clients meanwhile. False if the client is gone.
bool GdbServer::fill(int timeout_ms) {
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

GdbServer::Read GdbServer::read_packet(std::string& payload) {
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
                const int hi = hex_digit(in_[hash + 1]), lo = hex_digit(in_[hash + 2]);
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

void GdbServer::send_raw(const std::string& bytes) {
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

void GdbServer::send_packet(const std::string& payload) {
    uint8_t sum = 0;
    for (const char c : payload) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    std::string frame = "$" + payload + "#";
    append_hex_byte(frame, sum);
    last_sent_ = frame;
    send_raw(frame);
}

GdbServer::Resume GdbServer::stopped(const GdbStop& why) {
    if (client_ < 0) return Resume::Detach;
    last_stop_ = why;
    if (running_) {
        if (!why.message.empty()) send_packet("O" + hex_text(why.message));
        send_packet(stop_reply(why));
        running_ = false;
    }
    rewound_ = false;
    if (why.kind == GdbStop::Kind::Watchpoint && why.access_pc && target_.read_register(kPcRegnum, real_pc_) &&
        *why.access_pc != real_pc_) {
        rewound_ = true;
        rewound_pc_ = *why.access_pc;
    }
    for (;;) {
        std::string packet;
        const Read r = read_packet(packet);
        if (r == Read::Closed || client_ < 0) {
            drop_client("disconnected; the firmware runs on without the debugger");
            return Resume::Detach;
        }
        if (r == Read::Interrupt) continue;  // already stopped
        Resume resume = Resume::Continue;
        if (handle(packet, resume)) {
            if (resume == Resume::Continue || resume == Resume::Step) running_ = client_ >= 0;
            return (client_ >= 0 || (resume != Resume::Continue && resume != Resume::Step)) ? resume : Resume::Detach;
        }
        if (client_ < 0) return Resume::Detach;
    }
}

bool GdbServer::interrupt_requested() {
    if (client_ < 0) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_) return false;
    next_poll_ = now + poll_interval;
    if (!fill(0)) {
        drop_client("disconnected while the firmware was running; it runs on without the debugger");
        return false;
    }
    // Ctrl-C is a lone 0x03 between packets; packets sent while running wait for the next stop.
    bool in_packet = false;
    for (size_t i = 0; i < in_.size(); ++i) {
        if (in_[i] == '$') in_packet = true;
        else if (in_[i] == '#') in_packet = false;
        else if (in_[i] == '\x03' && !in_packet) {
            in_.erase(i, 1);
            return true;
        }
    }
    return false;
}

void GdbServer::exited(int exit_code, const std::string& message) {
    std::string reply = "W";
    append_hex_byte(reply, static_cast<uint8_t>(exit_code));
    end_session(reply, message);
}

void GdbServer::terminated(int signal, const std::string& message) {
    std::string reply = "X";
    append_hex_byte(reply, static_cast<uint8_t>(signal));
    end_session(reply, message);
}

void GdbServer::end_session(const std::string& reply, const std::string& message) {
    if (client_ >= 0 && running_) {  // only a client waiting for a stop expects it
        if (!message.empty()) send_packet("O" + hex_text(message));
        send_packet(reply);
    }
    close_all();
}

void GdbServer::close_all() {
    points_.clear();  // the hart is gone or leaves the debugger: nothing to take back
    if (client_ >= 0) ::close(client_);
    client_ = -1;
    running_ = false;
    if (listen_ >= 0) ::close(listen_);
    listen_ = -1;
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

bool GdbServer::handle(const std::string& packet, Resume& resume) {
    if (packet.empty()) {
        send_packet("");
        return false;
    }
    std::string reply;
    switch (packet[0]) {
        case '?': reply = stop_reply(last_stop_); break;
        case 'g': reply = read_registers(); break;
        case 'G': {
            std::vector<uint8_t> bytes;
            if (!decode_hex_bytes(packet, 1, 4 * kNumGRegs, bytes)) {
                ++malformed_;
                reply = "E01";
                break;
            }
            bool ok = true;
            for (unsigned r = 1; r < kNumGRegs; ++r) {
                uint32_t v = 0;
                std::memcpy(&v, &bytes[4 * r], 4);
                ok = (r == kPcRegnum ? write_pc_register(v) : target_.write_register(r, v)) && ok;
            }
            reply = ok ? "OK" : "E01";
            break;
        }
        case 'p': {
            size_t pos = 1;
            uint32_t regno = 0, value = 0;
            if (!parse_hex(packet, pos, regno) || pos != packet.size()) {
                ++malformed_;
                reply = "E01";
            } else if (!(regno == kPcRegnum ? read_pc_register(value) : target_.read_register(regno, value))) {
                reply = "E01";
            } else {
                append_hex_le32(reply, value);
            }
            break;
        }
        case 'P': {
            size_t pos = 1;
            uint32_t regno = 0;
            std::vector<uint8_t> bytes;
            if (!parse_hex(packet, pos, regno) || !expect(packet, pos, '=') || packet.size() - pos != 8 ||
                !decode_hex_bytes(packet, pos, 4, bytes)) {
                ++malformed_;
                reply = "E01";
                break;
            }
            uint32_t v = 0;
            std::memcpy(&v, bytes.data(), 4);
            reply = (regno == kPcRegnum ? write_pc_register(v) : target_.write_register(regno, v)) ? "OK" : "E01";
            break;
        }
        case 'm': reply = handle_memory_read(packet); break;
        case 'M': reply = handle_memory_write(packet, false); break;
        case 'X': reply = handle_memory_write(packet, true); break;
        case 'Z':
        case 'z': reply = handle_point(packet); break;
        case 'c':
        case 's':
        case 'C':
        case 'S':
        case 'v':
            if (handle_resume(packet, resume, reply)) return true;
            break;
        case 'D':
            send_packet("OK");
            drop_client("detached; the firmware runs on without the debugger");
            resume = Resume::Detach;
            return true;
        case 'k':  // no reply
            log_ << "aimc-vp: gdb killed the run" << std::endl;
            resume = Resume::Kill;
            close_all();
            return true;
        case 'H':
        case 'T': reply = "OK"; break;  // one thread: every thread id is it
        case 'Q':
            if (packet == "QStartNoAckMode") {  // the OK is the last packet acknowledged
                send_packet("OK");
                ack_mode_ = false;
                return false;
            }
            break;
        case 'q': reply = handle_query(packet); break;
        default: break;  // unsupported: empty reply
    }
    send_packet(reply);
    return false;
}

bool GdbServer::handle_resume(const std::string& packet, Resume& resume, std::string& reply) {
    char action = packet[0];
    size_t pos = 1;
    if (action == 'v') {
        if (packet == "vCont?") {
            reply = "vCont;c;C;s;S";
            return false;
        }
        if (starts_with(packet, "vKill")) {
            send_packet("OK");
            log_ << "aimc-vp: gdb killed the run" << std::endl;
            resume = Resume::Kill;
            close_all();
            return true;
        }
        if (!starts_with(packet, "vCont;")) return false;  // vMustReplyEmpty and the rest: empty reply
        // One hart: the first action applies (gdb lists thread-specific actions first).
        action = packet.size() > 6 ? packet[6] : '?';
        if (action != 'c' && action != 'C' && action != 's' && action != 'S') {
            ++malformed_;
            reply = "E01";
            return false;
        }
    } else {
        uint32_t addr = 0;
        if (action == 'C' || action == 'S') {  // signal number: delivered signals mean nothing here
            uint32_t sig = 0;
            if (!parse_hex(packet, pos, sig)) {
                ++malformed_;
                reply = "E01";
                return false;
            }
            if (pos < packet.size() && !expect(packet, pos, ';')) {
                ++malformed_;
                reply = "E01";
                return false;
            }
        }
        if (pos < packet.size()) {
            if (!parse_hex(packet, pos, addr) || pos != packet.size()) {
                ++malformed_;
                reply = "E01";
                return false;
            }
            write_pc_register(addr);
        }
    }
    const bool step = action == 's' || action == 'S';
    if (rewound_) {
        // gdb steps over the access that the hart has already made (see rewound_): done at once.
        rewound_ = false;
        const bool break_there = std::any_of(points_.begin(), points_.end(), [&](const Inserted& p) {
            return p.addr == real_pc_ && (p.kind == GdbTarget::Point::Software || p.kind == GdbTarget::Point::Hardware);
        });
        if (step) {
            reply = stop_reply(GdbStop::trap());
            return false;
        }
        if (break_there) {
            reply = stop_reply(GdbStop::breakpoint(real_pc_));
            return false;
        }
    }
    resume = step ? Resume::Step : Resume::Continue;
    return true;
}

std::string GdbServer::stop_reply(const GdbStop& why) const {
    std::string r = "T";
    append_hex_byte(r, static_cast<uint8_t>(why.signal));
    if (why.kind == GdbStop::Kind::Breakpoint) {
        bool hw = false, sw = false;
        for (const auto& p : points_) {
            if (p.addr != why.addr) continue;
            sw = sw || p.kind == GdbTarget::Point::Software;
            hw = hw || p.kind == GdbTarget::Point::Hardware;
        }
        if (sw && client_swbreak_) r += "swbreak:;";
        else if (hw && client_hwbreak_) r += "hwbreak:;";
    } else if (why.kind == GdbStop::Kind::Watchpoint) {
        // The hart gives the address, not the access: name the first watchpoint covering it.
        const char* name = nullptr;
        for (const GdbTarget::Point kind : {GdbTarget::Point::Write, GdbTarget::Point::Access, GdbTarget::Point::Read}) {
            for (const auto& p : points_) {
                if (!name && p.kind == kind && why.addr >= p.addr && why.addr - p.addr < std::max(p.len, 1u))
                    name = kind == GdbTarget::Point::Write ? "watch" : kind == GdbTarget::Point::Read ? "rwatch" : "awatch";
            }
        }
        if (name) r += std::string(name) + ":" + hex_u32(why.addr) + ";";
    }
    r += "thread:1;";
    return r;
}

bool GdbServer::read_pc_register(uint32_t& value) {
    if (!rewound_) return target_.read_register(kPcRegnum, value);
    value = rewound_pc_;
    return true;
}

bool GdbServer::write_pc_register(uint32_t value) {
    if (rewound_ && value == rewound_pc_) return true;  // gdb writing back what it read: no change
    rewound_ = false;
    return target_.write_register(kPcRegnum, value);
}

std::string GdbServer::read_registers() {
    std::string r;
    for (unsigned i = 0; i < kNumGRegs; ++i) {
        uint32_t v = 0;
        if (i == kPcRegnum ? read_pc_register(v) : target_.read_register(i, v)) append_hex_le32(r, v);
        else r += "xxxxxxxx";  // unavailable
    }
    return r;
}

std::string GdbServer::handle_memory_read(const std::string& packet) {
    size_t pos = 1;
    uint32_t addr = 0, len = 0;
    if (!parse_hex(packet, pos, addr) || !expect(packet, pos, ',') || !parse_hex(packet, pos, len) ||
        pos != packet.size()) {
        ++malformed_;
        return "E01";
    }
    len = std::min<uint32_t>(len, (kPacketSize - 8) / 2);
    if (len == 0) return "";
    std::vector<uint8_t> data(len);
    const uint32_t got = target_.read_memory(addr, data.data(), len);
    if (got == 0) return "E14";  // EFAULT
    std::string r;
    r.reserve(2 * got);
    for (uint32_t i = 0; i < got; ++i) append_hex_byte(r, data[i]);
    return r;
}

std::string GdbServer::handle_memory_write(const std::string& packet, bool binary) {
    size_t pos = 1;
    uint32_t addr = 0, len = 0;
    if (!parse_hex(packet, pos, addr) || !expect(packet, pos, ',') || !parse_hex(packet, pos, len) ||
        !expect(packet, pos, ':')) {
        ++malformed_;
        return "E01";
    }
    std::vector<uint8_t> data;
    if (binary) {
        for (size_t i = pos; i < packet.size(); ++i) {
            uint8_t c = static_cast<uint8_t>(packet[i]);
            if (c == '}') {
                if (++i >= packet.size()) break;
                c = static_cast<uint8_t>(packet[i] ^ 0x20);
            }
            data.push_back(c);
        }
        if (data.size() != len) {
            ++malformed_;
            return "E01";
        }
    } else if (packet.size() - pos != 2 * static_cast<size_t>(len) || !decode_hex_bytes(packet, pos, len, data)) {
        ++malformed_;
        return "E01";
    }
    if (len == 0) return "OK";  // gdb probes X support with an empty write
    return target_.write_memory(addr, data.data(), len) == len ? "OK" : "E14";
}

std::string GdbServer::handle_point(const std::string& packet) {
    const bool insert = packet[0] == 'Z';
    size_t pos = 1;
    uint32_t type = 0, addr = 0, kind = 0;
    if (!parse_hex(packet, pos, type) || !expect(packet, pos, ',') || !parse_hex(packet, pos, addr) ||
        !expect(packet, pos, ',') || !parse_hex(packet, pos, kind)) {
        ++malformed_;
        return "E01";
    }
    // Anything after the kind (";cond_list", ";cmds") asks for target-side conditions: not supported.
    using P = GdbTarget::Point;
    static constexpr P kinds[] = {P::Software, P::Hardware, P::Write, P::Read, P::Access};
    if (type > 4) return "";
    const P point = kinds[type];
    const uint32_t len = type <= 1 ? 0 : kind;  // breakpoint kind is the instruction size: not needed
    if (type >= 2 && len == 0) return "E01";
    if (insert) {
        const bool already = std::any_of(points_.begin(), points_.end(), [&](const Inserted& p) {
            return same_point(p.kind, p.addr, p.len, point, addr, len);
        });
        if (!already && !target_.set_point(point, addr, len, true)) return "E01";
        points_.push_back(Inserted{point, addr, len});
        return "OK";
    }
    const auto it = std::find_if(points_.begin(), points_.end(), [&](const Inserted& p) {
        return p.kind == point && p.addr == addr && p.len == len;
    });
    if (it == points_.end()) return "OK";  // removing what is not there is harmless
    points_.erase(it);
    const bool still = std::any_of(points_.begin(), points_.end(), [&](const Inserted& p) {
        return same_point(p.kind, p.addr, p.len, point, addr, len);
    });
    if (!still) target_.set_point(point, addr, len, false);
    return "OK";
}

std::string GdbServer::handle_query(const std::string& packet) {
    if (starts_with(packet, "qSupported")) {
        const std::string features = packet.size() > 11 ? packet.substr(11) : "";
        client_swbreak_ = features.find("swbreak+") != std::string::npos;
        client_hwbreak_ = features.find("hwbreak+") != std::string::npos;
        return "PacketSize=" + hex_u32(kPacketSize) +
               ";qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;vContSupported+";
    }
    if (starts_with(packet, "qXfer:features:read:")) {
        const size_t colon = packet.find(':', 20);
        if (colon == std::string::npos) {
            ++malformed_;
            return "E01";
        }
        if (packet.substr(20, colon - 20) != "target.xml") return "E00";
        size_t pos = colon + 1;
        uint32_t offset = 0, length = 0;
        if (!parse_hex(packet, pos, offset) || !expect(packet, pos, ',') || !parse_hex(packet, pos, length) ||
            pos != packet.size()) {
            ++malformed_;
            return "E01";
        }
        const std::string xml = target_xml();
        if (offset >= xml.size()) return "l";
        length = std::min<uint32_t>(length, kPacketSize / 2);
        const std::string chunk = xml.substr(offset, length);
        return (offset + chunk.size() >= xml.size() ? "l" : "m") + escape_binary(chunk);
    }
    if (packet == "qAttached" || starts_with(packet, "qAttached:")) return "1";  // quit detaches, as with QEMU
    if (packet == "qC") return "QC1";
    if (packet == "qfThreadInfo") return "m1";
    if (packet == "qsThreadInfo") return "l";
    if (starts_with(packet, "qSymbol")) return "OK";
    return "";
}

std::string GdbServer::target_xml() {
    std::string x =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
        "<architecture>riscv:rv32</architecture>\n<feature name=\"org.gnu.gdb.riscv.cpu\">\n";
    for (unsigned i = 0; i < 32; ++i) {
        const char* type = i == 1 ? "code_ptr" : (i >= 2 && i <= 4) ? "data_ptr" : "int";
        x += std::string("  <reg name=\"") + kGprNames[i] + "\" bitsize=\"32\" type=\"" + type + "\" regnum=\"" +
             std::to_string(i) + "\"/>\n";
    }
    x += "  <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\"/>\n</feature>\n";
    x += "<feature name=\"org.gnu.gdb.riscv.csr\">\n";
    for (const auto& c : kCsrNames) {
        uint32_t v = 0;
        if (!target_.read_register(kCsrRegnumBase + c.number, v)) continue;
        x += std::string("  <reg name=\"") + c.name + "\" bitsize=\"32\" type=\"int\" save-restore=\"no\" regnum=\"" +
             std::to_string(kCsrRegnumBase + c.number) + "\"/>\n";
    }
    x += "</feature>\n</target>\n";
    return x;
}

}  // namespace aimc::host
