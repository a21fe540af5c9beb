/* Analog tile driver (see aimc/hal/tile.h). */
#include "aimc/hal/tile.h"

#include "aimc/hal/clint.h"
#include "aimc/hal/csr.h"
#include "aimc/hal/irq_wait.h"
#include "aimc/hal/plic.h"
#include "aimc/hal/trap.h"

#define TILE_REG(t, reg) AIMC_MMIO32(aimc_tile_base(t) + AIMC_TILE_##reg)
#define TILE_ARG(t, i) AIMC_MMIO32(aimc_tile_base(t) + AIMC_TILE_CMD_ARG + 4u * (i))

/* ---- discovery ---- */

unsigned aimc_tile_count(void) {
  static int count = -1; /* not probed yet */
  if (count < 0) {
    unsigned n = 0;
    uint32_t id = 0;
    while (n < AIMC_TILE_MAX && aimc_probe_read32(aimc_tile_base(n) + AIMC_TILE_ID, &id) == 0 &&
           id == AIMC_TILE_ID_VALUE)
      n++;
    count = (int)n;
  }
  return (unsigned)count;
}

static inline bool tile_exists(unsigned tile) { return tile < aimc_tile_count(); }

int aimc_tile_get_info(unsigned tile, aimc_tile_info *info) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (!info) return AIMC_EINVAL;
  uint32_t position = TILE_REG(tile, POSITION);
  uint32_t geometry = TILE_REG(tile, GEOMETRY);
  uint32_t caps = TILE_REG(tile, CAPS);
  info->index = AIMC_TILE_POSITION_INDEX_GET(position);
  info->mesh_x = AIMC_TILE_POSITION_X_GET(position);
  info->mesh_y = AIMC_TILE_POSITION_Y_GET(position);
  info->rows = AIMC_TILE_GEOMETRY_ROWS_GET(geometry);
  info->cols = AIMC_TILE_GEOMETRY_COLS_GET(geometry);
  info->adc_bits = AIMC_TILE_CAPS_ADC_BITS_GET(caps);
  info->dac_bits = AIMC_TILE_CAPS_DAC_BITS_GET(caps);
  info->queue_depth = AIMC_TILE_CAPS_QUEUE_DEPTH_GET(caps);
  info->default_phases = AIMC_TILE_CAPS_PHASES_GET(caps);
  info->in_size = TILE_REG(tile, IN_SIZE);
  info->out_size = TILE_REG(tile, OUT_SIZE);
  info->ldpu_size = TILE_REG(tile, LDPU_SIZE);
  info->weight_size = TILE_REG(tile, WEIGHT_SIZE);
  return 0;
}

/* ---- memories ---- */

/* The tile exists, the buffer is there, and [offset, offset + bytes) lies inside the window. */
static int check_range(unsigned tile, uint32_t window_offset, const void *buffer, size_t bytes) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if ((!buffer && bytes) || window_offset > AIMC_TILE_WINDOW || bytes > AIMC_TILE_WINDOW - window_offset)
    return AIMC_EINVAL;
  return 0;
}

int aimc_tile_write(unsigned tile, uint32_t window_offset, const void *src, size_t bytes) {
  int rc = check_range(tile, window_offset, src, bytes);
  if (rc) return rc;
  uintptr_t dst = aimc_tile_base(tile) + window_offset;
  const uint8_t *s = src;
  if (((dst | (uintptr_t)s) & 3u) == 0) {
    for (; bytes >= 4; bytes -= 4, dst += 4, s += 4) AIMC_MMIO32(dst) = *(const uint32_t *)s;
  }
  for (; bytes > 0; bytes--, dst++, s++) AIMC_MMIO8(dst) = *s;
  return 0;
}

int aimc_tile_read(unsigned tile, uint32_t window_offset, void *dst, size_t bytes) {
  int rc = check_range(tile, window_offset, dst, bytes);
  if (rc) return rc;
  uintptr_t src = aimc_tile_base(tile) + window_offset;
  uint8_t *d = dst;
  if (((src | (uintptr_t)d) & 3u) == 0) {
    for (; bytes >= 4; bytes -= 4, src += 4, d += 4) *(uint32_t *)d = AIMC_MMIO32(src);
  }
  for (; bytes > 0; bytes--, src++, d++) *d = AIMC_MMIO8(src);
  return 0;
}

