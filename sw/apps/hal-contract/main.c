/*
 * hal-contract: the HAL's error and interrupt contract (aimc/hal/error.h, aimc/hal/irq_wait.h),
 * checked against the real models on whatever chip the platform has (at least 2 tiles).
 *
 *   1. Errors come back by the one convention: a missing tile is AIMC_ENODEV, a NULL or
 *      out-of-range argument AIMC_EINVAL, a push with 9 arguments AIMC_E2BIG (and nothing reaches
 *      the tile), a tile's latched error AIMC_ETILE(code) from the wait that sees it, a full LDPU
 *      builder AIMC_ENOSPC from every later call, a faulting probe AIMC_EFAULT; aimc_strerror()
 *      names each.
 *   2. Every wait times out: polled (tile, DMA) and by interrupt (tile FENCE, tile error, DMA), each
 *      by interrupt both with mstatus.MIE set and clear on entry; the timeout returns AIMC_ETIMEDOUT
 *      no earlier than asked, and mstatus.MIE, mie and mtimecmp are as they were found.
 *   3. Waits that succeed leave MIE as found too, and a caller's own timer interrupt keeps working
 *      through a wait: it fires in the wait when due before the deadline, and its mtimecmp comes back
 *      when it is due after it.
 *   4. The interrupt tests run on the highest tile whose PLIC source the platform wires (attach
 *      answers AIMC_ENOIRQ above it): the HAL's interrupt state covers every tile that can
 *      interrupt, not only the first 64.
 */
#include <stdio.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/clint.h"
#include "aimc/hal/dma.h"
#include "aimc/hal/ldpu.h"
#include "aimc/hal/plic.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"

#define APP "hal-contract"
#define TIMEOUT_US 50u
/* How late a timeout may end: the deadline is seen at the next core quantum (1 us) or bus access. */
#define LATE_US 20u
#define NEVER_TAG 0xDEADBEEFu
#define UNMAPPED 0x00200000u

static unsigned tiles, poll_tile, irq_tile;

static void expect_rc(const char *what, int got, int expected) {
  aimc_check(got == expected, "%s: %s (%d), expected %s (%d)", what, aimc_strerror(got), got, aimc_strerror(expected),
             expected);
}

/* ---- 1. the error convention ---- */

