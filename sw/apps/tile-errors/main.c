/*
 * tile-errors: every bad command latches its error code and ERROR_INFO and raises the tile's error
 * interrupt; the simulation goes on, the interrupt handler acknowledges it, and the tile still works.
 *
 * Cases (tile 0, interrupt-driven: the host sleeps in wfi until the error IRQ):
 *   bad opcode; MVM input offset past the end of the input buffer; MVM with more columns than the
 *   crossbar; SEND to the window after the last tile; PROGRAM of more bytes than staged; PROGRAM
 *   while an MVM runs; MVM with a malformed LDPU chain (unknown op kind); queue overflow (more
 *   commands than the queue holds behind a long MVM); a weight of -128 (outside +-127).
 * After each: ERROR and STATUS.error are clear, a FENCE completes without error, and an MVM on a
 * 64x64 block programmed at the start still matches its exact product (correlation >= 0.95).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/ldpu.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#define B 64 /* block size: health block at (0, 0), error cases at (B, B) */
#define ANY_INFO 0xFFFFFFFFu

static aimc_tile_info info;
static unsigned tiles;
static int8_t health_w[B * B], health_x[B], block[B * B];
static int32_t health_ref[B];
static uint32_t long_vectors;

static void health_check(const char *after) {
  int err = aimc_tile_wait_idle(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  aimc_check_ok(err, "after %s: the tile does not go idle", after);
  aimc_tile_status st = {0};
  uint32_t code = 0;
  aimc_check_ok(aimc_tile_get_status(0, &st), "after %s: status", after);
  aimc_check_ok(aimc_tile_error(0, &code, NULL), "after %s: ERROR", after);
  aimc_check(!st.error && code == 0, "after %s: error still latched (%s)", after, aimc_tile_error_name(code));
  int32_t y[B] = {0};
  err = aimc_tile_write(0, AIMC_TILE_IN_OFFSET, health_x, B);
  if (err == 0)
    err = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = B, .cols = B, .vectors = 1, .chain = AIMC_TILE_NO_CHAIN});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (err == 0) err = aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, y, sizeof y);
  aimc_error_stats s;
  aimc_error_stats_i32(y, health_ref, B, &s);
  aimc_check(err == 0 && s.corr >= 0.95, "after %s: health MVM: %s (%d), correlation %.4f", after, aimc_strerror(err),
             err, s.corr);
  printf("tile-errors:   tile works afterwards: MVM correlation %.4f\n", s.corr);
}

/* Provoke one error, sleep until its interrupt, check code and info, then the tile's health. The
 * provoking commands themselves are fine as far as the HAL can tell: only the tile rejects them. */
static void expect_error(const char *name, uint32_t code, uint32_t expected_info, int (*provoke)(void)) {
  printf("tile-errors: %s\n", name);
  aimc_check_ok(aimc_tile_irq_clear(0), "%s: clearing the interrupt state", name);
  aimc_check_ok(provoke(), "%s: pushing the commands", name);
  uint32_t got = 0;
  aimc_check_ok(aimc_tile_wait_error_irq(0, 0, AIMC_TILE_TIMEOUT_DEFAULT_US, &got, NULL), "%s: error interrupt", name);
  aimc_tile_irq_state st = {0};
  aimc_check_ok(aimc_tile_irq_get_state(0, &st), "%s: interrupt state", name);
  printf("tile-errors:   error IRQ: %s (%lu), ERROR_INFO 0x%lx; %lu error cause(s) seen\n", aimc_tile_error_name(got),
         (unsigned long)got, (unsigned long)st.error_info, (unsigned long)st.errors);
  aimc_check(st.error == code, "%s: error %lu (%s), expected %lu (%s)", name, (unsigned long)st.error,
             aimc_tile_error_name(st.error), (unsigned long)code, aimc_tile_error_name(code));
  aimc_check(expected_info == ANY_INFO || st.error_info == expected_info, "%s: ERROR_INFO 0x%lx, expected 0x%lx", name,
             (unsigned long)st.error_info, (unsigned long)expected_info);
  health_check(name);
}

