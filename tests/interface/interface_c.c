/*
 * The generated firmware headers compile as strict C17 (-pedantic -Werror, every header together, so
 * no name collides) and their helpers pack and unpack as the description says. Exit status 0 = pass.
 */
#include <stdio.h>

#include "aimc/platform.h"
#include "aimc/regs/clint.h"
#include "aimc/regs/dma.h"
#include "aimc/regs/plic.h"
#include "aimc/regs/syscon.h"
#include "aimc/regs/tile.h"
#include "aimc/regs/uart16550.h"
#include "aimc/tile_ldpu.h"

static int failures;

static void check(int ok, const char *what) {
  if (!ok) {
    printf("FAIL: %s\n", what);
    ++failures;
  }
}

int main(void) {
  check(AIMC_TILE_MVM_ARG1(200, 56) == (200u | 56u << 16), "MVM ARG1 packs rows | row0 << 16");
  check(AIMC_TILE_MVM_ARG2_COL0_GET(AIMC_TILE_MVM_ARG2(64, 192)) == 192, "MVM ARG2 col0 unpacks");
  check(AIMC_TILE_STATUS_STATE_GET(AIMC_TILE_STATUS_STATE_PUT(AIMC_TILE_STATE_WAIT_INPUT) | AIMC_TILE_STATUS_BUSY) ==
            AIMC_TILE_STATE_WAIT_INPUT,
        "STATUS.STATE round trip");
  check(AIMC_TILE_MVM_ARG1_ROWS_MAX == 0xffffu && AIMC_TILE_STATUS_STATE_MAX == 0xffu && AIMC_PLIC_PRIORITY_LEVEL_MAX == 7u &&
            AIMC_TILE_STATUS_BUSY_MAX == 1u,
        "_MAX is the largest value a field holds, whatever its position");
  check(AIMC_TILE_CMD_ARG_COUNT == 8u && AIMC_PLIC_ENABLE_COUNT == 32u, "_COUNT of register arrays");
  check(AIMC_TILE_IRQ_STATUS_ERROR == AIMC_TILE_IRQ_ERROR && AIMC_TILE_IRQ_STATUS_FENCE == AIMC_TILE_IRQ_FENCE,
        "the IRQ bits are the IRQ_STATUS fields");
  check(AIMC_UART_LSR_THRE == 0x20u && AIMC_UART_LCR_DLAB == 0x80u && AIMC_DMA_CTRL_IRQ_EN == 0x2u,
        "one-bit fields are their masks");
  check(AIMC_LDPU_OP_OFFSET(2) == 8 + 2 * 88 && AIMC_LDPU_CHAIN_BYTES(3) == 8 + 3 * 88, "chain layout helpers");
  check(sizeof(struct aimc_dma_desc) == 32, "DMA descriptor size");
  check(AIMC_TILE_WEIGHTS_OFFSET + AIMC_TILE_WEIGHTS_MAX_SIZE == AIMC_TILE_WINDOW, "the last region ends the window");
  check(AIMC_CHIP_BASE == 0x40000000u && AIMC_TILE_IRQ_BASE == 32, "memory map");
  if (!failures) printf("interface C headers: ok\n");
  return failures ? 1 : 0;
}
