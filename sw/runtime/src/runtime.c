/* The runtime's interpreter: programs the tiles and runs an image's steps with the reference
 * evaluator's arithmetic (sw/compiler/ref_eval.cpp), tile commands queued and waited for by interrupt. */
#include <string.h>

#include "aimc/hal/dma.h"
#include "aimc/hal/region.h"
#include "aimc/hal/syscon.h"
#include "aimc/hal/tile.h"
#include "aimc/hal/trap.h"
#include "aimc/platform.h"
#include "aimc/regs/syscon.h"
#include "aimc/runtime.h"
#include "runtime_internal.h"

/* Host staging of a GATHER: patches are built in a 4 KiB buffer, which then goes to the tile's input
 * buffer. With the DMA engine, one buffer is in flight while the host fills the other: a chunk costs
 * the host a handful of register accesses instead of a store per word. */
static int8_t gather_buf[2][AIMC_RT_GATHER_CHUNK] __attribute__((aligned(4)));
static struct aimc_dma_desc dma_desc __attribute__((aligned(32)));
/* A READ of at least this many bytes goes to the arena through the DMA engine (one strided descriptor);
 * a few words cost less as host loads than the engine's setup and the wait. */
#define READ_DMA_BYTES 256u

/* Names region `id` through the syscon's REGION_NAME register: select it, clear, append 4 bytes a write. */
static void name_region(uint32_t id, const char *name) {
  if (!aimc_syscon_present()) return;
  const uint32_t before = aimc_region_current();
  (void)aimc_rt_region(id, name);
  (void)aimc_region(before);
}

int aimc_rt_region(uint32_t id, const char *name) {
  int rc = aimc_region(id);
  if (rc || !name) return rc;
  volatile uint32_t *reg = &AIMC_MMIO32(AIMC_SYSCON_BASE + AIMC_SYSCON_REGION_NAME);
  *reg = 0;
  for (size_t n = strlen(name), i = 0; i < n; i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4 && i + k < n; ++k) w |= (uint32_t)(uint8_t)name[i + k] << (8 * k);
    *reg = w;
  }
  return 0;
}

/* Time the host sleeps on tiles, credited to the current layer's wait_ns (only while it is measured). */
static uint64_t sleep_start(const aimc_rt_model *m) {
  return m->measure && m->layer != AIMC_RT_NO_LAYER ? aimc_sim_time_ns() : 0;
}
static void sleep_end(aimc_rt_model *m, uint64_t t0) {
  if (m->measure && m->layer != AIMC_RT_NO_LAYER) m->layer_stats[m->layer].wait_ns += aimc_sim_time_ns() - t0;
}

int aimc_rt_wait_begin(aimc_rt_model *m, unsigned t, uint32_t *tag) {
  int rc = aimc_tile_next_tag(t, tag);
  if (rc == 0) rc = aimc_tile_fence(t, *tag);
  m->pushed[t] += 1;
  return rc;
}

/* wfi until the tile's FENCE interrupt (stops on its ERROR interrupt); polled without one. */
int aimc_rt_wait_end(aimc_rt_model *m, unsigned t, uint32_t tag) {
  const uint64_t t0 = sleep_start(m);
  int rc = m->irq[t] ? aimc_tile_wait_fence_irq(t, tag, true, AIMC_RT_TIMEOUT_US)
                     : aimc_tile_wait_fence(t, tag, AIMC_RT_TIMEOUT_US);
  sleep_end(m, t0);
  if (rc == 0 && !m->irq[t]) {  /* polled waits see a latched error only through ERROR */
    uint32_t code = 0;
    rc = aimc_tile_error(t, &code, NULL);
    if (rc == 0 && code) rc = AIMC_ETILE(code);
  }
  if (rc == 0) m->done[t] = m->pushed[t];
  return rc;
}

/* Waits for everything queued on tile t: a FENCE, then the sleep until the tile reached it. */
static int tile_wait(aimc_rt_model *m, unsigned t) {
  uint32_t tag = 0;
  int rc = aimc_rt_wait_begin(m, t, &tag);
  return rc ? rc : aimc_rt_wait_end(m, t, tag);
}

/* Room in tile t's queue for one more command, keeping a slot for a WAIT's FENCE: a full queue
 * would drop commands. */
