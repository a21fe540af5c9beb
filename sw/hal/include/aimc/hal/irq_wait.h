/*
 * Sleeping in wfi until a condition that interrupt handlers make true, with a deadline; the waits
 * by interrupt of the tile and DMA drivers are built on it.
 *
 * The contract (every HAL wait by interrupt keeps it):
 *   - the condition is tested with mstatus.MIE clear, so an interrupt between the test and the wfi
 *     is not lost (wfi wakes on mip & mie whatever MIE says); after each wake-up MIE is opened for a
 *     moment so the pending handlers run, whatever MIE was on entry;
 *   - mie.MEIE and mie.MTIE are set for the wait; mstatus.MIE, the whole mie register and mtimecmp
 *     are put back as they were found, on every return;
 *   - the deadline is `timeout_us` of simulated time (CLINT mtime, AIMC_CLINT_TIMEBASE_HZ) from the
 *     call; the wait borrows mtimecmp for it. If the caller's timer interrupt is enabled (mie.MTIE
 *     on entry), the caller's mtimecmp is kept whenever it comes first and the caller's handler
 *     runs when it fires; otherwise the timer interrupt is never taken (mie.MTIE is masked while MIE
 *     is open), so no timer handler is needed;
 *   - timeout_us = 0 tests the condition once;
 *   - not for interrupt handlers (it would open MIE inside one).
 * Returns 0 when cond(ctx) held, AIMC_ETIMEDOUT when the deadline passed first.
 */
#ifndef AIMC_HAL_IRQ_WAIT_H
#define AIMC_HAL_IRQ_WAIT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef bool (*aimc_wait_cond_t)(const void *ctx);

int aimc_irq_wait(aimc_wait_cond_t cond, const void *ctx, uint32_t timeout_us);

#ifdef __cplusplus
}
#endif
#endif
