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

/* compensation.c: CALIBRATE after programming, and before an inference when the image asks for it. */
int aimc_rt_compensate_after_program(aimc_rt_model *m);
int aimc_rt_compensate_before_run(aimc_rt_model *m);
/* Whether the image asks for CALIBRATE before the inference that follows `runs` finished ones. */
int aimc_rt_calibration_due(const aimc_rt_model *m, uint64_t runs);

#endif
