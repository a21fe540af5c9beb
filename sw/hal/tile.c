/* Analog tile driver (see aimc/hal/tile.h). */
#include "aimc/hal/tile.h"

#include "aimc/hal/clint.h"
#include "aimc/hal/csr.h"
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
    while (n < AIMC_TILE_MAX && aimc_probe_read32(aimc_tile_base(n) + AIMC_TILE_ID, &id) && id == AIMC_TILE_ID_VALUE)
      n++;
    count = (int)n;
  }
  return (unsigned)count;
}

void aimc_tile_get_info(unsigned tile, aimc_tile_info *info) {
  uint32_t position = TILE_REG(tile, POSITION);
  uint32_t geometry = TILE_REG(tile, GEOMETRY);
  uint32_t caps = TILE_REG(tile, CAPS);
  info->index = position & 0xffffu;
  info->mesh_x = (position >> 16) & 0xffu;
  info->mesh_y = position >> 24;
  info->rows = geometry & 0xffffu;
  info->cols = geometry >> 16;
  info->adc_bits = caps & 0xffu;
  info->dac_bits = (caps >> 8) & 0xffu;
  info->queue_depth = (caps >> 16) & 0xffu;
  info->default_phases = caps >> 24;
  info->in_size = TILE_REG(tile, IN_SIZE);
  info->out_size = TILE_REG(tile, OUT_SIZE);
  info->ldpu_size = TILE_REG(tile, LDPU_SIZE);
  info->weight_size = TILE_REG(tile, WEIGHT_SIZE);
}

/* ---- memories ---- */

void aimc_tile_write(unsigned tile, uint32_t window_offset, const void *src, size_t bytes) {
  uintptr_t dst = aimc_tile_base(tile) + window_offset;
  const uint8_t *s = src;
  if (((dst | (uintptr_t)s) & 3u) == 0) {
    for (; bytes >= 4; bytes -= 4, dst += 4, s += 4) AIMC_MMIO32(dst) = *(const uint32_t *)s;
  }
  for (; bytes > 0; bytes--, dst++, s++) AIMC_MMIO8(dst) = *s;
}

void aimc_tile_read(unsigned tile, uint32_t window_offset, void *dst, size_t bytes) {
  uintptr_t src = aimc_tile_base(tile) + window_offset;
  uint8_t *d = dst;
  if (((src | (uintptr_t)d) & 3u) == 0) {
    for (; bytes >= 4; bytes -= 4, src += 4, d += 4) *(uint32_t *)d = AIMC_MMIO32(src);
  }
  for (; bytes > 0; bytes--, src++, d++) *d = AIMC_MMIO8(src);
}

void aimc_tile_fill(unsigned tile, uint32_t window_offset, uint8_t value, size_t bytes) {
  uintptr_t dst = aimc_tile_base(tile) + window_offset;
  uint32_t word = value * 0x01010101u;
  for (; bytes > 0 && (dst & 3u); bytes--, dst++) AIMC_MMIO8(dst) = value;
  for (; bytes >= 4; bytes -= 4, dst += 4) AIMC_MMIO32(dst) = word;
  for (; bytes > 0; bytes--, dst++) AIMC_MMIO8(dst) = value;
}

/* ---- commands ---- */

void aimc_tile_push(unsigned tile, uint32_t opcode, const uint32_t *args, unsigned nargs) {
  for (unsigned i = 0; i < nargs && i < 8; i++) TILE_ARG(tile, i) = args[i];
  TILE_REG(tile, CMD_PUSH) = opcode;
}

void aimc_tile_program(unsigned tile, const aimc_tile_program_args *a) {
  const uint32_t args[] = {a->staging, a->rows, a->cols, a->row0, a->col0};
  aimc_tile_push(tile, AIMC_TILE_OP_PROGRAM, args, 5);
}

void aimc_tile_mvm(unsigned tile, const aimc_tile_mvm_args *a) {
  const uint32_t args[] = {a->in,  a->rows | a->row0 << 16, a->cols | a->col0 << 16, a->vectors,
                           a->out, a->chain,                a->phases,               a->armed_bytes};
  aimc_tile_push(tile, AIMC_TILE_OP_MVM, args, 8);
}