int aimc_tile_fill(unsigned tile, uint32_t window_offset, uint8_t value, size_t bytes) {
  int rc = check_range(tile, window_offset, &value, bytes);
  if (rc) return rc;
  uintptr_t dst = aimc_tile_base(tile) + window_offset;
  uint32_t word = value * 0x01010101u;
  for (; bytes > 0 && (dst & 3u); bytes--, dst++) AIMC_MMIO8(dst) = value;
  for (; bytes >= 4; bytes -= 4, dst += 4) AIMC_MMIO32(dst) = word;
  for (; bytes > 0; bytes--, dst++) AIMC_MMIO8(dst) = value;
  return 0;
}

/* ---- commands ---- */

int aimc_tile_push(unsigned tile, uint32_t opcode, const uint32_t *args, unsigned nargs) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (nargs > AIMC_TILE_MAX_ARGS) return AIMC_E2BIG;
  if ((nargs && !args) || opcode > AIMC_TILE_CMD_PUSH_OPCODE_MAX) return AIMC_EINVAL;
  for (unsigned i = 0; i < nargs; i++) TILE_ARG(tile, i) = args[i];
  TILE_REG(tile, CMD_PUSH) = AIMC_TILE_CMD_PUSH_OPCODE_PUT(opcode);
  return 0;
}

int aimc_tile_program(unsigned tile, const aimc_tile_program_args *a) {
  if (!a) return AIMC_EINVAL;
  const uint32_t args[] = {a->staging, a->rows, a->cols, a->row0, a->col0};
  return aimc_tile_push(tile, AIMC_TILE_OP_PROGRAM, args, 5);
}

int aimc_tile_mvm(unsigned tile, const aimc_tile_mvm_args *a) {
  /* ARG1/ARG2 pack two fields each: a larger value would silently land in the other one. */
  if (!a || a->rows > AIMC_TILE_MVM_ARG1_ROWS_MAX || a->row0 > AIMC_TILE_MVM_ARG1_ROW0_MAX ||
      a->cols > AIMC_TILE_MVM_ARG2_COLS_MAX || a->col0 > AIMC_TILE_MVM_ARG2_COL0_MAX)
    return AIMC_EINVAL;
  const uint32_t args[] = {a->in,      AIMC_TILE_MVM_ARG1(a->rows, a->row0), AIMC_TILE_MVM_ARG2(a->cols, a->col0),
                           a->vectors, a->out,                               a->chain,
                           a->phases,  a->armed_bytes};
  return aimc_tile_push(tile, AIMC_TILE_OP_MVM, args, 8);
}

int aimc_tile_send(unsigned tile, uint32_t out_offset, uint32_t bytes, uintptr_t dst) {
  const uint32_t args[] = {out_offset, bytes, (uint32_t)dst};
  return aimc_tile_push(tile, AIMC_TILE_OP_SEND, args, 3);
}

int aimc_tile_calibrate(unsigned tile) { return aimc_tile_push(tile, AIMC_TILE_OP_CALIBRATE, 0, 0); }

int aimc_tile_fence(unsigned tile, uint32_t tag) { return aimc_tile_push(tile, AIMC_TILE_OP_FENCE, &tag, 1); }

int aimc_tile_ldpu(unsigned tile, const aimc_tile_ldpu_args *a) {
  if (!a) return AIMC_EINVAL;
  const uint32_t args[] = {a->chain, a->src, a->cols, a->vectors, a->dst};
  return aimc_tile_push(tile, AIMC_TILE_OP_LDPU, args, 5);
}

/* ---- completion, polled ---- */

int aimc_tile_get_status(unsigned tile, aimc_tile_status *status) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (!status) return AIMC_EINVAL;
  uint32_t s = TILE_REG(tile, STATUS);
  *status = (aimc_tile_status){.busy = AIMC_TILE_STATUS_BUSY_GET(s),
                               .error = AIMC_TILE_STATUS_ERROR_GET(s),
                               .queued = AIMC_TILE_STATUS_QUEUED_GET(s),
                               .state = AIMC_TILE_STATUS_STATE_GET(s)};
  return 0;
}

