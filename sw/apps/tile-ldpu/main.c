/*
 * tile-ldpu: LDPU chains, built with the HAL builder (aimc/hal/ldpu.h), checked against references
 * the firmware computes itself.
 *
 * A. An MVM's raw int32 output, then an LDPU command running affine_fixed (per-column scale and
 *    offset) + ReLU + requantize to int8 on it: the same arithmetic done here must match within
 *    +-1 LSB (it is exact integer arithmetic, so 0 is expected). The same chain run by the MVM itself
 *    (ARG5): it sees a fresh analog read, so it is compared statistically with the exact product's
 *    requantized values (correlation), and with the LDPU-command result of the earlier read.
 * B. Standalone LDPU commands on data the host writes to the output buffer: tanh and sigmoid
 *    (integer fixed point through the LUT, +-1 LSB), max and average pooling of an HWC tensor (exact),
 *    a residual eltwise add of an int8 operand from the input buffer (exact), and affine_fp16 + ReLU +
 *    requantize (FP16 arithmetic emulated here, +-1 LSB).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aimc/hal/check.h"
#include "aimc/hal/ldpu.h"
#include "aimc/hal/tile.h"

#define T 0
#define VECTORS 4
#define AMPLITUDE 63

/* LDPU memory: chains in slots of CHAIN_SLOT bytes (up to 3 ops) below PARAM_BASE, parameters above. */
#define CHAIN_SLOT ((AIMC_LDPU_CHAIN_BYTES(3) + 15u) & ~15u)
#define PARAM_BASE 0x800u
static uint32_t param_next = PARAM_BASE;
static uint32_t chain_next = 0;

/* Builder errors stick (aimc/hal/ldpu.h): end_chain() reports the first one. */
static void begin_chain(aimc_ldpu_builder *b, uint32_t input_type) {
  aimc_ldpu_begin(b, T, chain_next, param_next, input_type);
}
static uint32_t end_chain(aimc_ldpu_builder *b, const char *name) {
  bool fits = chain_next + CHAIN_SLOT <= PARAM_BASE && b->header.n_ops <= 3;
  uint32_t chain = AIMC_LDPU_NONE;
  int rc = fits ? aimc_ldpu_end(b, &chain) : AIMC_ENOSPC;
  aimc_check_ok(rc, "%s: the builder failed (LDPU memory %lu bytes)", name, (unsigned long)b->limit);
  param_next = (aimc_ldpu_parameter_end(b) + 3u) & ~3u;
  chain_next += CHAIN_SLOT;
  return chain;
}

/* Report a failure; a tile error is acknowledged, with its ERROR_INFO. */
static int check_tile(int err, const char *what) {
  if (err != 0) {
    uint32_t info = 0;
    if (aimc_error_tile_code(err) != 0) aimc_tile_ack_error(T, NULL, &info);
    aimc_check(false, "%s: %s (%d), ERROR_INFO 0x%lx", what, aimc_strerror(err), err, (unsigned long)info);
  }
  return err;
}

static void tile_write(uint32_t window_offset, const void *src, size_t bytes) {
  aimc_check_ok(aimc_tile_write(T, window_offset, src, bytes), "writing %u bytes at 0x%lx", (unsigned)bytes,
                (unsigned long)window_offset);
}

static void tile_read(uint32_t window_offset, void *dst, size_t bytes) {
  aimc_check_ok(aimc_tile_read(T, window_offset, dst, bytes), "reading %u bytes at 0x%lx", (unsigned)bytes,
                (unsigned long)window_offset);
}

static int sync_ok(const char *what) {
  return check_tile(aimc_tile_sync(T, AIMC_TILE_TIMEOUT_DEFAULT_US), what);
}

static void run_ldpu(uint32_t chain, uint32_t src, uint32_t cols, uint32_t vectors, uint32_t dst, const char *what) {
  int err = aimc_tile_ldpu(T, &(aimc_tile_ldpu_args){.chain = chain, .src = src, .cols = cols, .vectors = vectors,
                                                     .dst = dst});
  if (check_tile(err, what) == 0) sync_ok(what);
}

