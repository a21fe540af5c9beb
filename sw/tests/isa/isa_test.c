/* The ISA test harness (see isa_test.h). */
#include "isa_test.h"

#include <stdio.h>

#include "aimc/hal/syscon.h"

static unsigned checks, failures;
volatile isa_trap_log isa_trap;

void isa_check(bool ok, const char *name, const char *field, uint32_t got, uint32_t expected) {
  checks++;
  if (ok) return;
  failures++;
  printf("FAIL %s%s%s: got 0x%08lx expected 0x%08lx\n", name, field ? " " : "", field ? field : "",
         (unsigned long)got, (unsigned long)expected);
}

void isa_check_eq(const char *name, uint32_t got, uint32_t expected) {
  isa_check(got == expected, name, NULL, got, expected);
}

int isa_finish(const char *suite) {
  printf("%s: %u checks, %u failed\n", suite, checks, failures);
  return failures > ISA_MAX_FAILURES ? ISA_MAX_FAILURES : (int)failures;
}

static bool record_trap(aimc_trap_frame *frame) {
  isa_trap.count++;
  isa_trap.mcause = frame->mcause;
  isa_trap.mepc = frame->mepc;
  isa_trap.mtval = frame->mtval;
  isa_trap.mstatus = frame->mstatus;
  if (frame->mcause == AIMC_EXC_INSN_ACCESS || frame->mcause == AIMC_EXC_INSN_MISALIGNED)
    frame->mepc = frame->x[1]; /* nothing to step over: return to the caller */
  else
    frame->mepc += aimc_insn_length(frame->mepc);
  return true;
}

void isa_trap_arm(void) {
  isa_trap.count = 0;
  isa_trap.mcause = isa_trap.mepc = isa_trap.mtval = isa_trap.mstatus = 0xdeadbeefu;
  aimc_exception_set_handler(record_trap);
}

void isa_check_trap2(const char *name, uint32_t mcause, uint32_t mepc, uint32_t mtval, uint32_t mtval_alt) {
  isa_check(isa_trap.count == 1, name, "trap count", isa_trap.count, 1);
  isa_check(isa_trap.mcause == mcause, name, "mcause", isa_trap.mcause, mcause);
  isa_check(isa_trap.mepc == mepc, name, "mepc", isa_trap.mepc, mepc);
  isa_check(isa_trap.mtval == mtval || isa_trap.mtval == mtval_alt, name, "mtval", isa_trap.mtval, mtval);
}

void isa_check_trap(const char *name, uint32_t mcause, uint32_t mepc, uint32_t mtval) {
  isa_check_trap2(name, mcause, mepc, mtval, mtval);
}

void isa_check_no_trap(const char *name) { isa_check(isa_trap.count == 0, name, "trap count", isa_trap.count, 0); }

bool isa_on_aimc(void) { return aimc_syscon_present(); }
