/*
 * Minimal self-checking test harness for the ISA images.
 *
 * Every check counts; a failed one prints "FAIL <name>: got 0x... expected 0x..." on the UART.
 * main() ends with `return isa_finish("isa-...")`, which prints one summary line and returns the
 * number of failures (capped at ISA_MAX_FAILURES), i.e. exit code 0 when everything passed.
 * The output is identical on every platform when all checks pass, so aimc-vp's UART text can be
 * compared with QEMU's.
 */
#ifndef ISA_TEST_H
#define ISA_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/hal/trap.h"

#define ISA_MAX_FAILURES 100

void isa_check(bool ok, const char *name, const char *field, uint32_t got, uint32_t expected);
/* Also called from assembly (a0 = name, a1 = got, a2 = expected). */
void isa_check_eq(const char *name, uint32_t got, uint32_t expected);
#define ISA_EQ(name, got, expected) isa_check_eq((name), (uint32_t)(got), (uint32_t)(expected))
int isa_finish(const char *suite);

/*
 * Synchronous exceptions: after isa_trap_arm(), the next exception is recorded in isa_trap and
 * execution resumes after the faulting instruction, or, for instruction fetch faults, at ra
 * (so jump to a bad address with `jalr ra, 0(reg)`).
 */
typedef struct isa_trap_log {
  unsigned count;
  uint32_t mcause, mepc, mtval, mstatus;
} isa_trap_log;
extern volatile isa_trap_log isa_trap;
void isa_trap_arm(void);
/* Check that exactly one exception with this cause/mepc/mtval was recorded. */
void isa_check_trap(const char *name, uint32_t mcause, uint32_t mepc, uint32_t mtval);
/* Same, but mtval may be either value (the privileged spec leaves some tvals optional). */
void isa_check_trap2(const char *name, uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t mtval_alt);
void isa_check_no_trap(const char *name);

/*
 * True on aimc-vp (its syscon identifies itself). Some behaviour the spec leaves open is pinned
 * down for aimc-vp (e.g. misaligned loads/stores trap) but differs on QEMU 7.2: such checks are
 * strict on aimc-vp and accept both legal behaviours elsewhere, with the same check count.
 */
bool isa_on_aimc(void);

/* Absolute address of a code label, built with lui/addi (independent of auipc/jal). */
#define ISA_LABEL_ADDR(reg, label) "lui " reg ", %%hi(" label ")\n\taddi " reg ", " reg ", %%lo(" label ")\n\t"

/* Neither UART nor RAM: accesses fault on aimc-vp and on QEMU virt. */
#define ISA_UNMAPPED_ADDR 0x00200000u

#endif