static int long_mvm(void) {
  return aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = B, .cols = B, .vectors = long_vectors,
                                                .chain = AIMC_TILE_NO_CHAIN});
}

static int bad_opcode(void) { return aimc_tile_push(0, 0x7F, 0, 0); }

static int bad_offset(void) {
  return aimc_tile_mvm(0, &(aimc_tile_mvm_args){.in = info.in_size, .rows = B, .cols = B, .vectors = 1,
                                                .chain = AIMC_TILE_NO_CHAIN});
}

static int bad_shape(void) {
  return aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = B, .cols = info.cols + 1, .vectors = 1,
                                                .chain = AIMC_TILE_NO_CHAIN});
}

static int block_outside(void) {
  return aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = B, .cols = B, .row0 = info.rows - B + 1, .vectors = 1,
                                                .chain = AIMC_TILE_NO_CHAIN});
}

static int send_nowhere(void) { return aimc_tile_send(0, 0, 64, aimc_tile_in_addr(tiles, 0)); }

static uint32_t staged_before_short;
static int weights_short(void) {
  int err = aimc_tile_stage_weights(0, 0, block, 100);
  staged_before_short = aimc_tile_staged_bytes(0);
  return err ? err : aimc_tile_program(0, &(aimc_tile_program_args){.rows = B, .cols = B, .row0 = B, .col0 = B});
}

static int program_while_busy(void) {
  int err = aimc_tile_stage_weights(0, 0, block, sizeof block);
  if (err == 0) err = long_mvm();
  return err ? err : aimc_tile_program(0, &(aimc_tile_program_args){.rows = B, .cols = B, .row0 = B, .col0 = B});
}

#define BAD_CHAIN_OFFSET 0x100
static int bad_chain(void) {
  aimc_ldpu_builder b;
  uint32_t chain;
  aimc_ldpu_begin(&b, 0, BAD_CHAIN_OFFSET, 0x400, AIMC_LDPU_TYPE_INT32);
  aimc_ldpu_op(&b, 99, NULL); /* no such op: the builder does not check kinds, the tile does */
  int err = aimc_ldpu_end(&b, &chain);
  return err ? err
             : aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = B, .cols = B, .vectors = 1, .chain = BAD_CHAIN_OFFSET});
}

static int queue_overflow(void) {
  int err = long_mvm();
  for (unsigned i = 0; err == 0 && i < info.queue_depth + 2; i++) err = aimc_tile_fence(0, 0xF000 + i);
  return err;
}

