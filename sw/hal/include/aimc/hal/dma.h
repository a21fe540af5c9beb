/*
 * DMA engine driver: descriptor chains in RAM (struct aimc_dma_desc, sw/include/aimc/regs/dma.h),
 * start, completion by polling or by interrupt (PLIC source AIMC_DMA_IRQ).
 *
 *   static struct aimc_dma_desc d[2];                      // in RAM, 4-byte aligned, alive until done
 *   aimc_dma_desc_1d(&d[0], aimc_tile_in_addr(0, 0), (uintptr_t)buf, 256);
 *   aimc_dma_desc_2d(&d[1], dst, 12, src, 64, 12, 3);      // 3 rows of 12 bytes, source stride 64
 *   aimc_dma_link(d, 2);                                   // d[0] -> d[1] -> end
 *   int rc = aimc_dma_start(d, false);
 *   if (rc == 0) rc = aimc_dma_wait(AIMC_DMA_TIMEOUT_DEFAULT_US); // 0, AIMC_EDMA(code) or AIMC_ETIMEDOUT
 *
 * Errors follow error.h: 0 or a negative AIMC_E* code; the engine's own error comes back as
 * AIMC_EDMA(AIMC_DMA_ERR_*). AIMC_ENODEV where there is no engine, AIMC_EINVAL for a NULL or
 * misaligned descriptor (the engine needs 4-byte alignment) or an empty transfer (rows or row
 * bytes 0). The waits acknowledge the chain's end (STATUS.done and .error, and ERROR); read
 * ERROR_ADDR with aimc_dma_last_error() afterwards, or aimc_dma_error() before.
 */
#ifndef AIMC_HAL_DMA_H
#define AIMC_HAL_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/platform.h"
#include "aimc/regs/dma.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AIMC_DMA_TIMEOUT_DEFAULT_US 1000000u

/* True when the engine answers with its ID (probed once, safe without one). Cannot fail. */
bool aimc_dma_present(void);

/* Fill one descriptor (next = 0, flags = 0). */
int aimc_dma_desc_1d(struct aimc_dma_desc *d, uintptr_t dst, uintptr_t src, uint32_t bytes);
int aimc_dma_desc_2d(struct aimc_dma_desc *d, uintptr_t dst, uint32_t dst_stride, uintptr_t src,
                     uint32_t src_stride, uint32_t row_bytes, uint32_t rows);
/* Chain d[0] -> d[1] -> ... -> d[n-1] -> end (n >= 1). */
int aimc_dma_link(struct aimc_dma_desc *d, unsigned n);

/* Run the chain at `first`; with irq the engine interrupts at its end (see aimc_dma_irq_attach).
 * AIMC_EBUSY if a chain is still running (nothing started). */
int aimc_dma_start(const struct aimc_dma_desc *first, bool irq);
/* A chain is running (raw STATUS read; cannot fail). */
bool aimc_dma_busy(void);

/* Poll until the chain ends; acknowledge. The interrupt state is left alone; the deadline is
 * `timeout_us` of simulated time (CLINT mtime). */
int aimc_dma_wait(uint32_t timeout_us);

/* Route PLIC source AIMC_DMA_IRQ to the HAL's handler (priority 1, enabled, mie.MEIE). The handler
 * records STATUS/ERROR/ERROR_ADDR and acknowledges. */
int aimc_dma_irq_attach(void);
/* Sleep in wfi until the handler has seen the end of a chain started with irq; returns as
 * aimc_dma_wait. Keeps the contract of aimc/hal/irq_wait.h (deadline, mstatus.MIE, mie and mtimecmp
 * restored as found); AIMC_ENOIRQ before aimc_dma_irq_attach(). */
int aimc_dma_wait_irq(uint32_t timeout_us);
/* Chains ended by interrupt so far (cannot fail). */
uint32_t aimc_dma_irq_count(void);

/* The latched error code (AIMC_DMA_ERR_*, 0 if none; not acknowledged) and its address (may be NULL). */
int aimc_dma_error(uint32_t *code, uint32_t *addr);
/* The error code and address the last wait (polled or irq) saw; addr may be NULL. */
int aimc_dma_last_error(uint32_t *code, uint32_t *addr);
/* Name of an AIMC_DMA_ERR_* code ("unknown" past the table). */
const char *aimc_dma_error_name(uint32_t code);

/* Raw counters (cannot fail): DESC_DONE, BYTES (64-bit). */
uint32_t aimc_dma_desc_done(void);
uint64_t aimc_dma_bytes(void);

/* One blocking 1D copy (a single descriptor on the stack), polled with the default timeout. */
int aimc_dma_copy(uintptr_t dst, uintptr_t src, uint32_t bytes);

#ifdef __cplusplus
}
#endif
#endif
