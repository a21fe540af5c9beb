/* DMA engine driver (see aimc/hal/dma.h). */
#include "aimc/hal/dma.h"

#include "aimc/hal/clint.h"
#include "aimc/hal/csr.h"
#include "aimc/hal/irq_wait.h"
#include "aimc/hal/plic.h"
#include "aimc/hal/trap.h"

#define DMA(reg) AIMC_MMIO32(AIMC_DMA_BASE + AIMC_DMA_##reg)

static volatile uint32_t irq_count, irq_seen;
static volatile uint32_t last_error, last_error_addr;
static bool irq_attached;

bool aimc_dma_present(void) {
  static int present = -1;
  if (present < 0) {
    uint32_t id = 0;
    present = aimc_probe_read32(AIMC_DMA_BASE + AIMC_DMA_ID, &id) == 0 && id == AIMC_DMA_ID_VALUE;
  }
  return present;
}

/* The engine reads descriptors as words: a misaligned one is its BAD_DESC error. */
static bool desc_ok(const struct aimc_dma_desc *d) { return d && ((uintptr_t)d & 3u) == 0; }

int aimc_dma_desc_2d(struct aimc_dma_desc *d, uintptr_t dst, uint32_t dst_stride, uintptr_t src,
                     uint32_t src_stride, uint32_t row_bytes, uint32_t rows) {
  if (!desc_ok(d) || row_bytes == 0 || rows == 0) return AIMC_EINVAL;
  d->src = (uint32_t)src;
  d->dst = (uint32_t)dst;
  d->row_bytes = row_bytes;
  d->rows = rows;
  d->src_stride = src_stride;
  d->dst_stride = dst_stride;
  d->next = 0;
  d->flags = 0;
  return 0;
}

int aimc_dma_desc_1d(struct aimc_dma_desc *d, uintptr_t dst, uintptr_t src, uint32_t bytes) {
  return aimc_dma_desc_2d(d, dst, bytes, src, bytes, bytes, 1);
}

int aimc_dma_link(struct aimc_dma_desc *d, unsigned n) {
  if (!desc_ok(d) || n == 0) return AIMC_EINVAL;
  for (unsigned i = 0; i < n; i++) d[i].next = i + 1 < n ? (uint32_t)(uintptr_t)&d[i + 1] : 0;
  return 0;
}

bool aimc_dma_busy(void) { return DMA(STATUS) & AIMC_DMA_STATUS_BUSY; }

int aimc_dma_start(const struct aimc_dma_desc *first, bool irq) {
  if (!aimc_dma_present()) return AIMC_ENODEV;
  if (!desc_ok(first)) return AIMC_EINVAL;
  if (aimc_dma_busy()) return AIMC_EBUSY;
  /* Clear a previous chain's done/error, so the wait sees only this one. */
  DMA(IRQ_ACK) = AIMC_DMA_IRQ_ACK_DONE | AIMC_DMA_IRQ_ACK_ERROR;
  irq_seen = 0;
  /* The descriptors are plain stores to RAM: order them before the engine reads them. */
  __asm__ volatile("fence w, o" ::: "memory");
  DMA(DESC_ADDR) = (uint32_t)(uintptr_t)first;
  DMA(CTRL) = AIMC_DMA_CTRL_START | (irq ? AIMC_DMA_CTRL_IRQ_EN : 0);
  return 0;
}

/* Record and acknowledge the end of a chain; 0 or AIMC_EDMA(code). */
static int finish(uint32_t status) {
  uint32_t code = 0, addr = 0;
  if (status & AIMC_DMA_STATUS_ERROR) {
    code = DMA(ERROR);
    addr = DMA(ERROR_ADDR);
  }
  last_error = code;
  last_error_addr = addr;
  DMA(IRQ_ACK) = AIMC_DMA_IRQ_ACK_DONE_PUT(AIMC_DMA_STATUS_DONE_GET(status)) |
                 AIMC_DMA_IRQ_ACK_ERROR_PUT(AIMC_DMA_STATUS_ERROR_GET(status));
  return code ? AIMC_EDMA(code) : 0;
}

