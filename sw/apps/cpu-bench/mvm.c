/*
 * int8 matrix-vector multiply, int32 accumulators: y = W x for a fixed 256x256 W.
 *
 * Repetition r uses x_r = x0 + d_r with d_r = (r % 16) - 8 (no int8 overflow: |x0| <= 100), so
 * y_r = W x0 + d_r * rowsum(W). The reference needs one plain multiply plus the row sums; the
 * kernel does the full multiply every repetition.
 */
#include "bench.h"

#define N 256

static int8_t weights[N][N];
static int8_t x0[N];
static int8_t x[N];
static int32_t y[N];
static int initialised;

static void init_data(void) {
  if (initialised) return;
  uint32_t seed = 0x5eed0001u;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) weights[i][j] = (int8_t)(bench_rand(&seed) >> 24);
  for (int j = 0; j < N; j++) x0[j] = (int8_t)((int)((bench_rand(&seed) >> 16) % 201u) - 100);
  initialised = 1;
}

static inline int32_t rep_offset(uint32_t rep) { return (int32_t)(rep % 16u) - 8; }

/* Four rows per pass: each x[j] load feeds four multiply-accumulates. */
static void mvm_int8(const int8_t w[N][N], const int8_t *in, int32_t *out) {
  for (int i = 0; i < N; i += 4) {
    const int8_t *w0 = w[i], *w1 = w[i + 1], *w2 = w[i + 2], *w3 = w[i + 3];
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int j = 0; j < N; j++) {
      int32_t v = in[j];
      s0 += w0[j] * v;
      s1 += w1[j] * v;
      s2 += w2[j] * v;
      s3 += w3[j] * v;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
}

static uint32_t mvm_run(uint32_t reps) {
  init_data();
  uint32_t hash = BENCH_FOLD_INIT;
  for (uint32_t r = 0; r < reps; r++) {
    int32_t d = rep_offset(r);
    for (int j = 0; j < N; j++) x[j] = (int8_t)(x0[j] + d);
    mvm_int8(weights, x, y);
    for (int i = 0; i < N; i++) hash = bench_fold(hash, (uint32_t)y[i]);
  }
  return hash;
}

static uint32_t mvm_reference(uint32_t reps) {
  init_data();
  static int32_t base[N], rowsum[N];
  for (int i = 0; i < N; i++) {
    int32_t acc = 0, sum = 0;
    for (int j = 0; j < N; j++) {
      acc += weights[i][j] * x0[j];
      sum += weights[i][j];
    }
    base[i] = acc;
    rowsum[i] = sum;
  }
  uint32_t hash = BENCH_FOLD_INIT;
  for (uint32_t r = 0; r < reps; r++) {
    int32_t d = rep_offset(r);
    for (int i = 0; i < N; i++) hash = bench_fold(hash, (uint32_t)(base[i] + d * rowsum[i]));
  }
  return hash;
}

const bench_kernel bench_mvm = {"mvm-int8-256", mvm_run, mvm_reference};
