/*
 * cpu-bench: runs both kernels with their configured repetition counts, checks each checksum
 * against its reference and prints what it measured. Exits with the number of failed kernels.
 */
#include <stdio.h>

#include "aimc/hal/csr.h"
#include "aimc/hal/syscon.h"
#include "bench.h"

static int run_kernel(const bench_kernel *k, uint32_t reps) {
  uint64_t insn0 = aimc_minstret64(), cycle0 = aimc_mcycle64(), ns0 = aimc_sim_time_ns();
  uint32_t sum = k->run(reps);
  uint64_t insns = aimc_minstret64() - insn0, cycles = aimc_mcycle64() - cycle0;
  uint64_t ns = aimc_sim_time_ns() - ns0;
  uint32_t expected = k->reference(reps);
  int ok = sum == expected;
  printf("%-14s reps=%-7lu checksum=0x%08lx %s (reference 0x%08lx)\n", k->name, (unsigned long)reps,
         (unsigned long)sum, ok ? "OK" : "MISMATCH", (unsigned long)expected);
  /* minstret/mcycle are exact on aimc-vp; QEMU without -icount reports host ticks. */
  printf("%-14s minstret=%llu mcycle=%llu", k->name, (unsigned long long)insns, (unsigned long long)cycles);
  if (aimc_syscon_present()) printf(" sim_time=%llu ns", (unsigned long long)ns);
  printf("\n");
  return ok ? 0 : 1;
}

int main(void) {
  int failures = run_kernel(&bench_mvm, BENCH_MVM_REPS);
  failures += run_kernel(&bench_mix, BENCH_MIX_REPS);
  printf("cpu-bench: %s\n", failures ? "FAIL" : "PASS");
  return failures;
}
