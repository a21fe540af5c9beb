// The tile's pipeline timing model and its parameters (no elaboration).
#include <gtest/gtest.h>

#include "analog/mvm_cost.h"
#include "tile/tile.h"
#include "tile/tile_timing.h"

namespace aimc::tile {
namespace {

TEST(TileTiming, PipelineTakesTheSumOnceThenTheSlowestStage) {
    EXPECT_EQ(pipeline_time({{1, 1}, {5, 3}, {2, 2}}, 0), 0.0);
    EXPECT_DOUBLE_EQ(pipeline_time({{1, 1}, {5, 3}, {2, 2}}, 1), 8.0);
    EXPECT_DOUBLE_EQ(pipeline_time({{1, 1}, {5, 3}, {2, 2}}, 4), 8.0 + 3 * 3.0);
    EXPECT_DOUBLE_EQ(pipeline_time({{1, 4}, {5, 3}}, 3), 6.0 + 2 * 4.0);
}

TEST(TileTiming, BufferAccessesTakeWholeCycles) {
    TileTiming t;  // 1 GHz, 32 bytes per cycle
    EXPECT_EQ(t.sram_s(0), 0.0);
    EXPECT_DOUBLE_EQ(t.sram_s(1), 1e-9);
    EXPECT_DOUBLE_EQ(t.sram_s(32), 1e-9);
    EXPECT_DOUBLE_EQ(t.sram_s(33), 2e-9);
    EXPECT_DOUBLE_EQ(t.sram_s(256), 8e-9);
    EXPECT_DOUBLE_EQ(t.issue_s(), 4e-9);
}

TEST(TileTiming, HermesMvmStreamsAtTheCrossbarInterval) {
    const analog::MvmTiming m = analog::mvm_timing(analog::core_config_preset("hermes-core"), 1);
    ASSERT_DOUBLE_EQ(m.latency_ns, 130.0);
    ASSERT_DOUBLE_EQ(m.interval_ns, 130.0);
    TileTiming t;
    const double ldpu = 58e-9;  // affine_fp16 + relu + requantize over 256 columns (docs/models/ldpu.md)
    // One vector: issue 4 + fetch 8 + crossbar 130 + gap 3 + LDPU 58 + store 8 ns.
    const TileTiming::Mvm one = t.mvm(m, ldpu, 256, 256, 1);
    EXPECT_NEAR(one.total_s, 211e-9, 1e-15);
    EXPECT_NEAR(one.drain_s, 66e-9, 1e-15);
    EXPECT_NEAR(one.array_busy_s, 133e-9, 1e-15);
    // Many: one crossbar interval + gap per further vector, the LDPU hidden behind it.
    const TileTiming::Mvm many = t.mvm(m, ldpu, 256, 256, 256);
    EXPECT_NEAR(many.total_s, 211e-9 + 255 * 133e-9, 1e-14);
    // A chain slower than the crossbar sets the pace.
    EXPECT_NEAR(t.mvm(m, 200e-9, 256, 256, 3).total_s, 4e-9 + 8e-9 + 133e-9 + 200e-9 + 8e-9 + 2 * 200e-9, 1e-15);
    // LDPU command: issue + fetch + chain + store, then the slowest stage.
    EXPECT_NEAR(t.ldpu(58e-9, 1024, 256, 2), 4e-9 + 32e-9 + 58e-9 + 8e-9 + 58e-9, 1e-15);
}

TEST(TileParams, DescribeListsEveryKeyWithUnits) {
    TileParams p;
    std::map<std::string, ParamRow> rows;
    for (auto& r : list_params(p)) rows[r.key] = r;
    for (const char* k : {"clock_hz", "in_size", "out_size", "ldpu_size", "weight_size", "queue_depth", "crossbar.adc.bits",
                          "ldpu.lanes", "ldpu.tanh_lut.entries", "sram_width_bytes", "sram_read_pj_per_byte",
                          "sram_write_pj_per_byte", "register_access_cycles", "issue_cycles", "mvm_gap_cycles",
                          "send_burst_bytes", "static_power", "seed", "drift_update_interval", "drift_age"})
        EXPECT_TRUE(rows.count(k)) << k;
    EXPECT_EQ(rows["static_power"].info.unit, "W");
    EXPECT_EQ(rows["in_size"].info.max, 128 * 1024);
    EXPECT_EQ(rows["weight_size"].info.max, 512 * 1024);
}

TEST(TileParams, JsonAndAssignmentsApply) {
    TileParams p;
    apply_json(p, nlohmann::json::parse(R"({"in_size": "32 KiB", "crossbar": {"preset": "hermes-core", "rows": 64},
                                            "ldpu": {"lanes": 32}, "static_power": 0.001})"),
               "test.json");
    EXPECT_EQ(p.in_size, 32768u);
    EXPECT_EQ(p.ldpu.cost.lanes, 32u);
    EXPECT_EQ(crossbar_config(p, 0).rows, 64);
    EXPECT_THROW(apply_json(p, nlohmann::json::parse(R"({"in_sise": 1})"), "test.json"), ConfigError);
    EXPECT_THROW(apply_json(p, nlohmann::json::parse(R"({"in_size": "1 MiB"})"), "test.json"), ConfigError);
    apply_assignment(p, "queue_depth=4");
    EXPECT_EQ(p.queue_depth, 4u);
}

TEST(TileParams, CheckNamesTheKey) {
    auto message = [](const TileParams& p) {
        try {
            check_params(p);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    TileParams p;
    EXPECT_EQ(message(p), "accepted");
    p.out_size = 300 * 1024;
    EXPECT_NE(message(p).find("tile.out_size"), std::string::npos) << message(p);
    p = TileParams{};
    p.queue_depth = 0;
    EXPECT_NE(message(p).find("tile.queue_depth"), std::string::npos);
    p = TileParams{};
    p.crossbar.adc.bits = 0;
    EXPECT_NE(message(p).find("tile.crossbar"), std::string::npos) << message(p);
    EXPECT_NE(message(p).find("adc.bits"), std::string::npos) << message(p);
    p = TileParams{};
    p.crossbar.dac.mode = "thermometer";
    EXPECT_NE(message(p).find("tile.crossbar"), std::string::npos) << message(p);
    EXPECT_NE(message(p).find("dac.mode"), std::string::npos) << message(p);
    p = TileParams{};
    p.ldpu.cost.lanes = 0;
    EXPECT_NE(message(p).find("tile.ldpu.lanes"), std::string::npos) << message(p);
    p = TileParams{};
    p.ldpu.tanh_lut.interpolation = "cubic";
    EXPECT_NE(message(p).find("tile.ldpu.tanh_lut.interpolation"), std::string::npos) << message(p);
}

TEST(TileParams, EachTileGetsItsOwnSeed) {
    TileParams p;
    p.seed = 7;
    EXPECT_EQ(crossbar_config(p, 0).seed, 7);
    EXPECT_EQ(crossbar_config(p, 5).seed, 12);
    p.seed = 2147483647;
    EXPECT_GE(crossbar_config(p, 3).seed, 0);
}

}  // namespace
}  // namespace aimc::tile
