// Physical memory protection (models/host/rv32_pmp.h): the WARL rules of pmpcfg/pmpaddr, the
// riscv-tests rv32mi "pmpaddr" program's logic at several grains, and the checks locked entries
// make on M-mode loads, stores, AMOs and fetches (access faults with mtval).
#include "rv32_test_util.h"

namespace rv32test {
namespace {

constexpr uint8_t R = 1, W = 2, X = 4, L = 0x80, TOR = 0x08, NA4 = 0x10, NAPOT = 0x18;

// pmpaddr value of the NAPOT region [base, base + size) (size a power of two >= 8).
constexpr uint32_t napot(uint32_t base, uint32_t size) { return (base >> 2) | ((size >> 3) - 1); }

class PmpTest : public CoreTest {
protected:
    void set(uint16_t n, uint32_t v) { ASSERT_TRUE(core->write_csr(n, v)) << std::hex << n; }
};

// ---------------------------------------------------------------------------------- WARL rules

TEST_F(PmpTest, ConfigFieldsAreWarl) {
    set(csr::pmpcfg0, 0xFFFFFFFF);  // bits 6:5 are reserved: read 0; entry 0..3 become locked
    EXPECT_EQ(csr(csr::pmpcfg0), 0x9F9F9F9Fu);
    make_core();
    // R=0 W=1 is reserved: W is dropped (as Spike does), the rest of the byte is written.
    set(csr::pmpcfg0, W | X | (uint32_t{W} << 8) | (uint32_t{R | W} << 16));
    EXPECT_EQ(csr(csr::pmpcfg0), X | (uint32_t{R | W} << 16));
    // NA4 stays NA4 at the 4-byte grain.
    set(csr::pmpcfg1, NA4 | R);
    EXPECT_EQ(csr(csr::pmpcfg1), uint32_t{NA4 | R});
}

TEST_F(PmpTest, Na4BecomesNapotAboveTheFourByteGrain) {
    config.pmp_granularity = 4096;
    make_core();
    set(csr::pmpcfg0, NA4 | R);
    EXPECT_EQ(csr(csr::pmpcfg0), uint32_t{NAPOT | R});
}

TEST_F(PmpTest, UnimplementedEntriesReadZero) {
    config.pmp_entries = 6;
    make_core();
    set(csr::pmpcfg1, 0x01010101);
    EXPECT_EQ(csr(csr::pmpcfg1), 0x00000101u);  // entries 4, 5 only
    set(csr::pmpaddr5, 0x1234);
    set(csr::pmpaddr6, 0x1234);
    EXPECT_EQ(csr(csr::pmpaddr5), 0x1234u);
    EXPECT_EQ(csr(csr::pmpaddr6), 0u);
    config.pmp_entries = 0;
    make_core();
    set(csr::pmpcfg0, 0x01010101);
    set(csr::pmpaddr0, 0x1234);
    EXPECT_EQ(csr(csr::pmpcfg0), 0u);
    EXPECT_EQ(csr(csr::pmpaddr0), 0u);
}

TEST_F(PmpTest, LockedEntriesIgnoreWritesUntilReset) {
    set(csr::pmpaddr2, 0x100);
    set(csr::pmpcfg0, uint32_t{L | NA4 | R} << 16);  // entry 2 locked
    set(csr::pmpcfg0, 0);
    EXPECT_EQ(csr(csr::pmpcfg0), uint32_t{L | NA4 | R} << 16) << "a locked byte keeps its value";
    set(csr::pmpaddr2, 0x200);
    EXPECT_EQ(csr(csr::pmpaddr2), 0x100u);
    set(csr::pmpaddr1, 0x300);  // entry 2 is NA4, not TOR: entry 1's address stays writable
    EXPECT_EQ(csr(csr::pmpaddr1), 0x300u);
    core->reset();
    EXPECT_EQ(csr(csr::pmpcfg0), 0u);
    set(csr::pmpaddr2, 0x200);
    EXPECT_EQ(csr(csr::pmpaddr2), 0x200u);
}

TEST_F(PmpTest, LockedTorEntryLocksTheAddressBelow) {
    set(csr::pmpaddr3, 0x100);
    set(csr::pmpaddr4, 0x200);
    set(csr::pmpcfg1, L | TOR | R);  // entry 4: TOR [pmpaddr3 << 2, pmpaddr4 << 2), locked
    set(csr::pmpaddr3, 0x180);
    set(csr::pmpaddr4, 0x280);
    EXPECT_EQ(csr(csr::pmpaddr3), 0x100u) << "the lower bound of a locked TOR entry";
    EXPECT_EQ(csr(csr::pmpaddr4), 0x200u);
    set(csr::pmpcfg0, uint32_t{R} << 24);  // entry 3's own config is not locked
    EXPECT_EQ(csr(csr::pmpcfg0), uint32_t{R} << 24);
}

TEST_F(PmpTest, GrainHidesLowAddressBitsByMode) {
    config.pmp_granularity = 64;  // G = 4
    make_core();
    set(csr::pmpaddr0, 0xFFFFFFFF);
    EXPECT_EQ(csr(csr::pmpaddr0), 0xFFFFFFF0u) << "OFF: bits G-1..0 read 0";
    set(csr::pmpaddr0, 0x12340000);
    set(csr::pmpcfg0, NAPOT);
    EXPECT_EQ(csr(csr::pmpaddr0), 0x12340007u) << "NAPOT: bits G-2..0 read 1";
    set(csr::pmpcfg0, TOR);
    EXPECT_EQ(csr(csr::pmpaddr0), 0x12340000u);
}

// ---------------------------------------------------------------------------------- rv32mi pmpaddr
// The logic of riscv-tests isa/rv64mi/pmpaddr.S (which rv32mi includes): find G from pmpaddr0's
// read-back, then check that pmpaddr0[G-1] reads 0 in OFF mode and keeps its stored value, and that
// csrs/csrc write the read-as value back. a0 ends 0 on pass, else the number of the failed check.

class PmpAddrTest : public CoreTest, public ::testing::WithParamInterface<uint32_t> {
protected:
    static Program pmpaddr_program();
};

Program PmpAddrTest::pmpaddr_program() {
    Program p = with_handler();
    const uint32_t cfg_a = 0x3 << 3;
    p.li(gp, 1);
    p(csrw(csr::pmpcfg0, zero));
    p.li(t0, 0xFFFFFFFF);
    p(csrw(csr::pmpaddr0, t0))(csrr(t0, csr::pmpaddr0));
    p(sub(t1, zero, t0))(and_(a7, t0, t1));  // a7: the lowest set bit (1 << G)
    p.beq(a7, zero, "fail");
    p(srli(a7, a7, 1));
    p.beq(a7, zero, "pass");  // G = 0: nothing to test
    unsigned check = 2;
    auto mode_napot = [&] { p.li(t2, cfg_a)(csrs(csr::pmpcfg0, t2)); };
    auto mode_off = [&] { p.li(t2, cfg_a)(csrc(csr::pmpcfg0, t2)); };
    auto bit = [&](bool v) { p(v ? csrs(csr::pmpaddr0, a7) : csrc(csr::pmpaddr0, a7)); };
    auto expect_bit = [&](bool v) {
        p.li(gp, check++);
        p(csrr(t6, csr::pmpaddr0))(and_(t6, t6, a7));
        v ? p.beq(t6, zero, "fail") : p.bne(t6, zero, "fail");
    };
    mode_napot();
    bit(false), expect_bit(false);
    bit(true), expect_bit(true);
    mode_off(), expect_bit(false);
    mode_napot(), expect_bit(true);
    // Written while it reads as zero.
    bit(false), mode_off(), bit(true), mode_napot(), expect_bit(true);
    // csrs/csrc from x0 have no side effect.
    mode_off();
    p(csrc(csr::pmpaddr0, zero))(csrs(csr::pmpaddr0, zero));
    mode_napot(), expect_bit(true);
    // Setting other bits writes the read-as-zero value of G-1 back.
    mode_off();
    p(xori(t0, a7, -1))(csrs(csr::pmpaddr0, t0));
    mode_napot(), expect_bit(false);
    p.label("pass").li(gp, 0);
    p.label("fail")(mv(a0, gp));
    exit_seq(p);
    return p;
}

TEST_P(PmpAddrTest, RiscvTestsPmpaddrLogicPasses) {
    config.pmp_granularity = GetParam();
    make_core();
    load_handler();
    Program p = pmpaddr_program();
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0u) << "unexpected trap, mcause " << core->reg(s2);
    EXPECT_EQ(core->reg(a0), 0u) << "failed check " << core->reg(a0);
    EXPECT_EQ(core->reg(a7), GetParam() >= 8 ? GetParam() >> 3 : 0u) << "granularity detected from pmpaddr0";
}

INSTANTIATE_TEST_SUITE_P(Granularity, PmpAddrTest, ::testing::Values(4u, 8u, 16u, 4096u, 1u << 20));

// ---------------------------------------------------------------------------------- access checks

constexpr uint32_t kData = kRamBase + 0x4000;  // a 4 KiB data page the tests protect
constexpr uint32_t kCode = kRamBase + 0x6000;  // a routine the tests protect
constexpr uint32_t kBusGuard = kBusMem + 0x100;

class PmpAccess : public CoreTest {
protected:
    // Runs `body` after mtvec is set; returns mcause of the trap taken (0: none) with mepc/mtval in
    // s3/s4, and the program itself (for its labels).
    uint32_t run_body(const std::function<void(Program&)>& body) {
        load_handler();
        Program sub(kCode);
        sub(addi(s5, s5, 1))(jalr(zero, ra, 0));
        load(sub);
        Program p = with_handler();
        p.li(s2, 0);
        body(p);
        exit_seq(p);
        load(p);
        core->set_pc(kRamBase);
        EXPECT_EQ(run_to_exit(), StopReason::Requested);
        return core->reg(s2);
    }
    // Locked entry `i` with config `cfg` and address `addr` (pmpaddr first: the lock freezes it).
    static void entry(Program& p, unsigned i, uint32_t addr, uint8_t cfg) {
        p.li(t0, addr)(csrw(static_cast<uint16_t>(csr::pmpaddr0 + i), t0));
        p.li(t0, static_cast<uint32_t>(cfg) << (8 * (i % 4)))(csrs(static_cast<uint16_t>(csr::pmpcfg0 + i / 4), t0));
    }
};

TEST_F(PmpAccess, LockedReadOnlyRegionFaultsStoresNotLoads) {
    poke32(kData + 8, 0x11223344);
    const uint32_t cause = run_body([](Program& p) {
        entry(p, 0, napot(kData, 4096), L | NAPOT | R);
        p.li(a0, kData)(lw(s6, a0, 8));
        p.li(a1, 0x55)(sw(a1, a0, 12));
    });
    EXPECT_EQ(core->reg(s6), 0x11223344u);
    EXPECT_EQ(cause, 7u);  // store/AMO access fault
    EXPECT_EQ(core->reg(s4), kData + 12);
    EXPECT_EQ(peek32(kData + 12), 0u) << "the denied store wrote nothing";
}

TEST_F(PmpAccess, LockedExecuteOnlyRegionFaultsLoadsWithTheAddress) {
    // R=0 W=1 is reserved (W reads 0), so a region without R has no W either.
    const uint32_t cause = run_body([](Program& p) {
        entry(p, 1, napot(kData, 4096), L | NAPOT | W | X);
        p.li(a0, kData)(lbu(s6, a0, 3));
    });
    EXPECT_EQ(csr(csr::pmpcfg0), uint32_t{L | NAPOT | X} << 8);
    EXPECT_EQ(cause, 5u);
    EXPECT_EQ(core->reg(s4), kData + 3);
}

TEST_F(PmpAccess, AtomicsNeedReadAndWrite) {
    struct Case {
        uint32_t insn;
        uint8_t perms;
        uint32_t cause;  // 0: no trap
    };
    for (const Case& c : {Case{amoadd_w(s6, a1, a0), R, 7}, Case{amoswap_w(s6, a1, a0), R | W, 0},
                          Case{lr_w(s6, a0), R, 0}, Case{lr_w(s6, a0), X, 5}, Case{sc_w(s6, a1, a0), R, 0}}) {
        SCOPED_TRACE(testing::Message() << std::hex << c.insn << " perms " << unsigned{c.perms});
        make_core();
        poke32(kData, 0x1234);
        const uint32_t cause = run_body([&](Program& p) {
            entry(p, 0, napot(kData, 4096), L | NAPOT | c.perms);
            p.li(a0, kData).li(a1, 5).li(s6, 0xDEAD)(c.insn);
        });
        EXPECT_EQ(cause, c.cause);
        if (c.cause) {
            EXPECT_EQ(core->reg(s4), kData);
            EXPECT_EQ(peek32(kData), 0x1234u) << "nothing written";
        }
        if (c.insn == sc_w(s6, a1, a0)) EXPECT_EQ(core->reg(s6), 1u) << "no reservation: fails without an access";
    }
}

TEST_F(PmpAccess, DeviceAccessesAreCheckedBeforeTheBus) {
    const uint32_t cause = run_body([](Program& p) {
        entry(p, 0, kBusGuard >> 2, L | NA4);  // one word of bus memory, no permission
        p.li(a0, kBusGuard)(sw(a0, a0, 4))(sw(a0, a0, 0));
    });
    EXPECT_EQ(cause, 7u);
    EXPECT_EQ(core->reg(s4), kBusGuard);
    ASSERT_EQ(bus.log.size(), 2u) << "the word after it went out, the denied one did not";
    EXPECT_EQ(bus.log[0].addr, kBusGuard + 4);
}

TEST_F(PmpAccess, TorRegionWithTheLowerBoundFromTheEntryBelow) {
    const uint32_t cause = run_body([](Program& p) {
        entry(p, 2, (kData + 0x100) >> 2, 0);  // entry 2 OFF: only its address serves as the bound
        entry(p, 3, (kData + 0x200) >> 2, L | TOR | R);
        p.li(a0, kData)(sw(a0, a0, 0xFC))(sw(a0, a0, 0x200))(lw(s6, a0, 0x100))(sw(a0, a0, 0x1FC));
    });
    EXPECT_EQ(cause, 7u);
    EXPECT_EQ(core->reg(s4), kData + 0x1FC);
    EXPECT_EQ(peek32(kData + 0xFC), kData);
    EXPECT_EQ(peek32(kData + 0x200), kData);
}

TEST_F(PmpAccess, TheLowestMatchingEntryDecides) {
    const uint32_t cause = run_body([](Program& p) {
        // Entry 0 (unlocked, no permission) covers the first half of the page: M-mode passes there.
        p.li(t0, napot(kData, 2048))(csrw(csr::pmpaddr0, t0));
        p.li(t0, NAPOT)(csrs(csr::pmpcfg0, t0));
        entry(p, 1, napot(kData, 4096), L | NAPOT | R);
        p.li(a0, kData).li(a1, kData + 0x800)(sw(a0, a0, 0x7FC))(sw(a0, a1, 0));
    });
    EXPECT_EQ(peek32(kData + 0x7FC), kData);
    EXPECT_EQ(cause, 7u);
    EXPECT_EQ(core->reg(s4), kData + 0x800);
}

TEST_F(PmpAccess, UnlockedEntriesDoNotConstrainMachineMode) {
    const uint32_t cause = run_body([](Program& p) {
        p.li(t0, 0xFFFFFFFF)(csrw(csr::pmpaddr0, t0));  // NAPOT over everything, no permission
        p.li(t0, NAPOT)(csrw(csr::pmpcfg0, t0));
        p.li(a0, kData)(sw(a0, a0, 0))(lw(s6, a0, 0));
        p.li(t1, kCode)(jalr(ra, t1, 0));
    });
    EXPECT_EQ(cause, 0u);
    EXPECT_EQ(core->reg(s6), kData);
    EXPECT_EQ(core->reg(s5), 1u);
}

TEST_F(PmpAccess, FetchFromANoExecuteRegionFaults) {
    const uint32_t cause = run_body([](Program& p) {
        p.li(t1, kCode)(jalr(ra, t1, 0));  // runs once while allowed (decoded then)
        entry(p, 0, napot(kCode, 256), L | NAPOT | R | W);
        p.li(t1, kCode)(jalr(ra, t1, 0));  // decoded code must not escape the check
    });
    EXPECT_EQ(core->reg(s5), 1u);
    EXPECT_EQ(cause, 1u);  // instruction access fault
    EXPECT_EQ(core->reg(s3), kCode);
    EXPECT_EQ(core->reg(s4), kCode);
}

TEST_F(PmpAccess, CodeAfterTheLockingWriteRunsUnderTheNewRules) {
    // The csrw that locks the page the program runs from without X: the next instruction faults.
    const uint32_t cause = run_body([](Program& p) {
        p.li(t0, napot(kRamBase, 4096))(csrw(csr::pmpaddr0, t0));
        p.li(t0, L | NAPOT | R | W)(csrw(csr::pmpcfg0, t0));
        p(addi(s6, zero, 1));
    });
    EXPECT_EQ(cause, 1u);
    EXPECT_EQ(core->reg(s6), 0u);
    EXPECT_EQ(core->reg(s3), core->reg(s4));
    EXPECT_EQ(core->reg(s3) & ~0xFFFu, kRamBase);
}

TEST_F(PmpAccess, EmulatedMisalignedAccessIsCheckedPerByte) {
    config.emulate_misaligned = true;
    make_core();
    const uint32_t cause = run_body([](Program& p) {
        entry(p, 0, (kData + 0x10) >> 2, L | NA4 | R);  // [kData+0x10, +4) read-only
        p.li(a0, kData)(lw(s6, a0, 0xE))(sw(a0, a0, 0xE));
    });
    EXPECT_EQ(cause, 7u);
    EXPECT_EQ(core->reg(s4), kData + 0x10) << "the first byte the entry denies";
}

TEST_F(PmpAccess, DeniedTrapVectorStopsTheRun) {
    // mtvec points into a locked no-execute region: the fault cannot be handled.
    load_handler();
    Program p = with_handler();
    entry(p, 0, napot(kHandler, 256), L | NAPOT | R);
    p.li(a0, 0)(lw(a0, a0, 0));  // load from address 0: access fault -> handler not fetchable
    load(p);
    core->set_pc(kRamBase);
    EXPECT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_TRUE(core->fatal_trap().happened);
    EXPECT_EQ(core->fatal_trap().cause, 5u);
}

TEST(PmpConfig, BadEntriesOrGrainAreRefused) {
    TestBus bus;
    Rv32Core::Config c;
    c.pmp_entries = 17;
    EXPECT_THROW({ Rv32Core core(c, bus); }, std::invalid_argument);
    c.pmp_entries = 16;
    c.pmp_granularity = 12;
    EXPECT_THROW({ Rv32Core core(c, bus); }, std::invalid_argument);
}

}  // namespace
}  // namespace rv32test
