/* Exits with EXIT_CODE (which need not fit in a process exit status) through one channel:
 * tohost when VIA_HTIF is defined, the syscon finisher otherwise. The HAL's aimc_exit() folds
 * codes into 8 bits; these images bypass it, as a foreign program would. */
#include <stdint.h>

#include "aimc/hal/exit.h"
#include "aimc/platform.h"
#include "aimc/regs/syscon.h"

int main(void) {
#ifdef VIA_HTIF
  volatile uint32_t* words = (volatile uint32_t*)&tohost;
  words[0] = ((uint32_t)EXIT_CODE << 1) | 1u;
  words[1] = 0;
#else
  *(volatile uint32_t*)(AIMC_SYSCON_BASE + AIMC_SYSCON_FINISHER) = ((uint32_t)EXIT_CODE << 16) | AIMC_SYSCON_FINISHER_FAIL;
#endif
  for (;;) __asm__ volatile("wfi");
}
