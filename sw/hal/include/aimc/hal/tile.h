/*
 * Analog tile driver: discovery, buffers, commands, completion (polled or by interrupt), errors,
 * counters. Register map and opcodes: aimc/regs/tile.h, generated from models/interface/tile.json; LDPU chains: aimc/hal/ldpu.h.
 *
 * Tiles are numbered 0..aimc_tile_count()-1; tile t's window is at AIMC_CHIP_BASE + t * AIMC_TILE_WINDOW.
 * Every host access to a tile crosses the NoC (it takes simulated time and energy): poll sparingly,
 * or sleep in wfi on the tile's FENCE interrupt.
 *
 *   unsigned n = aimc_tile_count();                       // probes the IDs once
 *   int rc = aimc_tile_stage_weights(0, 0, w, rows * cols);  // int8, row-major (rows = inputs)
 *   if (rc == 0) rc = aimc_tile_program(0, &(aimc_tile_program_args){.rows = rows, .cols = cols});
 *   if (rc == 0) rc = aimc_tile_write(0, AIMC_TILE_IN_OFFSET, x, rows);
 *   if (rc == 0) rc = aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = rows, .cols = cols, .vectors = 1,
 *                                                              .chain = AIMC_TILE_NO_CHAIN});
 *   if (rc == 0) rc = aimc_tile_sync(0, AIMC_TILE_TIMEOUT_DEFAULT_US); // FENCE + poll
 *   if (rc == 0) rc = aimc_tile_read(0, AIMC_TILE_OUT_OFFSET, y, cols * 4);
 *   if (rc != 0) printf("%s\n", aimc_strerror(rc));       // e.g. "tile error: bad shape"
 *
 * Errors follow error.h: every function that can fail returns 0 or a negative AIMC_E* code; a tile
 * index >= aimc_tile_count() is AIMC_ENODEV. Waits return 0 when done without a latched error,
 * AIMC_ETILE(code) when the tile latched AIMC_TILE_ERR_<code>, or AIMC_ETIMEDOUT; they never
 * acknowledge errors: aimc_tile_ack_error() does. The inline register helpers (aimc_tile_base,
 * *_addr, aimc_tile_reg_read/write, aimc_tile_ack, aimc_tile_read64, aimc_tile_staged_bytes,
 * aimc_tile_input_bytes) check nothing and cannot fail, by design: interrupt handlers and
 * streaming loops use them.
 */
#ifndef AIMC_HAL_TILE_H
#define AIMC_HAL_TILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/platform.h"
#include "aimc/regs/plic.h"
#include "aimc/regs/tile.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tiles probed at most (windows up to AIMC_CHIP_BASE + 1 GiB, the 32x32 mesh). */
#define AIMC_TILE_MAX 1024u
/* Tiles that can have an interrupt: tile t raises PLIC source AIMC_TILE_IRQ_BASE + t, and the PLIC
 * has at most AIMC_PLIC_MAX_SOURCES - 1 sources (992 tiles; a platform's plic.num_sources may wire
 * fewer: aimc_tile_irq_attach() finds out). The HAL's per-tile interrupt state has this many records. */
#define AIMC_TILE_IRQ_MAX (AIMC_PLIC_MAX_SOURCES - AIMC_TILE_IRQ_BASE)

/* Simulated time the waits allow by default: a full-array PROGRAM takes about a millisecond. */
#define AIMC_TILE_TIMEOUT_DEFAULT_US 1000000u
/* Arguments a command carries at most (the CMD_ARG registers). */
#define AIMC_TILE_MAX_ARGS AIMC_TILE_CMD_ARG_COUNT

/* ---- discovery ---- */

/* Number of tiles: IDs probed from tile 0 up to the first window that faults or has no 'TILE' ID
 * (at most AIMC_TILE_MAX). Probed once; safe on platforms without a chip (0). Cannot fail. */
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

int aimc_tile_get_info(unsigned tile, aimc_tile_info *info);

/* Bus addresses of the tile's window and memories (for SEND destinations and DMA); raw, unchecked. */
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

/* Raw register access (AIMC_TILE_<REG> offsets); unchecked. */
static inline uint32_t aimc_tile_reg_read(unsigned tile, uint32_t reg) {
  return AIMC_MMIO32(aimc_tile_base(tile) + reg);
}
static inline void aimc_tile_reg_write(unsigned tile, uint32_t reg, uint32_t value) {
  AIMC_MMIO32(aimc_tile_base(tile) + reg) = value;
}