int main(void) {
  tiles = aimc_tile_count();
  if (!aimc_check(tiles > 0, "no tiles")) return aimc_check_finish("tile-errors");
  if (!aimc_check_ok(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("tile-errors");
  printf("tile-errors: %u tiles; tile 0 %ux%u, queue depth %u, input buffer %lu bytes\n", tiles, info.rows, info.cols,
         info.queue_depth, (unsigned long)info.in_size);
  if (!aimc_check(info.rows >= 2 * B && info.cols >= 2 * B, "crossbar smaller than %ux%u", 2 * B, 2 * B))
    return aimc_check_finish("tile-errors");
  long_vectors = info.in_size / B;
  if (long_vectors * B * 4 > info.out_size) long_vectors = info.out_size / (B * 4);
  if (long_vectors > 64) long_vectors = 64;

  aimc_rng rng;
  aimc_rng_seed(&rng, 99);
  aimc_rng_fill_i8(&rng, health_w, sizeof health_w, 63);
  aimc_rng_fill_i8(&rng, health_x, sizeof health_x, 63);
  aimc_rng_fill_i8(&rng, block, sizeof block, 63);
  aimc_ref_mvm(health_w, B, B, health_x, 1, health_ref);
  int err = aimc_tile_stage_weights(0, 0, health_w, sizeof health_w);
  if (err == 0) err = aimc_tile_program(0, &(aimc_tile_program_args){.rows = B, .cols = B});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  if (!aimc_check_ok(err, "PROGRAM of the health block")) return aimc_check_finish("tile-errors");

  if (!aimc_check_ok(aimc_tile_irq_attach(0, AIMC_TILE_IRQ_ERROR), "error interrupt"))
    return aimc_check_finish("tile-errors");
  aimc_irq_global_enable();
  health_check("PROGRAM");

  expect_error("bad opcode 0x7f", AIMC_TILE_ERR_BAD_OPCODE, 0x7F, bad_opcode);
  expect_error("MVM input offset past the input buffer", AIMC_TILE_ERR_BAD_OFFSET, info.in_size, bad_offset);
  expect_error("MVM with more columns than the crossbar", AIMC_TILE_ERR_BAD_SHAPE, info.cols + 1, bad_shape);
  expect_error("MVM block past the last crossbar row", AIMC_TILE_ERR_BAD_SHAPE, info.rows - B + 1, block_outside);
  expect_error("SEND to the window after the last tile", AIMC_TILE_ERR_SEND_FAILED, (uint32_t)aimc_tile_in_addr(tiles, 0),
               send_nowhere);
  expect_error("PROGRAM of 4096 bytes with 100 staged", AIMC_TILE_ERR_WEIGHTS_SHORT, 100, weights_short);
  aimc_check(staged_before_short == 100, "STAGED_BYTES %lu before the short PROGRAM, expected 100",
             (unsigned long)staged_before_short);
  expect_error("PROGRAM while an MVM runs", AIMC_TILE_ERR_BUSY, ANY_INFO, program_while_busy);
  expect_error("MVM with a malformed LDPU chain", AIMC_TILE_ERR_BAD_CHAIN, BAD_CHAIN_OFFSET, bad_chain);
  expect_error("queue overflow", AIMC_TILE_ERR_QUEUE_FULL, AIMC_TILE_OP_FENCE, queue_overflow);

  /* A clean PROGRAM of the (B, B) block empties the staging count; then a weight of -128. */
  printf("tile-errors: weight -128 (outside the symmetric range)\n");
  err = aimc_tile_program(0, &(aimc_tile_program_args){.rows = B, .cols = B, .row0 = B, .col0 = B});
  if (err == 0) err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  aimc_check(err == 0 && aimc_tile_staged_bytes(0) == 0, "clean PROGRAM: %s (%d), STAGED_BYTES %lu", aimc_strerror(err),
             err, (unsigned long)aimc_tile_staged_bytes(0));
  aimc_check_ok(aimc_tile_irq_clear(0), "clearing the interrupt state");
  block[5] = -128;
  err = aimc_tile_stage_weights(0, 0, block, sizeof block);
  if (err == 0) err = aimc_tile_program(0, &(aimc_tile_program_args){.rows = B, .cols = B, .row0 = B, .col0 = B});
  if (err == 0) err = aimc_tile_wait_idle(0, AIMC_TILE_TIMEOUT_DEFAULT_US);
  /* The error may still be latched when the tile goes idle: its interrupt clears it right after. */
  aimc_check(err == 0 || aimc_error_tile_code(err) == AIMC_TILE_ERR_WEIGHT_RANGE, "weight -128: %s (%d)",
             aimc_strerror(err), err);
  aimc_tile_irq_state st = {0};
  aimc_check_ok(aimc_tile_irq_get_state(0, &st), "interrupt state");
  if (st.errors == 0) {
    printf("tile-errors:   accepted: this tile's weight range includes -128\n");
  } else {
    printf("tile-errors:   error IRQ: %s, ERROR_INFO %lu\n", aimc_tile_error_name(st.error), (unsigned long)st.error_info);
    aimc_check(st.error == AIMC_TILE_ERR_WEIGHT_RANGE && st.error_info == 5, "weight -128: %s, info %lu",
               aimc_tile_error_name(st.error), (unsigned long)st.error_info);
  }
  health_check("weight -128");

  aimc_tile_counters c = {0};
  aimc_check_ok(aimc_tile_get_counters(0, &c), "counters");
  printf("tile-errors: tile 0 ran %lu commands, %lu MVMs\n", (unsigned long)c.cmd_done, (unsigned long)c.mvms);
  return aimc_check_finish("tile-errors");
}
