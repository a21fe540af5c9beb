/*
 * A vectored-mode trap table that records which slot the hart entered (in isa_vector_last)
 * before continuing into the HAL's common trap entry. Slots are 4-byte jumps (no RVC).
 */
    .section .text.isa_vector_table, "ax", @progbits
    .balign 256
    .globl isa_vector_table
    .type isa_vector_table, @function
isa_vector_table:
    .option push
    .option norvc
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    j       isa_vector_slot_\n
    .endr
    .option pop
    .size isa_vector_table, . - isa_vector_table

    .section .text.isa_vector_slots, "ax", @progbits
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
isa_vector_slot_\n:
    addi    sp, sp, -16
    sw      t0, 0(sp)
    sw      t1, 4(sp)
    li      t0, \n
    la      t1, isa_vector_last
    sw      t0, 0(t1)
    lw      t1, 4(sp)
    lw      t0, 0(sp)
    addi    sp, sp, 16
    j       aimc_trap_entry
    .endr