/* ---- memories ----
 * `window_offset` is relative to the tile's window: AIMC_TILE_IN_OFFSET + offset, etc. Word
 * accesses where source and destination are aligned, bytes otherwise. AIMC_EINVAL for a range past
 * the window or a NULL buffer (a range past a memory's real size is a bus error: the *_SIZE
 * registers tell it, aimc_tile_get_info() reads them). */
int aimc_tile_write(unsigned tile, uint32_t window_offset, const void *src, size_t bytes);
int aimc_tile_read(unsigned tile, uint32_t window_offset, void *dst, size_t bytes);
int aimc_tile_fill(unsigned tile, uint32_t window_offset, uint8_t value, size_t bytes);

/* int8 weights, row-major (rows x cols), to weight staging at `offset`; adds `bytes` to STAGED_BYTES. */
static inline int aimc_tile_stage_weights(unsigned tile, uint32_t offset, const int8_t *w, size_t bytes) {
  return aimc_tile_write(tile, AIMC_TILE_WEIGHTS_OFFSET + offset, w, bytes);
}
static inline uint32_t aimc_tile_staged_bytes(unsigned tile) {
  return aimc_tile_reg_read(tile, AIMC_TILE_STAGED_BYTES);
}
static inline uint32_t aimc_tile_input_bytes(unsigned tile) {
  return aimc_tile_reg_read(tile, AIMC_TILE_INPUT_BYTES);
}

/* ---- commands ----
 * Each helper writes the opcode's arguments (unused ones are left alone) and pushes it. Pushing
 * never blocks: a full queue drops the command and latches AIMC_TILE_ERR_QUEUE_FULL (seen by the
 * next wait). The HAL rejects, before anything is written, what the registers cannot carry:
 * AIMC_EINVAL for a NULL argument block, an opcode > 0xff, an MVM rows/cols/row0/col0 > 0xffff. */

/* Any opcode with `nargs` arguments (ARG0..ARG[nargs-1]); for tests of bad commands.
 * AIMC_E2BIG if nargs > AIMC_TILE_MAX_ARGS (nothing is written or pushed). */
int aimc_tile_push(unsigned tile, uint32_t opcode, const uint32_t *args, unsigned nargs);

typedef struct aimc_tile_program_args {
  uint32_t staging;    /* staging offset of the row-major block */
  uint32_t rows, cols; /* block size */
  uint32_t row0, col0; /* where the block goes in the crossbar */
} aimc_tile_program_args;
/* Program-and-verify. Must be pushed while the tile is idle (else the tile latches BUSY). */
int aimc_tile_program(unsigned tile, const aimc_tile_program_args *a);

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
int aimc_tile_mvm(unsigned tile, const aimc_tile_mvm_args *a);

/* Copy `bytes` of the output buffer at `out_offset` to bus address `dst` (another tile's window,
 * e.g. aimc_tile_in_addr(t, 0), or RAM). */
int aimc_tile_send(unsigned tile, uint32_t out_offset, uint32_t bytes, uintptr_t dst);
int aimc_tile_calibrate(unsigned tile);
int aimc_tile_fence(unsigned tile, uint32_t tag);

typedef struct aimc_tile_ldpu_args {
  uint32_t chain;      /* LDPU chain offset */
  uint32_t src;        /* output-buffer offset of the input vectors */
  uint32_t cols;       /* values per vector */
  uint32_t vectors;
  uint32_t dst;        /* output-buffer offset of the results */
} aimc_tile_ldpu_args;
int aimc_tile_ldpu(unsigned tile, const aimc_tile_ldpu_args *a);

/* ---- completion, polled ----
 * The polled waits leave the interrupt state alone; the deadline is `timeout_us` of simulated time
 * (CLINT mtime) from the call, checked every few polls (0: poll until the first clock check). */

typedef struct aimc_tile_status {
  bool busy, error;
  unsigned queued, state; /* state: AIMC_TILE_STATE_* */
} aimc_tile_status;
int aimc_tile_get_status(unsigned tile, aimc_tile_status *status);

/* Until nothing executes or waits and the queue is empty. */
int aimc_tile_wait_idle(unsigned tile, uint32_t timeout_us);
/* Until FENCE_TAG == tag. */
int aimc_tile_wait_fence(unsigned tile, uint32_t tag, uint32_t timeout_us);
/* Until CMD_DONE has reached `count` (wrapping compare). */
int aimc_tile_wait_done(unsigned tile, uint32_t count, uint32_t timeout_us);
/* A FENCE with a fresh tag, then aimc_tile_wait_fence(): everything pushed before is done. */
int aimc_tile_sync(unsigned tile, uint32_t timeout_us);
/* A tag no earlier aimc_tile_sync()/aimc_tile_next_tag() on this tile used (never 0). */
int aimc_tile_next_tag(unsigned tile, uint32_t *tag);

