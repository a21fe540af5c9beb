// Unit tests of the RV32 core: decode cache coherence, run control, timing, debug features.
#include "rv32_test_util.h"

namespace rv32test {
namespace {

// ------------------------------------------------------------------------------------------------
// Decode cache coherence
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, SelfModifyingCodeAcrossBlocks) {
    // f: addi a0, a0, 1; ret. Call it, patch it to addi a0, a0, 100, call again (no fence.i).
    Program p(kRamBase);
    p.la(s0, "f");
    p.jal(ra, "f");
    p.li(t0, addi(a0, a0, 100))(sw(t0, s0, 0));
    p.jal(ra, "f");
    exit_seq(p);
    p.label("f")(addi(a0, a0, 1))(jalr(zero, ra, 0));
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 101u);
}

TEST_F(CoreTest, SelfModifyingCodeInsideTheRunningBlock) {
    // The store patches an instruction later in the same straight-line block.
    Program p(kRamBase);
    p.la(s0, "patch");
    p.li(t0, addi(a1, zero, 42));
    p(sw(t0, s0, 0))(addi(a2, zero, 1));
    p.label("patch")(addi(a1, zero, 7));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a1), 42u);
    EXPECT_EQ(core->reg(a2), 1u);
}

TEST_F(CoreTest, SelfModifyingCompressedAndHalfwordStores) {
    // Patch the upper half of a 32-bit instruction with sh, and a compressed one with sh.
    Program p(kRamBase);
    p.la(s0, "t1");
    p.li(t0, addi(a1, zero, 0x123) >> 16)(sh(t0, s0, 2));  // imm field lives in the upper half
    p.li(t0, c_li(a2, 9))(sh(t0, s0, 4));
    p(fence_i());
    p.label("t1")(addi(a1, zero, 0)).c(c_li(a2, 1)).c(c_nop());
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a1), 0x123u);
    EXPECT_EQ(core->reg(a2), 9u);
}

TEST_F(CoreTest, InvalidateCodeFromOutside) {
    Program p(kRamBase);
    p.label("loop")(addi(a0, a0, 1)).j("loop");
    load(p);
    ASSERT_EQ(core->run(100), StopReason::Budget);
    const uint32_t before = core->reg(a0);
    EXPECT_GT(before, 0u);
    // A "DMA" rewrites the loop body; without invalidate_code the core may run stale code.
    poke32(kRamBase, addi(a0, a0, 3));
    core->invalidate_code(kRamBase, 4);
    core->set_reg(a0, 0);
    ASSERT_EQ(core->run(100), StopReason::Budget);
    EXPECT_EQ(core->reg(a0) % 3, 0u);
    EXPECT_GT(core->reg(a0), 0u);
}

TEST_F(CoreTest, DataStoresIntoACodePageKeepRunning) {
    // Code and data share a page: data stores must not disturb the decoded code.
    Program p(kRamBase);
    p.la(s0, "data").li(a1, 1000);
    p.label("loop")(sw(a1, s0, 0))(lw(a2, s0, 0))(add(a3, a3, a2))(addi(a1, a1, -1)).bne(a1, zero, "loop");
    exit_seq(p);
    p.align(16).label("data").w32(0);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a3), 1000u * 1001u / 2u);
}

TEST_F(CoreTest, BlocksCrossingPagesAndStraddlingInstruction) {
    // Straight-line code across a 4 KiB boundary with a 4-byte instruction straddling it.
    Program p(kRamBase + 0x1000 - 8);
    p.c(c_li(a0, 1)).c(c_addi(a0, 1)).c(c_nop());  // ends at 0x...0FFE
    p(addi(a0, a0, 10));                           // straddles 0x1000
    p(addi(a0, a0, 100));
    exit_seq(p);
    load(p);
    core->set_pc(p.base());
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 112u);
    // Patch the straddling instruction's upper half (first halfword of the next page) and rerun.
    const uint32_t at = kRamBase + 0x1000 - 2;
    const uint32_t patched = addi(a0, a0, 20);
    std::memcpy(&bus.ram[at - kRamBase + 2], reinterpret_cast<const uint8_t*>(&patched) + 2, 2);
    core->invalidate_code(kRamBase + 0x1000, 2);
    core->set_pc(p.base());
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 122u);
}