/* Compare n values; report the largest difference and the count beyond tol. */
static void expect_close(const char *what, const int32_t *got, const int32_t *ref, unsigned n, int32_t tol) {
  int32_t worst = 0;
  unsigned bad = 0, first_bad = 0;
  for (unsigned i = 0; i < n; i++) {
    int32_t d = got[i] - ref[i];
    if (d < 0) d = -d;
    if (d > worst) worst = d;
    if (d > tol && bad++ == 0) first_bad = i;
  }
  printf("tile-ldpu: %s: %u values, max |diff| = %ld LSB (tolerance %ld)\n", what, n, (long)worst, (long)tol);
  aimc_check(bad == 0, "%s: %u of %u values off by more than %ld, first [%u] got %ld expected %ld", what, bad, n,
             (long)tol, first_bad, (long)got[first_bad], (long)ref[first_bad]);
}

static void read_i8(uint32_t out_offset, int32_t *dst, unsigned n) {
  int8_t *tmp = malloc(n);
  tile_read(AIMC_TILE_OUT_OFFSET + out_offset, tmp, n);
  for (unsigned i = 0; i < n; i++) dst[i] = tmp[i];
  free(tmp);
}

/* ---------------------------------------------------------------------------------------------
 * A. MVM + affine_fixed + ReLU + requantize */

#define AFF_SHIFT 14
#define REQ_MULT 65
#define REQ_SHIFT 15

static int32_t chain_a_ref(int32_t y, int16_t scale, int32_t bias) {
  int64_t a = aimc_rne_shift((int64_t)y * scale, AFF_SHIFT) + bias;
  int32_t v = aimc_sat(a, 32);
  if (v < 0) v = 0;
  return aimc_sat(aimc_rne_shift((int64_t)v * REQ_MULT, REQ_SHIFT), 8);
}