/* ---- completion, by interrupt ----
 * aimc_tile_irq_attach() routes the tile's PLIC source (AIMC_TILE_IRQ_BASE + tile) to the HAL's
 * handler, sets its priority to 1, enables it and mie.MEIE, and writes IRQ_ENABLE = `causes`
 * (AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR, nothing else: AIMC_EINVAL), after acknowledging a
 * FENCE cause left pending from before (polled waits leave it set); a latched error stays and
 * interrupts at once. It does not set mstatus.MIE. AIMC_ENOIRQ for tile >= AIMC_TILE_IRQ_MAX or a
 * tile whose source the platform does not wire (plic.num_sources too small: see aimc_plic_set_priority).
 * The handler reads IRQ_STATUS, records the error (ERROR, ERROR_INFO) and the newest FENCE_TAG,
 * acknowledges what it saw (which also clears the tile's error latch), then calls the hook.
 * The per-tile state is a static table with a record for each of the AIMC_TILE_IRQ_MAX tiles that
 * can have an interrupt (tile.c says why), so any tile aimc_tile_count() finds has one. */
typedef struct aimc_tile_irq_state {
  uint32_t irqs;            /* interrupts taken */
  uint32_t fences;          /* FENCE causes seen (back-to-back fences may merge into one) */
  uint32_t fence_tag;       /* FENCE_TAG read after the last FENCE cause */
  uint32_t errors;          /* error causes seen */
  uint32_t error;           /* first error code since aimc_tile_irq_clear() (0 = none) */
  uint32_t error_info;
  uint32_t last_error;      /* newest error code and info */
  uint32_t last_error_info;
} aimc_tile_irq_state;

typedef void (*aimc_tile_irq_hook_t)(unsigned tile, uint32_t causes);

int aimc_tile_irq_attach(unsigned tile, uint32_t causes);
int aimc_tile_irq_detach(unsigned tile);
/* Called from the handler (interrupt context) after the state is updated; NULL removes it. Cannot fail. */
void aimc_tile_irq_set_hook(aimc_tile_irq_hook_t hook);
/* A consistent copy of the tile's recorded state (taken with interrupts disabled). */
int aimc_tile_irq_get_state(unsigned tile, aimc_tile_irq_state *state);
/* Forget the recorded error and counts. */
int aimc_tile_irq_clear(unsigned tile);

/* The waits by interrupt keep the contract of aimc/hal/irq_wait.h: wfi with a deadline of
 * `timeout_us` (AIMC_ETIMEDOUT), mstatus.MIE, mie and mtimecmp restored as found on every return.
 * AIMC_ENOIRQ when the cause waited for was not attached. */
/* Until the handler has seen FENCE_TAG == tag (or FENCE_TAG already holds it), or, if stop_on_error,
 * an error (AIMC_ETILE(code)). Needs the FENCE cause attached. */
int aimc_tile_wait_fence_irq(unsigned tile, uint32_t tag, bool stop_on_error, uint32_t timeout_us);
/* Until the handler has counted more than `errors_before` errors; then the newest error's code and
 * info (either pointer may be NULL). Needs the ERROR cause attached. */
int aimc_tile_wait_error_irq(unsigned tile, uint32_t errors_before, uint32_t timeout_us, uint32_t *code,
                             uint32_t *info);

/* ---- errors ---- */

/* The latched error code (0 if none) and ERROR_INFO; nothing is cleared. info may be NULL. */
int aimc_tile_error(unsigned tile, uint32_t *code, uint32_t *info);
/* Read the error, then acknowledge it (IRQ_ACK bit 1 clears ERROR and STATUS.error). code and info may be NULL. */
int aimc_tile_ack_error(unsigned tile, uint32_t *code, uint32_t *info);
/* Clear IRQ_STATUS bits (raw, unchecked). */
static inline void aimc_tile_ack(unsigned tile, uint32_t causes) {
  aimc_tile_reg_write(tile, AIMC_TILE_IRQ_ACK, causes);
}
/* Names of AIMC_TILE_ERR_* codes and AIMC_TILE_STATE_* states ("unknown" past the table). */
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
int aimc_tile_get_counters(unsigned tile, aimc_tile_counters *c);
/* A 64-bit counter register pair ([0] low, [1] high), read consistently; raw, unchecked. */
uint64_t aimc_tile_read64(unsigned tile, uint32_t reg);

#ifdef __cplusplus
}
#endif
#endif
