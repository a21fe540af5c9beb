#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/energy_ledger.h"
#include "common/vcd_tracer.h"

using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(VcdTracer, WritesChangesInTimeOrderWithNestedScopes) {
    const std::string path = testing::TempDir() + "/t.vcd";
    aimc::VcdTracer vcd(path, {});
    const auto state = vcd.add_integer("top.chip.tile_0", "state", 3);
    const auto irq = vcd.add_integer("top.chip.tile_0", "irq", 1);
    const auto power = vcd.add_real("top.power", "power_w");
    // Recorded out of order, as temporally decoupled blocks do; a repeated value is no change.
    vcd.record(state, 2, sc_time(20, SC_NS));
    vcd.record(state, 0, sc_time(0, SC_NS));
    vcd.record(state, 2, sc_time(25, SC_NS));
    vcd.record(irq, 1, sc_time(10, SC_NS));
    vcd.record_real(power, 1.5, sc_time(10, SC_NS));
    vcd.write(sc_time(100, SC_NS));
    const std::string text = read_file(path);
    EXPECT_NE(text.find("$scope module top $end\n$scope module chip $end\n$scope module tile_0 $end"), std::string::npos)
        << text;
    const auto t0 = text.find("#0\n"), t10 = text.find("#10000\n"), t20 = text.find("#20000\n");
    ASSERT_NE(t0, std::string::npos) << text;
    ASSERT_NE(t10, std::string::npos) << text;
    ASSERT_NE(t20, std::string::npos) << text;
    EXPECT_LT(t0, t10);
    EXPECT_LT(t10, t20);
    EXPECT_EQ(text.find("#25000"), std::string::npos) << "unchanged value written again";
    EXPECT_NE(text.find("r1.5 "), std::string::npos);
    EXPECT_NE(text.find("b10 "), std::string::npos);
    EXPECT_NE(text.find("#100000"), std::string::npos) << "ends at the end time";
}

TEST(VcdTracer, SeveralChangesAtOneInstantShowTheLast) {
    const std::string path = testing::TempDir() + "/same.vcd";
    aimc::VcdTracer vcd(path, {});
    const auto state = vcd.add_integer("top.t", "state", 3);
    vcd.record(state, 2, sc_time(5, SC_NS));
    vcd.record(state, 5, sc_time(5, SC_NS));
    vcd.write(sc_time(10, SC_NS));
    const std::string text = read_file(path);
    EXPECT_EQ(text.find("b10 "), std::string::npos) << text;
    EXPECT_NE(text.find("#5000\nb101 "), std::string::npos) << text;
}

TEST(VcdTracer, FiltersSelectSignalsByGlob) {
    aimc::VcdTracer vcd(testing::TempDir() + "/f.vcd", {"top.chip.tile_*.state", "*.power_w"});
    EXPECT_GE(vcd.add_integer("top.chip.tile_12", "state", 3), 0);
    EXPECT_EQ(vcd.add_integer("top.chip.tile_12", "irq", 1), -1);
    EXPECT_EQ(vcd.add_integer("top.chip.noc", "state", 3), -1);
    EXPECT_GE(vcd.add_real("top.power", "power_w"), 0);
    EXPECT_EQ(vcd.signal_count(), 2u);
}

TEST(VcdTracer, AnUnwritablePathFailsAtConstruction) {
    EXPECT_THROW(aimc::VcdTracer(testing::TempDir() + "/no/such/dir/t.vcd", {}), aimc::VcdError);
}

