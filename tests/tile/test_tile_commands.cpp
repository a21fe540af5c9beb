// Tile bench: every command through the register interface, on three small tiles (64x64 crossbars)
// behind a fake NoC: registers and window, PROGRAM, MVM (raw and with an LDPU chain), the LDPU
// command, SEND to a tile and to RAM, armed dataflow start, CALIBRATE, FENCE and its interrupt,
// counters, energy accounts, determinism, and the VCD trace.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "common/vcd_tracer.h"
#include "dpu/ldpu.h"
#include "tile_bench.h"

namespace aimc::test {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::sc_time_stamp;

constexpr unsigned R = 64, C = 64;

struct IrqMonitor : sc_core::sc_module {
    sc_core::sc_in<bool> line{"line"};
    std::vector<std::pair<sc_time, bool>> edges;
    explicit IrqMonitor(sc_core::sc_module_name n) : sc_module(n) {
        SC_HAS_PROCESS(IrqMonitor);
        SC_METHOD(sample);
        sensitive << line;
        dont_initialize();
    }
    void sample() { edges.emplace_back(sc_time_stamp(), line.read()); }
};

// Exact W^T x for row-major int8 weights (R x C) and int8 inputs.
std::vector<double> exact(const std::vector<int8_t>& w, const int8_t* x, unsigned rows, unsigned cols) {
    std::vector<double> y(cols, 0.0);
    for (unsigned i = 0; i < rows; ++i)
        for (unsigned j = 0; j < cols; ++j) y[j] += double(w[i * cols + j]) * x[i];
    return y;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += a[i] * b[i];
        aa += a[i] * a[i];
        bb += b[i] * b[i];
    }
    return ab / std::sqrt(aa * bb);
}

