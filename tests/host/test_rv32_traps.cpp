// Unit tests of the RV32 core: synchronous exceptions, interrupts, wfi, mret, the fatal-trap rule.
#include "rv32_test_util.h"

namespace rv32test {
namespace {

struct ExcCase {
    const char* name;
    uint32_t insn;
    uint32_t a0;  // value of a0 before the instruction
    uint32_t cause;
    bool tval_is_pc;  // else tval = tval
    uint32_t tval;
};

TEST_F(CoreTest, SynchronousExceptions) {
    const uint32_t ram = kRamBase + 0x4000;
    const uint32_t nothing = 0x40000000;  // unmapped, bus error
    const ExcCase cases[] = {
        {"ebreak", ebreak(), 0, 3, true, 0},
        {"ecall", ecall(), 0, 11, false, 0},
        {"illegal32", 0xFFFFFFFF, 0, 2, false, 0xFFFFFFFF},
        {"illegal-sret", 0x10200073, 0, 2, false, 0x10200073},
        {"lw misaligned", lw(a1, a0, 2), ram, 4, false, ram + 2},
        {"lh misaligned", lh(a1, a0, 1), ram, 4, false, ram + 1},
        {"lhu misaligned dev", lhu(a1, a0, 3), kBusMem, 4, false, kBusMem + 3},
        {"lw fault", lw(a1, a0, 4), nothing, 5, false, nothing + 4},
        {"lb fault", lb(a1, a0, 0), nothing, 5, false, nothing},
        {"sw misaligned", sw(a1, a0, 1), ram, 6, false, ram + 1},
        {"sh misaligned", sh(a1, a0, 3), ram, 6, false, ram + 3},
        {"sw fault", sw(a1, a0, 0), nothing, 7, false, nothing},
        {"sb fault", sb(a1, a0, 7), nothing, 7, false, nothing + 7},
        {"lr misaligned", lr_w(a1, a0), ram + 2, 4, false, ram + 2},
        {"lr fault", lr_w(a1, a0), nothing, 5, false, nothing},
        {"sc misaligned", sc_w(a1, a2, a0), ram + 1, 6, false, ram + 1},
        {"amo misaligned", amoadd_w(a1, a2, a0), ram + 2, 6, false, ram + 2},
        {"amo fault", amoswap_w(a1, a2, a0), nothing, 7, false, nothing},
        {"csr illegal", csrr(a1, 0x7FF), 0, 2, false, csrr(a1, 0x7FF)},
    };
    for (const ExcCase& c : cases) {
        SCOPED_TRACE(c.name);
        make_core();
        load_handler();
        Program p = with_handler();
        p.li(a0, c.a0)(csrsi(csr::mstatus, 8));  // MIE = 1 to check the MIE -> MPIE move
        p.li(a1, 0x55);
        const uint32_t at = p.here();
        p(c.insn);
        p(addi(s5, zero, 1));  // must not run
        exit_seq(p);
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        EXPECT_EQ(core->reg(s2), c.cause);
        EXPECT_EQ(core->reg(s3), at);
        EXPECT_EQ(core->reg(s4), c.tval_is_pc ? at : c.tval);
        EXPECT_EQ(core->reg(s5), 0u);
        EXPECT_EQ(core->reg(a1), 0x55u) << "the faulting instruction must not write rd";
        EXPECT_EQ(csr(csr::mstatus), (3u << 11) | 0x80u);  // MPIE = 1, MIE = 0, MPP = M
        EXPECT_EQ(core->fatal_trap().happened, false);
    }
}

TEST_F(CoreTest, InstructionFetchFaultAndCause0) {
    load_handler();
    Program p = with_handler();
    p.li(a0, 0x40000000)(jalr(ra, a0, 0));
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 1u);
    EXPECT_EQ(core->reg(s3), 0x40000000u);
    EXPECT_EQ(core->reg(s4), 0x40000000u);
    EXPECT_EQ(core->reg(ra), p.here());

    // Falling off the end of the DMI region (a 4-byte instruction whose second half is outside).
    make_core();
    load_handler();
    Program q = with_handler();
    q.li(a0, kRamBase + kRamSize - 2)(jalr(zero, a0, 0));
    load(q);
    bus.ram[kRamSize - 2] = 0x13;  // low half of an addi: 4-byte encoding
    bus.ram[kRamSize - 1] = 0x00;
    core->invalidate_code(kRamBase + kRamSize - 2, 2);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 1u);
    EXPECT_EQ(core->reg(s3), kRamBase + kRamSize - 2);
    EXPECT_EQ(core->reg(s4), kRamBase + kRamSize);

    // A misaligned pc can only come from the debugger (jalr clears bit 0, C allows 2-byte targets).
    make_core();
    load_handler();
    Program r = with_handler();
    load(r);
    ASSERT_EQ(core->run(2), StopReason::Budget);  // mtvec set
    core->set_pc(kRamBase + 0x101);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0u);
    EXPECT_EQ(core->reg(s4), kRamBase + 0x101);
}

