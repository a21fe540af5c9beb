/*
 * PLIC (context 0 = hart 0, M-mode) and a dispatch table for external interrupts by source.
 *
 * aimc_plic_set_handler() also installs the machine external interrupt handler, which claims
 * each pending source, calls its handler and completes it. Sources still need a priority > the
 * threshold, an enable bit, and mie.MEIE + mstatus.MIE.
 */
#ifndef AIMC_HAL_PLIC_H
#define AIMC_HAL_PLIC_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*aimc_plic_handler_t)(unsigned source);

void aimc_plic_set_priority(unsigned source, unsigned priority);
void aimc_plic_set_threshold(unsigned threshold);
void aimc_plic_enable(unsigned source);
void aimc_plic_disable(unsigned source);
bool aimc_plic_is_pending(unsigned source);
/* The highest-priority pending enabled source (0 if none); it stays claimed until completed. */
unsigned aimc_plic_claim(void);
void aimc_plic_complete(unsigned source);

/* Handler for `source` (1..31); a claimed source without a handler is a fatal trap. */
void aimc_plic_set_handler(unsigned source, aimc_plic_handler_t handler);

#ifdef __cplusplus
}
#endif
#endif
