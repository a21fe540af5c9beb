/*
 * program-all: weight programming of the whole chip, the workload of the programming benchmark
 * (tests/bench/bench_program.cpp). Every tile found gets a full-size int8 matrix (the same one, uniform in
 * +-63 as mvm-peak stages it, staged by one DMA chain), then PROGRAM on every tile (they program in
 * parallel) and a sync of each: region 1 brackets the PROGRAM commands, so the report gives their wall time
 * apart from start-up and staging. Exits 0 when every tile programmed without an error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "aimc/hal/check.h"
#include "aimc/hal/dma.h"
#include "aimc/hal/region.h"
#include "aimc/hal/tile.h"

int main(void) {
  const unsigned tiles = aimc_tile_count();
  if (!aimc_check(tiles > 0, "no tiles")) return aimc_check_finish("program-all");
  aimc_tile_info info;
  if (!aimc_check_ok(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("program-all");
  const unsigned rows = info.rows, cols = info.cols;
  const size_t wbytes = (size_t)rows * cols;
  int8_t *w = malloc(wbytes);
  struct aimc_dma_desc *desc = aligned_alloc(32, tiles * sizeof *desc);
  if (!aimc_check(w && desc, "out of memory")) return aimc_check_finish("program-all");
  aimc_rng rng;
  aimc_rng_seed(&rng, 63);
  aimc_rng_fill_i8(&rng, w, wbytes, 63);
  int err = 0;
  if (aimc_dma_present()) {
    for (unsigned t = 0; t < tiles && err == 0; t++)
      err = aimc_dma_desc_1d(&desc[t], aimc_tile_weights_addr(t, 0), (uintptr_t)w, wbytes);
    if (err == 0) err = aimc_dma_link(desc, tiles);
    if (err == 0) err = aimc_dma_start(desc, false);
    if (err == 0) err = aimc_dma_wait(AIMC_DMA_TIMEOUT_DEFAULT_US * 10);
  } else {
    for (unsigned t = 0; t < tiles && err == 0; t++) err = aimc_tile_stage_weights(t, 0, w, wbytes);
  }
  if (!aimc_check_ok(err, "staging")) return aimc_check_finish("program-all");

  (void)aimc_region(1);
  for (unsigned t = 0; t < tiles; t++)
    if (!aimc_check_ok(aimc_tile_program(t, &(aimc_tile_program_args){.rows = rows, .cols = cols}), "tile %u: PROGRAM", t))
      return aimc_check_finish("program-all");
  for (unsigned t = 0; t < tiles; t++)
    if (!aimc_check_ok(aimc_tile_sync(t, AIMC_TILE_TIMEOUT_DEFAULT_US * 10), "tile %u: PROGRAM", t))
      return aimc_check_finish("program-all");
  (void)aimc_region(2);
  printf("program-all: %u tiles of %ux%u programmed\n", tiles, rows, cols);
  return aimc_check_finish("program-all");
}
