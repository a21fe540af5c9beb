/*
 * Analog tile driver: discovery, buffers, commands, completion (polled or by interrupt), errors,
 * counters. Register map and opcodes: sw/include/aimc/regs/tile.h; LDPU chains: aimc/hal/ldpu.h.
 *
 * Tiles are numbered 0..aimc_tile_count()-1; tile t's window is at AIMC_CHIP_BASE + t * AIMC_TILE_WINDOW.
 * Every host access to a tile crosses the NoC (it takes simulated time and energy): poll sparingly,
 * or sleep in wfi on the tile's FENCE interrupt.
 *
 *   unsigned n = aimc_tile_count();                       // probes the IDs once
 *   aimc_tile_stage_weights(0, 0, w, rows * cols);        // int8, row-major (rows = inputs)
 *   aimc_tile_program(0, &(aimc_tile_program_args){.rows = rows, .cols = cols});
 *   aimc_tile_write(0, AIMC_TILE_IN_OFFSET, x, rows);
 *   aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = rows, .cols = cols, .vectors = 1,
 *                                           .chain = AIMC_TILE_NO_CHAIN});
 *   int err = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US);  // FENCE + poll; 0 or AIMC_TILE_ERR_*
 *   aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, y, cols * 4);
 *
 * Waiting functions return 0 when done without a latched error, the tile's error code (> 0,
 * AIMC_TILE_ERR_*) when one is latched, or AIMC_TILE_WAIT_TIMEOUT. They never acknowledge errors:
 * aimc_tile_ack_error() does (and returns the code and info).
 */
#ifndef AIMC_HAL_TILE_H
#define AIMC_HAL_TILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/platform.h"
#include "aimc/regs/tile.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tiles probed at most (windows up to AIMC_CHIP_BASE + 1 GiB, the 32x32 mesh). */
#define AIMC_TILE_MAX 1024u
/* Tiles with an interrupt the HAL dispatches (PLIC sources 32 .. 32 + 63). */
#define AIMC_TILE_IRQ_MAX 64u

#define AIMC_TILE_WAIT_TIMEOUT (-1)
/* Simulated time the waits allow by default: a full-array PROGRAM takes about a millisecond. */
#define AIMC_TILE_TIMEOUT_DEFAULT_US 1000000u

/* ---- discovery ---- */

/* Number of tiles: IDs probed from tile 0 up to the first window that faults or has no 'TILE' ID
 * (at most AIMC_TILE_MAX). Probed once; safe on platforms without a chip (returns 0). */
unsigned aimc_tile_count(void);

typedef struct aimc_tile_info {
  unsigned index;              /* POSITION[15:0] */
  unsigned mesh_x, mesh_y;     /* POSITION[23:16], [31:24] */
  unsigned rows, cols;         /* crossbar weight rows (inputs) and columns (outputs) */
  unsigned adc_bits, dac_bits;
  unsigned queue_depth;        /* commands the queue holds */
  unsigned default_phases;
  uint32_t in_size, out_size, ldpu_size, weight_size; /* bytes */
} aimc_tile_info;

void aimc_tile_get_info(unsigned tile, aimc_tile_info *info);

/* Bus addresses of the tile's window and memories (for SEND destinations and DMA). */
static inline uintptr_t aimc_tile_base(unsigned tile) {
  return AIMC_CHIP_BASE + (uintptr_t)tile * AIMC_TILE_WINDOW;
}
static inline uintptr_t aimc_tile_in_addr(unsigned tile, uint32_t offset) {
  return aimc_tile_base(tile) + AIMC_TILE_IN_OFFSET + offset;
}
static inline uintptr_t aimc_tile_out_addr(unsigned tile, uint32_t offset) {
  return aimc_tile_base(tile) + AIMC_TILE_OUT_OFFSET + offset;
}
static inline uintptr_t aimc_tile_ldpu_addr(unsigned tile, uint32_t offset) {
  return aimc_tile_base(tile) + AIMC_TILE_LDPU_OFFSET + offset;
}
static inline uintptr_t aimc_tile_weights_addr(unsigned tile, uint32_t offset) {
  return aimc_tile_base(tile) + AIMC_TILE_WEIGHTS_OFFSET + offset;
}

/* Register access (AIMC_TILE_<REG> offsets). */
static inline uint32_t aimc_tile_reg_read(unsigned tile, uint32_t reg) {
  return AIMC_MMIO32(aimc_tile_base(tile) + reg);
}
static inline void aimc_tile_reg_write(unsigned tile, uint32_t reg, uint32_t value) {
  AIMC_MMIO32(aimc_tile_base(tile) + reg) = value;
}

