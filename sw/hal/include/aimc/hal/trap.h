/*
 * Traps and interrupts: the HAL's trap entry, handler installation, interrupt enable helpers.
 *
 * The crt points mtvec at aimc_trap_entry (direct mode). It saves every register into an
 * aimc_trap_frame on the current stack and calls the installed handler:
 *   - interrupts: the handler registered for that cause (aimc_irq_set_handler);
 *   - exceptions: the handler registered with aimc_exception_set_handler, if it returns true.
 * Anything else is fatal: the report hook prints cause/mepc/mtval (console images only) and the
 * firmware exits with AIMC_EXIT_TRAP. On return, mepc and all registers are reloaded from the
 * frame, so a handler may resume elsewhere (e.g. frame->mepc += aimc_insn_length(frame->mepc)).
 */
#ifndef AIMC_HAL_TRAP_H
#define AIMC_HAL_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aimc_trap_frame {
  uint32_t x[32]; /* x[0] unused; x[2] is sp as it was before the trap */
  uint32_t mepc;  /* written back to mepc before mret */
  uint32_t mcause;
  uint32_t mtval;
  uint32_t mstatus; /* as seen by the handler (MIE already cleared); not written back */
} aimc_trap_frame;

typedef void (*aimc_irq_handler_t)(unsigned irq);
typedef bool (*aimc_exception_handler_t)(aimc_trap_frame *frame);

/* Number of interrupt causes with a handler slot (0..15: the standard machine-level causes). */
#define AIMC_IRQ_CAUSES 16u

/* Install (or with NULL remove) the handler for interrupt cause `irq` (AIMC_IRQ_M_*): 0, or
 * AIMC_EINVAL for irq >= AIMC_IRQ_CAUSES. */
int aimc_irq_set_handler(unsigned irq, aimc_irq_handler_t handler);
/* One handler for all synchronous exceptions; return false to treat the trap as fatal. Cannot fail. */
void aimc_exception_set_handler(aimc_exception_handler_t handler);

/* Select how mtvec dispatches. Both end in the same handlers; vectored mode exercises the
 * core's vector table (interrupt n enters at base + 4n). */
void aimc_trap_use_direct(void);
void aimc_trap_use_vectored(void);

/* The trap entry and the 16-slot vector table, for code that builds its own mtvec value. */
extern char aimc_trap_entry[];
extern char aimc_trap_vector_table[];

/* Size in bytes (2 or 4) of the instruction at `pc`. */
static inline unsigned aimc_insn_length(uint32_t pc) {
  return (*(const volatile uint16_t *)(uintptr_t)pc & 3u) == 3u ? 4u : 2u;
}

/* Read a word that may not exist: 0 and *value, or AIMC_EFAULT (instead of a trap) on an access
 * fault; value may be NULL. */
int aimc_probe_read32(uintptr_t addr, uint32_t *value);

/* Called for a fatal trap before the firmware exits; console images define it (prints a report). */
void aimc_trap_report(const aimc_trap_frame *frame) __attribute__((weak));
/* A fatal trap's end: report and exit(AIMC_EXIT_TRAP). Also usable by handlers that give up. */
__attribute__((noreturn)) void aimc_trap_fatal(const aimc_trap_frame *frame);

/* Interrupt enables (cannot fail). Global enable: mstatus.MIE. */
static inline void aimc_irq_global_enable(void) { aimc_csr_set(mstatus, AIMC_MSTATUS_MIE); }
static inline void aimc_irq_global_disable(void) { aimc_csr_clear(mstatus, AIMC_MSTATUS_MIE); }
/* Disable interrupts and return the previous state, for aimc_irq_restore(). */
static inline uint32_t aimc_irq_save(void) {
  uint32_t old;
  __asm__ volatile("csrrci %0, mstatus, 8" : "=r"(old) : : "memory");
  return old & AIMC_MSTATUS_MIE;
}
static inline void aimc_irq_restore(uint32_t saved) { aimc_csr_set(mstatus, saved); }

/* Per-source enables (mie bits). */
static inline void aimc_irq_enable(unsigned irq) { aimc_csr_set(mie, 1u << irq); }
static inline void aimc_irq_disable(unsigned irq) { aimc_csr_clear(mie, 1u << irq); }

/* Sleep until an interrupt enabled in mie is pending (taken first if mstatus.MIE is set). */
static inline void aimc_wfi(void) { __asm__ volatile("wfi" : : : "memory"); }

#ifdef __cplusplus
}
#endif
#endif
