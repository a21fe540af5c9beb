/*
 * Analog tile: one crossbar core with its DAC/ADC periphery, LDPU, buffers and command queue.
 *
 * Window layout (offsets from the tile's base; tile t sits at AIMC_CHIP_BASE + t * AIMC_TILE_WINDOW):
 *   0x00000 registers (below)
 *   0x10000 LDPU parameter memory (LDPU chains and their scale/offset/LUT data), LDPU_SIZE bytes
 *   0x20000 input buffer: int8 input vectors, and data SENT here by other tiles, IN_SIZE bytes
 *   0x40000 output buffer: MVM/LDPU results, OUT_SIZE bytes
 *   0x80000 weight staging: int8 weights, row-major, for the next PROGRAM, WEIGHT_SIZE bytes
 * Accesses past a memory's real size (the *_SIZE registers) are bus errors.
 *
 * Commands: write the arguments to CMD_ARG[0..7], then the opcode to CMD_PUSH; the tile executes its
 * queue in order, in simulated time. Argument use per opcode is listed with the opcodes below.
 */
#ifndef AIMC_REGS_TILE_H
#define AIMC_REGS_TILE_H
#include "regmap.h"

#define AIMC_TILE_WINDOW         0x100000u
#define AIMC_TILE_LDPU_OFFSET    0x10000u
#define AIMC_TILE_IN_OFFSET      0x20000u
#define AIMC_TILE_OUT_OFFSET     0x40000u
#define AIMC_TILE_WEIGHTS_OFFSET 0x80000u

#define AIMC_TILE_REGMAP(X) \
  X(ID,            0x000, 4, 1, RO, 0x54494C45, "Identification: 'TILE' (0x54494C45)") \
  X(GEOMETRY,      0x004, 4, 1, RO, 0x00000000, "Crossbar weight rows [15:0] and columns [31:16]") \
  X(CAPS,          0x008, 4, 1, RO, 0x00000000, "ADC bits [7:0], DAC bits [15:8], command queue depth [23:16], default phases [31:24]") \
  X(POSITION,      0x00C, 4, 1, RO, 0x00000000, "Tile index [15:0], mesh x [23:16], mesh y [31:24]") \
  X(IN_SIZE,       0x010, 4, 1, RO, 0x00000000, "Input buffer size in bytes") \
  X(OUT_SIZE,      0x014, 4, 1, RO, 0x00000000, "Output buffer size in bytes") \
  X(LDPU_SIZE,     0x018, 4, 1, RO, 0x00000000, "LDPU parameter memory size in bytes") \
  X(WEIGHT_SIZE,   0x01C, 4, 1, RO, 0x00000000, "Weight staging size in bytes") \
  X(STATUS,        0x020, 4, 1, RO, 0x00000000, "Bit 0 busy (a command executes or waits), bit 1 error latched, [15:8] commands queued, [23:16] state (AIMC_TILE_STATE_*)") \
  X(IRQ_ENABLE,    0x024, 4, 1, RW, 0x00000000, "Interrupt enable: bit 0 FENCE reached, bit 1 error") \
  X(IRQ_STATUS,    0x028, 4, 1, RO, 0x00000000, "Pending interrupt causes (same bits); the IRQ line is high while (IRQ_STATUS & IRQ_ENABLE) != 0") \
  X(IRQ_ACK,       0x02C, 4, 1, WO, 0x00000000, "Write 1s to clear IRQ_STATUS bits; clearing bit 1 also clears ERROR and STATUS.error") \
  X(ERROR,         0x030, 4, 1, RO, 0x00000000, "First error since the last acknowledge (AIMC_TILE_ERR_*), 0 if none") \
  X(ERROR_INFO,    0x034, 4, 1, RO, 0x00000000, "Detail of ERROR: the offending argument value (offset, address, opcode, ...)") \
  X(FENCE_TAG,     0x038, 4, 1, RO, 0x00000000, "ARG0 of the last FENCE completed") \
  X(CMD_DONE,      0x03C, 4, 1, RO, 0x00000000, "Commands completed (wraps), failed ones included") \
  X(CMD_ARG,       0x040, 4, 8, RW, 0x00000000, "Arguments of the next command (see the opcodes)") \
  X(CMD_PUSH,      0x060, 4, 1, WO, 0x00000000, "Write opcode [7:0] (AIMC_TILE_OP_*) to queue a command with the current CMD_ARG values") \
  X(STAGED_BYTES,  0x064, 4, 1, RO, 0x00000000, "Bytes written to weight staging since the last PROGRAM") \
  X(INPUT_BYTES,   0x068, 4, 1, RO, 0x00000000, "Bytes arrived in the input buffer over the NoC and not yet consumed by an armed MVM") \
  X(MVM_COUNT,     0x070, 4, 2, RO, 0x00000000, "MVMs executed (64-bit: [0] low, [1] high word)") \
  X(BUSY_CYCLES,   0x078, 4, 2, RO, 0x00000000, "Tile clock cycles spent executing commands (64-bit)") \
  X(ENERGY_PJ,     0x080, 4, 2, RO, 0x00000000, "Energy spent by this tile in pJ (64-bit)") \
  X(SATURATIONS,   0x088, 4, 1, RO, 0x00000000, "ADC and LDPU saturations counted (wraps)")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_TILE_##NAME
