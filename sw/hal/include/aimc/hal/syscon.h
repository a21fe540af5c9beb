/*
 * aimc-vp system controller extras: simulated time and energy.
 *
 * These registers exist only on aimc-vp (QEMU's sifive_test device at the same address has only
 * the finisher). Call aimc_syscon_present() first: it identifies the device safely on any
 * platform (even one with nothing mapped there); the readers return 0 when it is absent. None of
 * these can fail: they are accessors (error.h).
 */
#ifndef AIMC_HAL_SYSCON_H
#define AIMC_HAL_SYSCON_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

bool aimc_syscon_present(void);
/* Simulated time since reset in ns. */
uint64_t aimc_sim_time_ns(void);
/* Energy spent by the whole platform so far, in pJ. */
uint64_t aimc_energy_pj(void);

#ifdef __cplusplus
}
#endif
#endif
