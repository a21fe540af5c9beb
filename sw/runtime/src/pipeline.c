/* Batches of inferences, consecutive inputs pipelined. Two inputs are in flight, each with its own set of
 * activations in the arena: the older one (A) runs its steps in order; whenever it would sleep on a
 * tile's FENCE, the host runs steps of the next input (B) instead, GATHERs 16 pixels at a time, as long as
 *  - the tiles such a step uses are done with A: A has run its last step on them (pushes, GATHERs and
 *    SENDs into them, READs from them), and before B writes a tile's input buffer (GATHER, SEND) or
 *    READs its output buffer, A's commands on that tile, and on the tiles that SEND into it, completed;
 *  - within B, the step does not pass an earlier step of B it depends on: one on a common tile, or an
 *    arena access where either writes; and B never passes a WAIT (B does not wait; A does).
 * Either input pushes a GATHER's tile command right after the GATHER when no step in between shares a
 * tile with it, so the tile starts while the host gathers for the next one.
 * So each tile receives every command of input k before any of input k + 1, in the image's order: the
 * analog cores draw their noise as in n sequential runs, and the outputs are bit-identical to those.
 * A CALIBRATE point (calibrate_every) is a barrier: A finishes, the tiles calibrate, the next input starts.
 * The host's time goes to the layer whose step it runs or sleeps in (aimc_rt_enter_layer). */
#include <string.h>

#include "aimc/hal/region.h"
#include "aimc/hal/tile.h"
#include "aimc/runtime.h"
#include "runtime_internal.h"

#define NONE UINT32_MAX
#define MULTI (UINT32_MAX - 1)
#define WINDOW 64u /* B looks at most this many steps past its first one not run */
#define SLICE 16u  /* B gathers this many pixels at a time: many short waits of A get filled */

typedef struct pipe_input {
  int active;
  uint32_t index;  /* in the batch */
  uint8_t *arena;  /* its set of activations */
  uint32_t next;   /* first step not run */
  uint32_t moves;  /* steps run (B's last fruitless look is void once it moved) */
  uint8_t ran[AIMC_RT_PIPE_MAX_STEPS + 1]; /* 1: the step ran (in order, or out of order while it was B) */
  uint32_t slicing;         /* a GATHER begun in slices (NONE: none), and its state */
  aimc_rt_gather gather;
  int8_t (*bufs)[AIMC_RT_GATHER_CHUNK];
  uint32_t count[AIMC_RT_MAX_TILES]; /* m->pushed[t] after its last command on tile t so far */
} pipe_input;

static pipe_input inputs_[2];
static int8_t slice_buf[2][2][AIMC_RT_GATHER_CHUNK] __attribute__((aligned(4)));
static uint32_t last_use[AIMC_RT_MAX_TILES]; /* last step using the tile; NONE */
static uint32_t sender[AIMC_RT_MAX_TILES];   /* the tile that SENDs into it: NONE, a tile or MULTI */
/* Per step, worked out once a batch: the tiles it uses, its arena access (0 none, 1 reads, 2 writes),
 * and the last step of A on those tiles (A must have run it first). */
static struct {
  uint16_t tile[2];
  uint8_t tiles, arena;
  uint32_t gate;
  uint32_t follow; /* GATHERs: the tile's next command, if nothing between it and the GATHER holds it back */
} info[AIMC_RT_PIPE_MAX_STEPS];
/* B's last fruitless look: nothing to run until A reaches step retry_at or B itself moves. */
static uint32_t retry_at, retry_next;
static uint32_t retry_moves;

