// Unit tests of the RV32IMAC core without SystemC: instruction semantics, CSRs, traps, interrupts.
#include <climits>

#include "rv32_test_util.h"

namespace rv32test {
namespace {

// ------------------------------------------------------------------------------------------------
// RV32I
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, AluRegisterImmediate) {
    Program p(kRamBase);
    p.li(a0, 0x12345678).li(a1, 0xFFFFFFF0);
    p(addi(s0, a0, -1))(slti(s1, a1, 0))(sltiu(s2, a1, 5))(xori(s3, a0, -1))(ori(s4, a1, 0x7))
        (andi(s5, a0, 0xFF))(slli(s6, a0, 4))(srli(s7, a1, 4))(srai(s8, a1, 4))(lui(s9, 0xABCDE));
    p.label("auipc")(auipc(s10, 1))(addi(zero, a0, 5));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 0x12345677u);
    EXPECT_EQ(core->reg(s1), 1u);
    EXPECT_EQ(core->reg(s2), 0u);
    EXPECT_EQ(core->reg(s3), ~0x12345678u);
    EXPECT_EQ(core->reg(s4), 0xFFFFFFF7u);
    EXPECT_EQ(core->reg(s5), 0x78u);
    EXPECT_EQ(core->reg(s6), 0x23456780u);
    EXPECT_EQ(core->reg(s7), 0x0FFFFFFFu);
    EXPECT_EQ(core->reg(s8), 0xFFFFFFFFu);
    EXPECT_EQ(core->reg(s9), 0xABCDE000u);
    EXPECT_EQ(core->reg(s10), p.addr("auipc") + 0x1000);
    EXPECT_EQ(core->reg(zero), 0u);
}

TEST_F(CoreTest, AluRegisterRegister) {
    Program p(kRamBase);
    p.li(a0, 0x80000001).li(a1, 33).li(a2, 0xFFFFFFFF);
    p(add(s0, a0, a1))(sub(s1, a1, a0))(sll(s2, a0, a1))(slt(s3, a0, a1))(sltu(s4, a0, a1))
        (xor_(s5, a0, a2))(srl(s6, a0, a1))(sra(s7, a0, a1))(or_(s8, a0, a1))(and_(s9, a0, a2))
        (slt(s10, a2, zero))(add(zero, a0, a0));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 0x80000022u);
    EXPECT_EQ(core->reg(s1), 33u - 0x80000001u);
    EXPECT_EQ(core->reg(s2), 0x00000002u);  // shift by 33 & 31 = 1
    EXPECT_EQ(core->reg(s3), 1u);
    EXPECT_EQ(core->reg(s4), 0u);
    EXPECT_EQ(core->reg(s5), 0x7FFFFFFEu);
    EXPECT_EQ(core->reg(s6), 0x40000000u);
    EXPECT_EQ(core->reg(s7), 0xC0000000u);
    EXPECT_EQ(core->reg(s8), 0x80000021u);
    EXPECT_EQ(core->reg(s9), 0x80000001u);
    EXPECT_EQ(core->reg(s10), 1u);
    EXPECT_EQ(core->reg(zero), 0u);
}

TEST_F(CoreTest, LoadsAndStoresDmiAndBus) {
    for (uint32_t base : {kRamBase + 0x4000, kBusMem + 0x100}) {
        SCOPED_TRACE(base);
        make_core();
        Program p(kRamBase);
        p.li(a0, base).li(a1, 0x8081F2F3);
        p(sw(a1, a0, 0))(sh(a1, a0, 4))(sb(a1, a0, 7))(lb(s0, a0, 0))(lbu(s1, a0, 0))(lh(s2, a0, 2))
            (lhu(s3, a0, 2))(lw(s4, a0, 4))(lw(zero, a0, 0))(lb(s5, a0, 1));
        exit_seq(p);
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        EXPECT_EQ(core->reg(s0), 0xFFFFFFF3u);
        EXPECT_EQ(core->reg(s1), 0xF3u);
        EXPECT_EQ(core->reg(s2), 0xFFFF8081u);
        EXPECT_EQ(core->reg(s3), 0x8081u);
        EXPECT_EQ(core->reg(s4), 0xF300F2F3u);
        EXPECT_EQ(core->reg(s5), 0xFFFFFFF2u);
        EXPECT_EQ(core->reg(zero), 0u);
    }
}

