/*
 * HTIF mailbox. Simulators look these symbols up in the ELF (8 bytes each, fromhost right after
 * tohost, as QEMU and spike expect); writing (code << 1) | 1 to tohost ends the run.
 */
    .section .tohost, "aw", @progbits
    .balign 64
    .globl tohost
    .type tohost, @object
    .size tohost, 8
tohost:
    .8byte 0
    .globl fromhost
    .type fromhost, @object
    .size fromhost, 8
fromhost:
    .8byte 0