void aimc_tile_send(unsigned tile, uint32_t out_offset, uint32_t bytes, uintptr_t dst) {
  const uint32_t args[] = {out_offset, bytes, (uint32_t)dst};
  aimc_tile_push(tile, AIMC_TILE_OP_SEND, args, 3);
}

void aimc_tile_calibrate(unsigned tile) { aimc_tile_push(tile, AIMC_TILE_OP_CALIBRATE, 0, 0); }

void aimc_tile_fence(unsigned tile, uint32_t tag) { aimc_tile_push(tile, AIMC_TILE_OP_FENCE, &tag, 1); }

void aimc_tile_ldpu(unsigned tile, const aimc_tile_ldpu_args *a) {
  const uint32_t args[] = {a->chain, a->src, a->cols, a->vectors, a->dst};
  aimc_tile_push(tile, AIMC_TILE_OP_LDPU, args, 5);
}

/* ---- completion, polled ---- */

aimc_tile_status aimc_tile_get_status(unsigned tile) {
  uint32_t s = TILE_REG(tile, STATUS);
  return (aimc_tile_status){
      .busy = s & 1u, .error = (s >> 1) & 1u, .queued = (s >> 8) & 0xffu, .state = (s >> 16) & 0xffu};
}

/* Polls `done(tile, arg)` until it holds or the simulated deadline passes; the clock is read only
 * every few polls (each read crosses the bus too). */
static int poll_until(unsigned tile, bool (*done)(unsigned, uint32_t), uint32_t arg, uint32_t timeout_us) {
  uint64_t deadline = aimc_mtime() + aimc_us_to_ticks(timeout_us);
  for (unsigned n = 1;; n++) {
    if (done(tile, arg)) break;
    if ((n & 15u) == 0 && aimc_mtime() > deadline) return AIMC_TILE_WAIT_TIMEOUT;
  }
  return (TILE_REG(tile, STATUS) & 2u) ? (int)TILE_REG(tile, ERROR) : 0;
}

