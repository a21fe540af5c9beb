/*
 * mvm-scale: the simulator-speed workload of the chip bench. Every tile of the platform (up to
 * 1024) gets one programmed weight row (programming a full array costs far more wall time than
 * the MVMs this measures), then runs MVM_SCALE_COMMANDS commands of MVM_SCALE_VECTORS full-size
 * MVMs (raw int32 out, so 64 vectors fill the 64 KiB output buffer); region 1 brackets the burst
 * so the report gives its simulated and wall time. Exits 0 when every tile finished without error.
 */
#include <stdint.h>
#include <stdio.h>

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
  const uint32_t geometry = aimc_tile_reg_read(0, AIMC_TILE_GEOMETRY);
  const uint32_t rows = geometry & 0xFFFF, cols = geometry >> 16;
  for (unsigned i = 0; i < sizeof row; ++i) row[i] = (int8_t)((i * 37u) % 127u) - 63;

  for (unsigned t = 0; t < tiles; ++t) {
    aimc_tile_stage_weights(t, 0, row, cols);
    aimc_tile_program(t, &(aimc_tile_program_args){.rows = 1, .cols = cols});
    aimc_tile_fill(t, AIMC_TILE_IN_OFFSET, 0x55, rows);
  }
  for (unsigned t = 0; t < tiles; ++t)
    if (aimc_tile_wait_idle(t, AIMC_TILE_TIMEOUT_DEFAULT_US) != 0) {
      printf("FAIL mvm-scale: tile %u did not finish programming\n", t);
      return 1;
    }

  aimc_region(1);
  for (unsigned c = 0; c < MVM_SCALE_COMMANDS; ++c)
    for (unsigned t = 0; t < tiles; ++t)
      aimc_tile_mvm(t, &(aimc_tile_mvm_args){.in = 0, .rows = rows, .cols = cols, .vectors = MVM_SCALE_VECTORS,
                                             .out = 0, .chain = AIMC_TILE_NO_CHAIN, .phases = 0, .armed_bytes = 0});
  unsigned failed = 0;
  for (unsigned t = 0; t < tiles; ++t)
    if (aimc_tile_wait_idle(t, AIMC_TILE_TIMEOUT_DEFAULT_US) != 0 || aimc_tile_reg_read(t, AIMC_TILE_ERROR) != 0) ++failed;
  aimc_region(2);

  printf("mvm-scale: %u tiles of %lux%lu, %u MVMs each, %u failed\n", tiles, (unsigned long)rows,
         (unsigned long)cols, (unsigned)(MVM_SCALE_COMMANDS * MVM_SCALE_VECTORS), failed);
  return failed ? 1 : 0;
}
