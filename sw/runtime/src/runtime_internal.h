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

/* compensation.c: CALIBRATE after programming, and before an inference when the image asks for it. */
int aimc_rt_compensate_after_program(aimc_rt_model *m);
int aimc_rt_compensate_before_run(aimc_rt_model *m);

#endif
