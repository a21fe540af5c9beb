/* Trap dispatch: interrupt and exception handler tables, access probing, the fatal path. */
#include "aimc/hal/trap.h"

#include <stddef.h>

#include "aimc/hal/exit.h"

static aimc_irq_handler_t irq_handlers[AIMC_IRQ_CAUSES];
static aimc_exception_handler_t exception_handler;

/* Set while aimc_probe_read32 performs its load; a fault then only clears `probe_ok`. */
static volatile bool probe_active;
static volatile bool probe_ok;

int aimc_irq_set_handler(unsigned irq, aimc_irq_handler_t handler) {
  if (irq >= AIMC_IRQ_CAUSES) return AIMC_EINVAL;
  irq_handlers[irq] = handler;
  return 0;
}

void aimc_exception_set_handler(aimc_exception_handler_t handler) { exception_handler = handler; }

void aimc_trap_use_direct(void) { aimc_csr_write(mtvec, (uint32_t)(uintptr_t)aimc_trap_entry); }

void aimc_trap_use_vectored(void) {
  aimc_csr_write(mtvec, (uint32_t)(uintptr_t)aimc_trap_vector_table | AIMC_MTVEC_VECTORED);
}

int aimc_probe_read32(uintptr_t addr, uint32_t *value) {
  probe_ok = true;
  probe_active = true;
  uint32_t v = *(volatile uint32_t *)addr;
  probe_active = false;
  if (!probe_ok) return AIMC_EFAULT;
  if (value) *value = v;
  return 0;
}

void aimc_trap_fatal(const aimc_trap_frame *frame) {
  /* A report that traps itself (e.g. no UART on this platform) must not recurse. */
  static volatile bool reporting;
  if (aimc_trap_report && !reporting) {
    reporting = true;
    aimc_trap_report(frame);
  }
  aimc_exit(AIMC_EXIT_TRAP);
}

/* Called by aimc_trap_entry with the saved frame. */
void aimc_trap_dispatch(aimc_trap_frame *frame);
void aimc_trap_dispatch(aimc_trap_frame *frame) {
  uint32_t cause = frame->mcause & ~AIMC_MCAUSE_INTERRUPT;
  if (frame->mcause & AIMC_MCAUSE_INTERRUPT) {
    if (cause < AIMC_IRQ_CAUSES && irq_handlers[cause]) {
      irq_handlers[cause](cause);
      return;
    }
  } else if (probe_active && (cause == AIMC_EXC_LOAD_ACCESS || cause == AIMC_EXC_LOAD_MISALIGNED)) {
    probe_ok = false;
    frame->mepc += aimc_insn_length(frame->mepc);
    return;
  } else if (exception_handler && exception_handler(frame)) {
    return;
  }
  aimc_trap_fatal(frame);
}
