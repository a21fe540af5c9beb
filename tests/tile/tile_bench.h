// Test bench parts for the tile: a fake NoC that routes global addresses to tile windows and a small
// RAM, a host initiator that runs a scenario in simulated time, builders for LDPU chains, and seeded
// int8 test data.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "aimc/platform.h"
#include "aimc/regs/tile.h"
#include "aimc/tile_ldpu.h"
#include "common/cost_extension.h"
#include "dpu/half_float.h"
#include "tile/tile.h"
#include "support/tlm_payload.h"

namespace aimc::test {

// Routes AIMC_CHIP_BASE + t * AIMC_TILE_WINDOW + off to tile t (off window-relative), a RAM at
// AIMC_RAM_BASE, and answers everything else with an address error. Adds `hop` to every transfer.
struct FakeNoc : sc_core::sc_module {
    tlm_utils::multi_passthrough_target_socket<FakeNoc> in{"in"};
    std::vector<std::unique_ptr<tlm_utils::simple_initiator_socket<FakeNoc>>> out;
    std::vector<uint8_t> ram = std::vector<uint8_t>(64 * 1024);
    sc_core::sc_time hop = sc_core::sc_time(10, sc_core::SC_NS);
    uint64_t writes_to_ram = 0, bytes_to_ram = 0, max_burst = 0;
    double cost_seen_j = 0;  // energy the targets reported through the cost extension

    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> irqs;  // tile t's interrupt line (attach)

    FakeNoc(sc_core::sc_module_name n, unsigned tiles) : sc_module(n) {
        in.register_b_transport(this, &FakeNoc::b_transport);
        in.register_transport_dbg(this, &FakeNoc::transport_dbg);
        for (unsigned t = 0; t < tiles; ++t) {
            out.push_back(std::make_unique<tlm_utils::simple_initiator_socket<FakeNoc>>(
                sc_core::sc_gen_unique_name("out")));
            irqs.push_back(std::make_unique<sc_core::sc_signal<bool>>(sc_core::sc_gen_unique_name("irq")));
        }
    }
    // Connects `tile` as tile t: its window behind out[t], its NoC port to `in`, its interrupt to irq(t).
    void attach(unsigned t, tile::Tile& tile) {
        (*out[t])(tile.socket);
        tile.noc(in);
        tile.irq(*irqs[t]);
    }
    const sc_core::sc_signal<bool>& irq(unsigned t) const { return *irqs[t]; }
    unsigned transport_dbg(int, tlm::tlm_generic_payload& tx) {
        const uint64_t a = tx.get_address();
        if (a < AIMC_CHIP_BASE || a >= AIMC_CHIP_BASE + uint64_t(out.size()) * AIMC_TILE_WINDOW) return 0;
        const unsigned t = unsigned((a - AIMC_CHIP_BASE) / AIMC_TILE_WINDOW);
        tx.set_address(a - AIMC_CHIP_BASE - uint64_t(t) * AIMC_TILE_WINDOW);
        const unsigned n = (*out[t])->transport_dbg(tx);
        tx.set_address(a);
        return n;
    }
    void b_transport(int, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
        const uint64_t a = tx.get_address();
        delay += hop;
        max_burst = std::max<uint64_t>(max_burst, tx.get_data_length());
        if (a >= AIMC_CHIP_BASE && a < AIMC_CHIP_BASE + uint64_t(out.size()) * AIMC_TILE_WINDOW) {
            const unsigned t = unsigned((a - AIMC_CHIP_BASE) / AIMC_TILE_WINDOW);
            tx.set_address(a - AIMC_CHIP_BASE - uint64_t(t) * AIMC_TILE_WINDOW);
            CostExtension cost;
            tx.set_extension(&cost);
            (*out[t])->b_transport(tx, delay);
            tx.clear_extension(&cost);
            cost_seen_j += cost.energy_j;
            tx.set_address(a);
            return;
        }
        if (a >= AIMC_RAM_BASE && a + tx.get_data_length() <= AIMC_RAM_BASE + ram.size()) {
            uint8_t* p = ram.data() + (a - AIMC_RAM_BASE);
            if (tx.is_write()) {
                std::memcpy(p, tx.get_data_ptr(), tx.get_data_length());
                ++writes_to_ram;
                bytes_to_ram += tx.get_data_length();
            } else {
                std::memcpy(tx.get_data_ptr(), p, tx.get_data_length());
            }
            tx.set_response_status(tlm::TLM_OK_RESPONSE);
            return;
        }
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    }
};

// The host: runs `body` as a thread; accesses are synchronous (each waits for its own latency).
struct Host : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Host> socket{"socket"};
    std::function<void(Host&)> body;
    bool finished = false;

    Host(sc_core::sc_module_name n, std::function<void(Host&)> b) : sc_module(n), body(std::move(b)) {
        SC_HAS_PROCESS(Host);
        SC_THREAD(run);
    }
    void run() {
        body(*this);
        finished = true;
        sc_core::sc_stop();
    }

