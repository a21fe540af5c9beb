/*
 * tile-dataflow: two layers on two tiles, chained without the host.
 *
 * Tile 1 is armed first: an MVM with ARG7 = the bytes it expects, then a FENCE; it waits in
 * WAIT_INPUT. Tile 0 then runs layer 1 (MVM with an LDPU chain affine_fixed + ReLU + requantize to
 * int8) and SENDs the int8 activations into tile 1's input buffer; their arrival starts tile 1's MVM
 * (layer 2, raw int32 out). The host only sleeps in wfi until tile 1's FENCE interrupt.
 * Checks: tile 1 waited for its input, the activations arrived intact, tile 1 consumed them
 * (INPUT_BYTES back to where it was), the layer-2 result matches the exact product of W2 with the
 * activations tile 0 produced (correlation, RMS error as in tile-mvm), and no errors on either tile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/ldpu.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#define VECTORS 2
#define AMPLITUDE 63
#define AFF_SHIFT 14
#define REQ_MULT 65
#define REQ_SHIFT 15

/* Report a failure; a tile error is acknowledged, with its ERROR_INFO. */
static int check_err(unsigned tile, int err, const char *what) {
  if (err == 0) return 0;
  uint32_t info = 0;
  if (aimc_error_tile_code(err) != 0) aimc_tile_ack_error(tile, NULL, &info);
  aimc_check(false, "tile %u: %s: %s (%d), ERROR_INFO 0x%lx", tile, what, aimc_strerror(err), err,
             (unsigned long)info);
  return err;
}

static int program(unsigned tile, const int8_t *w, unsigned rows, unsigned cols) {
  int err = aimc_tile_stage_weights(tile, 0, w, (size_t)rows * cols);
  if (err == 0) err = aimc_tile_program(tile, &(aimc_tile_program_args){.rows = rows, .cols = cols});
  if (err == 0) err = aimc_tile_sync(tile, AIMC_TILE_TIMEOUT_DEFAULT_US);
  return check_err(tile, err, "PROGRAM");
}

