/* aimc-vp syscon counters, identified before use so other platforms read 0 instead of faulting. */
#include "aimc/hal/syscon.h"

#include "aimc/hal/trap.h"
#include "aimc/platform.h"
#include "aimc/regs/syscon.h"

#define SYSCON(reg) AIMC_MMIO32(AIMC_SYSCON_BASE + AIMC_SYSCON_##reg)

bool aimc_syscon_present(void) {
  static int present = -1; /* unknown until probed */
  if (present < 0) {
    uint32_t id = 0;
    present = aimc_probe_read32(AIMC_SYSCON_BASE + AIMC_SYSCON_ID, &id) == 0 && id == AIMC_SYSCON_ID_VALUE;
  }
  return present;
}

/* Reading LO latches HI, so the pair is consistent. */
uint64_t aimc_sim_time_ns(void) {
  if (!aimc_syscon_present()) return 0;
  uint32_t lo = SYSCON(TIME_NS_LO);
  return ((uint64_t)SYSCON(TIME_NS_HI) << 32) | lo;
}

uint64_t aimc_energy_pj(void) {
  if (!aimc_syscon_present()) return 0;
  uint32_t lo = SYSCON(ENERGY_PJ_LO);
  return ((uint64_t)SYSCON(ENERGY_PJ_HI) << 32) | lo;
}