    void sleep(const sc_core::sc_time& t) { wait(t); }
    static uint64_t addr(unsigned tile, uint32_t off) { return AIMC_CHIP_BASE + uint64_t(tile) * AIMC_TILE_WINDOW + off; }
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t a, void* data, unsigned len) {
        tlm::tlm_generic_payload tx;
        prepare_payload(tx, cmd, a, data, len);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        socket->b_transport(tx, d);
        wait(d);
        return tx.get_response_status();
    }
    uint32_t rd(unsigned tile, uint32_t off) {
        uint32_t v = 0;
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr(tile, off), &v, 4), tlm::TLM_OK_RESPONSE) << "read " << off;
        return v;
    }
    uint64_t rd64(unsigned tile, uint32_t off) {
        const uint64_t lo = rd(tile, off);
        return lo | uint64_t(rd(tile, off + 4)) << 32;
    }
    void wr(unsigned tile, uint32_t off, uint32_t v) {
        EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr(tile, off), &v, 4), tlm::TLM_OK_RESPONSE) << "write " << off;
    }
    void write_bytes(unsigned tile, uint32_t off, const void* data, size_t n) {
        std::vector<uint8_t> buf(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + n);
        EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr(tile, off), buf.data(), unsigned(n)), tlm::TLM_OK_RESPONSE);
    }
    std::vector<uint8_t> read_bytes(unsigned tile, uint32_t off, size_t n) {
        std::vector<uint8_t> buf(n);
        EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr(tile, off), buf.data(), unsigned(n)), tlm::TLM_OK_RESPONSE);
        return buf;
    }
    void command(unsigned tile, uint32_t opcode, std::vector<uint32_t> args = {}) {
        for (unsigned i = 0; i < 8; ++i) wr(tile, AIMC_TILE_CMD_ARG + 4 * i, i < args.size() ? args[i] : 0);
        wr(tile, AIMC_TILE_CMD_PUSH, opcode);
    }
    // Polls STATUS until the tile is idle; returns the time it took (fails after `limit`).
    sc_core::sc_time wait_idle(unsigned tile, sc_core::sc_time limit = sc_core::sc_time(10, sc_core::SC_MS)) {
        const sc_core::sc_time start = sc_core::sc_time_stamp();
        while (rd(tile, AIMC_TILE_STATUS) & 1) {
            if (sc_core::sc_time_stamp() - start > limit) {
                ADD_FAILURE() << "tile " << tile << " still busy after " << limit;
                break;
            }
            wait(sc_core::sc_time(1, sc_core::SC_NS));
        }
        return sc_core::sc_time_stamp() - start;
    }
};

// Builds LDPU chains in the binary format of aimc/tile_ldpu.h.
struct ChainBuilder {
    uint8_t input_type = AIMC_LDPU_TYPE_INT32;
    std::vector<aimc_ldpu_op_t> ops;

    static aimc_ldpu_op_t op(uint8_t kind) {
        aimc_ldpu_op_t o;
        std::memset(&o, 0, sizeof o);
        o.kind = kind;
        return o;
    }
    ChainBuilder& add(const aimc_ldpu_op_t& o) {
        ops.push_back(o);
        return *this;
    }
    std::vector<uint8_t> bytes() const {
        aimc_ldpu_chain_t h{AIMC_LDPU_CHAIN_MAGIC, uint8_t(ops.size()), input_type, 0};
        std::vector<uint8_t> out(sizeof h + ops.size() * sizeof(aimc_ldpu_op_t));
        std::memcpy(out.data(), &h, sizeof h);
        if (!ops.empty()) std::memcpy(out.data() + sizeof h, ops.data(), ops.size() * sizeof(aimc_ldpu_op_t));
        return out;
    }
    static aimc_ldpu_op_t affine_fp16(uint32_t scale_off, uint32_t bias_off, uint8_t flags = 0) {
        auto o = op(AIMC_LDPU_OP_AFFINE_FP16);
        o.scale_offset = scale_off;
        o.bias_offset = bias_off;
        o.flags = flags;
        return o;
    }
    static aimc_ldpu_op_t requantize(int16_t mult, uint8_t shift, uint8_t bits) {
        auto o = op(AIMC_LDPU_OP_REQUANTIZE);
        o.multiplier = mult;
        o.shift = shift;
        o.out_bits = bits;
        return o;
    }
    static aimc_ldpu_operand_t operand(uint8_t memory, uint8_t type, uint32_t offset, uint32_t stride) {
        aimc_ldpu_operand_t o{offset, stride, memory, type, 0};
        return o;
    }
};

inline std::vector<uint8_t> halves_bytes(const std::vector<double>& v) {
    std::vector<uint8_t> out(2 * v.size());
    for (size_t i = 0; i < v.size(); ++i) {
        const uint16_t b = dpu::Half::from_double(v[i]).bits;
        std::memcpy(out.data() + 2 * i, &b, 2);
    }
    return out;
}

inline int32_t le32(const std::vector<uint8_t>& b, size_t i) {
    int32_t v;
    std::memcpy(&v, b.data() + 4 * i, 4);
    return v;
}

// A small hermes-core tile: a 64x64 crossbar, buffers sized for a few vectors, seed 11.
inline tile::TileParams small_tile_params() {
    tile::TileParams p;
    p.crossbar.rows = p.crossbar.cols = 64;
    p.in_size = 16 * 1024;
    p.out_size = 16 * 1024;
    p.ldpu_size = 4096;
    p.weight_size = 8192;
    p.seed = 11;
    return p;
}

// n int8 values drawn from N(0, sigma) with a fixed seed, clamped to the symmetric range +-127.
inline std::vector<int8_t> gaussian_int8(size_t n, double sigma, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> d(0.0, sigma);
    std::vector<int8_t> v(n);
    for (auto& x : v) x = int8_t(std::clamp(std::lround(d(rng)), -127L, 127L));
    return v;
}

}  // namespace aimc::test
