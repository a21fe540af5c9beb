/* A dataflow MVM armed for input that never comes, and a host asleep in wfi for its FENCE: the run
 * ends as a deadlock (exit status 126) whose report names the waiting tile and the bytes it waits for
 * (tests/platform/test_robustness.cpp). */
#include <stdint.h>
#include <stdio.h>

#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#define N 16
#define ARMED_BYTES 48 /* three vectors of N inputs; none is ever written */

int main(void) {
  static int8_t w[N * N];
  for (unsigned i = 0; i < N * N; i++) w[i] = (int8_t)(i % 7 - 3);
  int rc = aimc_tile_stage_weights(0, 0, w, sizeof w);
  if (rc == 0) rc = aimc_tile_program(0, &(aimc_tile_program_args){.rows = N, .cols = N});
  if (rc == 0) rc = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (rc == 0) rc = aimc_tile_irq_attach(0, AIMC_TILE_IRQ_FENCE);
  if (rc == 0)
    rc = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = N, .cols = N, .vectors = 3, .chain = AIMC_TILE_NO_CHAIN,
                                                .armed_bytes = ARMED_BYTES});
  if (rc == 0) rc = aimc_tile_fence(0, 1);
  if (rc != 0) {
    printf("tile-deadlock: setup failed: %s (%d)\n", aimc_strerror(rc), rc);
    return 1;
  }
  printf("tile-deadlock: tile 0 armed for %d input bytes; sleeping until its FENCE\n", ARMED_BYTES);
  aimc_irq_global_enable();
  for (;;) __asm__ volatile("wfi");
}