int main(void) {
  unsigned tiles = aimc_tile_count();
  if (!aimc_check(tiles >= 2, "need 2 tiles, found %u", tiles)) return aimc_check_finish("tile-dataflow");
  aimc_tile_info i0, i1;
  if (check_err(0, aimc_tile_get_info(0, &i0), "info") || check_err(1, aimc_tile_get_info(1, &i1), "info"))
    return aimc_check_finish("tile-dataflow");
  unsigned rows0 = i0.rows, hidden = i0.cols < i1.rows ? i0.cols : i1.rows, cols1 = i1.cols;
  uint32_t act_bytes = VECTORS * hidden; /* int8 activations */
  printf("tile-dataflow: layer 1 on tile 0: %ux%u, layer 2 on tile 1: %ux%u, %u vectors, %lu bytes between them\n",
         rows0, hidden, hidden, cols1, VECTORS, (unsigned long)act_bytes);

  int8_t *w0 = malloc((size_t)rows0 * hidden), *w1 = malloc((size_t)hidden * cols1), *x = malloc(VECTORS * rows0);
  int8_t *act = malloc(act_bytes), *act1 = malloc(act_bytes);
  int32_t *y = malloc(VECTORS * cols1 * 4), *ref = malloc(VECTORS * cols1 * 4);
  int16_t *scale = malloc(hidden * 2);
  int32_t *bias = malloc(hidden * 4);
  if (!aimc_check(w0 && w1 && x && act && act1 && y && ref && scale && bias, "out of memory"))
    return aimc_check_finish("tile-dataflow");
  aimc_rng rng;
  aimc_rng_seed(&rng, 42);
  aimc_rng_fill_i8(&rng, w0, (size_t)rows0 * hidden, AMPLITUDE);
  aimc_rng_fill_i8(&rng, w1, (size_t)hidden * cols1, AMPLITUDE);
  aimc_rng_fill_i8(&rng, x, VECTORS * rows0, AMPLITUDE);
  for (unsigned c = 0; c < hidden; c++) {
    scale[c] = (int16_t)(12288 + (c % 9) * 1024);
    bias[c] = ((int32_t)(c % 7) - 3) * 1000;
  }
  if (program(0, w0, rows0, hidden) || program(1, w1, hidden, cols1)) return aimc_check_finish("tile-dataflow");

  aimc_ldpu_builder b;
  aimc_ldpu_begin(&b, 0, 0, 0x400, AIMC_LDPU_TYPE_INT32);
  uint32_t s, o, chain; /* builder errors stick: the end reports the first */
  aimc_ldpu_put_i16(&b, scale, hidden, &s);
  aimc_ldpu_put_i32(&b, bias, hidden, &o);
  aimc_ldpu_affine_fixed(&b, s, o, AFF_SHIFT, 0);
  aimc_ldpu_relu(&b);
  aimc_ldpu_requantize(&b, REQ_MULT, REQ_SHIFT, 8);
  if (check_err(0, aimc_ldpu_end(&b, &chain), "LDPU chain builder")) return aimc_check_finish("tile-dataflow");
  if (check_err(0, aimc_tile_write(0, AIMC_TILE_IN_OFFSET, x, VECTORS * rows0), "inputs"))
    return aimc_check_finish("tile-dataflow");

  /* Interrupts: tile 1's FENCE (the end) and both tiles' errors. */
  if (check_err(0, aimc_tile_irq_attach(0, AIMC_TILE_IRQ_ERROR), "interrupt") ||
      check_err(1, aimc_tile_irq_attach(1, AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR), "interrupt"))
    return aimc_check_finish("tile-dataflow");
  aimc_irq_global_enable();

  /* Arm tile 1. */
  uint32_t in_bytes_before = aimc_tile_input_bytes(1);
  uint32_t tag = 0;
  int err = aimc_tile_next_tag(1, &tag);
  if (err == 0)
    err = aimc_tile_mvm(1, &(aimc_tile_mvm_args){.in = 0, .rows = hidden, .cols = cols1, .vectors = VECTORS, .out = 0,
                                                 .chain = AIMC_TILE_NO_CHAIN, .armed_bytes = act_bytes});
  if (err == 0) err = aimc_tile_fence(1, tag);
  if (check_err(1, err, "arming")) return aimc_check_finish("tile-dataflow");
  aimc_tile_status st1 = {0};
  for (unsigned n = 0; n < 1000 && st1.state != AIMC_TILE_STATE_WAIT_INPUT; n++)
    if (check_err(1, aimc_tile_get_status(1, &st1), "status")) break;
  printf("tile-dataflow: tile 1 armed: state %s, %u queued, INPUT_BYTES %lu\n", aimc_tile_state_name(st1.state),
         st1.queued, (unsigned long)in_bytes_before);
  aimc_check(st1.state == AIMC_TILE_STATE_WAIT_INPUT && st1.busy, "tile 1 is not waiting for its input (state %s)",
             aimc_tile_state_name(st1.state));

  /* Layer 1 on tile 0, its activations straight into tile 1. */
  err = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.in = 0, .rows = rows0, .cols = hidden, .vectors = VECTORS, .out = 0,
                                               .chain = chain});
  if (err == 0) err = aimc_tile_send(0, 0, act_bytes, aimc_tile_in_addr(1, 0));
  check_err(0, err, "layer 1");

  /* Only sleep until tile 1's FENCE interrupt. */
  err = aimc_tile_wait_fence_irq(1, tag, true, AIMC_TILE_TIMEOUT_DEFAULT_US);
  aimc_tile_irq_state irq0 = {0}, irq1 = {0};
  aimc_check_ok(aimc_tile_irq_get_state(0, &irq0), "tile 0 interrupt state");
  aimc_check_ok(aimc_tile_irq_get_state(1, &irq1), "tile 1 interrupt state");
  printf("tile-dataflow: tile 1 FENCE 0x%08lx by interrupt (%lu interrupts from tile 1, %lu from tile 0)\n",
         (unsigned long)irq1.fence_tag, (unsigned long)irq1.irqs, (unsigned long)irq0.irqs);
  aimc_check(err == 0, "tile 1 by interrupt: %s (%d), info 0x%lx", aimc_strerror(err), err,
             (unsigned long)irq1.error_info);
  aimc_check(irq0.errors == 0, "tile 0 error by interrupt: %s (info 0x%lx)", aimc_tile_error_name(irq0.error),
             (unsigned long)irq0.error_info);
  aimc_check(irq1.fences >= 1 && irq1.fence_tag == tag, "tile 1's FENCE was not seen");

  /* Tile 0 may still be finishing its SEND bookkeeping: wait for it (polling, after the measurement). */
  check_err(0, aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US), "tile 0 after the chain");
  err = aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, act, act_bytes);
  if (err == 0) err = aimc_tile_read(1, AIMC_TILE_IN_OFFSET, act1, act_bytes);
  if (err == 0) err = aimc_tile_read(1, AIMC_TILE_OUT_OFFSET, y, VECTORS * cols1 * 4);
  if (check_err(1, err, "reading the results")) return aimc_check_finish("tile-dataflow");
  uint32_t in_bytes_after = aimc_tile_input_bytes(1);

  unsigned differ = 0, nonzero = 0;
  for (unsigned i = 0; i < act_bytes; i++) differ += act[i] != act1[i], nonzero += act[i] != 0;
  printf("tile-dataflow: activations: %u of %lu nonzero, %u differ between tile 0's output and tile 1's input\n",
         nonzero, (unsigned long)act_bytes, differ);
  aimc_check(differ == 0, "%u activation bytes differ", differ);
  aimc_check(nonzero > act_bytes / 4, "only %u of %lu activations nonzero", nonzero, (unsigned long)act_bytes);
  aimc_check(in_bytes_after == in_bytes_before, "tile 1's INPUT_BYTES %lu -> %lu: the armed MVM did not consume them",
             (unsigned long)in_bytes_before, (unsigned long)in_bytes_after);

  aimc_ref_mvm(w1, hidden, cols1, act, VECTORS, ref);
  aimc_error_stats es;
  aimc_error_stats_i32(y, ref, VECTORS * cols1, &es);
  aimc_error_stats_print("tile-dataflow: layer 2 vs exact W2 * activations", &es);
  aimc_check(es.corr >= 0.95, "layer 2: correlation %.4f < 0.95", es.corr);
  aimc_check(es.rel_rms <= 0.10, "layer 2: RMS error %.2f %% of max > 10 %%", 100 * es.rel_rms);

  aimc_tile_counters c1 = {0};
  aimc_check_ok(aimc_tile_get_counters(1, &c1), "tile 1 counters");
  aimc_check(c1.mvms == VECTORS, "tile 1 MVM_COUNT %lu, expected %u", (unsigned long)c1.mvms, VECTORS);
  return aimc_check_finish("tile-dataflow");
}