static void describe(const aimc_image_step_t *s, unsigned i) {
  info[i].tiles = 0, info[i].arena = 0;
  switch (s->kind) {
  case AIMC_STEP_SEND: info[i].tile[1] = (uint16_t)s->a[2], info[i].tiles = 1; /* fall through */
  case AIMC_STEP_GATHER:
  case AIMC_STEP_TILE_CMD:
  case AIMC_STEP_WAIT:
  case AIMC_STEP_READ: info[i].tile[0] = s->tile, info[i].tiles++; break;
  default: break;
  }
  if (s->kind == AIMC_STEP_GATHER) info[i].arena = 1;
  if (s->kind == AIMC_STEP_READ || s->kind == AIMC_STEP_ADD || s->kind == AIMC_STEP_POOL || s->kind == AIMC_STEP_LUT)
    info[i].arena = 2;
}

/* The command on GATHER g's tile to push right after it: the first step after g that pushes on that tile,
 * when no step in between shares a tile with it (its input is then complete) and no WAIT comes first.
 * Tile work starts as soon as its input is in place, while the host gathers the next tile's. */
static uint32_t follower(const aimc_rt_model *m, uint32_t g) {
  const uint32_t t = m->steps[g].tile;
  for (uint32_t c = g + 1; c < m->header->n_steps && c - g < WINDOW; ++c) {
    const aimc_image_step_t *s = &m->steps[c];
    if (s->kind == AIMC_STEP_WAIT) return NONE;
    if ((s->kind != AIMC_STEP_TILE_CMD && s->kind != AIMC_STEP_SEND) || s->tile != t) continue;
    for (uint32_t r = g + 1; r < c; ++r)
      for (unsigned x = 0; x < info[c].tiles; ++x)
        for (unsigned y = 0; y < info[r].tiles; ++y)
          if (info[c].tile[x] == info[r].tile[y]) return NONE;
    return c;
  }
  return NONE;
}

static int ran(const pipe_input *p, uint32_t step) {
  return step == NONE || p->ran[step];
}

static void mark_ran(pipe_input *p, uint32_t step) {
  p->ran[step] = 1, p->moves++;
  while (p->ran[p->next]) p->next++;  /* ran[n_steps] stays 0 */
}

static void start(aimc_rt_model *m, pipe_input *p, uint32_t index, uint8_t *arena, const int8_t *input, size_t bytes) {
  p->active = 1, p->index = index, p->arena = arena, p->next = 0, p->moves = 0, p->slicing = NONE;
  memset(p->ran, 0, m->header->n_steps + 1u);
  for (uint32_t t = 0; t < m->header->tiles_needed; ++t) p->count[t] = m->pushed[t];
  memcpy(arena + m->header->input_offset, input, bytes);
}

/* A's commands on tile t have completed. */
static int completed(aimc_rt_model *m, const pipe_input *a, uint32_t t) {
  if ((int32_t)(m->done[t] - a->count[t]) >= 0) return 1;
  m->done[t] = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE);
  return (int32_t)(m->done[t] - a->count[t]) >= 0;
}

/* Whether B (input b) may run step i now, input a still in flight (or not: a->active == 0). Lowers
 * *retry to A's step from which a step that A's progress holds back may run. */
static int may_run(aimc_rt_model *m, const pipe_input *a, const pipe_input *b, uint32_t i, uint32_t *retry) {
  const unsigned nt = info[i].tiles, arena = info[i].arena;
  for (uint32_t r = b->next; r < i; ++r) {
    if (ran(b, r)) continue;
    for (unsigned x = 0; x < nt; ++x)
      for (unsigned y = 0; y < info[r].tiles; ++y)
        if (info[i].tile[x] == info[r].tile[y]) return 0;
    if (arena && info[r].arena && (arena == 2 || info[r].arena == 2)) return 0;
  }
  if (!a->active) return 1;
  if (a->next <= info[i].gate) {
    for (unsigned x = 0; x < nt; ++x)
      if (!ran(a, last_use[info[i].tile[x]])) {
        if (info[i].gate + 1 < *retry) *retry = info[i].gate + 1;
        return 0;
      }
  }
  /* Writes into a tile's input buffer, and READs: A's commands on the tile (and A's SENDs into it) have
   * completed. */
  const aimc_image_step_t *s = &m->steps[i];
  const uint32_t into = s->kind == AIMC_STEP_GATHER || s->kind == AIMC_STEP_READ ? s->tile
                        : s->kind == AIMC_STEP_SEND                               ? s->a[2]
                                                                                  : NONE;
  if (into == NONE) return 1;
  int ok = completed(m, a, into);
  if (ok && sender[into] == MULTI) {
    for (uint32_t x = 0; ok && x < m->header->tiles_needed; ++x) ok = completed(m, a, x);
  } else if (ok && sender[into] != NONE) {
    ok = completed(m, a, sender[into]);
  }
  if (!ok && a->next + 1 < *retry) *retry = a->next + 1;  /* a tile's progress: look again after A's next step */
  return ok;
}