TEST_F(CoreTest, CodeAndDataInTwoDmiRegions) {
    // A second region (e.g. a scratchpad) with a function and data; calls and loads alternate.
    std::vector<uint8_t> spm(8192, 0);
    const uint32_t spm_base = 0x00100000;
    core->add_dmi(DmiRegion{spm.data(), spm_base, static_cast<uint32_t>(spm.size())});
    Program f(spm_base);
    f(lw(t0, a1, 0))(add(a0, a0, t0))(sw(a0, a1, 4))(jalr(zero, ra, 0));
    const auto& fb = f.finish();
    std::memcpy(spm.data(), fb.data(), fb.size());
    core->invalidate_code(spm_base, static_cast<uint32_t>(fb.size()));
    const uint32_t spm_data = spm_base + 0x1000;
    const uint32_t v = 7;
    std::memcpy(&spm[0x1000], &v, 4);

    Program p(kRamBase);
    p.li(s0, spm_base).li(a1, spm_data).li(s1, 10).li(s2, kRamBase + 0x4000);
    p.label("loop")(jalr(ra, s0, 0))(lw(t1, s2, 0))(addi(t1, t1, 1))(sw(t1, s2, 0))(addi(s1, s1, -1)).bne(s1, zero, "loop");
    // Patch the function in the other region: add -> sub.
    p.li(t0, sub(a0, a0, t0))(sw(t0, s0, 4))(jalr(ra, s0, 0));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 63u);  // 10 x 7 added, then 7 subtracted
    EXPECT_EQ(peek32(kRamBase + 0x4000), 10u);
    uint32_t out;
    std::memcpy(&out, &spm[0x1004], 4);
    EXPECT_EQ(out, 63u);
}

// ------------------------------------------------------------------------------------------------
// Run control and timing
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, BudgetStopsAtFirstBoundaryAtOrPastLimit) {
    // Costs: alu 1, load 2 -> boundaries after 1, 3, 4, 6, 7, ...
    const uint32_t data = kRamBase + 0x4000;
    Program p(kRamBase);
    p.label("loop")(lui(a0, data >> 12))(lw(a1, a0, 0))(addi(a2, a2, 1))(lw(a1, a0, 4))(addi(a2, a2, 1));
    p(addi(a3, a3, 1))(addi(a3, a3, 1))(addi(a3, a3, 1)).j("loop");
    load(p);
    ASSERT_EQ(core->run(2), StopReason::Budget);
    EXPECT_EQ(core->cycles_in_run(), 3u);
    EXPECT_EQ(core->instret(), 2u);
    ASSERT_EQ(core->run(1), StopReason::Budget);
    EXPECT_EQ(core->cycles_in_run(), 1u);
    ASSERT_EQ(core->run(0), StopReason::Budget);
    EXPECT_EQ(core->cycles_in_run(), 0u);
    ASSERT_EQ(core->run(2), StopReason::Budget);
    EXPECT_EQ(core->cycles_in_run(), 2u);
    EXPECT_EQ(core->cycles(), 6u);
    EXPECT_EQ(core->instret(), 4u);
}

// The final state of a program run to completion with a given quantum.
struct Snapshot {
    uint64_t cycles, instret;
    uint32_t regs[32];
    bool operator==(const Snapshot& o) const {
        return cycles == o.cycles && instret == o.instret && std::equal(regs, regs + 32, o.regs);
    }
};

// Runs the loaded program to its exit in quanta of `quantum` cycles, at most `max_quanta` of them.
Snapshot run_in_quanta(Rv32Core& core, uint64_t quantum, int max_quanta) {
    StopReason r;
    int guard = 0;
    while ((r = core.run(quantum)) == StopReason::Budget && ++guard < max_quanta) {
    }
    EXPECT_EQ(r, StopReason::Requested);
    Snapshot s{core.cycles(), core.instret(), {}};
    for (unsigned i = 0; i < 32; ++i) s.regs[i] = core.reg(i);
    return s;
}

