/*
 * Reset entry. The image is loaded where it runs (RAM only), so there is nothing to copy:
 * set gp/sp/tp, point mtvec at the HAL trap entry, zero .tbss/.bss, run constructors, main, exit.
 *
 * Built a second time with AIMC_CRT_NO_TRAP_VECTOR: mtvec keeps its reset value, for images
 * that check how a platform reports a trap nobody handles.
 */
    .section .text.init.enter, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* gp must not be computed from itself by linker relaxation. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack
    /* picolibc keeps errno in TLS; the .tdata template is this one thread's TLS block. */
    la      tp, __tls_base
#ifndef AIMC_CRT_NO_TRAP_VECTOR
    la      t0, aimc_trap_entry
    csrw    mtvec, t0
#endif
    la      a0, __bss_start
    la      a1, __bss_end
    j       2f
1:  sw      zero, 0(a0)
    addi    a0, a0, 4
2:  bltu    a0, a1, 1b

    call    __libc_init_array
    li      a0, 0               /* argc */
    li      a1, 0               /* argv */
    li      a2, 0               /* envp */
    call    main
    tail    exit
    .size _start, . - _start

/* Keeps .tdata non-empty so the TLS segment always starts at __tls_base (see aimc.ld). */
    .section .tdata.aimc_anchor, "awT", @progbits
    .balign 16
    .word   0
