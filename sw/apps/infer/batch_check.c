/*
 * infer-batch-check: aimc_rt_run_batch's error paths and fallbacks, for tests/runtime. Takes the model
 * image and an input batch where the infer app does (0x80400000, 0x80800000) and prints one line per
 * case, "check <case>: rc <code> <m.message>", then "checks done":
 *   unloaded, unprogrammed  a batch before aimc_rt_load / aimc_rt_program (AIMC_RT_ESTATE)
 *   empty, stride, bytes    no inputs, inputs closer than their size, inputs of the wrong size (EINPUT)
 *   small-arena             an arena of one activation set: the batch runs one input at a time
 *   order                   outputs arrive once each, in input order
 *   late-error-pipelined, late-error-sequential
 *                           after input 0's outputs, GATHER step `first` reads past the arena: the
 *                           batch stops with the input that ran into it named (pipelined, a later input
 *                           may run the step first)
 */
#include <stdio.h>
#include <string.h>

#include "aimc/input_batch.h"
#include "aimc/runtime.h"

#define MODEL_ADDR 0x80400000u
#define BATCH_ADDR 0x80800000u
#define ARENA_BYTES (512u * 1024u)

static aimc_rt_model model;
static uint8_t arena[ARENA_BYTES] __attribute__((aligned(8)));

static void result(int rc) { printf("rc %d %s\n", rc, rc ? model.message : "-"); }
static void report(const char *what, int rc) { printf("check %s: ", what), result(rc); }

typedef struct seen {
  uint32_t calls, in_order;
  aimc_image_step_t *patch; /* written after input 0's outputs (NULL: none) */
  uint32_t patched_src, first_gather;
} seen;

static void on_output(void *ctx, uint32_t index, const int8_t *y) {
  (void)y;
  seen *s = ctx;
  s->in_order += index == s->calls;
  s->calls++;
  if (index == 0 && s->patch) s->patch->a[0] = s->patched_src;
}

/* A batch whose GATHER step `step` goes bad after input 0; the step restored afterwards. */
static void late_error(const char *what, int pipeline, const int8_t *inputs, size_t bytes, uint32_t step) {
  aimc_image_step_t *s = (aimc_image_step_t *)&model.steps[step];
  const uint32_t src = s->a[0];
  seen k = {.patch = s, .patched_src = model.header->arena_bytes};
  model.pipeline = pipeline;
  int rc = aimc_rt_run_batch(&model, inputs, 4, bytes, bytes, on_output, &k);
  s->a[0] = src;
  printf("check %s: outputs %lu, ", what, (unsigned long)k.calls);
  result(rc);
}

int main(void) {
  const aimc_batch_header_t *b = (const aimc_batch_header_t *)BATCH_ADDR;
  if (b->magic != AIMC_BATCH_MAGIC || b->count < 4) {
    printf("batch-check: needs an input batch of 4 inputs or more at 0x%08lx\n", (unsigned long)BATCH_ADDR);
    return 1;
  }
  const int8_t *inputs = (const int8_t *)((const uint8_t *)b + b->inputs_offset);
  const size_t bytes = b->input_bytes;

  report("unloaded", aimc_rt_run_batch(&model, inputs, 1, bytes, bytes, NULL, NULL));
  const aimc_image_header_t *h = (const aimc_image_header_t *)MODEL_ADDR;
  int rc = aimc_rt_load(&model, h, BATCH_ADDR - MODEL_ADDR, arena, ARENA_BYTES);
  if (rc) return report("load", rc), 1;
  report("unprogrammed", aimc_rt_run_batch(&model, inputs, 1, bytes, bytes, NULL, NULL));
  rc = aimc_rt_program(&model);
  if (rc) return report("program", rc), 1;
  report("empty", aimc_rt_run_batch(&model, inputs, 0, bytes, bytes, NULL, NULL));
  report("stride", aimc_rt_run_batch(&model, inputs, 2, bytes - 1, bytes, NULL, NULL));
  report("bytes", aimc_rt_run_batch(&model, inputs, 2, bytes, bytes + 1, NULL, NULL));

  seen k = {0};
  rc = aimc_rt_run_batch(&model, inputs, 4, bytes, bytes, on_output, &k);
  printf("check order: outputs %lu in order %lu, overlapped %llu, ", (unsigned long)k.calls,
         (unsigned long)k.in_order, (unsigned long long)model.overlapped);
  result(rc);

  uint32_t gather = UINT32_MAX;
  for (uint32_t i = 0; i < h->n_steps && gather == UINT32_MAX; ++i)
    if (model.steps[i].kind == AIMC_STEP_GATHER && i > 0) gather = i;
  if (gather == UINT32_MAX) return printf("batch-check: the image has no second GATHER\n"), 1;
  printf("check gather step %lu\n", (unsigned long)gather);
  late_error("late-error-pipelined", 1, inputs, bytes, gather);
  late_error("late-error-sequential", 0, inputs, bytes, gather);

  /* One activation set only: aimc_rt_can_pipeline says no, the batch goes one input at a time. */
  rc = aimc_rt_load(&model, h, BATCH_ADDR - MODEL_ADDR, arena, h->arena_bytes);
  if (rc == 0) rc = aimc_rt_program(&model);
  const uint64_t before = model.overlapped;
  seen s = {0};
  if (rc == 0) rc = aimc_rt_run_batch(&model, inputs, 4, bytes, bytes, on_output, &s);
  printf("check small-arena: can pipeline %d, outputs %lu, overlapped %llu, ", aimc_rt_can_pipeline(&model),
         (unsigned long)s.calls, (unsigned long long)(model.overlapped - before));
  result(rc);
  printf("checks done\n");
  return 0;
}
