/*
 * tile-mvm: program known int8 weights (the whole crossbar of tile 0), run MVMs of known int8
 * inputs with raw int32 output, and compare with the exact integer product.
 *
 * Tolerance, from docs/models/analog-calibration.md: the PCM presets reach 4.4-4.7 equivalent bits,
 * an RMS error of 3.8-4.5 % of max|y| (hermes-core: 4.47 %) on Gaussian data. We allow
 * RMS error <= 10 % of max|y_exact| (about 2x the documented error), correlation >= 0.95 and a
 * least-squares gain within 15 % of 1 (drift compensation keeps it within 3 %). Weights and inputs are
 * kept within +-63 so no column gets near the ADC's full scale (no saturation expected).
 * The same vectors run again with 4 phases: same accuracy bounds, about 4x the busy time.
 * Last, an MVM over a block inside the crossbar (rows and columns from row0/col0, as a layer
 * placed there by PROGRAM uses it) against the exact product of that block.
 */
#include <stdio.h>
#include <stdlib.h>

#include "aimc/hal/check.h"
#include "aimc/hal/tile.h"

#define VECTORS 8
#define AMPLITUDE 63
#define MAX_REL_RMS 0.10
#define MIN_CORR 0.95

static int run(unsigned rows, unsigned cols, unsigned row0, unsigned col0, const int32_t *ref, unsigned phases,
               uint64_t *busy) {
  int32_t *y = malloc((size_t)VECTORS * cols * sizeof(int32_t));
  aimc_tile_counters c0 = {0}, c1 = {0};
  if (!aimc_check(y != NULL, "out of memory")) return 1;
  int err = aimc_tile_get_counters(0, &c0);
  if (err == 0)
    err = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.in = 0, .rows = rows, .cols = cols, .row0 = row0, .col0 = col0,
                                                 .vectors = VECTORS, .out = 0, .chain = AIMC_TILE_NO_CHAIN,
                                                 .phases = phases});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (err == 0) err = aimc_tile_get_counters(0, &c1);
  if (err == 0) err = aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, y, (size_t)VECTORS * cols * sizeof(int32_t));
  if (!aimc_check_ok(err, "MVM (%u phases)", phases)) {
    free(y);
    return err;
  }

  aimc_error_stats s;
  aimc_error_stats_i32(y, ref, VECTORS * cols, &s);
  char label[96];
  snprintf(label, sizeof label, "tile-mvm: %u phase(s) %ux%u at (%u,%u)", phases ? phases : 1, rows, cols, row0, col0);
  aimc_error_stats_print(label, &s);
  printf("tile-mvm: y[0][0..3] = %ld %ld %ld %ld, exact %ld %ld %ld %ld\n", (long)y[0], (long)y[1], (long)y[2],
         (long)y[3], (long)ref[0], (long)ref[1], (long)ref[2], (long)ref[3]);
  printf("tile-mvm: %lu MVMs, %lu busy cycles, %lu pJ, %lu saturations\n", (unsigned long)(c1.mvms - c0.mvms),
         (unsigned long)(c1.busy_cycles - c0.busy_cycles), (unsigned long)(c1.energy_pj - c0.energy_pj),
         (unsigned long)(c1.saturations - c0.saturations));
  aimc_check(s.corr >= MIN_CORR, "%u phases: correlation %.4f < %.2f", phases, s.corr, MIN_CORR);
  aimc_check(s.rel_rms <= MAX_REL_RMS, "%u phases: RMS error %.2f %% of max|y| > %.0f %%", phases, 100 * s.rel_rms,
             100 * MAX_REL_RMS);
  aimc_check(s.gain > 0.85 && s.gain < 1.15, "%u phases: gain %.4f", phases, s.gain);
  aimc_check(c1.mvms - c0.mvms == VECTORS, "MVM_COUNT grew by %lu, expected %u", (unsigned long)(c1.mvms - c0.mvms),
             VECTORS);
  aimc_check(c1.saturations == c0.saturations, "%lu saturations", (unsigned long)(c1.saturations - c0.saturations));
  *busy = c1.busy_cycles - c0.busy_cycles;
  free(y);
  return err;
}

int main(void) {
  if (!aimc_check(aimc_tile_count() > 0, "no tiles")) return aimc_check_finish("tile-mvm");
  aimc_tile_info info;
  if (!aimc_check_ok(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("tile-mvm");
  unsigned rows = info.rows, cols = info.cols;
  printf("tile-mvm: tile 0 is %ux%u, %u-bit ADC, default %u phase(s)\n", rows, cols, info.adc_bits, info.default_phases);

  int8_t *w = malloc((size_t)rows * cols), *x = malloc((size_t)VECTORS * rows);
  int32_t *ref = malloc((size_t)VECTORS * cols * sizeof(int32_t));
  if (!aimc_check(w && x && ref, "out of memory")) return aimc_check_finish("tile-mvm");
  aimc_rng rng;
  aimc_rng_seed(&rng, 2024);
  aimc_rng_fill_i8(&rng, w, (size_t)rows * cols, AMPLITUDE);
  aimc_rng_fill_i8(&rng, x, (size_t)VECTORS * rows, AMPLITUDE);
  aimc_ref_mvm(w, rows, cols, x, VECTORS, ref);

  int err = aimc_tile_stage_weights(0, 0, w, (size_t)rows * cols);
  if (err == 0) err = aimc_tile_program(0, &(aimc_tile_program_args){.staging = 0, .rows = rows, .cols = cols});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (err == 0) err = aimc_tile_write(0, AIMC_TILE_IN_OFFSET, x, (size_t)VECTORS * rows);
  if (!aimc_check_ok(err, "PROGRAM")) return aimc_check_finish("tile-mvm");

  uint64_t busy1 = 0, busy4 = 0;
  run(rows, cols, 0, 0, ref, 1, &busy1);
  run(rows, cols, 0, 0, ref, 4, &busy4);
  printf("tile-mvm: 4 phases took %.2fx the busy cycles of 1 phase\n", busy1 ? (double)busy4 / (double)busy1 : 0.0);
  aimc_check(busy4 > 2 * busy1, "4 phases (%lu cycles) not much slower than 1 (%lu)", (unsigned long)busy4,
             (unsigned long)busy1);

  /* The block of rows [rows/4, rows/2) and columns [cols/2, 3cols/4) of the same weights. */
  const unsigned br = rows / 4, bc = cols / 4, r0 = rows / 4, c0 = cols / 2;
  int8_t *wb = malloc((size_t)br * bc);
  if (!aimc_check(wb != NULL, "out of memory")) return aimc_check_finish("tile-mvm");
  for (unsigned i = 0; i < br; ++i)
    for (unsigned j = 0; j < bc; ++j) wb[i * bc + j] = w[(size_t)(r0 + i) * cols + c0 + j];
  aimc_ref_mvm(wb, br, bc, x, VECTORS, ref); /* the first VECTORS x br input bytes, br apart */
  uint64_t busy_block = 0;
  run(br, bc, r0, c0, ref, 1, &busy_block);
  free(wb);
  return aimc_check_finish("tile-mvm");
}