TEST_F(CoreTest, BranchesAllConditions) {
    // For each branch: s0 accumulates bit k if the branch was taken.
    struct Case {
        uint32_t f3;
        uint32_t a, b;
        bool taken;
    };
    const Case cases[] = {{0, 5, 5, true},  {0, 5, 6, false}, {1, 5, 6, true},  {1, 7, 7, false},
                          {4, 0xFFFFFFFF, 1, true}, {4, 1, 0xFFFFFFFF, false}, {5, 1, 0xFFFFFFFF, true},
                          {5, 0xFFFFFFFE, 0xFFFFFFFF, false}, {6, 1, 0xFFFFFFFF, true}, {6, 0xFFFFFFFF, 1, false},
                          {7, 0xFFFFFFFF, 1, true}, {7, 3, 3, true}, {7, 2, 3, false}, {5, 3, 3, true}};
    Program p(kRamBase);
    p(addi(s0, zero, 0));
    int k = 0;
    for (const Case& c : cases) {
        const std::string t = "t" + std::to_string(k), n = "n" + std::to_string(k);
        p.li(a0, c.a).li(a1, c.b);
        p.branch(c.f3, a0, a1, t);
        p.j(n);
        p.label(t)(ori(s0, s0, 0))(lui(t1, 0))(addi(t1, zero, 1))(slli(t1, t1, static_cast<uint32_t>(k)))(or_(s0, s0, t1));
        p.label(n);
        ++k;
    }
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    uint32_t expect = 0;
    for (int i = 0; i < k; ++i) expect |= cases[i].taken ? 1u << i : 0;
    EXPECT_EQ(core->reg(s0), expect);
}

TEST_F(CoreTest, JalAndJalrLinkAndTarget) {
    Program p(kRamBase);
    p.jal(ra, "f");            // 0x00
    p(addi(s1, zero, 7));      // 0x04: returns here
    p.la(t0, "g");             // 0x08
    p(jalr(s2, t0, 1));        // 0x10: bit 0 of the target is cleared
    p(addi(s3, zero, 9));      // 0x14
    exit_seq(p);
    p.label("f")(addi(s0, zero, 1))(jalr(zero, ra, 0));
    p.label("g")(addi(s4, zero, 2))(jalr(zero, s2, 0));
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(ra), kRamBase + 4);
    EXPECT_EQ(core->reg(s2), kRamBase + 0x14);
    EXPECT_EQ(core->reg(s0) + core->reg(s1) + core->reg(s3) + core->reg(s4), 1u + 7 + 9 + 2);
}

TEST_F(CoreTest, FenceIsNopAndX0StaysZero) {
    Program p(kRamBase);
    p(addi(zero, zero, 5))(fence())(lui(zero, 1))(jal(zero, 4))(addi(a0, zero, 3));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(0), 0u);
    EXPECT_EQ(core->reg(a0), 3u);
}

// ------------------------------------------------------------------------------------------------
// M
// ------------------------------------------------------------------------------------------------
struct MCase {
    uint32_t (*op)(Reg, Reg, Reg);
    uint32_t a, b, expect;
};

TEST_F(CoreTest, MultiplyDivideIncludingCornerCases) {
    const MCase cases[] = {
        {mul, 7, 6, 42},
        {mul, 0xFFFFFFFF, 0xFFFFFFFF, 1},
        {mulh, 0x80000000, 0x80000000, 0x40000000},
        {mulh, 0xFFFFFFFF, 5, 0xFFFFFFFF},
        {mulhsu, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF},
        {mulhsu, 0x80000000, 0xFFFFFFFF, 0x80000000},
        {mulhu, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE},
        {div, static_cast<uint32_t>(-7), 2, static_cast<uint32_t>(-3)},
        {div, 7, 0, 0xFFFFFFFF},
        {div, 0x80000000, 0xFFFFFFFF, 0x80000000},
        {divu, 7, 2, 3},
        {divu, 7, 0, 0xFFFFFFFF},
        {rem, static_cast<uint32_t>(-7), 2, static_cast<uint32_t>(-1)},
        {rem, 7, 0, 7},
        {rem, 0x80000000, 0xFFFFFFFF, 0},
        {remu, 7, 2, 1},
        {remu, 0xFFFFFFF0, 0, 0xFFFFFFF0},
    };
    for (const MCase& c : cases) {
        make_core();
        Program p(kRamBase);
        p.li(a0, c.a).li(a1, c.b)(c.op(a2, a0, a1));
        exit_seq(p);
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        EXPECT_EQ(core->reg(a2), c.expect) << std::hex << c.a << " " << c.b;
    }
}