/* Runs step i of input p: its activations, its layer's accounting, its tiles' counts. */
static int run_step(aimc_rt_model *m, pipe_input *p, uint32_t i) {
  const aimc_image_step_t *s = &m->steps[i];
  m->arena = p->arena;
  if (s->layer != m->layer) aimc_rt_enter_layer(m, s->layer);
  int rc = aimc_rt_step(m, i, s);
  if (rc) return rc;
  if (s->kind == AIMC_STEP_TILE_CMD || s->kind == AIMC_STEP_SEND) p->count[s->tile] = m->pushed[s->tile];
  mark_ran(p, i);
  return 0;
}

/* Up to `pixels` more of the GATHER p is slicing (begun first if need be): 1 when it is complete. */
static int run_slice(aimc_rt_model *m, pipe_input *p, uint32_t i, uint32_t pixels) {
  const aimc_image_step_t *s = &m->steps[i];
  m->arena = p->arena;
  if (s->layer != m->layer) aimc_rt_enter_layer(m, s->layer);
  int rc = 0;
  if (p->slicing != i) rc = aimc_rt_gather_begin(m, i, s, &p->gather, p->bufs);
  p->slicing = i;
  if (rc == 0) rc = aimc_rt_gather_pixels(&p->gather, pixels);
  if (rc == 1) p->slicing = NONE, mark_ran(p, i);
  return rc;
}

typedef struct batch {
  const int8_t *inputs;
  uint32_t n, started;
  size_t stride, bytes;
  uint8_t *slot[2];
  uint32_t region; /* the syscon region current before the batch */
} batch;

/* One step of B (started here if need be) while A sleeps: 1 if one ran, 0 if none may, < 0 an error. */
/* Nothing for B to do, as far as the last look tells (no bus access). */
static int b_idle(const aimc_rt_model *m, const batch *q, const pipe_input *a, const pipe_input *b) {
  if (!b->active) return q->started == q->n || aimc_rt_calibration_due(m, m->runs + 1);
  return b->slicing == NONE && b->next == retry_next && b->moves == retry_moves && a->next < retry_at;
}

static int run_b(aimc_rt_model *m, batch *q, pipe_input *a, pipe_input *b) {
  if (!b->active) {
    /* A CALIBRATE point waits for A to finish. */
    if (q->started == q->n || aimc_rt_calibration_due(m, m->runs + 1)) return 0;
    start(m, b, q->started, a->arena == q->slot[0] ? q->slot[1] : q->slot[0], q->inputs + q->started * q->stride,
          q->bytes);
    q->started++;
    return 1;
  }
  uint32_t i = b->slicing;
  if (i == NONE) {
    if (b->next == retry_next && b->moves == retry_moves && a->next < retry_at) return 0;
    uint32_t retry = NONE;
    for (i = b->next; i < m->header->n_steps && i - b->next < WINDOW; ++i) {
      if (ran(b, i)) continue;
      if (m->steps[i].kind == AIMC_STEP_WAIT || may_run(m, a, b, i, &retry)) break;
    }
    if (i == m->header->n_steps || i - b->next == WINDOW || m->steps[i].kind == AIMC_STEP_WAIT) {
      retry_at = retry, retry_next = b->next, retry_moves = b->moves;
      return 0;
    }
    m->overlapped++;
    if (m->steps[i].kind != AIMC_STEP_GATHER) {
      int rc = run_step(m, b, i);
      return rc ? rc : 1;
    }
  }
  int rc = run_slice(m, b, i, SLICE);
  if (rc <= 0) return rc < 0 ? rc : 1;
  /* The GATHER is complete: its tile's command, if B may push it. */
  uint32_t retry = NONE;
  const uint32_t f = info[i].follow;
  if (f != NONE && !ran(b, f) && may_run(m, a, b, f, &retry)) {
    rc = run_step(m, b, f);
    m->overlapped++;
  }
  return rc ? rc : 1;
}

