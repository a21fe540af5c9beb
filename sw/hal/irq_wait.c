/* wfi waits with a deadline that leave the interrupt state as they found it (see aimc/hal/irq_wait.h). */
#include "aimc/hal/irq_wait.h"

#include "aimc/hal/clint.h"
#include "aimc/hal/csr.h"
#include "aimc/hal/trap.h"

/* mip.MTIP first (core-local, no bus access); mtime only confirms it, since MTIP may also be the
 * caller's own earlier mtimecmp. */
static bool deadline_passed(uint64_t deadline) {
  return (aimc_csr_read(mip) & AIMC_MIP_MTIP) && aimc_mtime() >= deadline;
}

int aimc_irq_wait(aimc_wait_cond_t cond, const void *ctx, uint32_t timeout_us) {
  const uint32_t saved_mstatus = aimc_irq_save();
  const uint32_t saved_mie = aimc_csr_read(mie);
  const bool caller_timer = (saved_mie & AIMC_MIP_MTIP) != 0;
  uint64_t caller_cmp = aimc_mtimecmp();
  const uint64_t deadline = aimc_mtime() + aimc_us_to_ticks(timeout_us);
  aimc_mtimecmp_set(caller_timer && caller_cmp < deadline ? caller_cmp : deadline);
  aimc_csr_set(mie, AIMC_MIP_MEIP | AIMC_MIP_MTIP);

  int rc;
  for (;;) {
    if (cond(ctx)) {
      rc = 0;
      break;
    }
    if (deadline_passed(deadline)) {
      rc = AIMC_ETIMEDOUT;
      break;
    }
    aimc_wfi();
    if (deadline_passed(deadline)) continue; /* the condition gets its last look, then timeout */
    /* Let the pending handlers run. The timer interrupt only when the caller's own mtimecmp is due:
     * ours has no handler. */
    bool caller_due = false;
    if (caller_timer) {
      aimc_mtimecmp_set(caller_cmp);
      caller_due = aimc_mtime() >= caller_cmp;
    }
    if (!caller_due) aimc_csr_clear(mie, AIMC_MIP_MTIP);
    aimc_irq_global_enable();
    aimc_irq_global_disable();
    aimc_csr_set(mie, AIMC_MIP_MTIP);
    if (caller_timer) {
      caller_cmp = aimc_mtimecmp(); /* the caller's handler may have moved it */
      aimc_mtimecmp_set(caller_cmp < deadline ? caller_cmp : deadline);
    }
  }

  aimc_mtimecmp_set(caller_cmp);
  aimc_csr_write(mie, saved_mie);
  aimc_irq_restore(saved_mstatus);
  return rc;
}