TEST_F(CoreTest, CycleCountsAreDeterministicAcrossQuanta) {
    auto run_with = [&](uint64_t quantum) {
        make_core();
        const uint32_t data = kRamBase + 0x4000;
        Program p(kRamBase);
        p.li(s0, data).li(s1, 300).li(a0, 12345);
        p.label("loop");
        p(mul(a1, a0, s1))(div(a2, a1, s1))(sw(a1, s0, 0))(lw(a3, s0, 0))(add(a4, a4, a3));
        p(andi(t0, s1, 3)).beq(t0, zero, "skip");
        p(xori(a4, a4, 0x55))(csrr(t1, csr::mcycle))(add(a5, a5, t1));
        p.label("skip")(addi(s1, s1, -1)).bne(s1, zero, "loop");
        p(csrr(s2, csr::minstret));
        exit_seq(p);
        load(p);
        return run_in_quanta(*core, quantum, 1000000);
    };
    const Snapshot ref = run_with(~0ull);
    for (uint64_t q : {1ull, 2ull, 3ull, 7ull, 100ull, 1000ull}) {
        SCOPED_TRACE(q);
        EXPECT_TRUE(run_with(q) == ref);
    }
    EXPECT_GT(ref.cycles, ref.instret);
}

TEST_F(CoreTest, QuantumEndsInsideBlocksAreTransparent) {
    // Self-modifying straight-line code, device accesses and traps, cut into every quantum size.
    auto run_with = [&](uint64_t quantum) {
        make_core();
        Program p(kRamBase);
        p.li(t0, kHandler)(csrw(csr::mtvec, t0));
        p.li(s1, 20);
        p.label("loop");
        p.la(s0, "patch").li(t0, addi(a1, a1, 3));
        p(sw(t0, s0, 0))(addi(a2, a2, 1));
        p.label("patch")(addi(a1, a1, 1));
        p.li(t1, kBusMem)(sw(a1, t1, 0))(lw(a3, t1, 0)).c(c_add(a3, a2))(mul(a4, a3, a3))(ecall());
        p(addi(s1, s1, -1)).bne(s1, zero, "loop");
        exit_seq(p);
        load(p);
        Program h(kHandler);
        h(csrr(t2, csr::mepc))(addi(t2, t2, 4))(csrw(csr::mepc, t2))(addi(s2, s2, 1))(mret());
        load(h);
        return run_in_quanta(*core, quantum, 100000);
    };
    const Snapshot ref = run_with(~0ull);
    EXPECT_EQ(ref.regs[s2], 20u);
    EXPECT_EQ(ref.regs[a1], 60u);
    for (uint64_t q = 1; q <= 13; ++q) {
        SCOPED_TRACE(q);
        EXPECT_TRUE(run_with(q) == ref);
    }
}

TEST_F(CoreTest, RequestStopFromCallbackEndsRightAfterTheInstruction) {
    Program p(kRamBase);
    p.li(a0, kDevBase);
    p(addi(s0, zero, 1));
    const uint32_t store_pc = p.here();
    p(sw(zero, a0, 0))(addi(s1, zero, 1))(addi(s2, zero, 1));
    load(p);
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->pc(), store_pc + 4);
    EXPECT_EQ(core->reg(s0), 1u);
    EXPECT_EQ(core->reg(s1), 0u);
    EXPECT_EQ(core->instret(), 3u);
    // Resume: the rest runs.
    ASSERT_EQ(core->run(2), StopReason::Budget);
    EXPECT_EQ(core->reg(s1), 1u);
    EXPECT_EQ(core->reg(s2), 1u);
}

TEST_F(CoreTest, CyclesInRunIsExactInsideBusCallbacks) {
    Program p(kRamBase);
    p.li(a0, kBusMem);                         // lui: 1 cycle
    p(addi(t0, zero, 1))(addi(t0, t0, 1));     // 2 cycles -> 3
    p(lw(a1, a0, 0));                          // callback sees 3; load costs 2 -> 5
    p(mul(t1, t0, t0));                        // 3 -> 8
    p(sw(t1, a0, 4));                          // callback sees 8
    p(amoadd_w(a2, t1, a0));                   // callback sees 9 (load and store)
    exit_seq(p);
    load(p);
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    ASSERT_GE(bus.log.size(), 4u);
    EXPECT_EQ(bus.log[0].cycles_in_run, 3u);
    EXPECT_EQ(bus.log[0].instret, 3u);
    EXPECT_EQ(bus.log[1].cycles_in_run, 8u);
    EXPECT_EQ(bus.log[1].instret, 5u);
    EXPECT_EQ(bus.log[2].cycles_in_run, 9u);
    EXPECT_EQ(bus.log[3].cycles_in_run, 9u);
}

