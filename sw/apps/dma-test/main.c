/*
 * dma-test: the DMA engine with the HAL driver (aimc/hal/dma.h).
 *   1. 1D: RAM -> tile 0's input buffer, then back to another RAM buffer (polled), byte-exact.
 *   2. 2D strided gather, an im2col: every 3x3 patch (stride 1, no padding) of an 8x8x4 HWC int8
 *      image is gathered into one row of a patch matrix in tile 0's input buffer, one descriptor of
 *      3 rows x 12 bytes (source stride = image row = 32 bytes) per patch, all chained, completion by
 *      interrupt (PLIC source AIMC_DMA_IRQ, the host sleeps in wfi). Checked against the same
 *      gather done by the CPU.
 *   3. A chain whose source is unmapped: STATUS.error, ERROR = AIMC_DMA_ERR_SRC, ERROR_ADDR = that
 *      address; acknowledged; then a good transfer still works.
 */
#include <stdio.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/dma.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#define N1D 1000
#define H 8
#define W 8
#define C 4
#define K 3
#define OH (H - K + 1)
#define OW (W - K + 1)
#define PATCH (K * K * C) /* 36 bytes per im2col row */
#define UNMAPPED 0x00200000u

static uint8_t src[N1D] __attribute__((aligned(4)));
static uint8_t back[N1D + 8] __attribute__((aligned(4)));
static int8_t image[H * W * C] __attribute__((aligned(4)));
static int8_t expected[OH * OW * PATCH], gathered[OH * OW * PATCH];
static struct aimc_dma_desc chain[OH * OW] __attribute__((aligned(32)));

