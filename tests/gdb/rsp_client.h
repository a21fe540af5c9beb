// A minimal gdb remote-protocol client over loopback for the tests: raw bytes, framed packets and
// replies, every wait bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aimc::test {

class RspClient {
public:
    RspClient() = default;
    ~RspClient() { close(); }
    RspClient(const RspClient&) = delete;
    RspClient& operator=(const RspClient&) = delete;

    bool connect(uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
            close();
            return false;
        }
        const int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        return true;
    }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    bool is_open() const { return fd_ >= 0; }

    void send_raw(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
    static std::string frame(const std::string& payload) {
        unsigned sum = 0;
        for (const char c : payload) sum += static_cast<uint8_t>(c);
        char tail[4];
        std::snprintf(tail, sizeof tail, "#%02x", sum & 0xFF);
        return "$" + payload + tail;
    }
    void send(const std::string& payload) { send_raw(frame(payload)); }

    // Next byte, or -1 on timeout, -2 when the server closed the connection.
    int read_byte(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
        if (pos_ < buf_.size()) return static_cast<uint8_t>(buf_[pos_++]);
        buf_.clear();
        pos_ = 0;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
        char tmp[4096];
        const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return -2;
        buf_.assign(tmp, static_cast<size_t>(n));
        return static_cast<uint8_t>(buf_[pos_++]);
    }

    // The next packet's payload, skipping acks; "<timeout>" / "<closed>" / "<bad checksum>" otherwise.
    // Acks ('+'/'-') seen on the way are appended to acks().
    std::string reply(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
        int c;
        while ((c = read_byte(timeout)) != '$') {
            if (c == -1) return "<timeout>";
            if (c == -2) return "<closed>";
            if (c == '+' || c == '-') acks_ += static_cast<char>(c);
        }
        std::string body;
        unsigned sum = 0;
        while ((c = read_byte(timeout)) != '#') {
            if (c < 0) return c == -1 ? "<timeout>" : "<closed>";
            body += static_cast<char>(c);
            sum += static_cast<unsigned>(c);
        }
        const int h = read_byte(timeout), l = read_byte(timeout);
        if (h < 0 || l < 0) return "<closed>";
        const std::string hex{static_cast<char>(h), static_cast<char>(l)};
        if (std::stoul(hex, nullptr, 16) != (sum & 0xFF)) return "<bad checksum>";
        if (ack_) send_raw("+");
        return body;
    }
    std::string request(const std::string& payload) {
        send(payload);
        return reply();
    }
    // True if the server closes the connection within `timeout` (bytes before that are dropped).
    bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
        const auto end = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < end) {
            const int c = read_byte(std::chrono::milliseconds(100));
            if (c == -2) return true;
        }
        return false;
    }

    void set_ack(bool on) { ack_ = on; }
    const std::string& acks() const { return acks_; }

private:
    int fd_ = -1;
    std::string buf_;
    size_t pos_ = 0;
    bool ack_ = true;
    std::string acks_;
};

}  // namespace aimc::test
