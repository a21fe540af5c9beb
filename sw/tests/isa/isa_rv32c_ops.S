/*
 * RV32C instructions, written out explicitly (c.* mnemonics) so every one is the 16-bit form.
 * isa_rv32c_ops() reports through isa_check_eq(name, got, expected), which clobbers the
 * caller-saved registers: values that must survive a check live in s-registers.
 */

/* CHECK name, reg, expected: isa_check_eq("name", reg, expected) */
.macro CHECK name, reg, expected
    mv      a1, \reg
    li      a2, \expected
    la      a0, 9f
    call    isa_check_eq
    .pushsection .rodata.isa_rv32c_names, "aMS", @progbits, 1
9:  .asciz  "\name"
    .popsection
.endm

/* Absolute address of a label, without auipc/jal (lui + addi). */
.macro ADDR reg, label
    lui     \reg, %hi(\label)
    addi    \reg, \reg, %lo(\label)
.endm

    .section .text.isa_rv32c_ops, "ax", @progbits
    .globl isa_rv32c_ops
    .type isa_rv32c_ops, @function
isa_rv32c_ops:
    addi    sp, sp, -32
    sw      ra, 28(sp)
    sw      s0, 24(sp)
    sw      s1, 20(sp)
    sw      s2, 16(sp)
    sw      s3, 12(sp)

    /* constants and immediates */
    c.li    s0, -32
    CHECK   c.li_min, s0, -32
    c.li    s0, 31
    CHECK   c.li_max, s0, 31
    c.lui   s0, 0x1f
    CHECK   c.lui, s0, 0x1f000
    c.lui   s0, 0xfffe0
    CHECK   c.lui_negative, s0, 0xfffe0000
    c.li    s0, 10
    c.addi  s0, -11
    CHECK   c.addi_negative, s0, -1
    c.addi  s0, 31
    CHECK   c.addi, s0, 30
    c.nop

    /* stack-pointer forms: measure, restore sp, then check */
    mv      s2, sp
    c.addi16sp sp, -64
    sub     s3, s2, sp
    c.addi16sp sp, 64
    sub     s2, s2, sp
    CHECK   c.addi16sp_down, s3, 64
    CHECK   c.addi16sp_up, s2, 0
    c.addi4spn s0, sp, 16
    sub     s0, s0, sp
    CHECK   c.addi4spn, s0, 16
    c.addi4spn s0, sp, 1020
    sub     s0, s0, sp
    CHECK   c.addi4spn_max, s0, 1020

    /* shifts and logic */
    li      s0, 1
    c.slli  s0, 31
    CHECK   c.slli, s0, 0x80000000
    li      s0, 0x80000000
    c.srli  s0, 4
    CHECK   c.srli, s0, 0x08000000
    li      s0, 0x80000000
    c.srai  s0, 4
    CHECK   c.srai, s0, 0xf8000000
    li      s0, 0x12345678
    c.andi  s0, -16
    CHECK   c.andi_negative, s0, 0x12345670
    c.andi  s0, 15
    CHECK   c.andi, s0, 0
    li      s0, 5
    li      s1, 7
    c.mv    s0, s1
    CHECK   c.mv, s0, 7
    li      s3, 0x55
    c.mv    s2, s3
    CHECK   c.mv_any_register, s2, 0x55
    li      s0, 5
    c.add   s0, s1
    CHECK   c.add, s0, 12
    c.add   s2, s3
    CHECK   c.add_any_register, s2, 0xaa
    li      s0, 5
    c.sub   s0, s1
    CHECK   c.sub, s0, -2
    li      s0, 0xff00ff00
    li      s1, 0x0f0f0f0f
    c.xor   s0, s1
    CHECK   c.xor, s0, 0xf00ff00f
    li      s0, 0xff00ff00
    c.or    s0, s1
    CHECK   c.or, s0, 0xff0fff0f
    li      s0, 0xff00ff00
    c.and   s0, s1
    CHECK   c.and, s0, 0x0f000f00

    /* loads and stores */
    la      s1, isa_rv32c_data
    c.lw    s0, 4(s1)
    CHECK   c.lw, s0, 0x22222222
    li      s0, 0x12345678
    c.sw    s0, 8(s1)
    lw      s0, 8(s1)
    CHECK   c.sw, s0, 0x12345678
    c.lw    s0, 124(s1)
    CHECK   c.lw_max_offset, s0, 0x7c7c7c7c
    li      s2, 0xcafef00d
    c.swsp  s2, 8(sp)
    c.lwsp  s3, 8(sp)
    CHECK   c.swsp_c.lwsp, s3, 0xcafef00d
    lw      s3, 8(sp)
    CHECK   c.swsp_stored, s3, 0xcafef00d

    /* jumps */
    li      s0, 0
    c.j     1f
    li      s0, 1
1:  CHECK   c.j, s0, 0

    ADDR    s1, 2f
2:  c.jal   3f
    li      s0, 1           /* not reached */
3:  mv      s0, ra
    sub     s0, s0, s1
    CHECK   c.jal_link, s0, 2

    ADDR    s1, 4f
    li      s0, 0
    c.jr    s1
    li      s0, 1           /* skipped */
4:  CHECK   c.jr, s0, 0

    ADDR    s1, 6f
5:  c.jalr  s1
6:  mv      s0, ra
    sub     s0, s0, s1
    CHECK   c.jalr_link, s0, 0

    /* branches */
    li      s0, 0
    li      s1, 0
    c.beqz  s0, 7f
    li      s1, 1
7:  CHECK   c.beqz_taken, s1, 0
    li      s0, 3
    li      s1, 0
    c.beqz  s0, 8f
    li      s1, 1
8:  CHECK   c.beqz_not_taken, s1, 1
    li      s1, 0
    c.bnez  s0, 10f
    li      s1, 1
10: CHECK   c.bnez_taken, s1, 0
    li      s0, 0
    li      s1, 0
    c.bnez  s0, 11f
    li      s1, 1
11: CHECK   c.bnez_not_taken, s1, 1
    /* backward c.bnez loop */
    li      s0, 4
    li      s1, 0
12: addi    s1, s1, 1
    c.addi  s0, -1
    c.bnez  s0, 12b
    CHECK   c.bnez_backward_loop, s1, 4

    lw      ra, 28(sp)
    lw      s0, 24(sp)
    lw      s1, 20(sp)
    lw      s2, 16(sp)
    lw      s3, 12(sp)
    addi    sp, sp, 32
    c.jr    ra
    .size isa_rv32c_ops, . - isa_rv32c_ops

/*
 * A 32-bit instruction whose halves lie in different 4 KiB pages (legal with the C extension):
 * returns 0x12345678. Fetch and any per-page decode cache must cope with the split.
 */
    .section .text.isa_page_straddle, "ax", @progbits
    .balign 4096
    .skip   4094            /* never executed */
    .globl isa_page_straddle
    .type isa_page_straddle, @function
isa_page_straddle:
    .option push
    .option norvc
    lui     a0, 0x12345
    addi    a0, a0, 0x678
    .option pop
    ret
    .size isa_page_straddle, . - isa_page_straddle

    .section .data.isa_rv32c_data, "aw", @progbits
    .balign 4
    .globl isa_rv32c_data
isa_rv32c_data:
    .word   0x11111111, 0x22222222, 0x33333333
    .fill   28, 4, 0
    .word   0x7c7c7c7c