int main(void) {
  if (!aimc_check(aimc_dma_present(), "no DMA engine at 0x%08x", (unsigned)AIMC_DMA_BASE)) return aimc_check_finish("dma-test");
  if (!aimc_check(aimc_tile_count() > 0, "no tiles")) return aimc_check_finish("dma-test");
  aimc_tile_info info;
  if (!aimc_check_ok(aimc_tile_get_info(0, &info), "tile 0 info")) return aimc_check_finish("dma-test");
  if (!aimc_check(info.in_size >= 4096, "tile 0's input buffer is only %lu bytes", (unsigned long)info.in_size))
    return aimc_check_finish("dma-test");
  uint64_t bytes0 = aimc_dma_bytes();
  uint32_t done0 = aimc_dma_desc_done();

  /* 1. 1D there and back (polled). */
  for (unsigned i = 0; i < N1D; i++) src[i] = (uint8_t)(i * 7 + 3);
  memset(back, 0xEE, sizeof back);
  aimc_check_ok(aimc_dma_copy(aimc_tile_in_addr(0, 0x100), (uintptr_t)src, N1D), "1D RAM -> tile");
  aimc_check_ok(aimc_dma_copy((uintptr_t)back, aimc_tile_in_addr(0, 0x100), N1D), "1D tile -> RAM");
  unsigned wrong = 0;
  for (unsigned i = 0; i < N1D; i++) wrong += back[i] != src[i];
  for (unsigned i = N1D; i < sizeof back; i++) wrong += back[i] != 0xEE;
  uint8_t probe[16];
  aimc_check_ok(aimc_tile_read(0, AIMC_TILE_IN_OFFSET + 0x100, probe, sizeof probe), "reading tile 0");
  wrong += memcmp(probe, src, sizeof probe) != 0;
  printf("dma-test: 1D: %u bytes to tile 0 and back, %u wrong\n", N1D, wrong);
  aimc_check(wrong == 0, "1D round trip: %u bytes wrong", wrong);

  /* 2. im2col gather by interrupt. */
  for (unsigned i = 0; i < sizeof image; i++) image[i] = (int8_t)(i * 13 - 100);
  int err = 0;
  for (unsigned oy = 0; oy < OH; oy++)
    for (unsigned ox = 0; ox < OW; ox++) {
      unsigned p = oy * OW + ox;
      for (unsigned ky = 0; ky < K; ky++)
        memcpy(&expected[p * PATCH + ky * K * C], &image[((oy + ky) * W + ox) * C], K * C);
      if (err == 0)
        err = aimc_dma_desc_2d(&chain[p], aimc_tile_in_addr(0, 0x800 + p * PATCH), K * C,
                               (uintptr_t)&image[(oy * W + ox) * C], W * C, K * C, K);
    }
  if (err == 0) err = aimc_dma_link(chain, OH * OW);
  if (err == 0) err = aimc_dma_irq_attach();
  if (!aimc_check_ok(err, "2D gather setup")) return aimc_check_finish("dma-test");
  aimc_irq_global_enable();
  uint32_t irqs_before = aimc_dma_irq_count();
  err = aimc_dma_start(chain, true);
  if (err == 0) err = aimc_dma_wait_irq(AIMC_DMA_TIMEOUT_DEFAULT_US);
  aimc_check_ok(aimc_tile_read(0, AIMC_TILE_IN_OFFSET + 0x800, gathered, sizeof gathered), "reading tile 0");
  wrong = 0;
  for (unsigned i = 0; i < sizeof gathered; i++) wrong += gathered[i] != expected[i];
  printf("dma-test: 2D: %u patches of %ux%ux%u gathered by %u chained descriptors, %lu interrupt(s), error %d, "
         "%u bytes wrong\n",
         OH * OW, K, K, C, OH * OW, (unsigned long)(aimc_dma_irq_count() - irqs_before), err, wrong);
  aimc_check_ok(err, "2D gather");
  aimc_check(aimc_dma_irq_count() - irqs_before == 1, "2D gather: %lu interrupts, expected 1",
             (unsigned long)(aimc_dma_irq_count() - irqs_before));
  aimc_check(wrong == 0, "2D gather: %u of %u bytes wrong", wrong, (unsigned)sizeof gathered);

  uint64_t moved = aimc_dma_bytes() - bytes0;
  uint32_t descs = aimc_dma_desc_done() - done0;
  printf("dma-test: BYTES +%lu, DESC_DONE +%lu\n", (unsigned long)moved, (unsigned long)descs);
  aimc_check(moved == 2u * N1D + sizeof gathered, "BYTES grew by %lu, expected %u", (unsigned long)moved,
             (unsigned)(2u * N1D + sizeof gathered));
  aimc_check(descs == 2u + OH * OW, "DESC_DONE grew by %lu, expected %u", (unsigned long)descs, 2u + OH * OW);

  /* 3. An unmapped source (by interrupt, then polled registers). */
  static struct aimc_dma_desc bad[2] __attribute__((aligned(32)));
  err = aimc_dma_desc_1d(&bad[0], aimc_tile_in_addr(0, 0), (uintptr_t)src, 16);
  if (err == 0) err = aimc_dma_desc_1d(&bad[1], aimc_tile_in_addr(0, 16), UNMAPPED, 16);
  if (err == 0) err = aimc_dma_link(bad, 2);
  if (err == 0) err = aimc_dma_start(bad, true);
  if (!aimc_check_ok(err, "unmapped source: setup")) return aimc_check_finish("dma-test");
  err = aimc_dma_wait_irq(AIMC_DMA_TIMEOUT_DEFAULT_US);
  uint32_t addr = 0, code = 0;
  aimc_check_ok(aimc_dma_last_error(&code, &addr), "last error");
  printf("dma-test: unmapped source: error %lu at 0x%08lx\n", (unsigned long)code, (unsigned long)addr);
  aimc_check(err == AIMC_EDMA(AIMC_DMA_ERR_SRC) && code == AIMC_DMA_ERR_SRC,
             "unmapped source: %s (%d), expected %s (%d)", aimc_strerror(err), err,
             aimc_strerror(AIMC_EDMA(AIMC_DMA_ERR_SRC)), AIMC_EDMA(AIMC_DMA_ERR_SRC));
  aimc_check(addr == UNMAPPED, "unmapped source: ERROR_ADDR 0x%08lx, expected 0x%08x", (unsigned long)addr, UNMAPPED);
  uint32_t left = 0;
  aimc_check_ok(aimc_dma_error(&left, NULL), "ERROR");
  aimc_check(left == 0, "ERROR = %lu after the acknowledge", (unsigned long)left);

  /* The engine goes on. */
  memset(back, 0, sizeof back);
  err = aimc_dma_copy((uintptr_t)back, (uintptr_t)src, 64);
  aimc_check(err == 0 && memcmp(back, src, 64) == 0, "copy after the error: %s (%d)", aimc_strerror(err), err);
  return aimc_check_finish("dma-test");
}
