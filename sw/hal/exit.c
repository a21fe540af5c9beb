/* Exit: HTIF tohost first (aimc-vp, spike), then the syscon finisher (QEMU virt). */
#include "aimc/hal/exit.h"

#include <stdbool.h>

#include "aimc/platform.h"
#include "aimc/regs/syscon.h"

void aimc_exit(int code) {
  /* Exit statuses are 8 bits: never let a failure code wrap around to 0 (success). */
  if (code != 0 && (code & 0xff) == 0) code = 0xff;
  code &= 0xff;

  /* The finisher is written once only: on a platform without one the store faults, and the
   * fatal-trap path comes back here; the second time it goes to a harmless variable. */
  static volatile bool finishing;
  static volatile uint32_t finisher_sink;
  uintptr_t finisher = finishing ? (uintptr_t)&finisher_sink : AIMC_SYSCON_BASE + AIMC_SYSCON_FINISHER;
  finishing = true;
  uint32_t finisher_value =
      code == 0 ? AIMC_SYSCON_FINISHER_STATUS_PUT(AIMC_SYSCON_FINISHER_PASS)
                : AIMC_SYSCON_FINISHER_CODE_PUT(code) | AIMC_SYSCON_FINISHER_STATUS_PUT(AIMC_SYSCON_FINISHER_FAIL);

  /* Three back-to-back stores, so the run ends at the same instruction on every platform:
   * tohost's low word holds the command, and QEMU's HTIF and aimc-vp act on the high word;
   * QEMU virt (whose tohost is plain memory) stops at the finisher. */
  __asm__ volatile("sw %0, 0(%2)\n\t"
                   "sw zero, 4(%2)\n\t"
                   "sw %1, 0(%3)"
                   :
                   : "r"(((uint32_t)code << 1) | 1u), "r"(finisher_value), "r"(&tohost), "r"(finisher)
                   : "memory");
  for (;;) __asm__ volatile("wfi");
}

/* picolibc's exit() ends here after atexit handlers. */
void _exit(int code) { aimc_exit(code); }
