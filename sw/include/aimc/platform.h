/*
 * The default host memory map, as the presets in platforms/presets/ place the blocks.
 * Devices sit where QEMU's `virt` machine has them and RAM where every RISC-V embedded board has it,
 * so the same ELF runs on aimc-vp and on qemu-system-riscv32 -M virt.
 * A test checks that the presets agree with these numbers.
 */
#ifndef AIMC_PLATFORM_H
#define AIMC_PLATFORM_H

#define AIMC_SYSCON_BASE 0x00100000u
#define AIMC_CLINT_BASE  0x02000000u
#define AIMC_PLIC_BASE   0x0C000000u
#define AIMC_UART0_BASE  0x10000000u
#define AIMC_DMA_BASE    0x00110000u
#define AIMC_CHIP_BASE   0x40000000u /* tile t's window: AIMC_CHIP_BASE + t * AIMC_TILE_WINDOW */
#define AIMC_RAM_BASE    0x80000000u

#define AIMC_UART0_IRQ   10 /* PLIC source numbers */
#define AIMC_DMA_IRQ     11
#define AIMC_TILE_IRQ_BASE 32 /* tile t raises source 32 + t (tiles beyond the PLIC's sources have none) */
#endif
