/* CLINT machine timer and software interrupt. */
#include "aimc/hal/clint.h"

#include "aimc/platform.h"
#include "aimc/regs/clint.h"

#define CLINT(reg) AIMC_MMIO32(AIMC_CLINT_BASE + AIMC_CLINT_##reg)

uint64_t aimc_mtime(void) {
  /* rv32 reads the halves separately: retry if the low word wrapped in between. */
  uint32_t hi, lo;
  do {
    hi = CLINT(MTIME_HI);
    lo = CLINT(MTIME_LO);
  } while (CLINT(MTIME_HI) != hi);
  return ((uint64_t)hi << 32) | lo;
}

void aimc_mtimecmp_set(uint64_t when) {
  /* Low word to max first so the intermediate value is never earlier than both old and new. */
  CLINT(MTIMECMP_LO) = 0xFFFFFFFFu;
  CLINT(MTIMECMP_HI) = (uint32_t)(when >> 32);
  CLINT(MTIMECMP_LO) = (uint32_t)when;
}

uint64_t aimc_mtimecmp(void) {
  return ((uint64_t)CLINT(MTIMECMP_HI) << 32) | CLINT(MTIMECMP_LO);
}

void aimc_timer_start(uint64_t ticks) { aimc_mtimecmp_set(aimc_mtime() + ticks); }

void aimc_timer_stop(void) { aimc_mtimecmp_set(UINT64_MAX); }

void aimc_delay_ticks(uint64_t ticks) {
  uint64_t end = aimc_mtime() + ticks;
  while (aimc_mtime() < end) {
  }
}

void aimc_delay_us(uint32_t us) { aimc_delay_ticks(aimc_us_to_ticks(us)); }

void aimc_msip_set(int level) { CLINT(MSIP) = AIMC_CLINT_MSIP_MSIP_PUT(level != 0); }