/* Step A.next of A; at a WAIT, B's steps fill the time until the tile reaches the FENCE. */
static int advance_a(aimc_rt_model *m, batch *q, pipe_input *a, pipe_input *b) {
  const uint32_t i = a->next;
  const aimc_image_step_t *s = &m->steps[i];
  if (s->kind != AIMC_STEP_WAIT) {
    int rc = i == a->slicing ? run_slice(m, a, i, UINT32_MAX) : run_step(m, a, i);
    if (rc > 0) rc = 0;
    const uint32_t f = info[i].follow;
    if (rc == 0 && f != NONE && !ran(a, f)) rc = run_step(m, a, f);
    return rc;
  }
  aimc_rt_enter_layer(m, s->layer);
  uint32_t tag = 0;
  int rc = aimc_rt_wait_begin(m, s->tile, &tag);
  if (rc) return aimc_rt_fail(m, rc, "step %lu: tile %u: %s", (unsigned long)i, s->tile, aimc_strerror(rc));
  a->count[s->tile] = m->pushed[s->tile];
  /* FENCE_TAG is read only when B might have work: a bus access costs the host time too. */
  while (!b_idle(m, q, a, b) && aimc_tile_reg_read(s->tile, AIMC_TILE_FENCE_TAG) != tag) {
    rc = run_b(m, q, a, b);
    if (rc < 0) return rc;
    if (rc == 0) break;
  }
  m->arena = a->arena;
  aimc_rt_enter_layer(m, s->layer);
  rc = aimc_rt_wait_end(m, s->tile, tag);
  if (rc) return aimc_rt_fail(m, rc, "step %lu: tile %u: %s", (unsigned long)i, s->tile, aimc_strerror(rc));
  mark_ran(a, i);
  return 0;
}

int aimc_rt_can_pipeline(const aimc_rt_model *m) {
  if (!m || !m->header || !m->pipeline) return 0;
  const size_t set = ((size_t)m->header->arena_bytes + 7u) & ~(size_t)7u;
  return m->header->n_steps <= AIMC_RT_PIPE_MAX_STEPS && m->arena_bytes >= 2 * set;
}

/* Input k's error in m->message: "input k: <the step's message>". */
static int fail_input(aimc_rt_model *m, int rc, uint32_t k) {
  char what[sizeof m->message];
  memcpy(what, m->message, sizeof what);
  return aimc_rt_fail(m, rc, "input %lu: %s", (unsigned long)k, what);
}

