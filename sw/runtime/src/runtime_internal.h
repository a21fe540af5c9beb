/* Shared between the runtime's sources; not part of the API. */
#ifndef AIMC_RUNTIME_INTERNAL_H
#define AIMC_RUNTIME_INTERNAL_H

#include "aimc/runtime.h"

/* Formats m->message and returns rc. */
int aimc_rt_fail(aimc_rt_model *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Tile queue bookkeeping of runtime.c, for the other sources: room for one more command, and a wait
 * for everything queued on tile t. */
int aimc_rt_tile_room(aimc_rt_model *m, unsigned t);
int aimc_rt_tile_wait(aimc_rt_model *m, unsigned t);

/* runtime.c's step interpreter and its pieces, for the batch runner (pipeline.c). */
int aimc_rt_step(aimc_rt_model *m, unsigned long i, const aimc_image_step_t *s);
/* Checks the input's size and state; copies it to the arena at m->arena. */
int aimc_rt_check_input(aimc_rt_model *m, const int8_t *input, size_t bytes);
/* Credits the time and energy since the last change to m->layer, then makes `layer` current (and its
 * syscon region); AIMC_RT_NO_LAYER ends the accounting. */
void aimc_rt_enter_layer(aimc_rt_model *m, uint32_t layer);
/* A WAIT in two halves: the FENCE pushed (its tag in *tag), then the sleep until the tile reached it. */
int aimc_rt_wait_begin(aimc_rt_model *m, unsigned t, uint32_t *tag);
int aimc_rt_wait_end(aimc_rt_model *m, unsigned t, uint32_t tag);

/* A GATHER in slices of pixels (the pipelined batch's later input fills the host's waits with them):
 * staged in its own two buffers of AIMC_RT_GATHER_CHUNK bytes, resumed where the last slice stopped. */
#define AIMC_RT_GATHER_CHUNK 4096u
typedef struct aimc_rt_gather {
  aimc_rt_model *m;
  unsigned long step;
  unsigned tile;
  uint32_t at;      /* input-buffer offset of buf[0] */
  uint32_t fill;    /* bytes in buf */
  int8_t *buf;      /* bufs[0] or bufs[1] */
  int8_t *bufs[2];
  int in_flight;    /* a DMA chain is moving the other buffer */
  const aimc_image_step_t *s;
  const int8_t *src; /* the source tensor in the arena */
  int64_t p, oy, ox; /* the next pixel (its index in the step, its output row and column) */
} aimc_rt_gather;
/* Checks step i's operands (AIMC_RT_EIMAGE) and starts it at its first pixel, reading m->arena. */
int aimc_rt_gather_begin(aimc_rt_model *m, unsigned long i, const aimc_image_step_t *s, aimc_rt_gather *g,
                         int8_t (*bufs)[AIMC_RT_GATHER_CHUNK]);
/* Up to `pixels` more pixels; 1 when the step is complete (all in the tile), 0 if not, or an error. The
 * DMA engine is idle on return. */
int aimc_rt_gather_pixels(aimc_rt_gather *g, uint32_t pixels);

/* compensation.c: CALIBRATE after programming, and before an inference when the image asks for it. */
int aimc_rt_compensate_after_program(aimc_rt_model *m);
int aimc_rt_compensate_before_run(aimc_rt_model *m);
/* Whether the image asks for CALIBRATE before the inference that follows `runs` finished ones. */
int aimc_rt_calibration_due(const aimc_rt_model *m, uint64_t runs);

#endif
