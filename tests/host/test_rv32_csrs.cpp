// The CSR table (models/host/rv32_csr_table.h) against the core: every row is implemented as
// declared, nothing else is, and the 64-bit counters' halves are written as one counter.
#include <set>

#include "host/rv32_isa.h"
#include "rv32_test_util.h"

namespace rv32test {
namespace {

// What a CSR reads right after reset in this fixture (hart id, lines and mtime set by the test).
uint32_t expected_reset(const CsrDef& d, uint32_t hart_id, uint32_t lines, uint64_t mtime) {
    switch (d.reset) {
    case CsrReset::Value: return d.reset_value;
    case CsrReset::HartId: return hart_id;
    case CsrReset::IrqLines: return lines;
    case CsrReset::Mtime: return d.number() == csr::timeh ? static_cast<uint32_t>(mtime >> 32) : static_cast<uint32_t>(mtime);
    }
    return 0;
}

TEST_F(CoreTest, CsrTableEveryRowReadableAsDeclared) {
    config.hart_id = 7;
    make_core();
    core->set_irq_lines(kMtip, true);
    bus.mtime_value = 0x0000000A'12345678ull;
    ASSERT_GT(kNumCsrs, 0u);
    for (const CsrDef& d : kCsrTable) {
        SCOPED_TRACE(d.name);
        uint32_t v = 0;
        ASSERT_TRUE(core->read_csr(d.number(), v));
        const uint32_t reset = expected_reset(d, 7, kMtip, bus.mtime_value);
        EXPECT_EQ(v, reset);
        // The PMP CSRs have WARL rules of their own (locking, reserved encodings): test_rv32_pmp.cpp.
        if (d.number() >= csr::pmpcfg0 && d.number() <= csr::pmpaddr15) continue;
        // Writes: refused for read-only CSRs; otherwise exactly the writable bits change.
        // Patterns keep mtvec's mode legal (0 or 1): a reserved mode is ignored as a whole.
        for (const uint32_t pattern : {0xFFFFFFFDu, 0x55555555u, 0u}) {
            const bool ok = core->write_csr(d.number(), pattern);
            EXPECT_EQ(ok, d.access == CsrAccess::ReadWrite);
            ASSERT_TRUE(core->read_csr(d.number(), v));
            const uint32_t want = ok ? (pattern & d.writable) | (reset & ~d.writable) : reset;
            EXPECT_EQ(v, want) << std::hex << "after writing 0x" << pattern;
        }
    }
}

TEST_F(CoreTest, CsrTableIsAllThereIs) {
    unsigned implemented = 0;
    for (uint32_t n = 0; n < 4096; ++n) {
        uint32_t v = 0;
        const CsrDef* d = find_csr(n);
        EXPECT_EQ(core->read_csr(static_cast<uint16_t>(n), v), d != nullptr) << std::hex << n;
        if (!d) continue;
        ++implemented;
        EXPECT_EQ(d->number(), n);
        EXPECT_EQ(find_csr(d->name), d);
        EXPECT_STREQ(isa::csr_name(n), d->name);  // the disassembler names it from the table
    }
    EXPECT_EQ(implemented, kNumCsrs);
    EXPECT_EQ(find_csr(4096), nullptr);
    EXPECT_EQ(find_csr("satp"), nullptr);
    EXPECT_EQ(isa::csr_name(0x180), nullptr);
    // The csr:: constants are the table's numbers.
    EXPECT_EQ(find_csr("mstatus")->number(), csr::mstatus);
    EXPECT_EQ(find_csr("minstreth")->number(), csr::minstreth);
}

TEST_F(CoreTest, CsrInstructionsFollowTheTable) {
    // From software: every row reads with csrr; a write to a read-only row is illegal.
    for (const CsrDef& d : kCsrTable) {
        SCOPED_TRACE(d.name);
        make_core();
        load_handler();
        Program p = with_handler();
        p.li(s2, 0xDEAD)(csrr(a0, d.number()))(csrrs(a1, d.number(), zero));
        p(csrrw(zero, d.number(), zero));
        exit_seq(p);
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        EXPECT_EQ(core->reg(s2), d.access == CsrAccess::ReadOnly ? 2u : 0xDEADu) << "illegal-instruction trap";
    }
}

// A write to one half of a 64-bit counter takes the other half from the counter's value before
// the writing instruction: the instruction's own increment is suppressed for the whole counter.
TEST_F(CoreTest, CounterHalfWritesSuppressTheWholeIncrement) {
    Program p(kRamBase);
    p.li(a1, 0xFFFFFFFF).li(a2, 7);
    p(csrw(csr::minstret, a1))(csrw(csr::minstreth, a1))(addi(zero, zero, 0));  // -> 2^64 - 1, nop -> 0
    p(csrr(s0, csr::minstret))(csrr(s1, csr::minstreth));                        // 0, then 0 (s0 retired: 1)
    p(csrw(csr::mcycle, a1))(csrw(csr::mcycleh, a1))(addi(zero, zero, 0));      // same for cycles
    p(csrr(s2, csr::mcycle))(csrr(s3, csr::mcycleh));
    // Low half written while the low half is all ones: the high half does not take the carry.
    p(csrw(csr::minstreth, zero))(csrw(csr::minstret, a1))(csrw(csr::minstret, a2));
    p(csrr(s4, csr::minstreth))(csrr(s5, csr::minstret));
    p(csrw(csr::mcycleh, zero))(csrw(csr::mcycle, a1))(csrw(csr::mcycle, a2));
    p(csrr(s6, csr::mcycleh))(csrr(s7, csr::mcycle));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 0u);
    EXPECT_EQ(core->reg(s1), 0u);
    EXPECT_EQ(core->reg(s2), 0u);
    EXPECT_EQ(core->reg(s3), 0u);
    EXPECT_EQ(core->reg(s4), 0u);
    EXPECT_EQ(core->reg(s5), 8u);  // 7, then the csrr minstreth retired
    EXPECT_EQ(core->reg(s6), 0u);
    EXPECT_EQ(core->reg(s7), 8u);  // 7, then csrr mcycleh's cycle (csr: 1)
    // The debugger's writes: no instruction in flight, nothing suppressed or added.
    core->write_csr(csr::minstret, 0xFFFFFFFF);
    core->write_csr(csr::minstreth, 0xFFFFFFFF);
    EXPECT_EQ(csr(csr::minstret), 0xFFFFFFFFu);
    EXPECT_EQ(csr(csr::minstreth), 0xFFFFFFFFu);
}

}  // namespace
}  // namespace rv32test
