// The gdb request handler: each packet the transport (gdb_rsp_transport.cpp) delivers is answered
// here from the target: registers, memory, break/watch points, resumes, queries, stop replies.
#include "host/gdb_server.h"

#include <algorithm>
#include <cstring>

#include "host/rv32_csr_table.h"

namespace aimc::host {

using namespace rsp;

namespace {

constexpr unsigned kPcRegnum = 32, kCsrRegnumBase = 65, kNumGRegs = 33;  // 'g' packet: x0..x31, pc

// gdb's own names and types for the integer registers (features/riscv/32bit-cpu.xml).
constexpr const char* kGprNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
                                       "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                       "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

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

GdbServer::GdbServer(GdbTarget& target, uint16_t port, std::ostream& log)
    : target_(target), log_(log), transport_(port, log) {
    transport_.on_drop = [this] {
        clear_points();
        running_ = false;
    };
}

GdbServer::~GdbServer() = default;

bool GdbServer::accept_client(std::chrono::milliseconds timeout) {
    if (transport_.connected()) return true;
    if (!transport_.accept_client(timeout)) return false;
    running_ = false;
    return true;
}

void GdbServer::clear_points() {
    for (const auto& p : points_) target_.set_point(p.kind, p.addr, p.len, false);
    points_.clear();
}

GdbServer::Resume GdbServer::stopped(const GdbStop& why) {
    if (!transport_.connected()) return Resume::Detach;
    last_stop_ = why;
    if (running_) {
        if (!why.message.empty()) transport_.send_packet("O" + hex_text(why.message));
        transport_.send_packet(stop_reply(why));
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
        const RspTransport::Read r = transport_.read_packet(packet);
        if (r == RspTransport::Read::Closed || !transport_.connected()) {
            transport_.drop_client("disconnected; the firmware runs on without the debugger");
            return Resume::Detach;
        }
        if (r == RspTransport::Read::Interrupt) continue;  // already stopped
        Resume resume = Resume::Continue;
        if (handle(packet, resume)) {
            if (resume == Resume::Continue || resume == Resume::Step) running_ = transport_.connected();
            return (transport_.connected() || (resume != Resume::Continue && resume != Resume::Step)) ? resume : Resume::Detach;
        }
        if (!transport_.connected()) return Resume::Detach;
    }
}

bool GdbServer::interrupt_requested() {
    if (!transport_.connected()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_) return false;
    next_poll_ = now + poll_interval;
    switch (transport_.poll_interrupt()) {
        case RspTransport::Poll::Interrupt: return true;
        case RspTransport::Poll::Lost:
            transport_.drop_client("disconnected while the firmware was running; it runs on without the debugger");
            return false;
        case RspTransport::Poll::None: break;
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
    if (transport_.connected() && running_) {  // only a client waiting for a stop expects it
        if (!message.empty()) transport_.send_packet("O" + hex_text(message));
        transport_.send_packet(reply);
    }
    close_all();
}

void GdbServer::close_all() {
    points_.clear();  // the hart is gone or leaves the debugger: nothing to take back
    running_ = false;
    transport_.close_all();
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

bool GdbServer::handle(const std::string& packet, Resume& resume) {
    if (packet.empty()) {
        transport_.send_packet("");
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
            transport_.send_packet("OK");
            transport_.drop_client("detached; the firmware runs on without the debugger");
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
                transport_.send_packet("OK");
                transport_.stop_acks();
                return false;
            }
            break;
        case 'q': reply = handle_query(packet); break;
        default: break;  // unsupported: empty reply
    }
    transport_.send_packet(reply);
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
            transport_.send_packet("OK");
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
    // A watched range is non-empty and inside the 32-bit address space (it would silently cover less).
    if (type >= 2 && (len == 0 || uint64_t{addr} + len > (uint64_t{1} << 32))) return "E01";
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
    for (const CsrDef& c : kCsrTable) {  // the hart's CSRs, as far as the target can read them
        const unsigned regno = kCsrRegnumBase + c.number();
        uint32_t v = 0;
        if (!target_.read_register(regno, v)) continue;
        x += std::string("  <reg name=\"") + c.name + "\" bitsize=\"32\" type=\"int\" save-restore=\"no\" regnum=\"" +
             std::to_string(regno) + "\"/>\n";
    }
    x += "</feature>\n</target>\n";
    return x;
}

}  // namespace aimc::host
