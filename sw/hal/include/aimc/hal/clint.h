/* CLINT: the 64-bit machine timer (mtime/mtimecmp) and the machine software interrupt (msip).
 * None of these can fail (error.h): accessors, setters without a bad input, a busy-wait. */
#ifndef AIMC_HAL_CLINT_H
#define AIMC_HAL_CLINT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* mtime ticks per second: aimc-vp's clint.timebase_hz default, as on QEMU virt and spike. */
#ifndef AIMC_CLINT_TIMEBASE_HZ
#define AIMC_CLINT_TIMEBASE_HZ 10000000u
#endif

static inline uint64_t aimc_us_to_ticks(uint64_t us) { return us * (AIMC_CLINT_TIMEBASE_HZ / 1000000u); }

uint64_t aimc_mtime(void);
/* Program mtimecmp without a spurious interrupt while its two halves are written. */
void aimc_mtimecmp_set(uint64_t when);
uint64_t aimc_mtimecmp(void);
/* mip.MTIP rises `ticks` from now. */
void aimc_timer_start(uint64_t ticks);
/* mtimecmp to the maximum: mip.MTIP falls and stays low. */
void aimc_timer_stop(void);

/* Busy-wait (no interrupts needed). */
void aimc_delay_ticks(uint64_t ticks);
void aimc_delay_us(uint32_t us);

/* Raise / lower the machine software interrupt (mip.MSIP). */
void aimc_msip_set(int level);

#ifdef __cplusplus
}
#endif
#endif