/* The latched error as a return value: 0 or AIMC_ETILE(code). */
static int latched_error(unsigned tile) {
  return (TILE_REG(tile, STATUS) & AIMC_TILE_STATUS_ERROR) ? AIMC_ETILE(TILE_REG(tile, ERROR)) : 0;
}

/* Polls `done(tile, arg)` until it holds or the simulated deadline passes; the clock is read only
 * every few polls (each read crosses the bus too). */
static int poll_until(unsigned tile, bool (*done)(unsigned, uint32_t), uint32_t arg, uint32_t timeout_us) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  uint64_t deadline = aimc_mtime() + aimc_us_to_ticks(timeout_us);
  for (unsigned n = 1;; n++) {
    if (done(tile, arg)) break;
    if ((n & 15u) == 0 && aimc_mtime() > deadline) return AIMC_ETIMEDOUT;
  }
  return latched_error(tile);
}

static bool is_idle(unsigned tile, uint32_t unused) {
  (void)unused;
  uint32_t s = TILE_REG(tile, STATUS);
  return (s & AIMC_TILE_STATUS_BUSY) == 0 && AIMC_TILE_STATUS_QUEUED_GET(s) == 0;
}
static bool fence_reached(unsigned tile, uint32_t tag) { return TILE_REG(tile, FENCE_TAG) == tag; }
static bool done_reached(unsigned tile, uint32_t count) { return (int32_t)(TILE_REG(tile, CMD_DONE) - count) >= 0; }

int aimc_tile_wait_idle(unsigned tile, uint32_t timeout_us) { return poll_until(tile, is_idle, 0, timeout_us); }
int aimc_tile_wait_fence(unsigned tile, uint32_t tag, uint32_t timeout_us) {
  return poll_until(tile, fence_reached, tag, timeout_us);
}
int aimc_tile_wait_done(unsigned tile, uint32_t count, uint32_t timeout_us) {
  return poll_until(tile, done_reached, count, timeout_us);
}

/* Per-tile tag sequence, indexed up to the probe limit (4 KiB): tile index in the top byte, so tags
 * of different tiles never collide. */
static uint32_t tag_seq[AIMC_TILE_MAX];

int aimc_tile_next_tag(unsigned tile, uint32_t *tag) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (!tag) return AIMC_EINVAL;
  uint32_t seq = ++tag_seq[tile] & 0xffffffu;
  *tag = ((tile & 0xffu) << 24) | (seq ? seq : 1u);
  return 0;
}

int aimc_tile_sync(unsigned tile, uint32_t timeout_us) {
  uint32_t tag;
  int rc = aimc_tile_next_tag(tile, &tag);
  if (rc == 0) rc = aimc_tile_fence(tile, tag);
  return rc ? rc : aimc_tile_wait_fence(tile, tag, timeout_us);
}

/* ---- completion, by interrupt ---- */

/* One state record for every tile that can have an interrupt (AIMC_TILE_IRQ_MAX = 992, the probe
 * limit as far as the PLIC reaches: 31 KiB of .bss), and the causes aimc_tile_irq_attach() enabled.
 * A static arena rather than a heap block sized from aimc_tile_count(): the handler then addresses
 * its record as the 64-entry table did, so the interrupt path (and mvm-peak's figures) keep their
 * timing to the nanosecond, and attaching can never run out of memory. */
static aimc_tile_irq_state irq_states[AIMC_TILE_IRQ_MAX];
static uint8_t irq_causes[AIMC_TILE_IRQ_MAX];
static aimc_tile_irq_hook_t irq_hook;

/* The tile's record (state may be NULL: only the checks). */
static int irq_state_of(unsigned tile, volatile aimc_tile_irq_state **state) {
  if (tile >= aimc_tile_count()) return AIMC_ENODEV;
  if (tile >= AIMC_TILE_IRQ_MAX) return AIMC_ENOIRQ;
  if (state) *state = &irq_states[tile];
  return 0;
}

