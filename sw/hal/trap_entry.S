/*
 * Trap entry: saves the whole register file into an aimc_trap_frame (see trap.h) on the current
 * stack, calls aimc_trap_dispatch(frame), reloads registers and mepc from the frame, mret.
 * All 31 registers are saved (not only caller-saved ones) so handlers can inspect and change any.
 */
#define FRAME_SIZE  (36 * 4)
#define OFF_MEPC    (32 * 4)
#define OFF_MCAUSE  (33 * 4)
#define OFF_MTVAL   (34 * 4)
#define OFF_MSTATUS (35 * 4)

    .section .text.aimc_trap_entry, "ax", @progbits
    .balign 64                  /* mtvec's low two bits are the mode */
    .globl aimc_trap_entry
    .type aimc_trap_entry, @function
aimc_trap_entry:
    addi    sp, sp, -FRAME_SIZE
    sw      x1,   1*4(sp)
    sw      x3,   3*4(sp)
    sw      x4,   4*4(sp)
    sw      x5,   5*4(sp)
    sw      x6,   6*4(sp)
    sw      x7,   7*4(sp)
    sw      x8,   8*4(sp)
    sw      x9,   9*4(sp)
    sw      x10, 10*4(sp)
    sw      x11, 11*4(sp)
    sw      x12, 12*4(sp)
    sw      x13, 13*4(sp)
    sw      x14, 14*4(sp)
    sw      x15, 15*4(sp)
    sw      x16, 16*4(sp)
    sw      x17, 17*4(sp)
    sw      x18, 18*4(sp)
    sw      x19, 19*4(sp)
    sw      x20, 20*4(sp)
    sw      x21, 21*4(sp)
    sw      x22, 22*4(sp)
    sw      x23, 23*4(sp)
    sw      x24, 24*4(sp)
    sw      x25, 25*4(sp)
    sw      x26, 26*4(sp)
    sw      x27, 27*4(sp)
    sw      x28, 28*4(sp)
    sw      x29, 29*4(sp)
    sw      x30, 30*4(sp)
    sw      x31, 31*4(sp)
    addi    t0, sp, FRAME_SIZE
    sw      t0,   2*4(sp)
    csrr    t0, mepc
    sw      t0, OFF_MEPC(sp)
    csrr    t0, mcause
    sw      t0, OFF_MCAUSE(sp)
    csrr    t0, mtval
    sw      t0, OFF_MTVAL(sp)
    csrr    t0, mstatus
    sw      t0, OFF_MSTATUS(sp)

    /* Handlers are C: gp/tp are already the firmware's (M-mode only, one address space). */
    mv      a0, sp
    call    aimc_trap_dispatch

    lw      t0, OFF_MEPC(sp)
    csrw    mepc, t0
    lw      x1,   1*4(sp)
    lw      x3,   3*4(sp)
    lw      x4,   4*4(sp)
    lw      x5,   5*4(sp)
    lw      x6,   6*4(sp)
    lw      x7,   7*4(sp)
    lw      x8,   8*4(sp)
    lw      x9,   9*4(sp)
    lw      x10, 10*4(sp)
    lw      x11, 11*4(sp)
    lw      x12, 12*4(sp)
    lw      x13, 13*4(sp)
    lw      x14, 14*4(sp)
    lw      x15, 15*4(sp)
    lw      x16, 16*4(sp)
    lw      x17, 17*4(sp)
    lw      x18, 18*4(sp)
    lw      x19, 19*4(sp)
    lw      x20, 20*4(sp)
    lw      x21, 21*4(sp)
    lw      x22, 22*4(sp)
    lw      x23, 23*4(sp)
    lw      x24, 24*4(sp)
    lw      x25, 25*4(sp)
    lw      x26, 26*4(sp)
    lw      x27, 27*4(sp)
    lw      x28, 28*4(sp)
    lw      x29, 29*4(sp)
    lw      x30, 30*4(sp)
    lw      x31, 31*4(sp)
    addi    sp, sp, FRAME_SIZE
    mret
    .size aimc_trap_entry, . - aimc_trap_entry

/*
 * Vector table for mtvec's vectored mode: exceptions enter slot 0, interrupt n slot n.
 * Every slot goes to the common entry (mcause tells the handlers apart). Slots are exactly
 * 4 bytes, hence no compressed jumps.
 */
    .section .text.aimc_trap_vector_table, "ax", @progbits
    .balign 256
    .globl aimc_trap_vector_table
    .type aimc_trap_vector_table, @function
aimc_trap_vector_table:
    .option push
    .option norvc
    .rept 16
    j       aimc_trap_entry
    .endr
    .option pop
    .size aimc_trap_vector_table, . - aimc_trap_vector_table