TEST(VcdTracer, AFailedWriteIsAnErrorAndLeavesNoTrace) {
    // The body file is /dev/full: every write fails with ENOSPC, as on a full disk.
    const std::string path = testing::TempDir() + "/full.vcd";
    std::filesystem::remove(path + ".body.tmp");
    std::filesystem::create_symlink("/dev/full", path + ".body.tmp");
    {
        aimc::VcdTracer vcd(path, {});
        const auto s = vcd.add_integer("top.t", "state", 3);
        for (int i = 0; i < 100000; ++i) vcd.record(s, i % 5, sc_time(i, SC_NS));
        try {
            vcd.write(sc_time(200, sc_core::SC_US));
            ADD_FAILURE() << "no error";
        } catch (const aimc::VcdError& e) {
            EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        }
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
    std::filesystem::remove(path + ".body.tmp");
}

TEST(VcdTracer, ARecordBehindWhatIsWrittenIsAModelError) {
    aimc::VcdTracer vcd(testing::TempDir() + "/behind.vcd", {}, 1);
    const auto s = vcd.add_integer("top.t", "state", 3);
    vcd.record(s, 1, sc_time(5, SC_NS));
    vcd.write(sc_time(10, SC_NS));  // everything is written: a change at 20 ns can no longer be placed
    EXPECT_THROW(vcd.record(s, 2, sc_time(20, SC_NS)), std::logic_error);
}

TEST(EnergyLedger, RegionsGetTheirEnergyTimeOpsAndMvms) {
    aimc::EnergyLedger ledger;
    aimc::EnergyLedger::Progress done;
    ledger.set_progress_source([&] { return done; });
    const auto a = ledger.open("tile_0", "mvm");
    ledger.add_static_power("tile_0", 0.5);
    ledger.add(a, 1e-9);
    done = {100, 2};
    ledger.set_region(1, 2e-6);
    ledger.add(a, 3e-9, 1e-7);
    done = {1100, 12};
    ledger.set_region(0, 5e-6);
    const auto regions = ledger.regions(6e-6);
    EXPECT_DOUBLE_EQ(regions.at(1).dynamic_j, 3e-9);
    EXPECT_NEAR(regions.at(1).time_s, 3e-6, 1e-15);
    EXPECT_EQ(regions.at(1).ops, 1000u);
    EXPECT_EQ(regions.at(1).mvms, 10u);
    EXPECT_EQ(regions.at(0).ops, 100u);
    EXPECT_EQ(regions.at(0).mvms, 2u);
    EXPECT_NEAR(regions.at(0).time_s, 3e-6, 1e-15);  // [0, 2) and [5, 6) us
    EXPECT_NEAR(ledger.total_j(6e-6), 4e-9 + 0.5 * 6e-6, 1e-18);
    EXPECT_EQ(ledger.entries()[a].count, 2u);
}

TEST(EnergyLedger, ARegionSplitsItsEnergyByAccount) {
    aimc::EnergyLedger ledger;
    const auto adc = ledger.open("tile_0", "mvm.adc");
    ledger.add(adc, 1e-9);
    ledger.set_region(1, 1e-6);
    const auto host = ledger.open("cpu", "instruction");  // opened while region 1 is current
    ledger.add(adc, 2e-9, 0.0, 4);
    ledger.add(host, 5e-9);
    ledger.add(adc, 3e-9);
    ledger.set_region(2, 2e-6);  // a region nothing posts to
    const auto regions = ledger.regions(3e-6);
    const auto& r1 = regions.at(1);
    ASSERT_EQ(r1.joules.size(), 2u);
    EXPECT_DOUBLE_EQ(r1.joules[adc], 5e-9);
    EXPECT_DOUBLE_EQ(r1.joules[host], 5e-9);
    EXPECT_EQ(r1.posts[adc], 5u);
    EXPECT_EQ(r1.posts[host], 1u);
    EXPECT_DOUBLE_EQ(r1.joules[adc] + r1.joules[host], r1.dynamic_j);
    const auto& r0 = regions.at(0);
    ASSERT_EQ(r0.joules.size(), 1u);  // the account opened later has nothing in region 0
    EXPECT_DOUBLE_EQ(r0.joules[adc], 1e-9);
    EXPECT_TRUE(regions.at(2).joules.empty());
    EXPECT_EQ(regions.at(2).dynamic_j, 0.0);
}

}  // namespace