/* ---- memories ----
 * `window_offset` is relative to the tile's window: AIMC_TILE_IN_OFFSET + offset, etc. Word
 * accesses where source and destination are aligned, bytes otherwise. */
void aimc_tile_write(unsigned tile, uint32_t window_offset, const void *src, size_t bytes);
void aimc_tile_read(unsigned tile, uint32_t window_offset, void *dst, size_t bytes);
void aimc_tile_fill(unsigned tile, uint32_t window_offset, uint8_t value, size_t bytes);

/* int8 weights, row-major (rows x cols), to weight staging at `offset`; adds `bytes` to STAGED_BYTES. */
static inline void aimc_tile_stage_weights(unsigned tile, uint32_t offset, const int8_t *w, size_t bytes) {
  aimc_tile_write(tile, AIMC_TILE_WEIGHTS_OFFSET + offset, w, bytes);
}
static inline uint32_t aimc_tile_staged_bytes(unsigned tile) {
  return aimc_tile_reg_read(tile, AIMC_TILE_STAGED_BYTES);
}
static inline uint32_t aimc_tile_input_bytes(unsigned tile) {
  return aimc_tile_reg_read(tile, AIMC_TILE_INPUT_BYTES);
}

/* ---- commands ----
 * Each helper writes the opcode's arguments (unused ones are left alone) and pushes it. Pushing
 * never blocks: a full queue drops the command and latches AIMC_TILE_ERR_QUEUE_FULL. */

/* Any opcode with `nargs` arguments (ARG0..ARG[nargs-1]); for tests of bad commands. */
void aimc_tile_push(unsigned tile, uint32_t opcode, const uint32_t *args, unsigned nargs);

typedef struct aimc_tile_program_args {
  uint32_t staging;    /* staging offset of the row-major block */
  uint32_t rows, cols; /* block size */
  uint32_t row0, col0; /* where the block goes in the crossbar */
} aimc_tile_program_args;
/* Program-and-verify. Must be pushed while the tile is idle (else AIMC_TILE_ERR_BUSY). */
void aimc_tile_program(unsigned tile, const aimc_tile_program_args *a);

typedef struct aimc_tile_mvm_args {
  uint32_t in;          /* input-buffer offset of the first int8 vector (vectors are `rows` apart) */
  uint32_t rows, cols;  /* vector length, outputs */
  uint32_t row0, col0;  /* the crossbar block they use starts here (as PROGRAM placed it); 0, 0 = the corner */
  uint32_t vectors;
  uint32_t out;         /* output-buffer offset */
  uint32_t chain;       /* LDPU chain offset, or AIMC_TILE_NO_CHAIN: raw int32 out (4 * cols per vector) */
  uint32_t phases;      /* 0 = the tile's default */
  uint32_t armed_bytes; /* dataflow start: wait until INPUT_BYTES >= this, consume them; 0 = now */
} aimc_tile_mvm_args;
/* Write `.chain = AIMC_TILE_NO_CHAIN` for raw output: 0 is a valid chain offset. */
void aimc_tile_mvm(unsigned tile, const aimc_tile_mvm_args *a);

/* Copy `bytes` of the output buffer at `out_offset` to bus address `dst` (another tile's window,
 * e.g. aimc_tile_in_addr(t, 0), or RAM). */
void aimc_tile_send(unsigned tile, uint32_t out_offset, uint32_t bytes, uintptr_t dst);
void aimc_tile_calibrate(unsigned tile);
void aimc_tile_fence(unsigned tile, uint32_t tag);

typedef struct aimc_tile_ldpu_args {
  uint32_t chain;      /* LDPU chain offset */
  uint32_t src;        /* output-buffer offset of the input vectors */
  uint32_t cols;       /* values per vector */
  uint32_t vectors;
  uint32_t dst;        /* output-buffer offset of the results */
} aimc_tile_ldpu_args;
void aimc_tile_ldpu(unsigned tile, const aimc_tile_ldpu_args *a);

/* ---- completion, polled ---- */

typedef struct aimc_tile_status {
  bool busy, error;
  unsigned queued, state; /* state: AIMC_TILE_STATE_* */
} aimc_tile_status;
aimc_tile_status aimc_tile_get_status(unsigned tile);