static bool is_idle(unsigned tile, uint32_t unused) {
  (void)unused;
  uint32_t s = TILE_REG(tile, STATUS);
  return (s & 1u) == 0 && ((s >> 8) & 0xffu) == 0;
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

/* Per-tile tag sequence: tile index in the top byte, so tags of different tiles never collide. */
static uint32_t tag_seq[AIMC_TILE_MAX];

uint32_t aimc_tile_next_tag(unsigned tile) {
  uint32_t seq = tile < AIMC_TILE_MAX ? ++tag_seq[tile] : 1u;
  return ((tile & 0xffu) << 24) | ((seq & 0xffffffu) ? (seq & 0xffffffu) : 1u);
}

int aimc_tile_sync(unsigned tile, uint32_t timeout_us) {
  uint32_t tag = aimc_tile_next_tag(tile);
  aimc_tile_fence(tile, tag);
  return aimc_tile_wait_fence(tile, tag, timeout_us);
}

/* ---- completion, by interrupt ---- */

static aimc_tile_irq_state irq_state[AIMC_TILE_IRQ_MAX];
static aimc_tile_irq_hook_t irq_hook;

static void tile_irq_handler(unsigned source) {
  unsigned tile = source - AIMC_TILE_IRQ_BASE;
  aimc_tile_irq_state *st = &irq_state[tile];
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

bool aimc_tile_irq_attach(unsigned tile, uint32_t causes) {
  if (tile >= AIMC_TILE_IRQ_MAX) return false;
  unsigned source = AIMC_TILE_IRQ_BASE + tile;
  aimc_plic_set_handler(source, tile_irq_handler);
  aimc_plic_set_priority(source, 1);
  aimc_plic_enable(source);
  aimc_irq_enable(AIMC_IRQ_M_EXT);
  /* A FENCE cause left from polled waits would interrupt at once: drop it (errors stay). */
  TILE_REG(tile, IRQ_ACK) = AIMC_TILE_IRQ_FENCE;
  TILE_REG(tile, IRQ_ENABLE) = causes;
  return true;
}

void aimc_tile_irq_detach(unsigned tile) {
  if (tile >= AIMC_TILE_IRQ_MAX) return;
  TILE_REG(tile, IRQ_ENABLE) = 0;
  aimc_plic_disable(AIMC_TILE_IRQ_BASE + tile);
}

void aimc_tile_irq_set_hook(aimc_tile_irq_hook_t hook) { irq_hook = hook; }

const aimc_tile_irq_state *aimc_tile_irq_state_of(unsigned tile) {
  return tile < AIMC_TILE_IRQ_MAX ? &irq_state[tile] : 0;
}

void aimc_tile_irq_clear(unsigned tile) {
  if (tile >= AIMC_TILE_IRQ_MAX) return;
  uint32_t saved = aimc_irq_save();
  aimc_tile_irq_state *st = &irq_state[tile];
  st->irqs = st->fences = st->errors = 0;
  st->error = st->error_info = st->last_error = st->last_error_info = 0;
  aimc_irq_restore(saved);
}

/* The condition is tested with mstatus.MIE clear, so an IRQ between the test and wfi is not lost. */
int aimc_tile_wait_fence_irq(unsigned tile, uint32_t tag, bool stop_on_error) {
  if (tile >= AIMC_TILE_IRQ_MAX) return AIMC_TILE_WAIT_TIMEOUT;
  const aimc_tile_irq_state *st = &irq_state[tile];
  int result = 0;
  if (TILE_REG(tile, FENCE_TAG) == tag) return 0; /* reached before the interrupt was attached */
  aimc_irq_global_disable();
  for (;;) {
    if (st->fences != 0 && st->fence_tag == tag) break;
    if (stop_on_error && st->error != 0) {
      result = (int)st->error;
      break;
    }
    aimc_wfi();
    aimc_irq_global_enable();
    aimc_irq_global_disable();
  }
  aimc_irq_global_enable();
  return result;
}

int aimc_tile_wait_error_irq(unsigned tile, uint32_t errors_before) {
  if (tile >= AIMC_TILE_IRQ_MAX) return AIMC_TILE_WAIT_TIMEOUT;
  const aimc_tile_irq_state *st = &irq_state[tile];
  aimc_irq_global_disable();
  while (st->errors == errors_before) {
    aimc_wfi();
    aimc_irq_global_enable();
    aimc_irq_global_disable();
  }
  aimc_irq_global_enable();
  return (int)st->last_error;
}

/* ---- errors ---- */

uint32_t aimc_tile_error(unsigned tile, uint32_t *info) {
  uint32_t code = TILE_REG(tile, ERROR);
  if (info) *info = TILE_REG(tile, ERROR_INFO);
  return code;
}

uint32_t aimc_tile_ack_error(unsigned tile, uint32_t *info) {
  uint32_t code = aimc_tile_error(tile, info);
  TILE_REG(tile, IRQ_ACK) = AIMC_TILE_IRQ_ERROR;
  return code;
}

const char *aimc_tile_error_name(uint32_t code) {
  static const char *const names[] = {"none",       "bad opcode",    "queue full",   "bad offset",
                                      "bad shape",  "busy",          "weights short", "weight range",
                                      "bad chain",  "send failed"};
  return code < sizeof names / sizeof names[0] ? names[code] : "unknown";
}

const char *aimc_tile_state_name(uint32_t state) {
  static const char *const names[] = {"idle", "program", "mvm", "ldpu", "send", "wait-input", "calibrate"};
  return state < sizeof names / sizeof names[0] ? names[state] : "unknown";
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

void aimc_tile_get_counters(unsigned tile, aimc_tile_counters *c) {
  c->mvms = aimc_tile_read64(tile, AIMC_TILE_MVM_COUNT);
  c->busy_cycles = aimc_tile_read64(tile, AIMC_TILE_BUSY_CYCLES);
  c->energy_pj = aimc_tile_read64(tile, AIMC_TILE_ENERGY_PJ);
  c->saturations = TILE_REG(tile, SATURATIONS);
  c->cmd_done = TILE_REG(tile, CMD_DONE);
}