// ------------------------------------------------------------------------------------------------
// A
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, AmoOperations) {
    struct Case {
        uint32_t (*op)(Reg, Reg, Reg);
        uint32_t mem, src, expect_mem;
    };
    const Case cases[] = {
        {amoswap_w, 5, 9, 9},
        {amoadd_w, 5, 9, 14},
        {amoxor_w, 0xF0, 0xFF, 0x0F},
        {amoand_w, 0xF0, 0x3C, 0x30},
        {amoor_w, 0xF0, 0x0F, 0xFF},
        {amomin_w, 0xFFFFFFFF, 1, 0xFFFFFFFF},
        {amomax_w, 0xFFFFFFFF, 1, 1},
        {amominu_w, 0xFFFFFFFF, 1, 1},
        {amomaxu_w, 0xFFFFFFFF, 1, 0xFFFFFFFF},
    };
    for (uint32_t addr : {kRamBase + 0x4000, kBusMem + 0x40}) {
        for (const Case& c : cases) {
            make_core();
            Program p(kRamBase);
            p.li(a0, addr).li(a1, c.mem)(sw(a1, a0, 0)).li(a2, c.src)(c.op(a3, a2, a0))(lw(a4, a0, 0));
            exit_seq(p);
            load(p);
            ASSERT_EQ(run_to_exit(), StopReason::Requested);
            EXPECT_EQ(core->reg(a3), c.mem);
            EXPECT_EQ(core->reg(a4), c.expect_mem);
        }
    }
}

TEST_F(CoreTest, LrScReservation) {
    const uint32_t data = kRamBase + 0x4000;
    Program p(kRamBase);
    p.li(a0, data).li(a1, 11).li(a2, 22);
    // 1: lr/sc pair succeeds.
    p(lr_w(s0, a0))(sc_w(s1, a1, a0));
    // 2: sc without reservation fails.
    p(sc_w(s2, a2, a0));
    // 3: a store to the reserved word clears the reservation.
    p(lr_w(t0, a0))(sw(a1, a0, 0))(sc_w(s3, a2, a0));
    // 4: a store elsewhere does not.
    p(lr_w(t0, a0))(sw(a1, a0, 8))(sc_w(s4, a2, a0));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s1), 0u);
    EXPECT_EQ(core->reg(s2), 1u);
    EXPECT_EQ(core->reg(s3), 1u);
    EXPECT_EQ(core->reg(s4), 0u);
    EXPECT_EQ(peek32(data), 22u);
}

TEST_F(CoreTest, ScToOtherAddressFailsAndTrapClearsReservation) {
    load_handler();
    const uint32_t data = kRamBase + 0x4000;
    Program p = with_handler();
    p.li(a0, data).li(a1, data + 4).li(a2, 33);
    p(lr_w(t0, a0))(sc_w(s0, a2, a1));  // different address: fails
    p(lr_w(t0, a0))(ecall());            // trap clears the reservation
    load(p);
    // Handler: try the sc after the trap.
    Program h(kHandler);
    h(sc_w(s1, a2, a0))(csrr(s2, csr::mcause));
    exit_seq(h);
    load(h);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 1u);
    EXPECT_EQ(core->reg(s1), 1u);
    EXPECT_EQ(core->reg(s2), 11u);
    EXPECT_EQ(peek32(data + 4), 0u);
}