int aimc_dma_wait(uint32_t timeout_us) {
  if (!aimc_dma_present()) return AIMC_ENODEV;
  uint64_t deadline = aimc_mtime() + aimc_us_to_ticks(timeout_us);
  for (unsigned n = 1;; n++) {
    uint32_t status = DMA(STATUS);
    if (!(status & AIMC_DMA_STATUS_BUSY) && (status & (AIMC_DMA_STATUS_DONE | AIMC_DMA_STATUS_ERROR))) {
      int result = finish(status);
      __asm__ volatile("fence i, r" ::: "memory"); /* the engine's RAM writes before our reads */
      return result;
    }
    if ((n & 15u) == 0 && aimc_mtime() > deadline) return AIMC_ETIMEDOUT;
  }
}

static void dma_irq_handler(unsigned source) {
  (void)source;
  uint32_t status = DMA(STATUS);
  if (status & (AIMC_DMA_STATUS_DONE | AIMC_DMA_STATUS_ERROR)) {
    finish(status); /* the ack drops the line before the PLIC completion */
    irq_count++;
    irq_seen = 1;
  }
}

int aimc_dma_irq_attach(void) {
  if (!aimc_dma_present()) return AIMC_ENODEV;
  int rc;
  if ((rc = aimc_plic_set_handler(AIMC_DMA_IRQ, dma_irq_handler)) != 0 ||
      (rc = aimc_plic_set_priority(AIMC_DMA_IRQ, 1)) != 0 || (rc = aimc_plic_enable(AIMC_DMA_IRQ)) != 0)
    return rc;
  aimc_irq_enable(AIMC_IRQ_M_EXT);
  irq_attached = true;
  return 0;
}

static bool chain_ended(const void *ctx) {
  (void)ctx;
  return irq_seen != 0;
}

int aimc_dma_wait_irq(uint32_t timeout_us) {
  if (!irq_attached) return AIMC_ENOIRQ;
  int rc = aimc_irq_wait(chain_ended, 0, timeout_us);
  if (rc) return rc;
  __asm__ volatile("fence i, r" ::: "memory");
  return last_error ? AIMC_EDMA(last_error) : 0;
}

uint32_t aimc_dma_irq_count(void) { return irq_count; }

int aimc_dma_error(uint32_t *code, uint32_t *addr) {
  if (!aimc_dma_present()) return AIMC_ENODEV;
  if (!code) return AIMC_EINVAL;
  *code = DMA(ERROR);
  if (addr) *addr = DMA(ERROR_ADDR);
  return 0;
}

int aimc_dma_last_error(uint32_t *code, uint32_t *addr) {
  if (!code) return AIMC_EINVAL;
  *code = last_error;
  if (addr) *addr = last_error_addr;
  return 0;
}

uint32_t aimc_dma_desc_done(void) { return DMA(DESC_DONE); }

uint64_t aimc_dma_bytes(void) {
  uint32_t hi, lo;
  do {
    hi = AIMC_MMIO32(AIMC_DMA_BASE + AIMC_DMA_BYTES + 4);
    lo = AIMC_MMIO32(AIMC_DMA_BASE + AIMC_DMA_BYTES);
  } while (AIMC_MMIO32(AIMC_DMA_BASE + AIMC_DMA_BYTES + 4) != hi);
  return ((uint64_t)hi << 32) | lo;
}

int aimc_dma_copy(uintptr_t dst, uintptr_t src, uint32_t bytes) {
  struct aimc_dma_desc d __attribute__((aligned(32)));
  int rc = aimc_dma_desc_1d(&d, dst, src, bytes);
  if (rc == 0) rc = aimc_dma_start(&d, false);
  return rc ? rc : aimc_dma_wait(AIMC_DMA_TIMEOUT_DEFAULT_US);
}