TEST_F(CoreTest, MretRestoresInterruptEnable) {
    Program p = with_handler();
    p(csrsi(csr::mstatus, 8));
    p(ecall());
    p(csrr(s0, csr::mstatus));
    exit_seq(p);
    load(p);
    Program h(kHandler);
    h(csrr(s1, csr::mstatus))(csrr(t0, csr::mepc))(addi(t0, t0, 4))(csrw(csr::mepc, t0))(mret());
    load(h);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s1), (3u << 11) | 0x80u);         // in the handler: MIE=0, MPIE=1
    EXPECT_EQ(core->reg(s0), (3u << 11) | 0x88u);         // after mret: MIE=1, MPIE=1, MPP=M
}

// Interrupt test program: enable the given mie bits and MIE, then spin; the handler records mcause
// and mepc and exits.
class IrqTest : public CoreTest {
protected:
    void build(uint32_t mie_bits, bool vectored, bool enable_mie = true) {
        Program p(kRamBase);
        p.li(t0, kHandler | (vectored ? 1 : 0))(csrw(csr::mtvec, t0));
        p.li(t0, mie_bits)(csrw(csr::mie, t0));
        if (enable_mie) p(csrsi(csr::mstatus, 8));
        p.label("spin")(addi(s0, s0, 1)).j("spin");
        spin_ = p.addr("spin");
        load(p);
        // Direct mode handler at kHandler; vectored handlers at kHandler + 4 * cause.
        Program h(kHandler);
        if (vectored) {
            for (uint32_t cause = 0; cause < 12; ++cause) {
                h.label("v" + std::to_string(cause)).j("h" + std::to_string(cause));
            }
            for (uint32_t cause = 0; cause < 12; ++cause) {
                h.label("h" + std::to_string(cause)).li(s5, 100 + cause).j("common");
            }
        }
        h.label("common");
        handler(h);
        load(h);
    }
    uint32_t spin_ = 0;
};

TEST_F(IrqTest, DirectModeTimerInterrupt) {
    build(kMtip, false);
    ASSERT_EQ(core->run(100), StopReason::Budget);
    core->set_irq_lines(kMtip, true);
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0x80000007u);
    EXPECT_TRUE(core->reg(s3) == spin_ || core->reg(s3) == spin_ + 4);
    EXPECT_EQ(core->reg(s4), 0u);
    EXPECT_EQ(csr(csr::mstatus), (3u << 11) | 0x80u);
}

TEST_F(IrqTest, VectoredModeUsesBasePlus4TimesCause) {
    for (uint32_t line : {kMsip, kMtip, kMeip}) {
        make_core();
        build(line, true);
        ASSERT_EQ(core->run(50), StopReason::Budget);
        core->set_irq_lines(line, true);
        ASSERT_EQ(core->run(1000), StopReason::Requested);
        const uint32_t code = line == kMsip ? 3 : line == kMtip ? 7 : 11;
        EXPECT_EQ(core->reg(s2), 0x80000000u | code);
        EXPECT_EQ(core->reg(s5), 100 + code);
    }
}

TEST_F(IrqTest, VectoredModeSendsExceptionsToBase) {
    build(0, true);
    Program p(kRamBase + 0x2000);
    p(ecall());
    load(p);
    ASSERT_EQ(core->run(50), StopReason::Budget);
    core->set_pc(kRamBase + 0x2000);
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 11u);
    EXPECT_EQ(core->reg(s5), 100u);  // vector 0 = base
}

TEST_F(IrqTest, PriorityMeiThenMsiThenMti) {
    struct Case {
        uint32_t lines;
        uint32_t code;
    };
    for (const Case& c : {Case{kMsip | kMtip | kMeip, 11}, Case{kMsip | kMtip, 3}, Case{kMtip, 7}, Case{kMeip | kMtip, 11}}) {
        make_core();
        build(kMsip | kMtip | kMeip, false);
        ASSERT_EQ(core->run(50), StopReason::Budget);
        core->set_irq_lines(c.lines, true);
        ASSERT_EQ(core->run(1000), StopReason::Requested);
        EXPECT_EQ(core->reg(s2), 0x80000000u | c.code);
    }
}

TEST_F(IrqTest, MaskedByMieAndMstatus) {
    build(kMtip, false, /*enable_mie=*/false);
    ASSERT_EQ(core->run(50), StopReason::Budget);
    core->set_irq_lines(kMtip | kMeip, true);
    EXPECT_EQ(core->run(200), StopReason::Budget);  // MIE = 0
    EXPECT_TRUE(core->wakeup_pending());
    make_core();
    build(kMsip, false, true);
    ASSERT_EQ(core->run(50), StopReason::Budget);
    core->set_irq_lines(kMtip | kMeip, true);
    EXPECT_EQ(core->run(200), StopReason::Budget);  // not enabled in mie
    EXPECT_FALSE(core->wakeup_pending());
}

