/* Shared between the runtime's sources; not part of the API. */
#ifndef AIMC_RUNTIME_INTERNAL_H
#define AIMC_RUNTIME_INTERNAL_H

#include "aimc/runtime.h"

/* Formats m->message and returns rc. */
int aimc_rt_fail(aimc_rt_model *m, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
