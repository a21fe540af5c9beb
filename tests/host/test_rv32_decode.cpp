// Unit tests of the RV32 instruction table: encoders vs GNU as, disassembly in objdump style.
#include "rv32_test_util.h"

namespace rv32test {
namespace {

// Encodings produced by riscv64-unknown-elf-as (binutils 2.40, -march=rv32imac_zicsr_zifencei).
TEST(Rv32Encoding, AssemblerHelpersMatchGnuAs) {
    EXPECT_EQ(lui(a0, 0x12345), 0x12345537u);
    EXPECT_EQ(auipc(t0, 0xfffff), 0xfffff297u);
    EXPECT_EQ(jalr(a0, a1, 12), 0x00c58567u);
    EXPECT_EQ(lw(a2, a3, 2047), 0x7ff6a603u);
    EXPECT_EQ(lbu(a3, a4, -2048), 0x80074683u);
    EXPECT_EQ(sw(a2, a3, 2047), 0x7ec6afa3u);
    EXPECT_EQ(srai(a0, a1, 7), 0x4075d513u);
    EXPECT_EQ(csrrw(a0, csr::mstatus, a1), 0x30059573u);
    EXPECT_EQ(amomaxu_w(a0, a2, a1), 0xe0c5a52fu);
    EXPECT_EQ(c_addi4spn(a0, 16), 0x0808);
    EXPECT_EQ(c_addi4spn(s1, 1020), 0x1fe4);
    EXPECT_EQ(c_lw(a0, a1, 4), 0x41c8);
    EXPECT_EQ(c_lw(s0, a5, 124), 0x5fe0);
    EXPECT_EQ(c_sw(a0, a1, 4), 0xc1c8);
    EXPECT_EQ(c_sw(s1, a2, 64), 0xc224);
    EXPECT_EQ(c_addi(a0, -1), 0x157d);
    EXPECT_EQ(c_addi(sp, 31), 0x017d);
    EXPECT_EQ(c_jal(-18), 0x37fd);
    EXPECT_EQ(c_li(a5, -32), 0x5781);
    EXPECT_EQ(c_li(a0, 31), 0x457d);
    EXPECT_EQ(c_addi16sp(-512), 0x7101);
    EXPECT_EQ(c_addi16sp(496), 0x617d);
    EXPECT_EQ(c_lui(a0, 1), 0x6505);
    EXPECT_EQ(c_lui(t0, -1), 0x72fd);
    EXPECT_EQ(c_lui(s0, 0x1f), 0x647d);
    EXPECT_EQ(c_srli(a0, 1), 0x8105);
    EXPECT_EQ(c_srli(s1, 31), 0x80fd);
    EXPECT_EQ(c_srai(a1, 5), 0x8595);
    EXPECT_EQ(c_andi(a2, -1), 0x9a7d);
    EXPECT_EQ(c_andi(a3, 7), 0x8a9d);
    EXPECT_EQ(c_sub(a0, a1), 0x8d0d);
    EXPECT_EQ(c_xor(s0, s1), 0x8c25);
    EXPECT_EQ(c_or(a4, a5), 0x8f5d);
    EXPECT_EQ(c_and(a2, a3), 0x8e75);
    EXPECT_EQ(c_j(-52), 0xb7f1);
    EXPECT_EQ(c_beqz(a0, -54), 0xd569);
    EXPECT_EQ(c_bnez(s1, 28), 0xec91);
    EXPECT_EQ(c_slli(a0, 1), 0x0506);
    EXPECT_EQ(c_slli(t6, 31), 0x0ffe);
    EXPECT_EQ(c_lwsp(a0, 0), 0x4502);
    EXPECT_EQ(c_lwsp(ra, 252), 0x50fe);
    EXPECT_EQ(c_swsp(a0, 4), 0xc22a);
    EXPECT_EQ(c_swsp(ra, 252), 0xdf86);
    EXPECT_EQ(c_jr(ra), 0x8082);
    EXPECT_EQ(c_mv(a0, a1), 0x852e);
    EXPECT_EQ(c_jalr(a0), 0x9502);
    EXPECT_EQ(c_add(sp, t6), 0x917e);
}

TEST(Rv32Disassembly, ObjdumpStyle) {
    const uint32_t pc = 0x80000000;
    struct Case {
        uint32_t insn;
        const char* text;
    };
    const Case cases[] = {
        {addi(a0, a0, 1), "addi a0, a0, 1"},
        {addi(a0, zero, -5), "li a0, -5"},
        {addi(a1, a2, 0), "mv a1, a2"},
        {addi(zero, zero, 0), "nop"},
        {0x12345537, "lui a0, 0x12345"},
        {lw(a5, sp, 12), "lw a5, 12(sp)"},
        {sb(a0, sp, -1), "sb a0, -1(sp)"},
        {slli(t3, t4, 31), "slli t3, t4, 0x1f"},
        {add(a0, a1, a2), "add a0, a1, a2"},
        {sub(a0, zero, a2), "neg a0, a2"},
        {mulhsu(a0, a1, a2), "mulhsu a0, a1, a2"},
        {beq(a0, a1, 16), "beq a0, a1, 0x80000010"},
        {bne(a0, zero, -8), "bnez a0, 0x7ffffff8"},
        {bge(zero, a3, 8), "blez a3, 0x80000008"},
        {jal(ra, 0x100), "jal 0x80000100"},
        {jal(zero, -4), "j 0x7ffffffc"},
        {jal(s1, 8), "jal s1, 0x80000008"},
        {jalr(zero, ra, 0), "ret"},
        {jalr(ra, a5, 0), "jalr a5"},
        {jalr(a0, a1, 12), "jalr a0, 12(a1)"},
        {csrrw(a0, csr::mstatus, a1), "csrrw a0, mstatus, a1"},
        {csrr(a0, csr::mcause), "csrr a0, mcause"},
        {csrw(csr::mtvec, t0), "csrw mtvec, t0"},
        {csrsi(csr::mstatus, 8), "csrsi mstatus, 8"},
        {csrrci(a0, csr::mstatus, 31), "csrrci a0, mstatus, 31"},
        {csrr(a0, csr::cycle), "rdcycle a0"},
        {csrr(a0, 0x7c0), "csrr a0, 0x7c0"},
        {lr_w(a0, a1), "lr.w a0, (a1)"},
        {sc_w(a0, a2, a1), "sc.w a0, a2, (a1)"},
        {0x1405a52f, "lr.w.aq a0, (a1)"},
        {amoadd_w(a0, a2, a1), "amoadd.w a0, a2, (a1)"},
        {fence(), "fence"},
        {fence_i(), "fence.i"},
        {ecall(), "ecall"},
        {ebreak(), "ebreak"},
        {mret(), "mret"},
        {wfi(), "wfi"},
        // Compressed: shown as the 32-bit expansion, as objdump -d does.
        {c_li(a0, 1), "li a0, 1"},
        {c_addi16sp(-512), "addi sp, sp, -512"},
        {c_lw(a0, a1, 4), "lw a0, 4(a1)"},
        {c_swsp(ra, 252), "sw ra, 252(sp)"},
        {c_jr(ra), "ret"},
        {c_mv(a0, a1), "mv a0, a1"},
        {c_ebreak(), "ebreak"},
        {c_beqz(a0, -54), "beqz a0, 0x7fffffca"},
        {c_j(4), "j 0x80000004"},
        {0x0000, "unimp"},
        {0xFFFFFFFF, ".insn 0xffffffff"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(Rv32Core::disassemble(c.insn, pc), c.text) << std::hex << c.insn;
    }
}

}  // namespace
}  // namespace rv32test
