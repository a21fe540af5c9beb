/*
 * The HAL's one error convention.
 *
 *   - A function that can fail returns int: 0 on success, or a negative AIMC_E* code below. What it
 *     produces comes back through out-parameters (pointers last, and allowed to be NULL only where
 *     the header says so).
 *   - A function that cannot fail returns its value directly, or void, and its header says so:
 *     accessors of a probed fact or a counter (aimc_tile_count(), aimc_dma_present(), aimc_mtime()),
 *     raw register helpers that check nothing by design (aimc_tile_reg_read/write(): hot paths and
 *     interrupt handlers), pure arithmetic (aimc_us_to_ticks(), FP16 conversions) and name lookups.
 *   - aimc_uart_getc() returns a byte (>= 0) or AIMC_EAGAIN: the one value-or-error function.
 *
 * A device's own error code (a tile's ERROR register, the DMA engine's ERROR) comes back folded into
 * the negative range, so a wait has one return value: AIMC_ETILE(AIMC_TILE_ERR_BAD_SHAPE) etc.
 * aimc_error_tile_code() / aimc_error_dma_code() unfold it; aimc_strerror() names every code.
 */
#ifndef AIMC_HAL_ERROR_H
#define AIMC_HAL_ERROR_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  AIMC_OK = 0,
  AIMC_EINVAL = -1,    /* an argument out of range, a NULL pointer, a misaligned address */
  AIMC_ENODEV = -2,    /* no such device: tile index >= aimc_tile_count(), no DMA engine, no syscon */
  AIMC_ETIMEDOUT = -3, /* a wait's deadline (simulated time, CLINT mtime) passed first */
  AIMC_EBUSY = -4,     /* the device still works on earlier commands (a running DMA chain) */
  AIMC_E2BIG = -5,     /* more command arguments than the device has registers for */
  AIMC_ENOSPC = -6,    /* no room left: LDPU memory, ops of an LDPU chain */
  AIMC_ENOIRQ = -7,    /* no interrupt routed for it: a tile beyond the PLIC's sources, or not attached */
  AIMC_EFAULT = -8,    /* a bus access faulted */
  AIMC_EAGAIN = -9,    /* nothing there yet (aimc_uart_getc with no byte waiting) */
};

/* Device error codes (1..255) folded into the negative range. */
#define AIMC_ETILE_BASE 0x100
#define AIMC_EDMA_BASE  0x200
#define AIMC_ETILE(code) (-(int)(AIMC_ETILE_BASE | ((code) & 0xffu))) /* code: AIMC_TILE_ERR_* */
#define AIMC_EDMA(code)  (-(int)(AIMC_EDMA_BASE | ((code) & 0xffu)))  /* code: AIMC_DMA_ERR_* */

/* The AIMC_TILE_ERR_* / AIMC_DMA_ERR_* code inside `rc`, or 0 if rc is not one. */
static inline uint32_t aimc_error_tile_code(int rc) {
  return rc < 0 && ((unsigned)-rc & ~0xffu) == AIMC_ETILE_BASE ? (unsigned)-rc & 0xffu : 0;
}
static inline uint32_t aimc_error_dma_code(int rc) {
  return rc < 0 && ((unsigned)-rc & ~0xffu) == AIMC_EDMA_BASE ? (unsigned)-rc & 0xffu : 0;
}

/* A short text for any return value: "ok", "timed out", "tile error: bad shape", ... (never NULL). */
const char *aimc_strerror(int rc);

#ifdef __cplusplus
}
#endif
#endif
