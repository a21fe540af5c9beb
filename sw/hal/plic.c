/* PLIC context 0 (hart 0, M-mode) and the external interrupt dispatcher. */
#include "aimc/hal/plic.h"

#include <stddef.h>

#include "aimc/hal/trap.h"
#include "aimc/platform.h"

#define PLIC(offset) AIMC_MMIO32(AIMC_PLIC_BASE + (offset))

/* Every source the PLIC can have (4 KiB): whatever plic.num_sources a platform sets, and tile t's
 * source AIMC_TILE_IRQ_BASE + t for every tile that has one. */
static aimc_plic_handler_t handlers[AIMC_PLIC_MAX_SOURCES];

static bool valid_source(unsigned source) { return source != 0 && source < AIMC_PLIC_MAX_SOURCES; }

int aimc_plic_set_priority(unsigned source, unsigned priority) {
  if (!valid_source(source) || priority > AIMC_PLIC_MAX_PRIORITY) return AIMC_EINVAL;
  PLIC(AIMC_PLIC_PRIORITY + 4u * source) = AIMC_PLIC_PRIORITY_LEVEL_PUT(priority);
  /* A source the platform does not wire (>= plic.num_sources) keeps priority 0: it can never interrupt. */
  if (priority != 0 && PLIC(AIMC_PLIC_PRIORITY + 4u * source) == 0) return AIMC_ENOIRQ;
  return 0;
}

int aimc_plic_set_threshold(unsigned threshold) {
  if (threshold > AIMC_PLIC_MAX_PRIORITY) return AIMC_EINVAL;
  PLIC(AIMC_PLIC_THRESHOLD) = AIMC_PLIC_THRESHOLD_LEVEL_PUT(threshold);
  return 0;
}

int aimc_plic_enable(unsigned source) {
  if (!valid_source(source)) return AIMC_EINVAL;
  PLIC(AIMC_PLIC_ENABLE + 4u * (source / 32u)) |= 1u << (source % 32u);
  return 0;
}

int aimc_plic_disable(unsigned source) {
  if (!valid_source(source)) return AIMC_EINVAL;
  PLIC(AIMC_PLIC_ENABLE + 4u * (source / 32u)) &= ~(1u << (source % 32u));
  return 0;
}

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
    if (source >= AIMC_PLIC_MAX_SOURCES || !handlers[source]) {
      aimc_trap_frame frame = {.mcause = AIMC_MCAUSE_INTERRUPT | AIMC_IRQ_M_EXT, .mtval = source};
      aimc_trap_fatal(&frame);
    }
    handlers[source](source);
    aimc_plic_complete(source);
  }
}

int aimc_plic_set_handler(unsigned source, aimc_plic_handler_t handler) {
  if (!valid_source(source)) return AIMC_EINVAL;
  handlers[source] = handler;
  return aimc_irq_set_handler(AIMC_IRQ_M_EXT, plic_dispatch);
}