static void tile_irq_handler(unsigned source) {
  unsigned tile = source - AIMC_TILE_IRQ_BASE;
  volatile aimc_tile_irq_state *st = &irq_states[tile];
  uint32_t causes = TILE_REG(tile, IRQ_STATUS);
  if (causes & AIMC_TILE_IRQ_ERROR) {
    uint32_t code = TILE_REG(tile, ERROR), info = TILE_REG(tile, ERROR_INFO);
    st->last_error = code;
    st->last_error_info = info;
    if (st->error == 0) {
      st->error = code;
      st->error_info = info;
    }
    st->errors++;
  }
  TILE_REG(tile, IRQ_ACK) = causes; /* the line falls before the PLIC completion */
  if (causes & AIMC_TILE_IRQ_FENCE) {
    st->fence_tag = TILE_REG(tile, FENCE_TAG); /* after the ack: a later fence raises a new IRQ */
    st->fences++;
  }
  st->irqs++;
  if (irq_hook) irq_hook(tile, causes);
}

int aimc_tile_irq_attach(unsigned tile, uint32_t causes) {
  int rc = irq_state_of(tile, NULL);
  if (rc) return rc;
  if (causes & ~(AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR)) return AIMC_EINVAL;
  unsigned source = AIMC_TILE_IRQ_BASE + tile;
  /* The priority first: it tells whether the platform wires this tile's source at all. */
  if ((rc = aimc_plic_set_priority(source, 1)) != 0 || (rc = aimc_plic_set_handler(source, tile_irq_handler)) != 0 ||
      (rc = aimc_plic_enable(source)) != 0)
    return rc;
  aimc_irq_enable(AIMC_IRQ_M_EXT);
  /* A FENCE cause left from polled waits would interrupt at once: drop it (errors stay). */
  TILE_REG(tile, IRQ_ACK) = AIMC_TILE_IRQ_FENCE;
  TILE_REG(tile, IRQ_ENABLE) = causes;
  irq_causes[tile] = (uint8_t)causes;
  return 0;
}

int aimc_tile_irq_detach(unsigned tile) {
  int rc = irq_state_of(tile, NULL);
  if (rc) return rc;
  TILE_REG(tile, IRQ_ENABLE) = 0;
  irq_causes[tile] = 0;
  return aimc_plic_disable(AIMC_TILE_IRQ_BASE + tile);
}

void aimc_tile_irq_set_hook(aimc_tile_irq_hook_t hook) { irq_hook = hook; }

int aimc_tile_irq_get_state(unsigned tile, aimc_tile_irq_state *state) {
  volatile aimc_tile_irq_state *st;
  int rc = irq_state_of(tile, &st);
  if (rc) return rc;
  if (!state) return AIMC_EINVAL;
  uint32_t saved = aimc_irq_save();
  *state = *st;
  aimc_irq_restore(saved);
  return 0;
}

int aimc_tile_irq_clear(unsigned tile) {
  volatile aimc_tile_irq_state *st;
  int rc = irq_state_of(tile, &st);
  if (rc) return rc;
  uint32_t saved = aimc_irq_save();
  *st = (aimc_tile_irq_state){0};
  aimc_irq_restore(saved);
  return 0;
}

typedef struct fence_wait {
  const volatile aimc_tile_irq_state *st;
  uint32_t tag;
  bool stop_on_error;
} fence_wait;

static bool fence_seen(const volatile aimc_tile_irq_state *st, uint32_t tag) {
  return st->fences != 0 && st->fence_tag == tag;
}

static bool fence_or_error(const void *ctx) {
  const fence_wait *w = ctx;
  return fence_seen(w->st, w->tag) || (w->stop_on_error && w->st->error != 0);
}