// ------------------------------------------------------------------------------------------------
// RV32C
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, CompressedForms) {
    const uint32_t data = kRamBase + 0x4000;
    Program p(kRamBase);
    p.li(sp, data);
    p.c(c_li(a0, -5))          // a0 = -5
        .c(c_addi(a0, 7))      // a0 = 2
        .c(c_lui(a1, 1))       // a1 = 0x1000
        .c(c_addi16sp(-64))    // sp = data - 64
        .c(c_addi4spn(s0, 64)) // s0 = data
        .c(c_mv(t3, s0))
        .c(c_li(a2, 31))
        .c(c_sw(a2, s0, 4))    // [data+4] = 31
        .c(c_lw(a3, s0, 4))    // a3 = 31
        .c(c_swsp(a0, 68))     // [data+4] = 2
        .c(c_lwsp(a4, 68))     // a4 = 2
        .c(c_mv(a5, a3))       // a5 = 31
        .c(c_add(a5, a4))      // a5 = 33
        .c(c_slli(a5, 2))      // a5 = 132
        .c(c_li(s1, -16))
        .c(c_srli(s1, 28))     // s1 = 0xF
        .c(c_li(a2, -16))
        .c(c_srai(a2, 2))      // a2 = -4
        .c(c_andi(a2, 0x1D))   // a2 = 0x1C
        .c(c_li(a3, 6))
        .c(c_li(a4, 3))
        .c(c_sub(a3, a4))      // a3 = 3
        .c(c_li(a4, 5))
        .c(c_xor(a4, a3))      // a4 = 6
        .c(c_or(a4, s1))       // a4 = 0xF
        .c(c_and(a4, a3))      // a4 = 3
        .c(c_nop());
    p.c_jal("sub1");           // ra = here + 2
    p.label("ret1");
    p.c(c_li(s0, 0));
    p.c_beqz(s0, "bz");
    p.c(c_li(t1, 1));          // skipped
    p.label("bz");
    p.c_bnez(s0, "never");
    p.c(c_li(t2, 1));
    p.la(t0, "sub2").c(c_jalr(t0));
    p.c_j("end");
    p.label("never").c(c_li(t1, 2));
    p.label("sub1").c(c_li(s2, 12)).c(c_jr(ra));
    p.label("sub2").c(c_li(s3, 13)).c(c_jr(ra));
    p.label("end");
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 2u);
    EXPECT_EQ(core->reg(a1), 0x1000u);
    EXPECT_EQ(core->reg(sp), data - 64);
    EXPECT_EQ(core->reg(t3), data);
    EXPECT_EQ(core->reg(a5), 132u);
    EXPECT_EQ(core->reg(s1), 0xFu);
    EXPECT_EQ(core->reg(a2), 0x1Cu);
    EXPECT_EQ(core->reg(a3), 3u);
    EXPECT_EQ(core->reg(a4), 3u);
    EXPECT_EQ(core->reg(t1), 0u);
    EXPECT_EQ(core->reg(t2), 1u);
    EXPECT_EQ(core->reg(s2), 12u);
    EXPECT_EQ(core->reg(s3), 13u);
    EXPECT_EQ(peek32(data + 4), 2u);
}

TEST_F(CoreTest, CompressedLinkAddresses) {
    Program p(kRamBase);
    p.c_jal("f");                       // at +0: ra = +2
    p.c(c_mv(s1, ra));                  // +2
    p.la(t0, "g");                      // +4
    p.c(c_jalr(t0));                    // +12: ra = +14
    p.c(c_mv(s2, ra));                  // +14
    exit_seq(p);
    p.label("f").c(c_jr(ra));
    p.label("g").c(c_jr(ra));
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s1), kRamBase + 2);
    EXPECT_EQ(core->reg(s2), kRamBase + 14);
}