/* Until nothing executes or waits and the queue is empty. */
int aimc_tile_wait_idle(unsigned tile, uint32_t timeout_us);
/* Until FENCE_TAG == tag. */
int aimc_tile_wait_fence(unsigned tile, uint32_t tag, uint32_t timeout_us);
/* Until CMD_DONE has reached `count` (wrapping compare). */
int aimc_tile_wait_done(unsigned tile, uint32_t count, uint32_t timeout_us);
/* A FENCE with a fresh tag, then aimc_tile_wait_fence(): everything pushed before is done. */
int aimc_tile_sync(unsigned tile, uint32_t timeout_us);
/* A tag no earlier aimc_tile_sync()/aimc_tile_next_tag() on this tile used (never 0). */
uint32_t aimc_tile_next_tag(unsigned tile);

/* ---- completion, by interrupt ----
 * aimc_tile_irq_attach() routes the tile's PLIC source (AIMC_TILE_IRQ_BASE + tile) to the HAL's
 * handler, sets its priority to 1, enables it and mie.MEIE, and writes IRQ_ENABLE = `causes`
 * (AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR), after acknowledging a FENCE cause left pending from
 * before (polled waits leave it set); a latched error stays and interrupts at once. It does not set
 * mstatus.MIE.
 * The handler reads IRQ_STATUS, records the error (ERROR, ERROR_INFO) and the newest FENCE_TAG,
 * acknowledges what it saw (which also clears the tile's error latch), then calls the hook. */
typedef struct aimc_tile_irq_state {
  volatile uint32_t irqs;       /* interrupts taken */
  volatile uint32_t fences;     /* FENCE causes seen (back-to-back fences may merge into one) */
  volatile uint32_t fence_tag;  /* FENCE_TAG read after the last FENCE cause */
  volatile uint32_t errors;     /* error causes seen */
  volatile uint32_t error;      /* first error code since aimc_tile_irq_clear() (0 = none) */
  volatile uint32_t error_info;
  volatile uint32_t last_error; /* newest error code and info */
  volatile uint32_t last_error_info;
} aimc_tile_irq_state;

typedef void (*aimc_tile_irq_hook_t)(unsigned tile, uint32_t causes);

/* Returns false if the tile has no HAL-dispatched interrupt (tile >= AIMC_TILE_IRQ_MAX). */
bool aimc_tile_irq_attach(unsigned tile, uint32_t causes);
void aimc_tile_irq_detach(unsigned tile);
/* Called from the handler (interrupt context) after the state is updated; NULL removes it. */
void aimc_tile_irq_set_hook(aimc_tile_irq_hook_t hook);
/* The tile's recorded state (read it with interrupts disabled for a consistent snapshot). */
const aimc_tile_irq_state *aimc_tile_irq_state_of(unsigned tile);
/* Forget the recorded error and counts. */
void aimc_tile_irq_clear(unsigned tile);

/* Sleep in wfi until the handler has seen FENCE_TAG == tag (or FENCE_TAG already holds it), or an
 * error (returns its code) if stop_on_error. Needs aimc_tile_irq_attach() with the FENCE cause; enables mstatus.MIE on return. */
int aimc_tile_wait_fence_irq(unsigned tile, uint32_t tag, bool stop_on_error);
/* Sleep in wfi until the handler has counted more than `errors_before` errors (the error IRQ). */
int aimc_tile_wait_error_irq(unsigned tile, uint32_t errors_before);

/* ---- errors ---- */

/* The latched error code (0 if none) and, if info != NULL, ERROR_INFO; nothing is cleared. */
uint32_t aimc_tile_error(unsigned tile, uint32_t *info);
/* Read the error, then acknowledge it (IRQ_ACK bit 1 clears ERROR and STATUS.error). */
uint32_t aimc_tile_ack_error(unsigned tile, uint32_t *info);
/* Clear IRQ_STATUS bits. */
static inline void aimc_tile_ack(unsigned tile, uint32_t causes) {
  aimc_tile_reg_write(tile, AIMC_TILE_IRQ_ACK, causes);
}
const char *aimc_tile_error_name(uint32_t code);
const char *aimc_tile_state_name(uint32_t state);

/* ---- counters ---- */

typedef struct aimc_tile_counters {
  uint64_t mvms;        /* MVM_COUNT */
  uint64_t busy_cycles; /* BUSY_CYCLES, tile clock */
  uint64_t energy_pj;   /* ENERGY_PJ */
  uint32_t saturations; /* ADC + LDPU saturations (wraps) */
  uint32_t cmd_done;    /* CMD_DONE (wraps) */
} aimc_tile_counters;
void aimc_tile_get_counters(unsigned tile, aimc_tile_counters *c);
/* A 64-bit counter register pair ([0] low, [1] high), read consistently. */
uint64_t aimc_tile_read64(unsigned tile, uint32_t reg);

#ifdef __cplusplus
}
#endif
#endif