static void part_a(unsigned rows, unsigned cols) {
  unsigned n = VECTORS * cols;
  int8_t *w = malloc((size_t)rows * cols), *x = malloc((size_t)VECTORS * rows);
  int32_t *exact = malloc(n * 4), *raw = malloc(n * 4), *got = malloc(n * 4), *ref = malloc(n * 4);
  int16_t *scale = malloc(cols * 2);
  int32_t *bias = malloc(cols * 4);
  aimc_rng rng;
  aimc_rng_seed(&rng, 77);
  aimc_rng_fill_i8(&rng, w, (size_t)rows * cols, AMPLITUDE);
  aimc_rng_fill_i8(&rng, x, (size_t)VECTORS * rows, AMPLITUDE);
  aimc_ref_mvm(w, rows, cols, x, VECTORS, exact);
  for (unsigned c = 0; c < cols; c++) {
    scale[c] = (int16_t)(12288 + (c % 9) * 1024); /* 0.75 .. 1.25 in Q14 */
    bias[c] = ((int32_t)(c % 7) - 3) * 1000;
  }

  int err = aimc_tile_stage_weights(T, 0, w, (size_t)rows * cols);
  if (err == 0) err = aimc_tile_program(T, &(aimc_tile_program_args){.rows = rows, .cols = cols});
  if (check_tile(err, "staging + PROGRAM") || sync_ok("PROGRAM")) return;
  tile_write(AIMC_TILE_IN_OFFSET, x, (size_t)VECTORS * rows);

  aimc_ldpu_builder b;
  begin_chain(&b, AIMC_LDPU_TYPE_INT32);
  uint32_t s, o;
  aimc_ldpu_put_i16(&b, scale, cols, &s);
  aimc_ldpu_put_i32(&b, bias, cols, &o);
  aimc_ldpu_affine_fixed(&b, s, o, AFF_SHIFT, 0);
  aimc_ldpu_relu(&b);
  aimc_ldpu_requantize(&b, REQ_MULT, REQ_SHIFT, 8);
  uint32_t chain = end_chain(&b, "affine_fixed+relu+requantize");
  printf("tile-ldpu: chain A at 0x%lx, parameters at 0x%lx and 0x%lx\n", (unsigned long)chain, (unsigned long)s,
         (unsigned long)o);

  /* Output buffer: raw int32 at 0, the LDPU command's int8 after it, the MVM+chain int8 after that. */
  uint32_t raw_off = 0, ldpu_off = n * 4, mvm_off = ldpu_off + n;
  err = aimc_tile_mvm(T, &(aimc_tile_mvm_args){.rows = rows, .cols = cols, .vectors = VECTORS, .out = raw_off,
                                               .chain = AIMC_TILE_NO_CHAIN});
  if (check_tile(err, "MVM raw") || sync_ok("MVM raw")) return;
  tile_read(AIMC_TILE_OUT_OFFSET + raw_off, raw, n * 4);
  aimc_error_stats st;
  aimc_error_stats_i32(raw, exact, n, &st);
  aimc_error_stats_print("tile-ldpu: raw MVM vs exact", &st);
  aimc_check(st.corr >= 0.95, "raw MVM correlation %.4f", st.corr);

  run_ldpu(chain, raw_off, cols, VECTORS, ldpu_off, "LDPU command, chain A");
  read_i8(ldpu_off, got, n);
  for (unsigned i = 0; i < n; i++) ref[i] = chain_a_ref(raw[i], scale[i % cols], bias[i % cols]);
  expect_close("chain A by LDPU command vs firmware reference on the same raw output", got, ref, n, 1);
  unsigned nonzero = 0, saturated = 0;
  for (unsigned i = 0; i < n; i++) nonzero += ref[i] != 0, saturated += ref[i] == 127;
  printf("tile-ldpu: chain A output: %u of %u nonzero, %u saturated\n", nonzero, n, saturated);
  aimc_check(nonzero > n / 4 && saturated < n / 8, "chain A test data badly scaled");

  err = aimc_tile_mvm(T, &(aimc_tile_mvm_args){.rows = rows, .cols = cols, .vectors = VECTORS, .out = mvm_off,
                                               .chain = chain});
  if (check_tile(err, "MVM with chain A") || sync_ok("MVM with chain A")) return;
  int32_t *fused = malloc(n * 4);
  read_i8(mvm_off, fused, n);
  for (unsigned i = 0; i < n; i++) ref[i] = chain_a_ref(exact[i], scale[i % cols], bias[i % cols]);
  aimc_error_stats_i32(fused, ref, n, &st);
  aimc_error_stats_print("tile-ldpu: MVM+chain A vs chain A(exact product)", &st);
  aimc_check(st.corr >= 0.95, "MVM+chain A vs exact: correlation %.4f < 0.95", st.corr);
  aimc_check(st.rel_rms <= 0.10, "MVM+chain A vs exact: RMS error %.2f %% of max > 10 %%", 100 * st.rel_rms);
  aimc_error_stats_i32(fused, got, n, &st);
  aimc_error_stats_print("tile-ldpu: MVM+chain A vs LDPU command on an earlier read", &st);
  aimc_check(st.corr >= 0.95, "MVM+chain A vs the earlier read: correlation %.4f < 0.95", st.corr);
  free(fused);
  free(w), free(x), free(exact), free(raw), free(got), free(ref), free(scale), free(bias);
}

/* ---------------------------------------------------------------------------------------------
 * B. Standalone LDPU commands */

#define LUT_N 64
#define IN_FRAC 10
#define OUT_FRAC 7

static void part_b_lut(uint32_t src, uint32_t dst) {
  int32_t x[LUT_N], got[LUT_N], ref[LUT_N];
  for (unsigned i = 0; i < LUT_N; i++) x[i] = -6000 + (int32_t)i * 190; /* -5.9 .. +5.9 in Q10 */
  tile_write(AIMC_TILE_OUT_OFFSET + src, x, sizeof x);

  for (int kind = 0; kind < 2; kind++) {
    aimc_ldpu_builder b;
    begin_chain(&b, AIMC_LDPU_TYPE_INT32);
    if (kind == 0)
      aimc_ldpu_tanh(&b, IN_FRAC, OUT_FRAC);
    else
      aimc_ldpu_sigmoid(&b, IN_FRAC, OUT_FRAC);
    uint32_t chain = end_chain(&b, kind ? "sigmoid" : "tanh");
    run_ldpu(chain, src, LUT_N, 1, dst, kind ? "sigmoid" : "tanh");
    tile_read(AIMC_TILE_OUT_OFFSET + dst, got, sizeof got); /* int32 data stays int32 */
    for (unsigned i = 0; i < LUT_N; i++) {
      double in = aimc_fp16_round((double)x[i] / (1 << IN_FRAC));
      double f = kind == 0 ? tanh(in) : 0.5 * tanh(in / 2) + 0.5;
      ref[i] = (int32_t)rint(f * (1 << OUT_FRAC));
    }
    expect_close(kind ? "sigmoid Q10 -> Q7" : "tanh Q10 -> Q7", got, ref, LUT_N, 1);
  }
}

