/*
 * DMA engine (host side): moves data RAM <-> tile buffers and tile <-> tile over the host bus and
 * the NoC, following a chain of descriptors in RAM. Each descriptor moves `rows` rows of `row_bytes`
 * bytes, reading at src + r * src_stride and writing at dst + r * dst_stride (1D: rows = 1; 2D
 * strided, e.g. im2col patch gathers, otherwise).
 */
#ifndef AIMC_REGS_DMA_H
#define AIMC_REGS_DMA_H
#include "regmap.h"

#define AIMC_DMA_REGMAP(X) \
  X(ID,         0x00, 4, 1, RO, 0x444D4130, "Identification: 'DMA0' (0x444D4130)") \
  X(DESC_ADDR,  0x04, 4, 1, RW, 0x00000000, "Bus address of the first descriptor (struct aimc_dma_desc, 4-byte aligned)") \
  X(CTRL,       0x08, 4, 1, RW, 0x00000000, "Bit 0 START (write 1 to run the chain at DESC_ADDR; ignored while busy), bit 1 IRQ enable") \
  X(STATUS,     0x0C, 4, 1, RO, 0x00000000, "Bit 0 busy, bit 1 done (chain finished), bit 2 error") \
  X(IRQ_ACK,    0x10, 4, 1, WO, 0x00000000, "Write 1s to clear STATUS.done (bit 1) and STATUS.error (bit 2, also clears ERROR)") \
  X(ERROR,      0x14, 4, 1, RO, 0x00000000, "Error code (AIMC_DMA_ERR_*), 0 if none") \
  X(ERROR_ADDR, 0x18, 4, 1, RO, 0x00000000, "Address that failed (descriptor, source or destination)") \
  X(DESC_DONE,  0x1C, 4, 1, RO, 0x00000000, "Descriptors completed (wraps)") \
  X(BYTES,      0x20, 4, 2, RO, 0x00000000, "Bytes moved since reset (64-bit)")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_DMA_##NAME
enum { AIMC_DMA_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED

#define AIMC_DMA_ID_VALUE 0x444D4130u
#define AIMC_DMA_CTRL_START 0x1u
#define AIMC_DMA_CTRL_IRQ_EN 0x2u
#define AIMC_DMA_STATUS_BUSY 0x1u
#define AIMC_DMA_STATUS_DONE 0x2u
#define AIMC_DMA_STATUS_ERROR 0x4u

enum {
  AIMC_DMA_ERR_NONE = 0,
  AIMC_DMA_ERR_DESC_READ = 1, /* the descriptor could not be read; ERROR_ADDR = its address */
  AIMC_DMA_ERR_SRC = 2,       /* a source read failed; ERROR_ADDR = the address */
  AIMC_DMA_ERR_DST = 3,       /* a destination write failed; ERROR_ADDR = the address */
  AIMC_DMA_ERR_BAD_DESC = 4,  /* row_bytes or rows is 0, or a misaligned descriptor; ERROR_ADDR = descriptor */
};

/* A descriptor in RAM, 32 bytes, little-endian. next = 0 ends the chain. */
struct aimc_dma_desc {
  uint32_t src;
  uint32_t dst;
  uint32_t row_bytes;
  uint32_t rows;
  uint32_t src_stride;
  uint32_t dst_stride;
  uint32_t next;
  uint32_t flags; /* reserved, write 0 */
};
#endif