TEST_F(IrqTest, InterruptRaisedFromBusCallbackIsTakenAtNextBoundary) {
    Program p(kRamBase);
    p.li(t0, kHandler)(csrw(csr::mtvec, t0)).li(t0, kMeip)(csrw(csr::mie, t0))(csrsi(csr::mstatus, 8));
    p.li(a0, kDevBase).li(a1, kMeip);
    const uint32_t store_pc = p.here();
    p(sw(a1, a0, 4));             // device raises MEIP during this store
    p(addi(s6, zero, 1));         // must not run before the interrupt
    p(addi(s7, zero, 1));
    load(p);
    load_handler();
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0x8000000Bu);
    EXPECT_EQ(core->reg(s3), store_pc + 4);
    EXPECT_EQ(core->reg(s6), 0u);
}

TEST_F(IrqTest, WfiSleepsAndWakes) {
    Program p(kRamBase);
    p.li(t0, kHandler)(csrw(csr::mtvec, t0)).li(t0, kMtip)(csrw(csr::mie, t0))(csrsi(csr::mstatus, 8));
    const uint32_t wfi_pc = p.here();
    p(wfi())(addi(s6, zero, 1));
    exit_seq(p);
    load(p);
    load_handler();
    ASSERT_EQ(core->run(1000), StopReason::Wfi);
    EXPECT_EQ(core->pc(), wfi_pc + 4);
    EXPECT_FALSE(core->wakeup_pending());
    core->set_irq_lines(kMtip, true);
    EXPECT_TRUE(core->wakeup_pending());
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->reg(s2), 0x80000007u);
    EXPECT_EQ(core->reg(s3), wfi_pc + 4);  // mepc after the wfi
    EXPECT_EQ(core->reg(s6), 0u);
}

TEST_F(IrqTest, WfiWithMieClearContinuesAndWfiWithPendingIsNop) {
    Program p(kRamBase);
    p.li(t0, kMtip)(csrw(csr::mie, t0));
    p(wfi())(addi(s6, zero, 1));
    p(wfi())(addi(s7, zero, 1));  // line already pending: nop
    exit_seq(p);
    load(p);
    ASSERT_EQ(core->run(1000), StopReason::Wfi);
    core->set_irq_lines(kMtip, true);
    ASSERT_EQ(core->run(1000), StopReason::Requested);  // no trap: MIE = 0
    EXPECT_EQ(core->reg(s6), 1u);
    EXPECT_EQ(core->reg(s7), 1u);
}

TEST_F(CoreTest, FatalTrapStopsInsteadOfLooping) {
    Program p(kRamBase);
    p(addi(a0, zero, 1));
    const uint32_t at = p.here();
    p(lw(a1, zero, 3));  // misaligned load at address 3, mtvec = 0 is unmapped
    load(p);
    ASSERT_EQ(core->run(1000000), StopReason::Requested);
    const auto& f = core->fatal_trap();
    EXPECT_TRUE(f.happened);
    EXPECT_EQ(f.cause, 4u);
    EXPECT_EQ(f.pc, at);
    EXPECT_EQ(f.tval, 3u);
    EXPECT_EQ(f.insn, lw(a1, zero, 3));
    EXPECT_EQ(core->pc(), at);
    EXPECT_EQ(core->recent_pcs(), (std::vector<uint32_t>{kRamBase, at}));  // faulting pc included
    EXPECT_EQ(core->instret(), 1u);
    EXPECT_LT(core->cycles(), 100u);
    // Again: still no loop.
    ASSERT_EQ(core->run(1000000), StopReason::Requested);

    // A fatal interrupt (vector unmapped) too.
    make_core();
    Program q(kRamBase);
    q.li(t0, kMtip)(csrw(csr::mie, t0))(csrsi(csr::mstatus, 8));
    q.label("spin").j("spin");
    load(q);
    ASSERT_EQ(core->run(100), StopReason::Budget);
    core->set_irq_lines(kMtip, true);
    ASSERT_EQ(core->run(1000000), StopReason::Requested);
    EXPECT_EQ(core->fatal_trap().cause, 0x80000007u);
    EXPECT_EQ(core->fatal_trap().pc, q.addr("spin"));

    // Fetch fault with a handler that is itself unmapped.
    make_core();
    core->set_pc(0x40000000);
    ASSERT_EQ(core->run(1000000), StopReason::Requested);
    EXPECT_EQ(core->fatal_trap().cause, 1u);
    EXPECT_EQ(core->fatal_trap().tval, 0x40000000u);
}

}  // namespace
}  // namespace rv32test