#define PH 4
#define PW 6
#define PC 3

static void part_b_pool(uint32_t src, uint32_t dst) {
  enum { N = PH * PW * PC, OH = PH / 2, OW = PW / 2, ON = OH * OW * PC };
  int32_t x[N], got[ON], ref_max[ON], ref_avg[ON];
  aimc_rng rng;
  aimc_rng_seed(&rng, 5);
  for (unsigned i = 0; i < N; i++) x[i] = aimc_rng_range(&rng, -1000, 1000);
  tile_write(AIMC_TILE_OUT_OFFSET + src, x, sizeof x);
  for (unsigned oh = 0; oh < OH; oh++)
    for (unsigned ow = 0; ow < OW; ow++)
      for (unsigned c = 0; c < PC; c++) {
        int32_t m = INT32_MIN;
        int64_t sum = 0;
        for (unsigned kh = 0; kh < 2; kh++)
          for (unsigned kw = 0; kw < 2; kw++) {
            int32_t v = x[((oh * 2 + kh) * PW + (ow * 2 + kw)) * PC + c];
            if (v > m) m = v;
            sum += v;
          }
        ref_max[(oh * OW + ow) * PC + c] = m;
        ref_avg[(oh * OW + ow) * PC + c] = (int32_t)aimc_rne_shift(sum, 2); /* window 4 */
      }
  for (int kind = 0; kind < 2; kind++) {
    aimc_ldpu_builder b;
    begin_chain(&b, AIMC_LDPU_TYPE_INT32);
    if (kind == 0)
      aimc_ldpu_max_pool(&b, PH, PW, PC, 2, 2, 2, 2);
    else
      aimc_ldpu_avg_pool(&b, PH, PW, PC, 2, 2, 2, 2);
    uint32_t chain = end_chain(&b, kind ? "avg_pool" : "max_pool");
    run_ldpu(chain, src, N, 1, dst, kind ? "avg_pool" : "max_pool");
    tile_read(AIMC_TILE_OUT_OFFSET + dst, got, sizeof got);
    expect_close(kind ? "avg_pool 4x6x3, 2x2/2" : "max_pool 4x6x3, 2x2/2", got, kind ? ref_avg : ref_max, ON, 0);
  }
}

#define EW_N 64
#define EW_V 2

static void part_b_eltwise(uint32_t src, uint32_t dst, uint32_t in_off) {
  int8_t a[EW_V * EW_N], bvec[EW_V * EW_N];
  int32_t got[EW_V * EW_N], ref[EW_V * EW_N];
  aimc_rng rng;
  aimc_rng_seed(&rng, 9);
  aimc_rng_fill_i8(&rng, a, sizeof a, 127);
  aimc_rng_fill_i8(&rng, bvec, sizeof bvec, 127);
  tile_write(AIMC_TILE_OUT_OFFSET + src, a, sizeof a);
  tile_write(AIMC_TILE_IN_OFFSET + in_off, bvec, sizeof bvec);
  aimc_ldpu_builder b;
  begin_chain(&b, AIMC_LDPU_TYPE_INT8);
  aimc_ldpu_requantize(&b, 1, 0, 8); /* the chain's data starts as int32: narrow it to int8 first */
  aimc_ldpu_eltwise_add(&b, 3, 5, 3, 8, aimc_ldpu_operand(AIMC_LDPU_MEM_IN, AIMC_LDPU_TYPE_INT8, in_off, EW_N));
  uint32_t chain = end_chain(&b, "eltwise_add");
  run_ldpu(chain, src, EW_N, EW_V, dst, "eltwise_add");
  read_i8(dst, got, EW_V * EW_N);
  for (unsigned i = 0; i < EW_V * EW_N; i++) ref[i] = aimc_sat(aimc_rne_shift(3 * a[i] + 5 * bvec[i], 3), 8);
  expect_close("eltwise_add int8: (3a + 5b) / 8", got, ref, EW_V * EW_N, 0);
}

