/*
 * tile-send: tile 0 computes an MVM (raw int32 output), then SENDs the result to tile 1's input
 * buffer and to a buffer in RAM. Checks that both copies equal tile 0's output buffer byte for byte,
 * that nothing around the RAM copy was written, that tile 1's INPUT_BYTES counted the bytes that
 * arrived, and that the MVM result itself is plausible (correlation with the exact product).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/tile.h"

#define AMPLITUDE 63
#define GUARD 64
#define DST_IN_OFFSET 0x100 /* where the data lands in tile 1's input buffer */

static uint8_t ram_copy[GUARD + 4096 + GUARD] __attribute__((aligned(4)));

/* Report a failure (and acknowledge a tile error, with its ERROR_INFO). */
static int fail_on(int err, const char *what) {
  if (err == 0) return 0;
  uint32_t info = 0;
  if (aimc_error_tile_code(err) != 0) aimc_tile_ack_error(0, NULL, &info);
  aimc_check(false, "%s: %s (%d), ERROR_INFO 0x%lx", what, aimc_strerror(err), err, (unsigned long)info);
  return err;
}

int main(void) {
  unsigned tiles = aimc_tile_count();
  if (!aimc_check(tiles >= 2, "need 2 tiles, found %u", tiles)) return aimc_check_finish("tile-send");
  aimc_tile_info info;
  if (fail_on(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("tile-send");
  unsigned rows = info.rows, cols = info.cols > 1024 ? 1024 : info.cols;
  uint32_t bytes = cols * 4;
  printf("tile-send: tile 0 %ux%u -> %lu bytes to tile 1 at 0x%08lx and RAM at %p\n", rows, cols,
         (unsigned long)bytes, (unsigned long)aimc_tile_in_addr(1, DST_IN_OFFSET), (void *)(ram_copy + GUARD));

  int8_t *w = malloc((size_t)rows * cols), *x = malloc(rows);
  int32_t *exact = malloc(bytes), *out = malloc(bytes), *in1 = malloc(bytes);
  if (!aimc_check(w && x && exact && out && in1, "out of memory")) return aimc_check_finish("tile-send");
  aimc_rng rng;
  aimc_rng_seed(&rng, 3);
  aimc_rng_fill_i8(&rng, w, (size_t)rows * cols, AMPLITUDE);
  aimc_rng_fill_i8(&rng, x, rows, AMPLITUDE);
  aimc_ref_mvm(w, rows, cols, x, 1, exact);

  int err = aimc_tile_stage_weights(0, 0, w, (size_t)rows * cols);
  if (err == 0) err = aimc_tile_program(0, &(aimc_tile_program_args){.rows = rows, .cols = cols});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (err == 0) err = aimc_tile_write(0, AIMC_TILE_IN_OFFSET, x, rows);
  if (fail_on(err, "PROGRAM")) return aimc_check_finish("tile-send");

  memset(ram_copy, 0xA5, sizeof ram_copy);
  if (fail_on(aimc_tile_fill(1, AIMC_TILE_IN_OFFSET + DST_IN_OFFSET, 0x5A, bytes), "fill tile 1"))
    return aimc_check_finish("tile-send");
  uint32_t in_bytes_before = aimc_tile_input_bytes(1);

  /* MVM, then both SENDs, then a fence: the tile runs them in order. */
  err = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = rows, .cols = cols, .vectors = 1, .chain = AIMC_TILE_NO_CHAIN});
  if (err == 0) err = aimc_tile_send(0, 0, bytes, aimc_tile_in_addr(1, DST_IN_OFFSET));
  if (err == 0) err = aimc_tile_send(0, 0, bytes, (uintptr_t)(ram_copy + GUARD));
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (fail_on(err, "MVM + SEND")) return aimc_check_finish("tile-send");
  __asm__ volatile("fence" ::: "memory"); /* the RAM copy was written by another initiator */

  err = aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, out, bytes);
  if (err == 0) err = aimc_tile_read(1, AIMC_TILE_IN_OFFSET + DST_IN_OFFSET, in1, bytes);
  if (fail_on(err, "reading the results")) return aimc_check_finish("tile-send");
  uint32_t in_bytes_after = aimc_tile_input_bytes(1);

  aimc_error_stats st;
  aimc_error_stats_i32(out, exact, cols, &st);
  aimc_error_stats_print("tile-send: tile 0 MVM vs exact", &st);
  aimc_check(st.corr >= 0.95, "tile 0's MVM: correlation %.4f", st.corr);

  unsigned diff_tile = 0, diff_ram = 0, guard_bad = 0;
  const uint8_t *o = (const uint8_t *)out, *t1 = (const uint8_t *)in1;
  const volatile uint8_t *r = ram_copy;
  for (unsigned i = 0; i < bytes; i++) {
    diff_tile += t1[i] != o[i];
    diff_ram += r[GUARD + i] != o[i];
  }
  for (unsigned i = 0; i < GUARD; i++) guard_bad += (r[i] != 0xA5) + (r[GUARD + bytes + i] != 0xA5);
  printf("tile-send: tile 1 got %lu/%lu bytes right, RAM %lu/%lu; INPUT_BYTES %lu -> %lu\n", (unsigned long)(bytes - diff_tile),
         (unsigned long)bytes, (unsigned long)(bytes - diff_ram), (unsigned long)bytes, (unsigned long)in_bytes_before,
         (unsigned long)in_bytes_after);
  aimc_check(diff_tile == 0, "tile 1's input buffer: %u of %lu bytes differ from tile 0's output", diff_tile,
             (unsigned long)bytes);
  aimc_check(diff_ram == 0, "RAM copy: %u of %lu bytes differ from tile 0's output", diff_ram, (unsigned long)bytes);
  aimc_check(guard_bad == 0, "RAM copy: %u guard bytes around it were overwritten", guard_bad);
  aimc_check(in_bytes_after - in_bytes_before == bytes, "tile 1's INPUT_BYTES grew by %lu, expected %lu",
             (unsigned long)(in_bytes_after - in_bytes_before), (unsigned long)bytes);
  uint32_t info1 = 0, code1 = 0;
  aimc_check_ok(aimc_tile_error(1, &code1, &info1), "tile 1 ERROR");
  aimc_check(code1 == 0, "tile 1 latched %s (0x%lx)", aimc_tile_error_name(code1), (unsigned long)info1);
  return aimc_check_finish("tile-send");
}