enum { AIMC_TILE_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED

#define AIMC_TILE_ID_VALUE 0x54494C45u

/* Opcodes for CMD_PUSH, with their arguments. Offsets are byte offsets into the named memory. */
enum {
  AIMC_TILE_OP_PROGRAM = 1,   /* ARG0 staging offset, ARG1 rows, ARG2 cols, ARG3 row0, ARG4 col0: program-and-verify int8 weights */
  AIMC_TILE_OP_MVM = 2,       /* ARG0 input offset, ARG1 rows (vector length) | row0 << 16, ARG2 cols (outputs) | col0 << 16
                                 (the crossbar block used: rows row0.., columns col0..; row0 = col0 = 0 is the corner), ARG3 vectors,
                                 ARG4 output offset, ARG5 LDPU chain offset or AIMC_TILE_NO_CHAIN (raw int32 out),
                                 ARG6 phases (0 = default), ARG7 armed start: wait until INPUT_BYTES >= ARG7, then consume them (0 = start now) */
  AIMC_TILE_OP_SEND = 3,      /* ARG0 output-buffer offset, ARG1 bytes, ARG2 destination bus address (another tile's window or RAM) */
  AIMC_TILE_OP_CALIBRATE = 4, /* drift compensation: read the calibration inputs now and update the correction */
  AIMC_TILE_OP_FENCE = 5,     /* ARG0 tag: when every earlier command is done, FENCE_TAG = tag and IRQ_STATUS bit 0 */
  AIMC_TILE_OP_LDPU = 6,      /* ARG0 LDPU chain offset, ARG1 source offset (output buffer), ARG2 columns, ARG3 vectors, ARG4 destination offset (output buffer) */
};
#define AIMC_TILE_NO_CHAIN 0xFFFFFFFFu

/* ERROR codes */
enum {
  AIMC_TILE_ERR_NONE = 0,
  AIMC_TILE_ERR_BAD_OPCODE = 1,     /* ERROR_INFO = opcode */
  AIMC_TILE_ERR_QUEUE_FULL = 2,     /* ERROR_INFO = opcode that was dropped */
  AIMC_TILE_ERR_BAD_OFFSET = 3,     /* a buffer range past the end of its memory; ERROR_INFO = offset */
  AIMC_TILE_ERR_BAD_SHAPE = 4,      /* rows/cols/vectors zero or larger than the crossbar; ERROR_INFO = value */
  AIMC_TILE_ERR_BUSY = 5,           /* PROGRAM queued while the tile was not idle */
  AIMC_TILE_ERR_WEIGHTS_SHORT = 6,  /* PROGRAM of more bytes than were staged; ERROR_INFO = bytes staged */
  AIMC_TILE_ERR_WEIGHT_RANGE = 7,   /* a staged weight outside the tile's weight range; ERROR_INFO = index */
  AIMC_TILE_ERR_BAD_CHAIN = 8,      /* malformed LDPU chain; ERROR_INFO = chain offset */
  AIMC_TILE_ERR_SEND_FAILED = 9,    /* SEND to an address nothing answers; ERROR_INFO = address */
};

/* STATUS state field */
enum {
  AIMC_TILE_STATE_IDLE = 0,
  AIMC_TILE_STATE_PROGRAM = 1,
  AIMC_TILE_STATE_MVM = 2,
  AIMC_TILE_STATE_LDPU = 3,
  AIMC_TILE_STATE_SEND = 4,
  AIMC_TILE_STATE_WAIT_INPUT = 5,
  AIMC_TILE_STATE_CALIBRATE = 6,
};

#define AIMC_TILE_IRQ_FENCE 0x1u
#define AIMC_TILE_IRQ_ERROR 0x2u
#endif
