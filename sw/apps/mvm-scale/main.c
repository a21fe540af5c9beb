/*
 * mvm-scale: the simulator-speed workload of the chip bench. Every tile of the platform (up to
 * 1024) gets one programmed weight row (programming a full array costs far more wall time than
 * the MVMs this measures), then runs MVM_SCALE_COMMANDS commands of MVM_SCALE_VECTORS full-size
 * MVMs (raw int32 out, so 64 vectors fill the 64 KiB output buffer); region 1 brackets the burst
 * so the report gives its simulated and wall time. Exits 0 when every tile finished without error.
 */
#include <stdint.h>
#include <stdio.h>

#include "aimc/hal/error.h"
#include "aimc/hal/region.h"
#include "aimc/hal/tile.h"
#include "aimc/regs/tile.h"

#ifndef MVM_SCALE_VECTORS
#define MVM_SCALE_VECTORS 64
#endif
#ifndef MVM_SCALE_COMMANDS
#define MVM_SCALE_COMMANDS 4
#endif
static int8_t row[256];

int main(void) {
  const unsigned tiles = aimc_tile_count();
  aimc_tile_info info;
  int err = aimc_tile_get_info(0, &info);
  if (err != 0) {
    printf("FAIL mvm-scale: tile 0: %s (%d)\n", aimc_strerror(err), err);
    return 1;
  }
  const uint32_t rows = info.rows, cols = info.cols;
  if (cols > sizeof row) {
    printf("FAIL mvm-scale: %lu columns, the weight row holds %u\n", (unsigned long)cols, (unsigned)sizeof row);
    return 1;
  }
  for (unsigned i = 0; i < sizeof row; ++i) row[i] = (int8_t)((i * 37u) % 127u) - 63;

  for (unsigned t = 0; t < tiles && err == 0; ++t) {
    err = aimc_tile_stage_weights(t, 0, row, cols);
    if (err == 0) err = aimc_tile_program(t, &(aimc_tile_program_args){.rows = 1, .cols = cols});
    if (err == 0) err = aimc_tile_fill(t, AIMC_TILE_IN_OFFSET, 0x55, rows);
  }
  for (unsigned t = 0; t < tiles && err == 0; ++t) err = aimc_tile_wait_idle(t, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (err != 0) {
    printf("FAIL mvm-scale: programming: %s (%d)\n", aimc_strerror(err), err);
    return 1;
  }

  err = aimc_region(1);
  for (unsigned c = 0; c < MVM_SCALE_COMMANDS && err == 0; ++c)
    for (unsigned t = 0; t < tiles && err == 0; ++t)
      err = aimc_tile_mvm(t, &(aimc_tile_mvm_args){.in = 0, .rows = rows, .cols = cols, .vectors = MVM_SCALE_VECTORS,
                                                   .out = 0, .chain = AIMC_TILE_NO_CHAIN, .phases = 0, .armed_bytes = 0});
  unsigned failed = 0;
  for (unsigned t = 0; t < tiles; ++t)
    if (aimc_tile_wait_idle(t, AIMC_TILE_TIMEOUT_DEFAULT_US) != 0) ++failed; /* a latched error is nonzero too */
  if (err == 0) err = aimc_region(2);
  if (err != 0) {
    printf("FAIL mvm-scale: the burst: %s (%d)\n", aimc_strerror(err), err);
    return 1;
  }

  printf("mvm-scale: %u tiles of %lux%lu, %u MVMs each, %u failed\n", tiles, (unsigned long)rows,
         (unsigned long)cols, (unsigned)(MVM_SCALE_COMMANDS * MVM_SCALE_VECTORS), failed);
  return failed ? 1 : 0;
}