TEST_F(CoreTest, IllegalCompressedEncodingsTrap) {
    const uint16_t illegal[] = {
        0x0000,                // all zero (c.addi4spn nzuimm=0)
        0x2000,                // c.fld
        0x6000,                // c.flw (no F)
        0xE000,                // c.fsw
        0x8000,                // quadrant 0 funct3 100: reserved
        0x6101,                // c.addi16sp nzimm = 0
        0x6501,                // c.lui a0, 0
        0x4002,                // c.lwsp x0
        0x8002,                // c.jr x0
        0x1506,                // c.slli a0, 33 (shamt[5] = 1)
        0x9105,                // c.srli a0, 33
        0x9C01,                // c.subw (RV64 only)
        0x2002,                // c.fldsp
        0x6002,                // c.flwsp
    };
    for (uint16_t bits : illegal) {
        SCOPED_TRACE(bits);
        make_core();
        load_handler();
        Program p = with_handler();
        const uint32_t at = p.here();
        p.c(bits).c(c_nop());
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        EXPECT_EQ(core->reg(s2), 2u);
        EXPECT_EQ(core->reg(s3), at);
        EXPECT_EQ(core->reg(s4), bits);
    }
}

TEST_F(CoreTest, CompressedHintsAreLegal) {
    Program p(kRamBase);
    p.c(c_addi(zero, 3)).c(c_li(zero, 5)).c(c_mv(zero, a0)).c(c_add(zero, a0)).c(c_slli(zero, 3))
        .c(c_lui(zero, 1)).c(c_slli(a0, 0));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(0), 0u);
}

// ------------------------------------------------------------------------------------------------
// Zicsr
// ------------------------------------------------------------------------------------------------
TEST_F(CoreTest, CsrResetValuesAndMasks) {
    EXPECT_EQ(csr(csr::misa), 0x40001105u);
    EXPECT_EQ(csr(csr::mstatus), 3u << 11);
    EXPECT_EQ(csr(csr::mhartid), 0u);
    EXPECT_EQ(csr(csr::mvendorid), 0u);
    EXPECT_EQ(csr(csr::marchid), 0u);
    EXPECT_EQ(csr(csr::mimpid), 0u);
    EXPECT_EQ(csr(csr::mtvec), 0u);
    EXPECT_EQ(csr(csr::mie), 0u);
    EXPECT_EQ(csr(csr::mip), 0u);
    uint32_t v;
    EXPECT_FALSE(core->read_csr(0x7C0, v));
    EXPECT_FALSE(core->write_csr(csr::mhartid, 1));

    Program p(kRamBase);
    p.li(a0, 0xFFFFFFFF);
    p(csrrw(s0, csr::mstatus, a0))(csrr(s1, csr::mstatus))   // only MIE/MPIE writable, MPP = 3
        (csrw(csr::mie, a0))(csrr(s2, csr::mie))             // MSIE/MTIE/MEIE
        (csrw(csr::mip, a0))(csrr(s3, csr::mip))             // read-only bits
        (csrw(csr::mepc, a0))(csrr(s4, csr::mepc))           // bit 0 forced to 0
        (csrw(csr::misa, zero))(csrr(s5, csr::misa))         // WARL: ignored
        (csrw(csr::mscratch, a0))(csrrc(s6, csr::mscratch, a0))(csrr(s7, csr::mscratch))
        (csrrwi(zero, csr::mcause, 17))(csrrsi(s8, csr::mcause, 8))(csrr(s9, csr::mcause))
        (csrrci(zero, csr::mstatus, 8))(csrr(s10, csr::mstatus));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 3u << 11);
    EXPECT_EQ(core->reg(s1), (3u << 11) | 0x88);
    EXPECT_EQ(core->reg(s2), 0x888u);
    EXPECT_EQ(core->reg(s3), 0u);
    EXPECT_EQ(core->reg(s4), 0xFFFFFFFEu);
    EXPECT_EQ(core->reg(s5), 0x40001105u);
    EXPECT_EQ(core->reg(s6), 0xFFFFFFFFu);
    EXPECT_EQ(core->reg(s7), 0u);
    EXPECT_EQ(core->reg(s8), 17u);
    EXPECT_EQ(core->reg(s9), 25u);
    EXPECT_EQ(core->reg(s10), (3u << 11) | 0x80);
}

TEST_F(CoreTest, MipReflectsIrqLines) {
    core->set_irq_lines(kMtip | kMeip, true);
    EXPECT_EQ(csr(csr::mip), kMtip | kMeip);
    core->set_irq_lines(kMtip, false);
    EXPECT_EQ(csr(csr::mip), kMeip);
    EXPECT_FALSE(core->wakeup_pending());  // mie = 0
    core->write_csr(csr::mie, kMeip);
    EXPECT_TRUE(core->wakeup_pending());
}

