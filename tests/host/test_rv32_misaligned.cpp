// Misaligned loads and stores: trap by default (cause 4/6, mtval = address, nothing written), or
// performed byte by byte at the configured extra cycles (Config::emulate_misaligned, the
// platform's cpu.misaligned = emulate), in RAM (DMI) and through the bus alike.
#include "rv32_test_util.h"

namespace rv32test {
namespace {

class Misaligned : public CoreTest, public ::testing::WithParamInterface<uint32_t> {
protected:
    // lw/lh/lhu/lb at every offset, then sw/sh at misaligned offsets, in memory at `base`; the
    // results land in s5.. and the words written are read back by the test.
    static Program misaligned_program(uint32_t base) {
        Program p = with_handler();
        p.li(a0, base);
        p(lw(s5, a0, 1))(lw(s6, a0, 3))(lh(s7, a0, 1))(lhu(s8, a0, 3))(lh(s9, a0, 7));
        p.li(a1, 0xA1B2C3D4);
        p(sw(a1, a0, 9))(sh(a1, a0, 15));
        exit_seq(p);
        return p;
    }

    void fill(uint32_t base) {
        for (uint32_t i = 0; i < 24; ++i) {
            const uint8_t b = static_cast<uint8_t>(0x10 + i * 0x11);
            if (base == kBusMem) bus.busmem[i] = b;
            else bus.ram[base - kRamBase + i] = b;
        }
    }
    uint8_t byte(uint32_t base, uint32_t i) const {
        return base == kBusMem ? bus.busmem[i] : bus.ram[base - kRamBase + i];
    }
};

TEST_P(Misaligned, EmulatedAccessesReadAndWriteTheRightBytes) {
    const uint32_t base = GetParam();
    config.emulate_misaligned = true;
    config.cycles.misaligned = 7;
    make_core();
    load_handler();
    fill(base);
    Program p = misaligned_program(base);
    load(p);
    core->set_pc(kRamBase);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0u) << "no trap expected, mcause " << core->reg(s2);
    // Bytes are 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, ...
    EXPECT_EQ(core->reg(s5), 0x54433221u);
    EXPECT_EQ(core->reg(s6), 0x76655443u);
    EXPECT_EQ(core->reg(s7), 0x00003221u);
    EXPECT_EQ(core->reg(s8), 0x00005443u);
    EXPECT_EQ(core->reg(s9), 0xFFFF9887u);  // lh sign-extends
    EXPECT_EQ(byte(base, 8), 0x98);         // untouched around the stored word
    EXPECT_EQ(byte(base, 9), 0xD4);
    EXPECT_EQ(byte(base, 10), 0xC3);
    EXPECT_EQ(byte(base, 11), 0xB2);
    EXPECT_EQ(byte(base, 12), 0xA1);
    EXPECT_EQ(byte(base, 13), 0xED);
    EXPECT_EQ(byte(base, 15), 0xD4);
    EXPECT_EQ(byte(base, 16), 0xC3);
}

TEST_P(Misaligned, TrapByDefaultWithNothingWritten) {
    const uint32_t base = GetParam();
    load_handler();
    fill(base);
    Program p = with_handler();
    p.li(a0, base).li(a1, 0xA1B2C3D4);
    p(sw(a1, a0, 9));
    exit_seq(p);
    load(p);
    core->set_pc(kRamBase);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 6u);  // store/AMO address misaligned
    EXPECT_EQ(core->reg(s4), base + 9);
    EXPECT_EQ(byte(base, 9), 0xA9);
}

INSTANTIATE_TEST_SUITE_P(Memory, Misaligned, ::testing::Values(kRamBase + 0x4000, kBusMem),
                         [](const ::testing::TestParamInfo<uint32_t>& info) {
                             return std::string(info.param == kBusMem ? "Bus" : "Ram");
                         });

// The extra cycles are charged once per misaligned access.
TEST_F(CoreTest, MisalignedEmulationCostsItsCycles) {
    auto cycles_of = [&](bool emulate, uint32_t offset) {
        config.emulate_misaligned = emulate;
        config.cycles.misaligned = 7;
        make_core();
        Program p(kRamBase);
        p.li(a0, kRamBase + 0x4000);
        p(lw(a1, a0, static_cast<int32_t>(offset)));
        exit_seq(p);
        load(p);
        core->set_pc(kRamBase);
        EXPECT_EQ(run_to_exit(), StopReason::Requested);
        return core->cycles();
    };
    EXPECT_EQ(cycles_of(true, 1), cycles_of(true, 0) + 7);
    EXPECT_EQ(cycles_of(false, 0), cycles_of(true, 0));
}

}  // namespace
}  // namespace rv32test
