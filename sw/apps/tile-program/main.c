/*
 * tile-program: discover the tiles, stage a small int8 matrix in tile 0 and PROGRAM it, twice (a
 * second block elsewhere in the crossbar, from another staging offset). Checks STAGED_BYTES before
 * and after each PROGRAM, that the commands complete without an error, and the counters: busy
 * cycles and energy grow, no MVM is counted, CMD_DONE counts the commands.
 */
#include <stdio.h>

#include "aimc/hal/check.h"
#include "aimc/hal/tile.h"

#define ROWS 16
#define COLS 8

static int8_t weights[ROWS * COLS] __attribute__((aligned(4)));

static void print_counters(const char *when, const aimc_tile_counters *c) {
  printf("tile-program: %s: mvms=%lu busy_cycles=%lu energy_pj=%lu cmd_done=%lu\n", when, (unsigned long)c->mvms,
         (unsigned long)c->busy_cycles, (unsigned long)c->energy_pj, (unsigned long)c->cmd_done);
}

int main(void) {
  unsigned tiles = aimc_tile_count();
  printf("tile-program: %u tiles\n", tiles);
  if (!aimc_check(tiles > 0, "no tiles found at 0x%08x", (unsigned)AIMC_CHIP_BASE)) return aimc_check_finish("tile-program");

  for (unsigned t = 0; t < tiles; t++) {
    aimc_tile_info info;
    if (!aimc_check_ok(aimc_tile_get_info(t, &info), "tile %u: info", t)) continue;
    if (t < 4 || t == tiles - 1)
      printf("tile-program: tile %u: index %u at (%u,%u), %ux%u, ADC %u b, DAC %u b, queue %u, %u phase(s), "
             "in %lu out %lu ldpu %lu weights %lu bytes\n",
             t, info.index, info.mesh_x, info.mesh_y, info.rows, info.cols, info.adc_bits, info.dac_bits,
             info.queue_depth, info.default_phases, (unsigned long)info.in_size, (unsigned long)info.out_size,
             (unsigned long)info.ldpu_size, (unsigned long)info.weight_size);
    aimc_check(info.index == t, "tile %u: POSITION says index %u", t, info.index);
    aimc_check(info.rows >= ROWS && info.cols >= COLS, "tile %u: %ux%u crossbar is too small", t, info.rows, info.cols);
    aimc_check(info.weight_size >= (uint32_t)info.rows * info.cols, "tile %u: weight staging %lu < %ux%u", t,
               (unsigned long)info.weight_size, info.rows, info.cols);
    aimc_check(info.queue_depth > 0, "tile %u: queue depth 0", t);
  }

  aimc_rng rng;
  aimc_rng_seed(&rng, 1);
  aimc_rng_fill_i8(&rng, weights, sizeof weights, 127);

  aimc_tile_counters before, after;
  if (!aimc_check_ok(aimc_tile_get_counters(0, &before), "counters")) return aimc_check_finish("tile-program");
  print_counters("before", &before);
  aimc_check(aimc_tile_staged_bytes(0) == 0, "STAGED_BYTES = %lu after reset, expected 0",
             (unsigned long)aimc_tile_staged_bytes(0));

  /* Block 1: staging offset 0 -> crossbar (0, 0). */
  aimc_check_ok(aimc_tile_stage_weights(0, 0, weights, sizeof weights), "staging block 1");
  uint32_t staged = aimc_tile_staged_bytes(0);
  printf("tile-program: staged %lu bytes\n", (unsigned long)staged);
  aimc_check(staged == sizeof weights, "STAGED_BYTES = %lu, expected %u", (unsigned long)staged, (unsigned)sizeof weights);
  int err = aimc_tile_program(0, &(aimc_tile_program_args){.staging = 0, .rows = ROWS, .cols = COLS, .row0 = 0, .col0 = 0});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  aimc_check_ok(err, "PROGRAM 1");
  aimc_check(aimc_tile_staged_bytes(0) == 0, "STAGED_BYTES = %lu after PROGRAM, expected 0",
             (unsigned long)aimc_tile_staged_bytes(0));
  aimc_check_ok(aimc_tile_get_counters(0, &after), "counters");
  print_counters("after PROGRAM 1", &after);
  aimc_check(after.busy_cycles > before.busy_cycles, "BUSY_CYCLES did not grow");
  aimc_check(after.energy_pj > before.energy_pj, "ENERGY_PJ did not grow");
  aimc_check(after.mvms == before.mvms, "MVM_COUNT changed without an MVM");
  aimc_check(after.cmd_done - before.cmd_done == 2, "CMD_DONE grew by %lu, expected 2 (PROGRAM, FENCE)",
             (unsigned long)(after.cmd_done - before.cmd_done));

  /* Block 2: the negated matrix from staging offset 256 -> crossbar (ROWS, COLS). */
  for (unsigned i = 0; i < sizeof weights; i++) weights[i] = (int8_t)-weights[i];
  aimc_check_ok(aimc_tile_stage_weights(0, 256, weights, sizeof weights), "staging block 2");
  aimc_check(aimc_tile_staged_bytes(0) == sizeof weights, "STAGED_BYTES = %lu before PROGRAM 2, expected %u",
             (unsigned long)aimc_tile_staged_bytes(0), (unsigned)sizeof weights);
  aimc_tile_counters mid = after;
  err = aimc_tile_program(0, &(aimc_tile_program_args){.staging = 256, .rows = ROWS, .cols = COLS, .row0 = ROWS, .col0 = COLS});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  aimc_check_ok(err, "PROGRAM 2");
  aimc_check_ok(aimc_tile_get_counters(0, &after), "counters");
  print_counters("after PROGRAM 2", &after);
  aimc_check(after.busy_cycles > mid.busy_cycles && after.energy_pj > mid.energy_pj, "PROGRAM 2 cost nothing");
  aimc_check(aimc_tile_staged_bytes(0) == 0, "STAGED_BYTES = %lu after PROGRAM 2", (unsigned long)aimc_tile_staged_bytes(0));

  aimc_tile_status st = {0};
  uint32_t info = 0, code = 0;
  aimc_check_ok(aimc_tile_get_status(0, &st), "status");
  aimc_check_ok(aimc_tile_error(0, &code, &info), "ERROR");
  printf("tile-program: status busy=%d error=%d queued=%u state=%s, ERROR=%lu (%s)\n", st.busy, st.error, st.queued,
         aimc_tile_state_name(st.state), (unsigned long)code, aimc_tile_error_name(code));
  aimc_check(!st.busy && !st.error && st.queued == 0 && st.state == AIMC_TILE_STATE_IDLE, "tile 0 not idle at the end");
  aimc_check(code == 0, "ERROR = %lu (%s), info 0x%lx", (unsigned long)code, aimc_tile_error_name(code), (unsigned long)info);
  return aimc_check_finish("tile-program");
}
