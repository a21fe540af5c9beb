/*
 * Region marking: the simulator's report breaks energy and time down per region (e.g. per network
 * layer). aimc_region(id) writes the syscon REGION register: everything from now on is reported
 * under `id` (0 is the default region at reset). Returns 0, or AIMC_ENODEV where the syscon is not
 * aimc-vp's (nothing is written: the same image still runs on QEMU).
 */
#ifndef AIMC_HAL_REGION_H
#define AIMC_HAL_REGION_H

#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

int aimc_region(uint32_t id);
/* The current region id (0 where the register does not exist; cannot fail). */
uint32_t aimc_region_current(void);

#ifdef __cplusplus
}
#endif
#endif