TEST(TileBench, EveryCommandThroughTheRegisters) {
    const std::string vcd_path = ::testing::TempDir() + "tile_commands.vcd";
    VcdTracer tracer(vcd_path, {});

    EnergyLedger ledger;
    const tile::TileParams p = small_tile_params();
    tile::Tile t0("tile0", p, 0, 0, 0, ledger);
    tile::Tile t1("tile1", p, 1, 1, 0, ledger);
    tile::Tile twin("twin", p, 0, 0, 0, ledger);  // tile 0's twin: same seed, same history
    for (auto* t : {&t0, &t1, &twin}) t->trace_to(tracer);
    FakeNoc noc("noc", 3);
    noc.attach(0, t0);
    noc.attach(1, t1);
    noc.attach(2, twin);
    const sc_core::sc_signal<bool>& irq0 = noc.irq(0);
    IrqMonitor mon("mon");
    mon.line(irq0);

    const std::vector<int8_t> w = gaussian_int8(R * C, 40.0, 1);
    const std::vector<int8_t> x = gaussian_int8(4 * R, 60.0, 2);
    const unsigned kChain = 0, kScale = 0x400, kBias = 0x600, kChain2 = 0x800, kChain3 = 0x900;

    Host host("host", [&](Host& h) {
        // ---- identity and reset values ----
        EXPECT_EQ(h.rd(0, AIMC_TILE_ID), AIMC_TILE_ID_VALUE);
        EXPECT_EQ(h.rd(0, AIMC_TILE_GEOMETRY), R | C << 16);
        EXPECT_EQ(h.rd(0, AIMC_TILE_CAPS), 8u | 8u << 8 | 16u << 16 | 1u << 24);
        EXPECT_EQ(h.rd(1, AIMC_TILE_POSITION), 1u | 1u << 16 | 0u << 24);
        EXPECT_EQ(h.rd(0, AIMC_TILE_IN_SIZE), p.in_size);
        EXPECT_EQ(h.rd(0, AIMC_TILE_OUT_SIZE), p.out_size);
        EXPECT_EQ(h.rd(0, AIMC_TILE_LDPU_SIZE), p.ldpu_size);
        EXPECT_EQ(h.rd(0, AIMC_TILE_WEIGHT_SIZE), p.weight_size);
        for (uint32_t off : std::initializer_list<uint32_t>{AIMC_TILE_STATUS, AIMC_TILE_IRQ_ENABLE, AIMC_TILE_IRQ_STATUS, AIMC_TILE_ERROR,
                             AIMC_TILE_ERROR_INFO, AIMC_TILE_FENCE_TAG, AIMC_TILE_CMD_DONE, AIMC_TILE_STAGED_BYTES,
                             AIMC_TILE_INPUT_BYTES, AIMC_TILE_MVM_COUNT, AIMC_TILE_MVM_COUNT + 4u,
                             AIMC_TILE_BUSY_CYCLES, AIMC_TILE_SATURATIONS})
            EXPECT_EQ(h.rd(0, off), 0u) << "offset " << off;
        for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(h.rd(0, AIMC_TILE_CMD_ARG + 4 * i), 0u);

        // ---- window memories: write, read back ----
        for (uint32_t base : {AIMC_TILE_LDPU_OFFSET, AIMC_TILE_IN_OFFSET, AIMC_TILE_OUT_OFFSET}) {
            const uint8_t pattern[5] = {1, 2, 3, 4, uint8_t(base >> 16)};
            h.write_bytes(2, base + 100, pattern, 5);
            EXPECT_EQ(h.read_bytes(2, base + 100, 5), std::vector<uint8_t>(pattern, pattern + 5));
        }
        EXPECT_EQ(h.rd(2, AIMC_TILE_INPUT_BYTES), 5u);  // input-buffer writes count

        // ---- PROGRAM: same weights into all three tiles ----
        for (unsigned t = 0; t < 3; ++t) {
            h.write_bytes(t, AIMC_TILE_WEIGHTS_OFFSET, w.data(), w.size());
            EXPECT_EQ(h.rd(t, AIMC_TILE_STAGED_BYTES), R * C);
            h.command(t, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});
            EXPECT_EQ(h.rd(t, AIMC_TILE_STATUS) & 1, 1u);
            EXPECT_EQ((h.rd(t, AIMC_TILE_STATUS) >> 16) & 0xFF, uint32_t(AIMC_TILE_STATE_PROGRAM));
            h.wait_idle(t);
            EXPECT_EQ(h.rd(t, AIMC_TILE_STAGED_BYTES), 0u);
            EXPECT_EQ(h.rd(t, AIMC_TILE_ERROR), 0u);
        }
        EXPECT_EQ(t0.devices_programmed(), 4u * R * C);  // 8T4R: 4 devices per weight
        EXPECT_GT(t0.program_pulses(), t0.devices_programmed());

        // ---- MVM, raw int32 outputs ----
        for (unsigned t = 0; t < 3; ++t) h.write_bytes(t, AIMC_TILE_IN_OFFSET, x.data(), x.size());
        for (unsigned t = 0; t < 3; ++t)
            h.command(t, AIMC_TILE_OP_MVM, {0, R, C, 4, 0, AIMC_TILE_NO_CHAIN, 0, 0});
        for (unsigned t = 0; t < 3; ++t) h.wait_idle(t);
        const auto raw0 = h.read_bytes(0, AIMC_TILE_OUT_OFFSET, 4 * C * 4);
        const auto raw1 = h.read_bytes(1, AIMC_TILE_OUT_OFFSET, 4 * C * 4);
        const auto raw2 = h.read_bytes(2, AIMC_TILE_OUT_OFFSET, 4 * C * 4);
        EXPECT_EQ(raw0, raw2) << "same seed and history: same outputs";
        EXPECT_NE(raw0, raw1) << "tile 1's core has seed + 1";
        for (unsigned v = 0; v < 4; ++v) {
            const auto want = exact(w, x.data() + v * R, R, C);
            std::vector<double> got(C);
            double err = 0, ref = 0;
            for (unsigned j = 0; j < C; ++j) {
                got[j] = le32(raw0, v * C + j);
                err += (got[j] - want[j]) * (got[j] - want[j]);
                ref = std::max(ref, std::fabs(want[j]));
            }
            EXPECT_GT(correlation(got, want), 0.97) << "vector " << v;
            // The analog core's ~4-5 equivalent bits: RMS error a few % of the largest output.
            EXPECT_LT(std::sqrt(err / C) / ref, 0.08) << "vector " << v;
        }
        EXPECT_EQ(h.rd64(0, AIMC_TILE_MVM_COUNT), 4u);
        EXPECT_EQ(t0.ops(), 4u * 2 * R * C);
        EXPECT_EQ(h.rd(0, AIMC_TILE_CMD_DONE), 2u);
        EXPECT_GT(h.rd64(0, AIMC_TILE_BUSY_CYCLES), 0u);
        EXPECT_GT(h.rd64(0, AIMC_TILE_ENERGY_PJ), 0u);

        // ---- MVM with a chain: affine_fp16 + relu + requantize -> int8 ----
        std::vector<double> scale(C), bias(C);
        for (unsigned j = 0; j < C; ++j) {
            scale[j] = 0.01 + 0.0005 * j;
            bias[j] = j % 3 == 0 ? -1.0 : 0.5;
        }
        ChainBuilder cb;
        cb.add(ChainBuilder::affine_fp16(kScale, kBias))
            .add(ChainBuilder::op(AIMC_LDPU_OP_RELU))
            .add(ChainBuilder::requantize(1, 0, 8));
        for (unsigned t : {0u, 2u}) {
            h.write_bytes(t, AIMC_TILE_LDPU_OFFSET + kChain, cb.bytes().data(), cb.bytes().size());
            h.write_bytes(t, AIMC_TILE_LDPU_OFFSET + kScale, halves_bytes(scale).data(), 2 * C);
            h.write_bytes(t, AIMC_TILE_LDPU_OFFSET + kBias, halves_bytes(bias).data(), 2 * C);
        }
        h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 4, 0x1000, kChain, 0, 0});
        h.command(2, AIMC_TILE_OP_MVM, {0, R, C, 4, 0x1000, AIMC_TILE_NO_CHAIN, 0, 0});
        h.wait_idle(0);
        h.wait_idle(2);
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
        const auto chained = h.read_bytes(0, AIMC_TILE_OUT_OFFSET + 0x1000, 4 * C);
        const auto twin_raw = h.read_bytes(2, AIMC_TILE_OUT_OFFSET + 0x1000, 4 * C * 4);
        {
            std::vector<dpu::Half> hs, hb;
            for (unsigned j = 0; j < C; ++j) {
                hs.push_back(dpu::Half::from_double(scale[j]));
                hb.push_back(dpu::Half::from_double(bias[j]));
            }
            const dpu::LdpuChain ref = {dpu::LdpuOp::affine_fp16(hs, hb), dpu::LdpuOp::relu(),
                                        dpu::LdpuOp::requantize(1, 0, 8)};
            unsigned nonzero = 0;
            for (unsigned v = 0; v < 4; ++v) {
                Eigen::VectorXi y(C);
                for (unsigned j = 0; j < C; ++j) y[j] = le32(twin_raw, v * C + j);
                const auto r = t0.ldpu().run_chain(ref, y);
                for (unsigned j = 0; j < C; ++j) {
                    EXPECT_EQ(int8_t(chained[v * C + j]), int(r.output.values[j])) << v << "," << j;
                    nonzero += chained[v * C + j] != 0;
                }
            }
            EXPECT_GT(nonzero, 20u);
        }

        // ---- LDPU command: int32 source -> requantize(1, 4, 8); int8 source -> max pool ----
        {
            ChainBuilder rq;
            rq.add(ChainBuilder::requantize(1, 4, 8));
            h.write_bytes(0, AIMC_TILE_LDPU_OFFSET + kChain2, rq.bytes().data(), rq.bytes().size());
            h.command(0, AIMC_TILE_OP_LDPU, {kChain2, 0, C, 4, 0x2000});
            h.wait_idle(0);
            const auto got = h.read_bytes(0, AIMC_TILE_OUT_OFFSET + 0x2000, 4 * C);
            for (unsigned i = 0; i < 4 * C; ++i) {
                const double want = std::clamp(std::nearbyint(le32(raw0, i) / 16.0), -128.0, 127.0);
                EXPECT_EQ(int8_t(got[i]), int(want)) << i;
            }
            ChainBuilder pool;
            pool.input_type = AIMC_LDPU_TYPE_INT8;
            auto mp = ChainBuilder::op(AIMC_LDPU_OP_MAX_POOL);
            mp.pool_height = 8;
            mp.pool_width = 8;
            mp.pool_channels = 1;
            mp.kernel_h = mp.kernel_w = mp.stride_h = mp.stride_w = 2;
            pool.add(ChainBuilder::requantize(1, 0, 8)).add(mp);
            h.write_bytes(0, AIMC_TILE_LDPU_OFFSET + kChain3, pool.bytes().data(), pool.bytes().size());
            h.command(0, AIMC_TILE_OP_LDPU, {kChain3, 0x1000, C, 4, 0x3000});
            h.wait_idle(0);
            const auto pooled = h.read_bytes(0, AIMC_TILE_OUT_OFFSET + 0x3000, 4 * 16);
            for (unsigned v = 0; v < 4; ++v)
                for (unsigned oy = 0; oy < 4; ++oy)
                    for (unsigned ox = 0; ox < 4; ++ox) {
                        int m = -128;
                        for (unsigned ky = 0; ky < 2; ++ky)
                            for (unsigned kx = 0; kx < 2; ++kx)
                                m = std::max(m, int(int8_t(chained[v * C + (2 * oy + ky) * 8 + 2 * ox + kx])));
                        EXPECT_EQ(int8_t(pooled[v * 16 + oy * 4 + ox]), m);
                    }
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
            EXPECT_GT(t0.saturations(), 0u);  // requantize(1, 4, 8) clips the larger raw outputs
            EXPECT_EQ(h.rd(0, AIMC_TILE_SATURATIONS), uint32_t(t0.saturations()));
        }

        // ---- SEND: to tile 1's input buffer (bursts of <= 256 bytes), and to RAM ----
        {
            const uint32_t before = h.rd(1, AIMC_TILE_INPUT_BYTES);
            noc.max_burst = 0;
            h.command(0, AIMC_TILE_OP_SEND, {0, 600, uint32_t(Host::addr(1, AIMC_TILE_IN_OFFSET + 0x1000))});
            h.command(0, AIMC_TILE_OP_SEND, {0x1000, 100, AIMC_RAM_BASE + 0x40});
            h.wait_idle(0);
            EXPECT_EQ(noc.max_burst, 256u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
            EXPECT_EQ(h.read_bytes(1, AIMC_TILE_IN_OFFSET + 0x1000, 600), std::vector<uint8_t>(raw0.begin(), raw0.begin() + 600));
            EXPECT_EQ(h.rd(1, AIMC_TILE_INPUT_BYTES), before + 600);
            EXPECT_EQ(std::vector<uint8_t>(noc.ram.begin() + 0x40, noc.ram.begin() + 0x40 + 100),
                      std::vector<uint8_t>(chained.begin(), chained.begin() + 100));
            EXPECT_EQ(t0.bytes_sent(), 700u);
            EXPECT_GT(noc.cost_seen_j, 0.0);  // tile 1 reported its buffer-write energy on the transactions
        }

        // ---- armed dataflow: tile 1 starts an MVM when tile 0's results have arrived ----
        {
            // INPUT_BYTES counts every input-buffer write so far (the host's too): arm on top of it.
            const uint32_t in_before = h.rd(1, AIMC_TILE_INPUT_BYTES);
            EXPECT_GT(in_before, 0u);
            h.command(1, AIMC_TILE_OP_MVM, {0x2000, R, C, 4, 0x2000, AIMC_TILE_NO_CHAIN, 0, in_before + 4 * R});
            h.sleep(sc_time(50, SC_NS));
            const uint32_t st = h.rd(1, AIMC_TILE_STATUS);
            EXPECT_EQ(st & 1, 1u);
            EXPECT_EQ((st >> 16) & 0xFF, uint32_t(AIMC_TILE_STATE_WAIT_INPUT));
            const uint64_t mvms_before = h.rd64(1, AIMC_TILE_MVM_COUNT);
            h.sleep(sc_time(500, SC_NS));  // nothing happens while the input is missing
            EXPECT_EQ(h.rd64(1, AIMC_TILE_MVM_COUNT), mvms_before);
            h.command(0, AIMC_TILE_OP_SEND, {0x1000, 4 * R, uint32_t(Host::addr(1, AIMC_TILE_IN_OFFSET + 0x2000))});
            h.wait_idle(0);
            const sc_time sent_at = sc_time_stamp();
            h.wait_idle(1);
            EXPECT_GT(sc_time_stamp(), sent_at);
            EXPECT_EQ(h.rd64(1, AIMC_TILE_MVM_COUNT), mvms_before + 4);
            EXPECT_EQ(h.rd(1, AIMC_TILE_INPUT_BYTES), 0u);
            EXPECT_EQ(h.rd(1, AIMC_TILE_ERROR), 0u);
            const auto out1 = h.read_bytes(1, AIMC_TILE_OUT_OFFSET + 0x2000, 4 * C * 4);
            for (unsigned v = 0; v < 4; ++v) {
                const auto want = exact(w, reinterpret_cast<const int8_t*>(chained.data()) + v * R, R, C);
                std::vector<double> got(C);
                for (unsigned j = 0; j < C; ++j) got[j] = le32(out1, v * C + j);
                EXPECT_GT(correlation(got, want), 0.95) << "vector " << v;
            }
        }

        // ---- partial sums: tile 0 SENDs its raw outputs, tile 1 adds them to its own (a layer split
        //      over two crossbars; here both hold W, so the sum is ~2 W^T x) ----
        {
            h.command(0, AIMC_TILE_OP_SEND, {0, 4 * C * 4, uint32_t(Host::addr(1, AIMC_TILE_IN_OFFSET + 0x3000))});
            h.wait_idle(0);
            auto ps = ChainBuilder::op(AIMC_LDPU_OP_PARTIAL_SUM_ADD);
            ps.n_operands = 1;
            ps.operands[0] = ChainBuilder::operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT32, 0x3000, 4 * C);
            ChainBuilder b;
            b.add(ps);
            h.write_bytes(1, AIMC_TILE_LDPU_OFFSET, b.bytes().data(), b.bytes().size());
            h.command(1, AIMC_TILE_OP_MVM, {0, R, C, 4, 0x3000, 0, 0, 0});
            h.wait_idle(1);
            EXPECT_EQ(h.rd(1, AIMC_TILE_ERROR), 0u);
            const auto sum = h.read_bytes(1, AIMC_TILE_OUT_OFFSET + 0x3000, 4 * C * 4);
            double got = 0, want = 0;
            for (unsigned v = 0; v < 4; ++v) {
                const auto y = exact(w, x.data() + v * R, R, C);
                std::vector<double> s(C);
                for (unsigned j = 0; j < C; ++j) {
                    s[j] = le32(sum, v * C + j);
                    got += std::fabs(s[j]);
                    want += std::fabs(y[j]);
                }
                EXPECT_GT(correlation(s, y), 0.97) << "vector " << v;
            }
            EXPECT_NEAR(got / want, 2.0, 0.2);
        }

        // ---- CALIBRATE ----
        {
            const double before = t0.energy_j();
            h.command(0, AIMC_TILE_OP_CALIBRATE);
            h.sleep(sc_time(20, SC_NS));
            EXPECT_EQ((h.rd(0, AIMC_TILE_STATUS) >> 16) & 0xFF, uint32_t(AIMC_TILE_STATE_CALIBRATE));
            h.wait_idle(0);
            EXPECT_GT(t0.energy_j(), before);
            EXPECT_NEAR(t0.core().drift_correction().mean(), 1.0, 0.05);
        }

        // ---- FENCE and its interrupt ----
        {
            h.wr(0, AIMC_TILE_IRQ_ENABLE, AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR);
            EXPECT_FALSE(irq0.read());
            const sc_time pushed = sc_time_stamp();
            h.command(0, AIMC_TILE_OP_MVM, {0, R, C, 4, 0, AIMC_TILE_NO_CHAIN, 0, 0});
            h.command(0, AIMC_TILE_OP_FENCE, {0x1234});
            EXPECT_EQ((h.rd(0, AIMC_TILE_STATUS) >> 8) & 0xFF, 1u);  // the FENCE waits behind the MVM
            h.wait_idle(0);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_TRUE(irq0.read());
            EXPECT_EQ(h.rd(0, AIMC_TILE_FENCE_TAG), 0x1234u);
            EXPECT_EQ(h.rd(0, AIMC_TILE_IRQ_STATUS), AIMC_TILE_IRQ_FENCE);
            ASSERT_FALSE(mon.edges.empty());
            EXPECT_TRUE(mon.edges.back().second);
            EXPECT_GT(mon.edges.back().first - pushed, sc_time(4 * 133, SC_NS));  // after the 4 MVMs
            h.wr(0, AIMC_TILE_IRQ_ACK, AIMC_TILE_IRQ_FENCE);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_FALSE(irq0.read());
            EXPECT_EQ(h.rd(0, AIMC_TILE_IRQ_STATUS), 0u);
            // Masked causes latch but do not raise the line.
            h.wr(0, AIMC_TILE_IRQ_ENABLE, 0);
            h.command(0, AIMC_TILE_OP_FENCE, {7});
            h.wait_idle(0);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_FALSE(irq0.read());
            EXPECT_EQ(h.rd(0, AIMC_TILE_IRQ_STATUS), AIMC_TILE_IRQ_FENCE);
            h.wr(0, AIMC_TILE_IRQ_ENABLE, AIMC_TILE_IRQ_FENCE);  // enabling a pending cause raises it
            h.sleep(sc_time(1, SC_NS));
            EXPECT_TRUE(irq0.read());
            h.wr(0, AIMC_TILE_IRQ_ACK, 0xFFFFFFFF);
            h.sleep(sc_time(1, SC_NS));
            EXPECT_FALSE(irq0.read());
        }

        // ---- counters against the accessors ----
        EXPECT_EQ(h.rd64(0, AIMC_TILE_MVM_COUNT), t0.mvm_count());
        EXPECT_EQ(t0.mvm_count(), 12u);
        EXPECT_EQ(t0.ops(), 12u * 2 * R * C);
        EXPECT_EQ(h.rd64(0, AIMC_TILE_BUSY_CYCLES), uint64_t(std::llround(t0.busy_time_s() * 1e9)));
        EXPECT_EQ(h.rd(0, AIMC_TILE_CMD_DONE), uint32_t(t0.commands_done()));
        EXPECT_EQ(t0.error_count(), 0u);
        // Static power integrated up to the read's own time (a few ns before the host's time stamp).
        const double static_j = p.static_power * sc_time_stamp().to_seconds();
        EXPECT_NEAR(double(h.rd64(0, AIMC_TILE_ENERGY_PJ)) * 1e-12, t0.energy_j() + static_j,
                    p.static_power * 30e-9);
    });

    host.socket(noc.in);
    sc_core::sc_start(sc_time(100, sc_core::SC_MS));
    EXPECT_TRUE(host.finished);

    // Energy accounts: per (tile, action), summing to what the tile reports.
    double sum = 0;
    std::map<std::string, double> by_action;
    for (const auto& e : ledger.entries())
        if (e.component == "tile0") {
            sum += e.joules;
            by_action[e.action] = e.joules;
        }
    EXPECT_NEAR(sum, t0.energy_j(), 1e-15);
    for (const char* a : {"program", "mvm.dac", "mvm.array", "mvm.adc", "ldpu", "sram", "calibrate"})
        EXPECT_GT(by_action[a], 0.0) << a;
    EXPECT_EQ(ledger.static_power().at("tile0"), p.static_power);

    // The trace: each tile's own scope, only changes.
    tracer.write(sc_time_stamp());
    std::ifstream f(vcd_path);
    std::stringstream text;
    text << f.rdbuf();
    const std::string vcd = text.str();
    for (const char* s : {"$scope module tile0 $end", "$scope module tile1 $end", " state $end", " queue_depth $end",
                          " irq $end", " mvm_count $end"})
        EXPECT_NE(vcd.find(s), std::string::npos) << s;
    std::remove(vcd_path.c_str());
}

}  // namespace
}  // namespace aimc::test