int aimc_tile_wait_fence_irq(unsigned tile, uint32_t tag, bool stop_on_error, uint32_t timeout_us) {
  volatile aimc_tile_irq_state *st;
  int rc = irq_state_of(tile, &st);
  if (rc) return rc;
  if (!(irq_causes[tile] & AIMC_TILE_IRQ_FENCE)) return AIMC_ENOIRQ;
  if (TILE_REG(tile, FENCE_TAG) == tag) return 0; /* reached before the interrupt was attached */
  fence_wait w = {st, tag, stop_on_error};
  rc = aimc_irq_wait(fence_or_error, &w, timeout_us);
  if (rc) return rc;
  return fence_seen(w.st, tag) ? 0 : AIMC_ETILE(w.st->error);
}

typedef struct error_wait {
  const volatile aimc_tile_irq_state *st;
  uint32_t errors_before;
} error_wait;

static bool error_counted(const void *ctx) {
  const error_wait *w = ctx;
  return w->st->errors != w->errors_before;
}

int aimc_tile_wait_error_irq(unsigned tile, uint32_t errors_before, uint32_t timeout_us, uint32_t *code,
                             uint32_t *info) {
  volatile aimc_tile_irq_state *st;
  int rc = irq_state_of(tile, &st);
  if (rc) return rc;
  if (!(irq_causes[tile] & AIMC_TILE_IRQ_ERROR)) return AIMC_ENOIRQ;
  error_wait w = {st, errors_before};
  rc = aimc_irq_wait(error_counted, &w, timeout_us);
  if (rc) return rc;
  uint32_t saved = aimc_irq_save();
  if (code) *code = st->last_error;
  if (info) *info = st->last_error_info;
  aimc_irq_restore(saved);
  return 0;
}

/* ---- errors ---- */

int aimc_tile_error(unsigned tile, uint32_t *code, uint32_t *info) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (!code) return AIMC_EINVAL;
  *code = TILE_REG(tile, ERROR);
  if (info) *info = TILE_REG(tile, ERROR_INFO);
  return 0;
}

int aimc_tile_ack_error(unsigned tile, uint32_t *code, uint32_t *info) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (code) *code = TILE_REG(tile, ERROR);
  if (info) *info = TILE_REG(tile, ERROR_INFO);
  TILE_REG(tile, IRQ_ACK) = AIMC_TILE_IRQ_ERROR;
  return 0;
}

/* aimc_tile_error_name() is in error.c, beside the texts aimc_strerror() gives for tile errors. */
const char *aimc_tile_state_name(uint32_t state) {
  static const char *const names[] = {
      [AIMC_TILE_STATE_IDLE] = "idle",       [AIMC_TILE_STATE_PROGRAM] = "program",
      [AIMC_TILE_STATE_MVM] = "mvm",         [AIMC_TILE_STATE_LDPU] = "ldpu",
      [AIMC_TILE_STATE_SEND] = "send",       [AIMC_TILE_STATE_WAIT_INPUT] = "wait-input",
      [AIMC_TILE_STATE_CALIBRATE] = "calibrate"};
  return state < sizeof names / sizeof names[0] && names[state] ? names[state] : "unknown";
}

/* ---- counters ---- */

/* Low word first: reading it latches the high word (a tile without the latch is covered too: the
 * low word read again must not have wrapped). */
uint64_t aimc_tile_read64(unsigned tile, uint32_t reg) {
  uintptr_t base = aimc_tile_base(tile) + reg;
  uint32_t hi, lo;
  do {
    lo = AIMC_MMIO32(base);
    hi = AIMC_MMIO32(base + 4);
  } while (AIMC_MMIO32(base) < lo);
  return ((uint64_t)hi << 32) | lo;
}

int aimc_tile_get_counters(unsigned tile, aimc_tile_counters *c) {
  if (!tile_exists(tile)) return AIMC_ENODEV;
  if (!c) return AIMC_EINVAL;
  c->mvms = aimc_tile_read64(tile, AIMC_TILE_MVM_COUNT);
  c->busy_cycles = aimc_tile_read64(tile, AIMC_TILE_BUSY_CYCLES);
  c->energy_pj = aimc_tile_read64(tile, AIMC_TILE_ENERGY_PJ);
  c->saturations = TILE_REG(tile, SATURATIONS);
  c->cmd_done = TILE_REG(tile, CMD_DONE);
  return 0;
}
