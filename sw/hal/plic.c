/* PLIC context 0 (hart 0, M-mode) and the external interrupt dispatcher. */
#include "aimc/hal/plic.h"

#include <stddef.h>

#include "aimc/hal/trap.h"
#include "aimc/platform.h"
#include "aimc/regs/plic.h"

#define PLIC(offset) AIMC_MMIO32(AIMC_PLIC_BASE + (offset))

/* Handlers for the sources the default platform wires: uart, DMA and up to 64 tiles. */
#define HAL_PLIC_SOURCES (AIMC_TILE_IRQ_BASE + 64)
static aimc_plic_handler_t handlers[HAL_PLIC_SOURCES];

void aimc_plic_set_priority(unsigned source, unsigned priority) {
  PLIC(AIMC_PLIC_PRIORITY + 4u * source) = priority;
}

void aimc_plic_set_threshold(unsigned threshold) { PLIC(AIMC_PLIC_THRESHOLD) = threshold; }

void aimc_plic_enable(unsigned source) { PLIC(AIMC_PLIC_ENABLE + 4u * (source / 32u)) |= 1u << (source % 32u); }

void aimc_plic_disable(unsigned source) { PLIC(AIMC_PLIC_ENABLE + 4u * (source / 32u)) &= ~(1u << (source % 32u)); }

bool aimc_plic_is_pending(unsigned source) {
  return (PLIC(AIMC_PLIC_PENDING + 4u * (source / 32u)) >> (source % 32u)) & 1u;
}

unsigned aimc_plic_claim(void) { return PLIC(AIMC_PLIC_CLAIM_COMPLETE); }

void aimc_plic_complete(unsigned source) { PLIC(AIMC_PLIC_CLAIM_COMPLETE) = source; }

/* Machine external interrupt: serve every claimable source before returning. */
static void plic_dispatch(unsigned irq) {
  (void)irq;
  unsigned source;
  while ((source = aimc_plic_claim()) != 0) {
    if (source >= HAL_PLIC_SOURCES || !handlers[source]) {
      aimc_trap_frame frame = {.mcause = AIMC_MCAUSE_INTERRUPT | AIMC_IRQ_M_EXT, .mtval = source};
      aimc_trap_fatal(&frame);
    }
    handlers[source](source);
    aimc_plic_complete(source);
  }
}

void aimc_plic_set_handler(unsigned source, aimc_plic_handler_t handler) {
  if (source == 0 || source >= HAL_PLIC_SOURCES) return;
  handlers[source] = handler;
  aimc_irq_set_handler(AIMC_IRQ_M_EXT, plic_dispatch);
}