static int run_pipelined(aimc_rt_model *m, batch *q, aimc_rt_output_fn done, void *ctx) {
  const aimc_image_header_t *h = m->header;
  for (uint32_t t = 0; t < h->tiles_needed; ++t) last_use[t] = NONE, sender[t] = NONE;
  for (uint32_t i = 0; i < h->n_steps; ++i) {
    const aimc_image_step_t *s = &m->steps[i];
    describe(s, i);
    for (unsigned x = 0; x < info[i].tiles; ++x) last_use[info[i].tile[x]] = i;
    if (s->kind == AIMC_STEP_SEND) {
      uint32_t *d = &sender[s->a[2]];
      *d = *d == NONE || *d == s->tile ? s->tile : MULTI;
    }
  }
  for (uint32_t i = 0; i < h->n_steps; ++i) {
    info[i].gate = 0;
    for (unsigned x = 0; x < info[i].tiles; ++x)
      if (last_use[info[i].tile[x]] > info[i].gate) info[i].gate = last_use[info[i].tile[x]];
  }
  for (uint32_t g = 0; g < h->n_steps; ++g) {
    info[g].follow = NONE;
    if (m->steps[g].kind == AIMC_STEP_GATHER) info[g].follow = follower(m, g);
  }
  retry_at = 0, retry_next = NONE;
  memset(q->slot[1], 0, h->arena_bytes);  /* as aimc_rt_load leaves the first set */
  pipe_input *a = &inputs_[0], *b = &inputs_[1];
  a->active = b->active = 0;
  a->bufs = slice_buf[0], b->bufs = slice_buf[1];
  int rc = 0;
  while (rc == 0) {
    if (!a->active) {
      if (b->active) {
        pipe_input *x = a;
        a = b, b = x;
      } else {
        if (q->started == q->n) break;
        m->arena = a->arena == q->slot[0] ? q->slot[1] : q->slot[0];
        rc = aimc_rt_compensate_before_run(m);
        if (rc) return fail_input(m, rc, q->started);
        start(m, a, q->started, m->arena, q->inputs + q->started * q->stride, q->bytes);
        q->started++;
      }
    }
    if (a->next < h->n_steps) {
      rc = advance_a(m, q, a, b);
      if (rc) return fail_input(m, rc, b->active && m->arena == b->arena ? b->index : a->index);
      continue;
    }
    a->active = 0;
    m->runs++;
    m->arena = a->arena;
    if (done) {
      /* The caller's time is no layer's, as around aimc_rt_run; the next step makes its layer current. */
      aimc_rt_enter_layer(m, AIMC_RT_NO_LAYER);
      (void)aimc_region(q->region);
      done(ctx, a->index, (const int8_t *)(a->arena + h->output_offset));
    }
  }
  return rc;
}

int aimc_rt_run_batch(aimc_rt_model *m, const int8_t *inputs, uint32_t n, size_t stride, size_t bytes,
                      aimc_rt_output_fn done, void *ctx) {
  int rc = aimc_rt_check_input(m, inputs, bytes);
  if (rc) return rc;
  if (n == 0) return aimc_rt_fail(m, AIMC_RT_EINPUT, "a batch of no inputs");
  if (stride < bytes)
    return aimc_rt_fail(m, AIMC_RT_EINPUT, "inputs %lu bytes apart, each %lu bytes long", (unsigned long)stride,
                        (unsigned long)bytes);
  uint8_t *base = m->arena;
  if (n == 1 || !aimc_rt_can_pipeline(m)) {
    for (uint32_t k = 0; k < n; ++k) {
      rc = aimc_rt_run(m, inputs + k * stride, bytes);
      if (rc) return fail_input(m, rc, k);
      if (done) done(ctx, k, aimc_rt_output(m));
    }
    return 0;
  }
  batch q = {.inputs = inputs, .n = n, .started = 0, .stride = stride, .bytes = bytes};
  q.slot[0] = base;
  q.slot[1] = base + (((size_t)m->header->arena_bytes + 7u) & ~(size_t)7u);
  inputs_[0].arena = q.slot[1];  /* the first input takes slot 0 */
  const uint32_t region_before = q.region = aimc_region_current();
  rc = run_pipelined(m, &q, done, ctx);
  aimc_rt_enter_layer(m, AIMC_RT_NO_LAYER);
  (void)aimc_region(region_before);
  /* aimc_rt_output and later runs use the first set: the last outputs go there. */
  if (rc == 0 && m->arena != base)
    memcpy(base + m->header->output_offset, m->arena + m->header->output_offset, m->header->output_count);
  m->arena = base;
  return rc;
}
