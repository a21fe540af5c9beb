// Tile bench: a SEND from the output buffer into an overlapping range of the same buffer (a shift
// in place) moves the bytes as memmove does; the write must not copy overlapping memory with
// memcpy (undefined behaviour, reported by AddressSanitizer as memcpy-param-overlap).
#include <numeric>

#include <gtest/gtest.h>

#include "tile_bench.h"

namespace aimc::test {
namespace {

TEST(TileBench, SendIntoAnOverlappingRangeOfItsOwnOutputBuffer) {
    tile::TileParams p;
    p.crossbar.rows = p.crossbar.cols = 32;  // hermes-core, the default crossbar
    p.in_size = 4096;
    p.out_size = 4096;
    p.ldpu_size = 1024;
    p.weight_size = 2048;
    EnergyLedger ledger;
    tile::Tile t0("tile0", p, 0, 0, 0, ledger);
    FakeNoc noc("noc", 1);
    noc.attach(0, t0);

    std::vector<uint8_t> pattern(200);
    std::iota(pattern.begin(), pattern.end(), uint8_t{1});
    std::vector<uint8_t> up, down;
    Host host("host", [&](Host& h) {
        // Forward (destination above the source) and backward, each overlapping by most of its length.
        h.write_bytes(0, AIMC_TILE_OUT_OFFSET, pattern.data(), pattern.size());
        h.command(0, AIMC_TILE_OP_SEND, {0, 200, uint32_t(Host::addr(0, AIMC_TILE_OUT_OFFSET + 24))});
        h.wait_idle(0);
        up = h.read_bytes(0, AIMC_TILE_OUT_OFFSET + 24, 200);
        h.write_bytes(0, AIMC_TILE_OUT_OFFSET + 1000, pattern.data(), pattern.size());
        h.command(0, AIMC_TILE_OP_SEND, {1000, 200, uint32_t(Host::addr(0, AIMC_TILE_OUT_OFFSET + 1000 - 24))});
        h.wait_idle(0);
        down = h.read_bytes(0, AIMC_TILE_OUT_OFFSET + 1000 - 24, 200);
        EXPECT_EQ(h.rd(0, AIMC_TILE_ERROR), 0u);
    });
    host.socket(noc.in);
    sc_core::sc_start();
    ASSERT_TRUE(host.finished);
    EXPECT_EQ(up, pattern);
    EXPECT_EQ(down, pattern);
}

}  // namespace
}  // namespace aimc::test