TEST_F(CoreTest, RecentPcsAreTheLastSixteen) {
    Program p(kRamBase);
    p.li(a1, 5);
    p.label("loop")(addi(a0, a0, 1)).c(c_addi(a0, 1))(addi(a1, a1, -1)).bne(a1, zero, "loop");
    p.jal(ra, "f");
    exit_seq(p);
    p.label("f")(addi(a2, zero, 1))(jalr(zero, ra, 0));
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    // Reference trace.
    std::vector<uint32_t> trace;
    trace.push_back(kRamBase);  // li a1, 5 = addi
    const uint32_t loop = p.addr("loop");
    for (int i = 0; i < 5; ++i) {
        for (uint32_t off : {0u, 4u, 6u, 10u}) trace.push_back(loop + off);
    }
    trace.push_back(loop + 14);               // jal
    trace.push_back(p.addr("f"));
    trace.push_back(p.addr("f") + 4);
    trace.push_back(loop + 18);               // lui t6
    trace.push_back(loop + 22);               // sw
    const std::vector<uint32_t> expect(trace.end() - 16, trace.end());
    EXPECT_EQ(core->recent_pcs(), expect);
}

TEST_F(CoreTest, RecentPcsSurviveCodeInvalidation) {
    Program p(kRamBase);
    p.la(s0, "patch").li(t0, addi(a1, zero, 5));
    p(addi(a0, zero, 1))(sw(t0, s0, 0));
    p.label("patch")(addi(a1, zero, 1));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    const auto pcs = core->recent_pcs();
    ASSERT_EQ(pcs.size(), 9u);  // auipc addi lui addi addi sw addi lui sw
    EXPECT_EQ(pcs.front(), kRamBase);
    EXPECT_EQ(pcs[6], p.addr("patch"));
    EXPECT_EQ(pcs.back(), p.addr("patch") + 8);
    EXPECT_EQ(core->reg(a1), 5u);
}

// ------------------------------------------------------------------------------------------------
// Debug features
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, BreakpointStopsBeforeAndResumes) {
    Program p(kRamBase);
    p.label("loop")(addi(a0, a0, 1))(addi(a1, a1, 2));
    p.label("bp")(addi(a2, a2, 3)).j("loop");
    load(p);
    core->set_breakpoint(p.addr("bp"), true);
    ASSERT_EQ(core->run(1000), StopReason::Breakpoint);
    EXPECT_EQ(core->pc(), p.addr("bp"));
    EXPECT_EQ(core->reg(a0), 1u);
    EXPECT_EQ(core->reg(a2), 0u);
    // Resuming at the breakpoint executes it, then stops there again on the next iteration.
    ASSERT_EQ(core->run(1000), StopReason::Breakpoint);
    EXPECT_EQ(core->reg(a0), 2u);
    EXPECT_EQ(core->reg(a2), 3u);
    core->set_breakpoint(p.addr("bp"), false);
    ASSERT_EQ(core->run(100), StopReason::Budget);
    EXPECT_GT(core->reg(a0), 10u);
}

TEST_F(CoreTest, BreakpointAtTheStartOfAFreshRunStopsThere) {
    // A run that begins at a breakpoint without having stopped there (a quantum boundary, a sync
    // after a device store, a debugger that moved the pc) stops before executing it.
    Program p(kRamBase);
    p(addi(a0, a0, 1)).label("bp")(addi(a1, a1, 1)).label("spin").j("spin");
    load(p);
    ASSERT_EQ(core->run(1), StopReason::Budget);  // stops right before "bp"
    ASSERT_EQ(core->pc(), p.addr("bp"));
    core->set_breakpoint(p.addr("bp"), true);
    ASSERT_EQ(core->run(1000), StopReason::Breakpoint);
    EXPECT_EQ(core->reg(a1), 0u);
    ASSERT_EQ(core->run(1000), StopReason::Budget);  // resumed from the stop: executes it
    EXPECT_EQ(core->reg(a1), 1u);
}

