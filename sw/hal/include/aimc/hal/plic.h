/*
 * PLIC (context 0 = hart 0, M-mode) and a dispatch table for external interrupts by source.
 *
 * aimc_plic_set_handler() also installs the machine external interrupt handler, which claims
 * each pending source, calls its handler and completes it. Sources still need a priority > the
 * threshold, an enable bit, and mie.MEIE + mstatus.MIE.
 *
 * Sources are 1..AIMC_PLIC_MAX_SOURCES-1 (1023, the PLIC's limit; a platform wires plic.num_sources
 * of them); priorities and the threshold are 0..AIMC_PLIC_MAX_PRIORITY. Out-of-range arguments
 * return AIMC_EINVAL (error.h). The claim/complete and pending accessors are raw: they check nothing.
 */
#ifndef AIMC_HAL_PLIC_H
#define AIMC_HAL_PLIC_H

#include <stdbool.h>

#include "aimc/regs/plic.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMC_PLIC_MAX_PRIORITY AIMC_PLIC_PRIORITY_LEVEL_MAX

typedef void (*aimc_plic_handler_t)(unsigned source);

/* Reads the priority back: AIMC_ENOIRQ when a nonzero one does not stick, i.e. the platform has no
 * such source (the PLIC hardwires the priority of sources it does not implement to 0). */
int aimc_plic_set_priority(unsigned source, unsigned priority);
int aimc_plic_set_threshold(unsigned threshold);
int aimc_plic_enable(unsigned source);
int aimc_plic_disable(unsigned source);
/* Raw accessors (no checks). */
bool aimc_plic_is_pending(unsigned source);
/* The highest-priority pending enabled source (0 if none); it stays claimed until completed. */
unsigned aimc_plic_claim(void);
void aimc_plic_complete(unsigned source);

/* Handler for `source` (or NULL to remove it); a claimed source without a handler is a fatal trap.
 * The table covers every source the PLIC can have, so any tile's interrupt can be dispatched. */
int aimc_plic_set_handler(unsigned source, aimc_plic_handler_t handler);

#ifdef __cplusplus
}
#endif
#endif
