// A tile whose PROGRAM numerics run on a worker thread behaves as one that runs them in the simulation
// thread: the same busy time, the same time to idle, and the same MVM outputs, also when the firmware
// writes NOISE_STREAM while the PROGRAM is in flight (the reseed takes effect after its draws).
#include "tile_bench.h"

namespace {

using namespace aimc;
using namespace aimc::test;

constexpr unsigned R = 64, C = 64;

TEST(TileWorkers, AWorkerThreadChangesNoTimeAndNoOutput) {
    EnergyLedger ledger;
    const tile::TileParams p = small_tile_params();
    WorkerPool pool(2);
    // The same index (so the same crossbar seed): one programs on the pool, its twin in the simulation thread.
    tile::Tile pooled("pooled", p, 0, 0, 0, ledger), inline_twin("inline_twin", p, 0, 1, 0, ledger);
    pooled.set_workers(&pool);
    FakeNoc noc("noc", 2);
    noc.attach(0, pooled);
    noc.attach(1, inline_twin);

    const std::vector<int8_t> w1 = gaussian_int8(R * C, 40.0, 1), w2 = gaussian_int8(R * C, 30.0, 3);
    const std::vector<int8_t> x = gaussian_int8(2 * R, 60.0, 2);
    std::vector<std::vector<uint8_t>> out(2);
    std::vector<sc_core::sc_time> took(2), took_again(2);
    Host host("host", [&](Host& h) {
        for (unsigned t = 0; t < 2; ++t) {
            h.write_bytes(t, AIMC_TILE_WEIGHTS_OFFSET, w1.data(), w1.size());
            h.command(t, AIMC_TILE_OP_PROGRAM, {0, R, C, 0, 0});
            h.wr(t, AIMC_TILE_NOISE_STREAM, 7);  // while the PROGRAM's numerics are in flight
            took[t] = h.wait_idle(t);
            // A second block at the same time point (a partial update of the read matrices), then an MVM.
            h.write_bytes(t, AIMC_TILE_WEIGHTS_OFFSET, w2.data(), 32 * 32);
            h.command(t, AIMC_TILE_OP_PROGRAM, {0, 32, 32, 16, 8});
            took_again[t] = h.wait_idle(t);
            h.write_bytes(t, AIMC_TILE_IN_OFFSET, x.data(), x.size());
            h.command(t, AIMC_TILE_OP_MVM, {0, R, C, 2, 0, AIMC_TILE_NO_CHAIN, 0, 0});
            h.wait_idle(t);
            out[t] = h.read_bytes(t, AIMC_TILE_OUT_OFFSET, 2 * C * 4);
            EXPECT_EQ(h.rd(t, AIMC_TILE_ERROR), 0u) << "tile " << t;
        }
    });
    host.socket(noc.in);
    sc_core::sc_start();
    ASSERT_TRUE(host.finished);
    EXPECT_EQ(took[0], took[1]);
    EXPECT_EQ(took_again[0], took_again[1]);
    EXPECT_GT(took[0], sc_core::sc_time(1, sc_core::SC_US));
    EXPECT_EQ(pooled.busy_time_s(), inline_twin.busy_time_s());
    EXPECT_EQ(pooled.program_pulses(), inline_twin.program_pulses());
    EXPECT_EQ(out[0], out[1]) << "the MVM outputs depend on where the PROGRAM ran";
    EXPECT_NE(std::count(out[0].begin(), out[0].end(), 0), long(out[0].size()));
}

}  // namespace