#define FP_N 64

static void part_b_affine_fp16(uint32_t src, uint32_t dst) {
  int32_t x[FP_N], got[FP_N], ref[FP_N];
  float scale[FP_N], bias[FP_N];
  aimc_rng rng;
  aimc_rng_seed(&rng, 11);
  for (unsigned i = 0; i < FP_N; i++) {
    x[i] = aimc_rng_range(&rng, -30000, 30000);
    scale[i] = (float)(aimc_rng_range(&rng, 100, 400) / 65536.0); /* ~1/650 .. 1/160 */
    bias[i] = (float)(aimc_rng_range(&rng, -200, 200) / 16.0);
  }
  tile_write(AIMC_TILE_OUT_OFFSET + src, x, sizeof x);
  aimc_ldpu_builder b;
  begin_chain(&b, AIMC_LDPU_TYPE_INT32);
  uint32_t s, o;
  aimc_ldpu_put_fp16(&b, scale, FP_N, &s);
  aimc_ldpu_put_fp16(&b, bias, FP_N, &o);
  aimc_ldpu_affine_fp16(&b, s, o, 0);
  aimc_ldpu_relu(&b);
  aimc_ldpu_requantize(&b, 1, 0, 8);
  uint32_t chain = end_chain(&b, "affine_fp16+relu+requantize");
  run_ldpu(chain, src, FP_N, 1, dst, "affine_fp16+relu+requantize");
  read_i8(dst, got, FP_N);
  for (unsigned i = 0; i < FP_N; i++) {
    /* fma(half(x), scale, bias) with one rounding: the product of two halves is exact in a double,
     * and so is the sum for these magnitudes. */
    double h = aimc_fp16_round(x[i]);
    double y = aimc_fp16_round(h * aimc_fp16_round(scale[i]) + aimc_fp16_round(bias[i]));
    if (y < 0) y = 0;
    ref[i] = aimc_sat((int64_t)rint(y), 8);
  }
  expect_close("affine_fp16+relu+requantize", got, ref, FP_N, 1);
}

int main(void) {
  if (!aimc_check(aimc_tile_count() > 0, "no tiles")) return aimc_check_finish("tile-ldpu");
  aimc_tile_info info;
  if (!aimc_check_ok(aimc_tile_get_info(T, &info), "tile %u info", T)) return aimc_check_finish("tile-ldpu");
  printf("tile-ldpu: tile %u: %ux%u, LDPU memory %lu bytes, output buffer %lu bytes\n", T, info.rows, info.cols,
         (unsigned long)info.ldpu_size, (unsigned long)info.out_size);
  unsigned rows = info.rows, cols = info.cols;
  if (!aimc_check((uint64_t)VECTORS * cols * 6 + 4096 <= info.out_size, "output buffer too small"))
    return aimc_check_finish("tile-ldpu");

  part_a(rows, cols);

  uint32_t src = VECTORS * cols * 6, dst = src + 2048;
  part_b_lut(src, dst);
  part_b_pool(src, dst);
  part_b_eltwise(src, dst, VECTORS * rows);
  part_b_affine_fp16(src, dst);

  uint32_t info_v = 0, code = 0;
  aimc_check_ok(aimc_tile_error(T, &code, &info_v), "tile ERROR");
  aimc_check(code == 0, "tile error latched at the end: %s (info 0x%lx)", aimc_tile_error_name(code),
             (unsigned long)info_v);
  return aimc_check_finish("tile-ldpu");
}
