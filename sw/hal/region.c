/* Region marking through the syscon REGION register (see aimc/hal/region.h). */
#include "aimc/hal/region.h"

#include "aimc/hal/syscon.h"
#include "aimc/platform.h"
#include "aimc/regs/syscon.h"

int aimc_region(uint32_t id) {
  if (!aimc_syscon_present()) return AIMC_ENODEV;
  AIMC_MMIO32(AIMC_SYSCON_BASE + AIMC_SYSCON_REGION) = id;
  return 0;
}

uint32_t aimc_region_current(void) {
  return aimc_syscon_present() ? AIMC_MMIO32(AIMC_SYSCON_BASE + AIMC_SYSCON_REGION) : 0;
}
