/* Error texts (see aimc/hal/error.h); also the tile and DMA error code names, from the same tables. */
#include "aimc/hal/error.h"

#include "aimc/hal/dma.h"
#include "aimc/hal/tile.h"

/* One table per device; the short names the drivers print are the texts after the prefix. */
#define TILE_PREFIX "tile error: "
#define DMA_PREFIX "DMA error: "
static const char *const tile_texts[] = {
    TILE_PREFIX "none",       TILE_PREFIX "bad opcode",   TILE_PREFIX "queue full",
    TILE_PREFIX "bad offset", TILE_PREFIX "bad shape",    TILE_PREFIX "busy",
    TILE_PREFIX "weights short", TILE_PREFIX "weight range", TILE_PREFIX "bad chain",
    TILE_PREFIX "send failed", TILE_PREFIX "not programmed"};
static const char *const dma_texts[] = {DMA_PREFIX "none", DMA_PREFIX "descriptor read failed",
                                        DMA_PREFIX "source read failed", DMA_PREFIX "destination write failed",
                                        DMA_PREFIX "bad descriptor"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *aimc_tile_error_name(uint32_t code) {
  return code < COUNT(tile_texts) ? tile_texts[code] + sizeof TILE_PREFIX - 1 : "unknown";
}

const char *aimc_dma_error_name(uint32_t code) {
  return code < COUNT(dma_texts) ? dma_texts[code] + sizeof DMA_PREFIX - 1 : "unknown";
}

const char *aimc_strerror(int rc) {
  switch (rc) {
    case AIMC_OK: return "ok";
    case AIMC_EINVAL: return "invalid argument";
    case AIMC_ENODEV: return "no such device";
    case AIMC_ETIMEDOUT: return "timed out";
    case AIMC_EBUSY: return "device busy";
    case AIMC_E2BIG: return "too many arguments";
    case AIMC_ENOSPC: return "no space left";
    case AIMC_ENOIRQ: return "no interrupt routed";
    case AIMC_EFAULT: return "bus fault";
    case AIMC_EAGAIN: return "nothing available yet";
    default: break;
  }
  uint32_t code = aimc_error_tile_code(rc);
  if (code != 0) return code < COUNT(tile_texts) ? tile_texts[code] : TILE_PREFIX "unknown";
  code = aimc_error_dma_code(rc);
  if (code != 0) return code < COUNT(dma_texts) ? dma_texts[code] : DMA_PREFIX "unknown";
  return rc > 0 ? "not an error code (positive)" : "unknown error";
}