static int tile_room(aimc_rt_model *m, unsigned t) {
  if (m->pushed[t] - m->done[t] + 2 <= m->queue_depth) return 0;
  m->done[t] = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE);
  if (m->pushed[t] - m->done[t] + 2 <= m->queue_depth) return 0;
  const uint64_t t0 = sleep_start(m);
  int rc = aimc_tile_wait_done(t, m->pushed[t] - m->queue_depth + 2, AIMC_RT_TIMEOUT_US);
  sleep_end(m, t0);
  if (rc == 0) m->done[t] = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE);
  return rc;
}

int aimc_rt_program(aimc_rt_model *m) {
  if (!m || !m->header) return AIMC_RT_ESTATE;
  const aimc_image_header_t *h = m->header;
  const uint8_t *blob = m->file + h->blob_offset;
  for (uint32_t i = 0; i < h->n_layers; ++i)
    name_region(AIMC_RT_REGION_BASE + i, aimc_rt_layer_name(m, i));
  for (uint32_t i = 0; i < h->n_tiles; ++i) {
    const aimc_image_tile_t *r = &m->tiles[i];
    const unsigned t = r->tile;
    int rc = aimc_tile_irq_attach(t, AIMC_TILE_IRQ_FENCE | AIMC_TILE_IRQ_ERROR);
    if (rc != 0 && rc != AIMC_ENOIRQ) return aimc_rt_fail(m, rc, "tile %u: interrupt: %s", t, aimc_strerror(rc));
    m->irq[t] = rc == 0;
    m->pushed[t] = m->done[t] = aimc_tile_reg_read(t, AIMC_TILE_CMD_DONE);
    rc = aimc_tile_write(t, AIMC_TILE_LDPU_OFFSET, blob + r->ldpu_offset, r->ldpu_bytes);
    if (rc) return aimc_rt_fail(m, rc, "tile %u: LDPU memory: %s", t, aimc_strerror(rc));
  }
  /* Stage and program block k of every tile, then wait for all of them: tiles program concurrently. */
  for (uint32_t k = 0;; ++k) {
    int any = 0;
    for (uint32_t i = 0; i < h->n_tiles; ++i) {
      const aimc_image_tile_t *r = &m->tiles[i];
      if (k >= r->n_blocks) continue;
      const aimc_image_block_t *b = &m->blocks[r->first_block + k];
      const unsigned t = r->tile;
      int rc = aimc_tile_stage_weights(t, 0, (const int8_t *)(blob + b->weights_offset), (size_t)b->rows * b->cols);
      if (rc == 0)
        rc = aimc_tile_program(t, &(aimc_tile_program_args){
                                      .staging = 0, .rows = b->rows, .cols = b->cols, .row0 = b->row0, .col0 = b->col0});
      m->pushed[t] += 1;
      if (rc) return aimc_rt_fail(m, rc, "tile %u: block %lu: %s", t, (unsigned long)(r->first_block + k), aimc_strerror(rc));
      any = 1;
    }
    if (!any) break;
    for (uint32_t i = 0; i < h->n_tiles; ++i) {
      const aimc_image_tile_t *r = &m->tiles[i];
      if (k >= r->n_blocks) continue;
      int rc = tile_wait(m, r->tile);
      if (rc)
        return aimc_rt_fail(m, rc, "tile %u: PROGRAM of block %lu: %s", r->tile, (unsigned long)(r->first_block + k),
                            aimc_strerror(rc));
    }
  }
  m->dma = aimc_dma_present();
  m->programmed = 1;
  return aimc_rt_compensate_after_program(m);
}

#define BAD(what, ...) aimc_rt_fail(m, AIMC_RT_EIMAGE, "step %lu (" what "): " __VA_ARGS__)

