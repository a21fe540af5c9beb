/*
 * One kernel, no UART at all: the result is the exit code only (0 = checksum matches the
 * reference, 1 = mismatch), delivered through HTIF tohost. Runs unchanged on aimc-vp,
 * qemu-system-riscv32 -M spike and -M virt.
 * Built with BENCH_KERNEL (bench_mvm or bench_mix) and BENCH_REPS.
 */
#include "bench.h"

int main(void) {
  return BENCH_KERNEL.run(BENCH_REPS) == BENCH_KERNEL.reference(BENCH_REPS) ? 0 : 1;
}