TEST_F(CoreTest, SingleStepExecutesOneInstructionOrOneTrapEntry) {
    load_handler();
    Program p = with_handler();   // 2 (li) + 1 (csrw)
    p(addi(a0, zero, 1))(ecall());
    load(p);
    core->set_single_step(true);
    std::vector<uint32_t> pcs;
    for (int i = 0; i < 6; ++i) {
        ASSERT_EQ(core->run(1000), StopReason::Step);
        pcs.push_back(core->pc());
    }
    EXPECT_EQ(pcs[0], kRamBase + 4);   // lui t0 (li of kHandler)
    EXPECT_EQ(pcs[1], kRamBase + 8);   // csrw mtvec
    EXPECT_EQ(pcs[2], kRamBase + 12);  // addi
    EXPECT_EQ(pcs[3], kHandler);       // the ecall: one trap entry
    EXPECT_EQ(pcs[4], kHandler + 4);
    EXPECT_EQ(pcs[5], kHandler + 8);
    EXPECT_EQ(core->instret(), 5u);
    // An interrupt entry is one step as well.
    core->write_csr(csr::mie, kMsip);
    core->write_csr(csr::mstatus, 8);
    core->set_irq_lines(kMsip, true);
    const uint32_t at = core->pc();
    ASSERT_EQ(core->run(1000), StopReason::Step);
    EXPECT_EQ(core->pc(), kHandler);
    EXPECT_EQ(csr(csr::mepc), at);
    EXPECT_EQ(csr(csr::mcause), 0x80000003u);
}

TEST_F(CoreTest, WatchpointsByKind) {
    const uint32_t data = kRamBase + 0x4000;
    Program p(kRamBase);
    p.li(s0, data);
    p(lw(a0, s0, 0));       // read data
    p(sw(a0, s0, 8));       // write data+8
    p(lbu(a1, s0, 9));      // read data+9
    p(amoadd_w(a2, a0, s0)); // read+write data
    p(addi(a3, zero, 1));
    exit_seq(p);
    load(p);
    core->set_watchpoint(data + 8, 4, Rv32Core::WatchKind::Write, true);
    ASSERT_EQ(core->run(1000), StopReason::Watchpoint);
    EXPECT_EQ(core->watch_hit_address(), data + 8);
    EXPECT_EQ(core->pc(), kRamBase + 12);  // after the sw: the access completed
    core->set_watchpoint(data + 8, 4, Rv32Core::WatchKind::Write, false);
    core->set_watchpoint(data + 9, 1, Rv32Core::WatchKind::Read, true);
    ASSERT_EQ(core->run(1000), StopReason::Watchpoint);
    EXPECT_EQ(core->watch_hit_address(), data + 9);
    EXPECT_EQ(core->pc(), kRamBase + 16);
    core->set_watchpoint(data + 9, 1, Rv32Core::WatchKind::Read, false);
    core->set_watchpoint(data + 2, 1, Rv32Core::WatchKind::Access, true);
    ASSERT_EQ(core->run(1000), StopReason::Watchpoint);  // the amo touches data..data+3
    EXPECT_EQ(core->watch_hit_address(), data + 2);
    EXPECT_EQ(core->pc(), kRamBase + 20);
    core->set_watchpoint(data + 2, 1, Rv32Core::WatchKind::Access, false);
    ASSERT_EQ(core->run(1000), StopReason::Requested);
    EXPECT_EQ(core->reg(a3), 1u);
}

TEST_F(CoreTest, RetireHookSeesEveryInstruction) {
    Program p(kRamBase);
    p(addi(a0, zero, 5)).c(c_addi(a0, 1))(sw(a0, zero, 0));
    load(p);
    std::vector<RetiredInsn> seen;
    core->set_retire_hook([&](const RetiredInsn& r) { seen.push_back(r); });
    ASSERT_EQ(core->run(2), StopReason::Budget);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].pc, kRamBase);
    EXPECT_EQ(seen[0].insn, addi(a0, zero, 5));
    EXPECT_EQ(seen[0].length, 4);
    EXPECT_EQ(seen[0].rd, 10);
    EXPECT_EQ(seen[0].rd_value, 5u);
    EXPECT_EQ(seen[1].insn, c_addi(a0, 1));
    EXPECT_EQ(seen[1].length, 2);
    EXPECT_EQ(seen[1].rd_value, 6u);
}

}  // namespace
}  // namespace rv32test
