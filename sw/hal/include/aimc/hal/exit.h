/*
 * Ending the simulation.
 *
 * exit(code), returning from main and aimc_exit(code) all end here: the code is written to the
 * HTIF `tohost` word ((code << 1) | 1: ends aimc-vp, spike and QEMU -M spike), then to the
 * syscon finisher (ends QEMU -M virt, where tohost is plain memory).
 */
#ifndef AIMC_HAL_EXIT_H
#define AIMC_HAL_EXIT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit code of a fatal (unhandled) trap. */
#define AIMC_EXIT_TRAP 0x7e

/* Ends at once, without atexit handlers. */
__attribute__((noreturn)) void aimc_exit(int code);

/* HTIF words (8 bytes each, section .tohost); the simulator finds them by symbol name. */
extern volatile uint64_t tohost;
extern volatile uint64_t fromhost;

#ifdef __cplusplus
}
#endif
#endif