static int arena_ok(const aimc_rt_model *m, uint64_t offset, uint64_t bytes) {
  return offset + bytes <= m->header->arena_bytes;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

/* rne(sum / count), ties to even (integers). */
static int64_t rne_div(int64_t sum, int64_t count) {
  int64_t q = floor_div(sum, count), r = sum - q * count;
  return 2 * r > count || (2 * r == count && (q & 1)) ? q + 1 : q;
}

/* rne(x / 2^shift), ties to even, shift <= 31: the remainder taken as the low bits (two's complement). */
static int32_t rne_shift32(int32_t x, unsigned shift) {
  if (shift == 0) return x;
  const int32_t q = x >> shift;
  const uint32_t r = (uint32_t)x & ((1u << shift) - 1u), half = 1u << (shift - 1);
  return r > half || (r == half && (q & 1)) ? q + 1 : q;
}

static int8_t sat8(int32_t v) { return (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v); }

/* Waits for the chunk in flight, if any. */
static int stage_settle(aimc_rt_gather *g) {
  if (!g->in_flight) return 0;
  g->in_flight = 0;
  int rc = aimc_dma_wait(AIMC_RT_TIMEOUT_US);
  if (rc) return aimc_rt_fail(g->m, rc, "step %lu (gather): DMA to tile %u: %s", g->step, g->tile, aimc_strerror(rc));
  return 0;
}

static int stage_flush(aimc_rt_gather *g) {
  if (g->fill == 0) return 0;
  int rc;
  if (g->m->dma) {
    /* The window check aimc_tile_write makes; the DMA engine then moves the chunk. */
    rc = AIMC_TILE_IN_OFFSET + (uint64_t)g->at + g->fill > AIMC_TILE_WINDOW ? AIMC_EINVAL : stage_settle(g);
    if (rc == 0) rc = aimc_dma_desc_1d(&dma_desc, aimc_tile_in_addr(g->tile, g->at), (uintptr_t)g->buf, g->fill);
    if (rc == 0) rc = aimc_dma_start(&dma_desc, false);
    if (rc == 0) g->in_flight = 1, g->buf = g->buf == g->bufs[0] ? g->bufs[1] : g->bufs[0];
  } else {
    rc = aimc_tile_write(g->tile, AIMC_TILE_IN_OFFSET + g->at, g->buf, g->fill);
  }
  if (rc) return aimc_rt_fail(g->m, rc, "step %lu (gather): tile %u: %s", g->step, g->tile, aimc_strerror(rc));
  g->at += g->fill, g->fill = 0;
  return 0;
}

/* Appends n bytes: a copy of src, or zeros when src is NULL. */
static int stage(aimc_rt_gather *g, const int8_t *src, uint32_t n) {
  while (n) {
    if (g->fill == AIMC_RT_GATHER_CHUNK) {
      int rc = stage_flush(g);
      if (rc) return rc;
    }
    const uint32_t k = n < AIMC_RT_GATHER_CHUNK - g->fill ? n : AIMC_RT_GATHER_CHUNK - g->fill;
    if (src) memcpy(g->buf + g->fill, src, k), src += k;
    else memset(g->buf + g->fill, 0, k);
    g->fill += k, n -= k;
  }
  return 0;
}

int aimc_rt_gather_begin(aimc_rt_model *m, unsigned long i, const aimc_image_step_t *s, aimc_rt_gather *g,
                         int8_t (*bufs)[AIMC_RT_GATHER_CHUNK]) {
  const uint32_t *a = s->a;
  const int64_t H = a[1], W = a[2], C = a[3], kh = a[4] & 0xFFFF, kw = a[4] >> 16, ow = a[7], npix = a[9], nk = a[11],
                K = a[13];
  if (H > 65535 || W > 65535 || C > 65535 || npix > (1 << 24) || nk > (1 << 24))
    return BAD("gather", "a %ldx%ldx%ld tensor or %ld pixels is out of range", i, (long)H, (long)W, (long)C, (long)npix);
  if (C == 0 || kw == 0 || ow == 0 || K == 0 || K > kh * kw * C)
    return BAD("gather", "patch length %ld of a %ldx%ldx%ld kernel", i, (long)K, (long)kh, (long)kw, (long)C);
  if (!arena_ok(m, a[0], (uint64_t)(H * W * C))) return BAD("gather", "source past the arena", i);
  *g = (aimc_rt_gather){.m = m, .step = i, .tile = s->tile, .at = a[12], .buf = bufs[0], .s = s,
                        .src = (const int8_t *)(m->arena + a[0]), .oy = a[8] / ow, .ox = a[8] % ow};
  g->bufs[0] = bufs[0], g->bufs[1] = bufs[1];
  return 0;
}

/* The patch elements of one kernel row (kx, c with c fastest) are kw x C consecutive bytes of the HWC
 * source, so a patch is copied a row segment at a time; only the columns outside the image are zeros. */
/* On a copy of the state, in this frame: the compiler keeps its fields in registers around the copies. */
static inline __attribute__((always_inline)) int gather_pixels(aimc_rt_gather *g, uint32_t pixels) {
  const uint32_t *a = g->s->a;
  const int64_t H = a[1], W = a[2], C = a[3], kw = a[4] >> 16, sh = a[5] & 0xFFFF, sw = a[5] >> 16, pt = a[6] & 0xFFFF,
                pl = a[6] >> 16, ow = a[7], npix = a[9], k0 = a[10], nk = a[11], K = a[13];
  const int8_t *src = g->src;
  /* Element e = (k0 + k) mod K of a patch is at kernel row e / row, byte e % row of it. */
  const uint32_t row = (uint32_t)(kw * C), Ku = (uint32_t)K, e0 = (uint32_t)(k0 % K), ky0 = e0 / row, off0 = e0 % row;
  const int64_t row_stride = W * C, end = g->p + pixels < npix ? g->p + pixels : npix;
  int64_t p = g->p, oy = g->oy, ox = g->ox;
  int rc = 0;
  for (; p < end; ++p) {
    const int64_t by = oy * sh - pt, bx = ox * sw - pl;
    /* Bytes [lo, hi) of a kernel row lie inside the image's columns. */
    const int64_t lo64 = bx < 0 ? -bx * C : 0, hi64 = W - bx <= 0 ? 0 : (W - bx) * C;
    const uint32_t lo = lo64 < row ? (uint32_t)lo64 : row, hi = hi64 < row ? (uint32_t)hi64 : row;
    uint32_t e = e0, ky = ky0, off = off0, left = (uint32_t)nk;
    /* A patch that would straddle the buffer's end goes whole into the next buffer instead. */
    if (g->fill + left > AIMC_RT_GATHER_CHUNK && left <= AIMC_RT_GATHER_CHUNK && (rc = stage_flush(g)) != 0) goto out;
    if (g->fill + left <= AIMC_RT_GATHER_CHUNK) {
      /* The whole patch fits in the buffer: bytes written in place, and a patch held more than once
       * (the compiler's row copies) is built once, then repeated from the buffer itself. */
      int8_t *d = g->buf + g->fill;
      const uint32_t once = e0 == 0 && left > Ku ? Ku : left;
      for (uint32_t k = 0; k < once;) {
        uint32_t n = row - off;
        if (n > Ku - e) n = Ku - e;
        if (n > once - k) n = once - k;
        const int64_t iy = by + ky;
        const uint32_t from = off > lo ? off : lo, to = off + n < hi ? off + n : hi;
        /* Short runs byte by byte (a call costs more), long ones by the library's word copies. */
        if (iy < 0 || iy >= H || from >= to) {
          if (n < 16) for (uint32_t j = 0; j < n; ++j) d[k + j] = 0;
          else memset(d + k, 0, n);
        } else {
          const int8_t *s = src + (iy * row_stride + bx * C + from);
          const uint32_t z = from - off, c = to - from;
          for (uint32_t j = 0; j < z; ++j) d[k + j] = 0;
          if (c < 16) for (uint32_t j = 0; j < c; ++j) d[k + z + j] = s[j];
          else memcpy(d + k + z, s, c);
          for (uint32_t j = z + c; j < n; ++j) d[k + j] = 0;
        }
        k += n, e += n, off += n;
        if (e == Ku) e = 0, ky = 0, off = 0;
        else if (off == row) off = 0, ++ky;
      }
      for (uint32_t k = once; k < left; k += Ku) memcpy(d + k, d, left - k < Ku ? left - k : Ku);
      g->fill += left;
      if (++ox == ow) ox = 0, ++oy;
      continue;
    }
    while (left) {
      uint32_t n = row - off;
      if (n > Ku - e) n = Ku - e;
      if (n > left) n = left;
      const int64_t iy = by + ky;
      const uint32_t from = off > lo ? off : lo, to = off + n < hi ? off + n : hi;
      if (iy < 0 || iy >= H || from >= to) {
        rc = stage(g, NULL, n);
      } else {
        rc = stage(g, NULL, from - off);
        if (rc == 0) rc = stage(g, src + (iy * row_stride + bx * C + from), to - from);
        if (rc == 0) rc = stage(g, NULL, off + n - to);
      }
      if (rc) goto out;
      left -= n, e += n, off += n;
      if (e == Ku) e = 0, ky = 0, off = 0;
      else if (off == row) off = 0, ++ky;
    }
    if (++ox == ow) ox = 0, ++oy;
  }
out:
  g->p = p, g->oy = oy, g->ox = ox;
  if (rc == 0 && p == npix) rc = stage_flush(g);
  /* The engine is idle on return, the message kept on an error: the tile's next command reads these
   * bytes, or other steps use the engine before the next slice. */
  if (rc == 0) rc = stage_settle(g);
  else if (g->in_flight) (void)aimc_dma_wait(AIMC_RT_TIMEOUT_US), g->in_flight = 0;
  return rc < 0 ? rc : g->p == npix;
}

int aimc_rt_gather_pixels(aimc_rt_gather *g, uint32_t pixels) {
  aimc_rt_gather local = *g;
  const int rc = gather_pixels(&local, pixels);
  *g = local;
  return rc;
}

static int step_gather(aimc_rt_model *m, unsigned long i, const aimc_image_step_t *s) {
  aimc_rt_gather g;
  int rc = aimc_rt_gather_begin(m, i, s, &g, gather_buf);
  if (rc == 0) rc = gather_pixels(&g, s->a[9]);
  return rc < 0 ? rc : 0;
}

static int step_pool(aimc_rt_model *m, unsigned long i, const uint32_t *a) {
  const int64_t H = a[1], W = a[2], C = a[3], kh = a[4] & 0xFFFF, kw = a[4] >> 16, sh = a[5] & 0xFFFF, sw = a[5] >> 16,
                pt = a[6] & 0xFFFF, pl = a[6] >> 16, oh = a[7] & 0xFFFF, ow = a[7] >> 16;
  if (kh == 0 || kw == 0 || sh == 0 || sw == 0 || H > 65535 || W > 65535 || C > 65535)
    return BAD("pool", "zero kernel or stride, or a %ldx%ldx%ld tensor", i, (long)H, (long)W, (long)C);
  if (!arena_ok(m, a[0], (uint64_t)(H * W * C)) || !arena_ok(m, a[8], (uint64_t)(oh * ow * C)))
    return BAD("pool", "source or destination past the arena", i);
  const int8_t *x = (const int8_t *)(m->arena + a[0]);
  int8_t *d = (int8_t *)(m->arena + a[8]);
  /* The window clipped to the image once per output pixel; max in 32 bits, sums in 64. */
  const int32_t Cs = (int32_t)C;
  const int64_t row = W * C;
  for (int64_t oy = 0; oy < oh; ++oy) {
    const int64_t y0 = oy * sh - pt, ya = y0 < 0 ? 0 : y0, yb = y0 + kh > H ? H : y0 + kh;
    for (int64_t ox = 0; ox < ow; ++ox, d += C) {
      const int64_t x0 = ox * sw - pl, xa = x0 < 0 ? 0 : x0, xb = x0 + kw > W ? W : x0 + kw;
      const int32_t ny = ya < yb ? (int32_t)(yb - ya) : 0, nx = xa < xb ? (int32_t)(xb - xa) : 0;
      const int8_t *w0 = ny && nx ? x + (ya * W + xa) * C : x;
      for (int32_t c = 0; c < Cs; ++c) {
        const int8_t *r = w0 + c;
        if (a[9]) {
          int64_t acc = 0;
          for (int32_t ky = 0; ky < ny; ++ky, r += row)
            for (int32_t kx = 0, k = 0; kx < nx; ++kx, k += Cs) acc += r[k];
          const int64_t count = (int64_t)ny * nx;
          d[c] = (int8_t)rne_div(acc, a[10] ? kh * kw : (count > 0 ? count : 1));
        } else {
          int32_t acc = -129;  /* padding never wins; an empty window gives 0 */
          for (int32_t ky = 0; ky < ny; ++ky, r += row)
            for (int32_t kx = 0, k = 0; kx < nx; ++kx, k += Cs)
              if (r[k] > acc) acc = r[k];
          d[c] = (int8_t)(ny && nx ? acc : 0);
        }
      }
    }
  }
  return 0;
}

int aimc_rt_step(aimc_rt_model *m, unsigned long i, const aimc_image_step_t *s) {
  const uint32_t *a = s->a;
  const unsigned t = s->tile;
  int rc = 0;
  switch (s->kind) {
  case AIMC_STEP_GATHER: return step_gather(m, i, s);
  case AIMC_STEP_TILE_CMD:
    if (a[0] != AIMC_TILE_OP_MVM && a[0] != AIMC_TILE_OP_LDPU && a[0] != AIMC_TILE_OP_FENCE)
      return BAD("tile command", "opcode %lu is not a per-inference command", i, (unsigned long)a[0]);
    rc = tile_room(m, t);
    if (rc == 0) rc = aimc_tile_push(t, a[0], &a[1], 8);
    m->pushed[t] += 1;
    break;
  case AIMC_STEP_SEND:
    rc = tile_room(m, t);
    if (rc == 0) rc = aimc_tile_send(t, a[0], a[1], aimc_tile_in_addr(a[2], a[3]));
    m->pushed[t] += 1;
    break;
  case AIMC_STEP_WAIT: rc = tile_wait(m, t); break;
  case AIMC_STEP_READ: {
    const uint64_t n = a[5], bytes = a[4];
    if (n == 0) return 0;
    if (!arena_ok(m, a[2], (n - 1) * a[3] + bytes)) return BAD("read", "destination past the arena", i);
    if (m->dma && n * bytes >= READ_DMA_BYTES) {
      /* One strided descriptor; the window check aimc_tile_read makes, for the last vector. */
      if (AIMC_TILE_OUT_OFFSET + a[0] + (n - 1) * a[1] + bytes > AIMC_TILE_WINDOW) rc = AIMC_EINVAL;
      if (rc == 0)
        rc = aimc_dma_desc_2d(&dma_desc, (uintptr_t)(m->arena + a[2]), a[3], aimc_tile_out_addr(t, a[0]), a[1],
                              (uint32_t)bytes, (uint32_t)n);
      if (rc == 0) rc = aimc_dma_start(&dma_desc, false);
      if (rc == 0) rc = aimc_dma_wait(AIMC_RT_TIMEOUT_US);
      break;
    }
    for (uint64_t v = 0; v < n && rc == 0; ++v)
      rc = aimc_tile_read(t, AIMC_TILE_OUT_OFFSET + a[0] + (uint32_t)(v * a[1]), m->arena + a[2] + v * a[3], bytes);
    break;
  }
  case AIMC_STEP_ADD: {
    if (!arena_ok(m, a[0], a[3]) || !arena_ok(m, a[1], a[3]) || !arena_ok(m, a[2], a[3]))
      return BAD("add", "operands past the arena", i);
    if (a[6] > 31) return BAD("add", "shift %lu > 31", i, (unsigned long)a[6]);
    const int8_t *x = (const int8_t *)(m->arena + a[0]), *y = (const int8_t *)(m->arena + a[1]);
    int8_t *d = (int8_t *)(m->arena + a[2]);
    /* int8 x int16 products and their sum fit in 32 bits. */
    const int32_t ma = (int16_t)a[4], mb = (int16_t)a[5], relu = a[7] & 1;
    const unsigned shift = a[6];
    for (uint32_t k = 0; k < a[3]; ++k) {
      const int8_t v = sat8(rne_shift32(x[k] * ma + y[k] * mb, shift));
      d[k] = relu && v < 0 ? 0 : v;
    }
    return 0;
  }
  case AIMC_STEP_POOL: return step_pool(m, i, a);
  case AIMC_STEP_LUT: {
    if (!arena_ok(m, a[0], a[2]) || !arena_ok(m, a[1], a[2])) return BAD("lut", "operands past the arena", i);
    const int8_t *x = (const int8_t *)(m->arena + a[0]);
    int8_t *d = (int8_t *)(m->arena + a[1]);
    const int8_t *lut = (const int8_t *)(m->file + m->header->blob_offset + a[3]);
    for (uint32_t k = 0; k < a[2]; ++k) d[k] = lut[x[k] + 128];
    return 0;
  }
  default: return BAD("?", "unknown kind %u", i, s->kind);
  }
  if (rc) return aimc_rt_fail(m, rc, "step %lu: tile %u: %s", i, t, aimc_strerror(rc));
  return 0;
}

void aimc_rt_enter_layer(aimc_rt_model *m, uint32_t layer) {
  if (layer == m->layer) return;
  if (m->measure) {
    const uint64_t t1 = aimc_sim_time_ns(), e1 = aimc_energy_pj();
    if (m->layer != AIMC_RT_NO_LAYER) {
      m->layer_stats[m->layer].time_ns += t1 - m->mark_ns;
      m->layer_stats[m->layer].energy_pj += e1 - m->mark_pj;
    }
    m->mark_ns = t1, m->mark_pj = e1;
  }
  if (layer != AIMC_RT_NO_LAYER) (void)aimc_region(AIMC_RT_REGION_BASE + layer);
  m->layer = layer;
}

int aimc_rt_check_input(aimc_rt_model *m, const int8_t *input, size_t bytes) {
  if (!m || !m->header || !m->programmed)
    return m ? aimc_rt_fail(m, AIMC_RT_ESTATE, "no model loaded and programmed") : AIMC_EINVAL;
  const aimc_image_header_t *h = m->header;
  const size_t need = (size_t)h->input_c * h->input_h * h->input_w;
  if (!input || bytes != need)
    return aimc_rt_fail(m, AIMC_RT_EINPUT, "input of %lu bytes, model '%.32s' takes %ux%ux%u = %lu",
                        (unsigned long)bytes, h->model_name, h->input_h, h->input_w, h->input_c, (unsigned long)need);
  return 0;
}

int aimc_rt_run(aimc_rt_model *m, const int8_t *input, size_t bytes) {
  int rc = aimc_rt_check_input(m, input, bytes);
  if (rc == 0) rc = aimc_rt_compensate_before_run(m);
  if (rc) return rc;
  const aimc_image_header_t *h = m->header;
  memcpy(m->arena + h->input_offset, input, bytes);
  const uint32_t region_before = aimc_region_current();
  for (uint32_t i = 0; i < h->n_steps && rc == 0; ++i) {
    aimc_rt_enter_layer(m, m->steps[i].layer);
    rc = aimc_rt_step(m, i, &m->steps[i]);
  }
  aimc_rt_enter_layer(m, AIMC_RT_NO_LAYER);
  (void)aimc_region(region_before);
  if (rc == 0) m->runs++;
  return rc;
}

const int8_t *aimc_rt_output(const aimc_rt_model *m) {
  return m && m->header ? (const int8_t *)(m->arena + m->header->output_offset) : NULL;
}

int aimc_rt_argmax(const aimc_rt_model *m) {
  const int8_t *y = aimc_rt_output(m);
  if (!y) return AIMC_RT_ESTATE;
  int best = 0;
  for (uint32_t i = 1; i < m->header->output_count; ++i)
    if (y[i] > y[best]) best = (int)i;
  return best;
}

const char *aimc_rt_layer_name(const aimc_rt_model *m, uint32_t layer) {
  if (!m || !m->header || layer >= m->header->n_layers) return NULL;
  return (const char *)(m->file + m->header->strings_offset + m->layers[layer].name_offset);
}

const aimc_rt_layer_stats *aimc_rt_layer_stats_of(const aimc_rt_model *m, uint32_t layer) {
  return m && m->header && layer < m->header->n_layers ? &m->layer_stats[layer] : NULL;
}

int aimc_rt_tile_room(aimc_rt_model *m, unsigned t) { return tile_room(m, t); }
int aimc_rt_tile_wait(aimc_rt_model *m, unsigned t) { return tile_wait(m, t); }

uint32_t aimc_rt_tile_count(const aimc_rt_model *m) { return m && m->header ? m->header->n_tiles : 0; }

const char *aimc_rt_strerror(int rc) {
  switch (rc) {
  case AIMC_RT_EMAGIC: return "no model image";
  case AIMC_RT_EVERSION: return "model image version not supported";
  case AIMC_RT_ECRC: return "model image CRC mismatch";
  case AIMC_RT_EIMAGE: return "malformed model image";
  case AIMC_RT_ETILES: return "too few tiles";
  case AIMC_RT_EGEOMETRY: return "crossbar or tile memories differ";
  case AIMC_RT_EINPUT: return "input of the wrong size";
  case AIMC_RT_ESTATE: return "no model loaded";
  case AIMC_RT_EARENA: return "arena too small";
  default: return aimc_strerror(rc);
  }
}
