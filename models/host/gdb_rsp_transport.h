// The transport half of the gdb stub: GDB's remote serial protocol (RSP) over TCP on 127.0.0.1.
//
// The listening socket and one client at a time (a second one is refused), packet framing
// ($payload#checksum), acknowledgements with retransmission on '-', no-ack mode, and Ctrl-C (a
// lone 0x03 between packets). Plus the RSP's hex and binary encodings that the request handler
// (gdb_server.h) builds its replies with. Plain C++ and POSIX sockets; it knows nothing of harts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace aimc::host {

class GdbError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// RSP encodings.
namespace rsp {
int hex_digit(char c);  // -1 if c is not a hex digit
// Parses hex digits at `pos` (at least one, at most 32 bits), advancing `pos`.
bool parse_hex(const std::string& s, size_t& pos, uint32_t& out);
// Consumes `c` at `pos`; false if something else is there.
bool expect(const std::string& s, size_t& pos, char c);
void append_hex_byte(std::string& out, uint8_t b);
void append_hex_le32(std::string& out, uint32_t v);  // a register in target byte order
// `count` bytes as 2 * count hex digits from `pos`; false if short or not hex.
bool decode_hex_bytes(const std::string& s, size_t pos, size_t count, std::vector<uint8_t>& out);
std::string hex_text(const std::string& text);  // for 'O' console output
std::string hex_u32(uint32_t v);                // lower-case, no leading zeros
// Binary payloads (qXfer) escape the framing characters: '}' then the byte xor 0x20.
std::string escape_binary(const std::string& data);
}  // namespace rsp

class RspTransport {
public:
    static constexpr size_t kPacketSize = 0x4000;  // largest packet we accept

    // Listens on 127.0.0.1:`port` (0: any free port, see port()). Messages go to `log`.
    // Throws GdbError if the port cannot be bound.
    RspTransport(uint16_t port, std::ostream& log);
    ~RspTransport();
    RspTransport(const RspTransport&) = delete;
    RspTransport& operator=(const RspTransport&) = delete;

    uint16_t port() const { return port_; }
    bool connected() const { return client_ >= 0; }

    // Waits up to `timeout` for a client; false if none came. A new client starts in ack mode.
    bool accept_client(std::chrono::milliseconds timeout);

    enum class Read { Packet, Interrupt, Closed };
    // Blocks until a well-formed packet (acknowledged in ack mode), a Ctrl-C or the end of the
    // connection. Bad checksums and overlong packets are counted, nak'ed and skipped.
    Read read_packet(std::string& payload);
    // Frames and sends `payload` (kept for a retransmission on '-').
    void send_packet(const std::string& payload);
    // From the OK that answers QStartNoAckMode on: neither side acknowledges.
    void stop_acks() { ack_mode_ = false; }

    // While the hart runs: looks at the socket without blocking. Interrupt if a Ctrl-C came
    // (packets wait for the next read_packet), Lost if the client went away, else None.
    enum class Poll { None, Interrupt, Lost };
    Poll poll_interrupt();

    // Logs "gdb <why>", calls on_drop, and closes the client and the listening socket (no
    // re-attach: the port closes with the session).
    void drop_client(const char* why);
    std::function<void()> on_drop;
    // Closes the client and the listening socket.
    void close_all();

    // Packets received well-formed, and frames dropped as malformed.
    uint64_t packets() const { return packets_; }
    uint64_t malformed() const { return malformed_; }

private:
    bool fill(int timeout_ms);
    void send_raw(const std::string& bytes);
    void refuse_extra_clients();

    std::ostream& log_;
    int listen_ = -1, client_ = -1;
    uint16_t port_ = 0;
    std::string in_;         // received bytes not yet consumed
    std::string last_sent_;  // for a retransmission on '-'
    bool ack_mode_ = true;   // until QStartNoAckMode
    uint64_t packets_ = 0, malformed_ = 0;
};

}  // namespace aimc::host