static void error_convention(void) {
  aimc_tile_info tile_info;
  expect_rc("get_info of the tile after the last", aimc_tile_get_info(tiles, &tile_info), AIMC_ENODEV);
  expect_rc("get_info into NULL", aimc_tile_get_info(0, NULL), AIMC_EINVAL);
  uint8_t byte = 0;
  expect_rc("read past the tile's window", aimc_tile_read(0, AIMC_TILE_WINDOW - 1, &byte, 2), AIMC_EINVAL);
  expect_rc("MVM with rows > 0xffff", aimc_tile_mvm(0, &(aimc_tile_mvm_args){.rows = 0x10000, .cols = 1, .vectors = 1}),
            AIMC_EINVAL);
  expect_rc("push of opcode 0x100", aimc_tile_push(0, 0x100, NULL, 0), AIMC_EINVAL);

  /* Nine arguments: refused before anything is written, so ARG0 keeps its value and no command runs. */
  const uint32_t sentinel = 0x5A5A0001u, nine[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  aimc_tile_reg_write(poll_tile, AIMC_TILE_CMD_ARG, sentinel);
  uint32_t done_before = aimc_tile_reg_read(poll_tile, AIMC_TILE_CMD_DONE);
  int rc = aimc_tile_push(poll_tile, AIMC_TILE_OP_FENCE, nine, 9);
  printf(APP ": push with 9 arguments: %s (%d)\n", aimc_strerror(rc), rc);
  expect_rc("push with 9 arguments", rc, AIMC_E2BIG);
  aimc_check(aimc_tile_reg_read(poll_tile, AIMC_TILE_CMD_ARG) == sentinel, "the refused push wrote ARG0");
  expect_rc("sync after the refused push", aimc_tile_sync(poll_tile, AIMC_TILE_TIMEOUT_DEFAULT_US), 0);
  uint32_t done = aimc_tile_reg_read(poll_tile, AIMC_TILE_CMD_DONE) - done_before;
  aimc_check(done == 1, "CMD_DONE grew by %lu, expected 1 (the sync's FENCE only)", (unsigned long)done);
  /* Eight is the most, and it works. */
  uint32_t tag = 0;
  expect_rc("next_tag", aimc_tile_next_tag(poll_tile, &tag), 0);
  const uint32_t eight[8] = {tag, 2, 3, 4, 5, 6, 7, 8};
  expect_rc("push of a FENCE with 8 arguments", aimc_tile_push(poll_tile, AIMC_TILE_OP_FENCE, eight, 8), 0);
  expect_rc("wait for that FENCE", aimc_tile_wait_fence(poll_tile, tag, AIMC_TILE_TIMEOUT_DEFAULT_US), 0);

  /* The tile's own error, folded into the return value of the wait that sees it. */
  expect_rc("push of the bad opcode 0x7f", aimc_tile_push(poll_tile, 0x7F, NULL, 0), 0);
  rc = aimc_tile_sync(poll_tile, AIMC_TILE_TIMEOUT_DEFAULT_US);
  printf(APP ": bad opcode, then sync: %s (%d)\n", aimc_strerror(rc), rc);
  expect_rc("sync after a bad opcode", rc, AIMC_ETILE(AIMC_TILE_ERR_BAD_OPCODE));
  aimc_check(aimc_error_tile_code(rc) == AIMC_TILE_ERR_BAD_OPCODE && aimc_error_dma_code(rc) == 0,
             "unfolding %d: tile code %lu, DMA code %lu", rc, (unsigned long)aimc_error_tile_code(rc),
             (unsigned long)aimc_error_dma_code(rc));
  aimc_check(strcmp(aimc_strerror(rc), "tile error: bad opcode") == 0, "aimc_strerror(%d) = \"%s\"", rc,
             aimc_strerror(rc));
  uint32_t code = 0, info = 0;
  expect_rc("ack_error", aimc_tile_ack_error(poll_tile, &code, &info), 0);
  aimc_check(code == AIMC_TILE_ERR_BAD_OPCODE && info == 0x7F, "ack_error: code %lu info 0x%lx", (unsigned long)code,
             (unsigned long)info);
  expect_rc("sync after the acknowledge", aimc_tile_sync(poll_tile, AIMC_TILE_TIMEOUT_DEFAULT_US), 0);

  /* Builder errors stick: the first one comes back from every later call and from the end. */
  aimc_ldpu_builder b;
  uint32_t offset = 0, chain = 0;
  expect_rc("ldpu_begin", aimc_ldpu_begin(&b, poll_tile, 0, 0x100, AIMC_LDPU_TYPE_INT32), 0);
  expect_rc("ldpu_put past the LDPU memory", aimc_ldpu_put(&b, &byte, b.limit, &offset), AIMC_ENOSPC);
  aimc_check(offset == AIMC_LDPU_NONE, "failed put gave offset 0x%lx", (unsigned long)offset);
  expect_rc("ldpu_relu after the failure", aimc_ldpu_relu(&b), AIMC_ENOSPC);
  expect_rc("ldpu_end after the failure", aimc_ldpu_end(&b, &chain), AIMC_ENOSPC);
  expect_rc("ldpu_begin at a misaligned offset", aimc_ldpu_begin(&b, poll_tile, 2, 0x100, AIMC_LDPU_TYPE_INT32),
            AIMC_EINVAL);
  expect_rc("ldpu_begin on a missing tile", aimc_ldpu_begin(&b, tiles, 0, 0x100, AIMC_LDPU_TYPE_INT32), AIMC_ENODEV);

  /* DMA, PLIC, traps. */
  static struct aimc_dma_desc d[2] __attribute__((aligned(32)));
  expect_rc("DMA descriptor of 0 bytes", aimc_dma_desc_1d(&d[0], 0, 0, 0), AIMC_EINVAL);
  expect_rc("DMA start at a misaligned descriptor",
            aimc_dma_start((const struct aimc_dma_desc *)((uintptr_t)&d[0] + 2), false),
            aimc_dma_present() ? AIMC_EINVAL : AIMC_ENODEV);
  expect_rc("PLIC handler for source 0", aimc_plic_set_handler(0, NULL), AIMC_EINVAL);
  expect_rc("PLIC priority 8", aimc_plic_set_priority(1, 8), AIMC_EINVAL);
  expect_rc("handler for interrupt cause 16", aimc_irq_set_handler(AIMC_IRQ_CAUSES, NULL), AIMC_EINVAL);
  uint32_t v = 0;
  expect_rc("probe of an unmapped address", aimc_probe_read32(UNMAPPED, &v), AIMC_EFAULT);

  /* Every code has its own text. */
  const int codes[] = {AIMC_OK,     AIMC_EINVAL, AIMC_ENODEV, AIMC_ETIMEDOUT, AIMC_EBUSY,
                       AIMC_E2BIG,  AIMC_ENOSPC, AIMC_ENOIRQ,    AIMC_EFAULT,
                       AIMC_EAGAIN, AIMC_ETILE(AIMC_TILE_ERR_BAD_SHAPE), AIMC_EDMA(AIMC_DMA_ERR_SRC)};
  const unsigned n = sizeof codes / sizeof codes[0];
  for (unsigned i = 0; i < n; i++)
    for (unsigned j = i + 1; j < n; j++)
      aimc_check(strcmp(aimc_strerror(codes[i]), aimc_strerror(codes[j])) != 0, "codes %d and %d share \"%s\"",
                 codes[i], codes[j], aimc_strerror(codes[i]));
}

/* ---- 2. timeouts restore the interrupt state ---- */

typedef struct irq_snapshot {
  uint32_t mstatus_mie, mie;
  uint64_t mtimecmp;
} irq_snapshot;

static irq_snapshot snapshot(void) {
  return (irq_snapshot){aimc_csr_read(mstatus) & AIMC_MSTATUS_MIE, aimc_csr_read(mie), aimc_mtimecmp()};
}

/* The state after a wait vs before it (taken with interrupts as the wait found them). */
static bool same_state(const char *what, irq_snapshot before, irq_snapshot after) {
  bool ok = aimc_check(after.mstatus_mie == before.mstatus_mie, "%s: mstatus.MIE 0x%lx -> 0x%lx", what,
                       (unsigned long)before.mstatus_mie, (unsigned long)after.mstatus_mie);
  ok &= aimc_check(after.mie == before.mie, "%s: mie 0x%lx -> 0x%lx", what, (unsigned long)before.mie,
                   (unsigned long)after.mie);
  ok &= aimc_check(after.mtimecmp == before.mtimecmp, "%s: mtimecmp 0x%llx -> 0x%llx", what,
                   (unsigned long long)before.mtimecmp, (unsigned long long)after.mtimecmp);
  return ok;
}

static int wait_fence_irq(uint32_t us) { return aimc_tile_wait_fence_irq(irq_tile, NEVER_TAG, true, us); }
static int wait_error_irq(uint32_t us) {
  aimc_tile_irq_state st = {0};
  aimc_tile_irq_get_state(irq_tile, &st);
  return aimc_tile_wait_error_irq(irq_tile, st.errors, us, NULL, NULL);
}
static int wait_dma_irq(uint32_t us) { return aimc_dma_wait_irq(us); }
static int wait_fence_polled(uint32_t us) { return aimc_tile_wait_fence(poll_tile, NEVER_TAG, us); }
static int wait_dma_polled(uint32_t us) { return aimc_dma_wait(us); }

/* One wait that must time out, entered with mstatus.MIE as `mie_on` says. */
static void expect_timeout(const char *what, int (*wait)(uint32_t), bool mie_on) {
  if (mie_on)
    aimc_irq_global_enable();
  else
    aimc_irq_global_disable();
  irq_snapshot before = snapshot();
  uint64_t t0 = aimc_mtime();
  int rc = wait(TIMEOUT_US);
  uint64_t elapsed = aimc_mtime() - t0;
  irq_snapshot after = snapshot();
  aimc_irq_global_disable();
  char label[96];
  snprintf(label, sizeof label, "%s, MIE %s", what, mie_on ? "set" : "clear");
  expect_rc(label, rc, AIMC_ETIMEDOUT);
  bool restored = same_state(label, before, after);
  uint64_t us = elapsed / aimc_us_to_ticks(1);
  aimc_check(elapsed >= aimc_us_to_ticks(TIMEOUT_US) && us <= TIMEOUT_US + LATE_US, "%s: timed out after %llu us of %u",
             label, (unsigned long long)us, TIMEOUT_US);
  printf(APP ": %s: %s after %llu us (timeout %u us); MIE %s, mie and mtimecmp %s\n", label, aimc_strerror(rc),
         (unsigned long long)us, TIMEOUT_US, after.mstatus_mie ? "set" : "clear", restored ? "as found" : "CHANGED");
}

static void timeouts(void) {
  expect_timeout("polled tile FENCE wait", wait_fence_polled, false);
  if (aimc_dma_present()) expect_timeout("polled DMA wait", wait_dma_polled, false);
  for (int mie_on = 1; mie_on >= 0; mie_on--) {
    expect_timeout("tile FENCE wait by interrupt", wait_fence_irq, mie_on);
    expect_timeout("tile error wait by interrupt", wait_error_irq, mie_on);
    if (aimc_dma_present()) expect_timeout("DMA wait by interrupt", wait_dma_irq, mie_on);
  }
  /* timeout 0: one look. */
  expect_rc("FENCE wait by interrupt, timeout 0", aimc_tile_wait_fence_irq(irq_tile, NEVER_TAG, true, 0), AIMC_ETIMEDOUT);
}

/* ---- 3. waits that succeed, and the caller's own timer ---- */

/* An MVM reads the crossbar, so the tile needs a PROGRAM first (else NOT_PROGRAMMED): one weight will do. */
static int program_once(unsigned tile) {
  static bool done;
  static const int8_t one = 1;
  if (done) return 0;
  int rc = aimc_tile_stage_weights(tile, 0, &one, 1);
  if (rc == 0) rc = aimc_tile_program(tile, &(aimc_tile_program_args){.rows = 1, .cols = 1});
  if (rc == 0) rc = aimc_tile_wait_idle(tile, AIMC_TILE_TIMEOUT_DEFAULT_US);
  done = rc == 0;
  return rc;
}

/* A FENCE behind an MVM of 16 vectors: it completes well after the wait has started. */
static uint32_t fence_behind_mvm(void) {
  uint32_t tag = 0;
  aimc_tile_info info;
  int rc = program_once(irq_tile);
  if (rc == 0) rc = aimc_tile_get_info(irq_tile, &info);
  if (rc == 0) rc = aimc_tile_next_tag(irq_tile, &tag);
  if (rc == 0)
    rc = aimc_tile_mvm(irq_tile, &(aimc_tile_mvm_args){.rows = info.rows, .cols = info.cols, .vectors = 16,
                                                       .chain = AIMC_TILE_NO_CHAIN});
  if (rc == 0) rc = aimc_tile_fence(irq_tile, tag);
  aimc_check_ok(rc, "MVM + FENCE on tile %u", irq_tile);
  return tag;
}

static void successful_waits(void) {
  for (int mie_on = 1; mie_on >= 0; mie_on--) {
    const char *label = mie_on ? "FENCE by interrupt, MIE set" : "FENCE by interrupt, MIE clear";
    aimc_tile_irq_state st0 = {0}, st1 = {0};
    aimc_tile_irq_get_state(irq_tile, &st0);
    uint32_t tag = fence_behind_mvm();
    if (mie_on)
      aimc_irq_global_enable();
    else
      aimc_irq_global_disable();
    irq_snapshot before = snapshot();
    int rc = aimc_tile_wait_fence_irq(irq_tile, tag, true, AIMC_TILE_TIMEOUT_DEFAULT_US);
    irq_snapshot after = snapshot();
    aimc_irq_global_disable();
    aimc_tile_irq_get_state(irq_tile, &st1);
    expect_rc(label, rc, 0);
    bool restored = same_state(label, before, after);
    aimc_check(st1.fences > st0.fences && st1.fence_tag == tag, "%s: the handler saw %lu new FENCE(s), tag 0x%lx",
               label, (unsigned long)(st1.fences - st0.fences), (unsigned long)st1.fence_tag);
    printf(APP ": %s: %s; MIE %s, mie and mtimecmp %s\n", label, aimc_strerror(rc),
           after.mstatus_mie ? "set" : "clear", restored ? "as found" : "CHANGED");
  }

  /* An error by interrupt, entered with MIE clear: code and info come back, the handler acknowledged. */
  aimc_tile_irq_state st = {0};
  aimc_tile_irq_get_state(irq_tile, &st);
  expect_rc("push of the bad opcode 0x7e", aimc_tile_push(irq_tile, 0x7E, NULL, 0), 0);
  irq_snapshot before = snapshot();
  uint32_t code = 0, info = 0, latched = 1;
  int rc = aimc_tile_wait_error_irq(irq_tile, st.errors, AIMC_TILE_TIMEOUT_DEFAULT_US, &code, &info);
  irq_snapshot after = snapshot();
  expect_rc("error by interrupt, MIE clear", rc, 0);
  same_state("error by interrupt, MIE clear", before, after);
  aimc_check(code == AIMC_TILE_ERR_BAD_OPCODE && info == 0x7E, "error by interrupt: code %lu info 0x%lx",
             (unsigned long)code, (unsigned long)info);
  aimc_tile_error(irq_tile, &latched, NULL);
  aimc_check(latched == 0, "ERROR still %lu after the handler's acknowledge", (unsigned long)latched);
  printf(APP ": error by interrupt, MIE clear: %s, ERROR_INFO 0x%lx\n", aimc_tile_error_name(code), (unsigned long)info);
}

static volatile unsigned caller_ticks, caller_early;

static void caller_timer(unsigned irq) {
  (void)irq;
  if (aimc_mtime() < aimc_mtimecmp()) caller_early++;
  caller_ticks++;
  aimc_timer_stop();
}

static void caller_timer_kept(void) {
  aimc_check_ok(aimc_tile_irq_clear(irq_tile), "clearing the recorded error"); /* the waits stop on errors */
  aimc_check_ok(aimc_irq_set_handler(AIMC_IRQ_M_TIMER, caller_timer), "timer handler");
  aimc_irq_enable(AIMC_IRQ_M_TIMER);
  aimc_irq_global_enable();

  /* Due before the wait's deadline: the caller's handler runs in the wait, once, not early. */
  caller_ticks = caller_early = 0;
  aimc_timer_start(aimc_us_to_ticks(TIMEOUT_US / 2));
  irq_snapshot before = snapshot();
  int rc = wait_fence_irq(TIMEOUT_US);
  irq_snapshot after = snapshot();
  expect_rc("wait with the caller's timer due inside it", rc, AIMC_ETIMEDOUT);
  aimc_check(caller_ticks == 1 && caller_early == 0, "caller's timer: %u tick(s), %u early", caller_ticks, caller_early);
  aimc_check(after.mstatus_mie == before.mstatus_mie && after.mie == before.mie, "caller's timer: MIE/mie changed");
  aimc_check(after.mtimecmp == UINT64_MAX, "caller's timer: mtimecmp 0x%llx, not where its handler left it",
             (unsigned long long)after.mtimecmp);
  printf(APP ": caller's timer due inside the wait: %u tick(s) in its handler, wait %s\n", caller_ticks,
         aimc_strerror(rc));

  /* Due after the deadline: it is not taken, and its mtimecmp comes back unchanged. */
  caller_ticks = 0;
  aimc_timer_start(aimc_us_to_ticks(100 * TIMEOUT_US));
  before = snapshot();
  rc = wait_fence_irq(TIMEOUT_US);
  after = snapshot();
  expect_rc("wait with the caller's timer due after it", rc, AIMC_ETIMEDOUT);
  aimc_check(caller_ticks == 0, "caller's later timer fired %u time(s) in the wait", caller_ticks);
  same_state("caller's later timer", before, after);
  printf(APP ": caller's timer due after the wait: %u tick(s), mtimecmp %s\n", caller_ticks,
         after.mtimecmp == before.mtimecmp ? "as found" : "CHANGED");

  aimc_irq_global_disable();
  aimc_timer_stop();
  aimc_irq_disable(AIMC_IRQ_M_TIMER);
  aimc_irq_set_handler(AIMC_IRQ_M_TIMER, NULL);
}

/* ---- 4. the interrupt tile ---- */

/* The highest tile whose interrupt the platform wires; false if none. */
static bool attach_highest(void) {
  for (unsigned t = tiles; t-- > 0;) {
    int rc = aimc_tile_irq_attach(t, AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR);
    if (rc == 0) {
      irq_tile = t;
      return true;
    }
    if (rc != AIMC_ENOIRQ) {
      aimc_check_ok(rc, "attach of tile %u", t);
      return false;
    }
  }
  return false;
}

int main(void) {
  tiles = aimc_tile_count();
  if (!aimc_check(tiles >= 2, "need 2 tiles, found %u", tiles)) return aimc_check_finish(APP);
  expect_rc("attach of the tile after the last", aimc_tile_irq_attach(tiles, AIMC_TILE_IRQ_FENCE), AIMC_ENODEV);
  expect_rc("attach with an unknown cause", aimc_tile_irq_attach(tiles - 1, 0x4), AIMC_EINVAL);
  expect_rc("DMA wait by interrupt before attaching", aimc_dma_wait_irq(TIMEOUT_US), AIMC_ENOIRQ);
  if (!aimc_check(attach_highest(), "no tile has a routed interrupt")) return aimc_check_finish(APP);
  poll_tile = irq_tile == 0 ? 1 : 0; /* polled error checks need a tile whose handler does not acknowledge */
  printf(APP ": %u tiles, interrupt tests on tile %u (PLIC source %u)%s\n", tiles, irq_tile,
         AIMC_TILE_IRQ_BASE + irq_tile, irq_tile + 1 < tiles ? ", the tiles above have none routed" : "");
  aimc_tile_irq_state st;
  expect_rc("interrupt state of the tile after the last", aimc_tile_irq_get_state(tiles, &st), AIMC_ENODEV);
  expect_rc("interrupt state of the interrupt tile", aimc_tile_irq_get_state(irq_tile, &st), 0);
  if (aimc_dma_present()) aimc_check_ok(aimc_dma_irq_attach(), "DMA interrupt");

  error_convention();
  timeouts();
  successful_waits();
  caller_timer_kept();
  return aimc_check_finish(APP);
}