TEST_F(CoreTest, CsrReadOnlyAndUnimplementedAreIllegal) {
    struct Case {
        uint32_t insn;
        bool illegal;
    };
    const Case cases[] = {
        {csrr(a0, csr::mhartid), false},       // csrrs rs1=x0: no write, legal
        {csrrs(a0, csr::cycle, zero), false},
        {csrrsi(a0, csr::instret, 0), false},  // uimm = 0: no write
        {csrrw(zero, csr::mhartid, a1), true}, // csrrw always writes
        {csrrs(a0, csr::mvendorid, a1), true}, // rs1 != x0 writes
        {csrrci(a0, csr::time, 1), true},
        {csrrwi(zero, csr::cycle, 0), true},
        {csrr(a0, 0x7C0), true},               // unimplemented
        {csrr(a0, 0x310), true},               // mstatush: not implemented
        {csrw(0x180, a1), true},               // satp: no S-mode
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(testing::Message() << std::hex << c.insn);
        make_core();
        load_handler();
        Program p = with_handler();
        p.li(a1, 1);
        const uint32_t at = p.here();
        p(c.insn);
        exit_seq(p);
        load(p);
        ASSERT_EQ(run_to_exit(), StopReason::Requested);
        if (c.illegal) {
            EXPECT_EQ(core->reg(s2), 2u);
            EXPECT_EQ(core->reg(s3), at);
            EXPECT_EQ(core->reg(s4), c.insn);
        } else {
            EXPECT_EQ(core->reg(s2), 0u);
        }
    }
}

TEST_F(CoreTest, TimeCsrReadsBusMtime) {
    bus.mtime_value = 0x123456789ABCull;
    Program p(kRamBase);
    p(csrr(a0, csr::time))(csrr(a1, csr::timeh));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(a0), 0x56789ABCu);
    EXPECT_EQ(core->reg(a1), 0x1234u);
    EXPECT_EQ(bus.mtime_calls, 2u);
}

TEST_F(CoreTest, CountersAreExactInsideBlocks) {
    // Default table: alu 1, load 2, csr 1.
    const uint32_t data = kRamBase + 0x4000;
    Program p(kRamBase);
    p.li(a0, data);                              // lui only: 1 insn, 1 cycle
    p(lw(t0, a0, 0))(addi(t1, t1, 1));           // 3 insns, 4 cycles
    p(csrr(s0, csr::mcycle))(csrr(s1, csr::minstret));  // s0 = 4; s1 = 4 (csrr mcycle retired)
    p(csrr(s2, csr::cycle))(csrr(s3, csr::instret));    // s2 = 6, s3 = 6
    p.li(a1, 1000)(csrw(csr::mcycle, a1))(csrr(s4, csr::mcycle));      // write suppresses own count
    p.li(a1, 50)(csrw(csr::minstret, a1))(csrr(s5, csr::minstret));
    p(csrr(s6, csr::mcycleh))(csrr(s7, csr::minstreth));
    exit_seq(p);
    load(p);
    ASSERT_EQ(run_to_exit(), StopReason::Requested);
    EXPECT_EQ(core->reg(s0), 4u);
    EXPECT_EQ(core->reg(s1), 4u);
    EXPECT_EQ(core->reg(s2), 6u);
    EXPECT_EQ(core->reg(s3), 6u);
    EXPECT_EQ(core->reg(s4), 1000u);
    EXPECT_EQ(core->reg(s5), 50u);
    EXPECT_EQ(core->reg(s6), 0u);
    EXPECT_EQ(core->reg(s7), 0u);
    // 64-bit halves.
    core->write_csr(csr::mcycleh, 3);
    EXPECT_EQ(csr(csr::mcycleh), 3u);
    EXPECT_EQ(csr(csr::cycleh), 3u);
    core->write_csr(csr::minstreth, 4);
    EXPECT_EQ(csr(csr::instreth), 4u);
    EXPECT_EQ(core->instret(), 17u);  // raw counts are not affected by CSR writes
}

}  // namespace
}  // namespace rv32test
