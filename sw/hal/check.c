/* Self-checking app helpers (see aimc/hal/check.h). */
#include "aimc/hal/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "aimc/hal/error.h"

unsigned aimc_check_failures;

bool aimc_check(bool ok, const char *format, ...) {
  if (ok) return true;
  va_list args;
  va_start(args, format);
  fputs("FAIL ", stdout);
  vprintf(format, args);
  fputc('\n', stdout);
  va_end(args);
  aimc_check_failures++;
  return false;
}

bool aimc_check_ok(int rc, const char *format, ...) {
  if (rc == 0) return true;
  va_list args;
  va_start(args, format);
  fputs("FAIL ", stdout);
  vprintf(format, args);
  printf(": %s (%d)\n", aimc_strerror(rc), rc);
  va_end(args);
  aimc_check_failures++;
  return false;
}

int aimc_check_finish(const char *app) {
  if (aimc_check_failures == 0) {
    printf("%s: PASS\n", app);
    return 0;
  }
  printf("%s: FAIL (%u checks failed)\n", app, aimc_check_failures);
  return aimc_check_failures > 100 ? 100 : (int)aimc_check_failures;
}

void aimc_rng_seed(aimc_rng *rng, uint32_t seed) { rng->state = seed ? seed : 0x9e3779b9u; }

uint32_t aimc_rng_next(aimc_rng *rng) { /* xorshift32 */
  uint32_t x = rng->state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return rng->state = x;
}

int32_t aimc_rng_range(aimc_rng *rng, int32_t lo, int32_t hi) {
  uint32_t span = (uint32_t)(hi - lo) + 1u;
  return lo + (int32_t)(span ? aimc_rng_next(rng) % span : aimc_rng_next(rng));
}

void aimc_rng_fill_i8(aimc_rng *rng, int8_t *dst, size_t n, int amplitude) {
  for (size_t i = 0; i < n; i++) dst[i] = (int8_t)aimc_rng_range(rng, -amplitude, amplitude);
}

void aimc_ref_mvm(const int8_t *w, unsigned rows, unsigned cols, const int8_t *x, unsigned vectors, int32_t *y) {
  for (unsigned v = 0; v < vectors; v++) {
    int32_t *out = y + (size_t)v * cols;
    const int8_t *in = x + (size_t)v * rows;
    for (unsigned c = 0; c < cols; c++) out[c] = 0;
    for (unsigned r = 0; r < rows; r++) {
      int32_t xr = in[r];
      if (xr == 0) continue;
      const int8_t *wr = w + (size_t)r * cols;
      for (unsigned c = 0; c < cols; c++) out[c] += xr * wr[c];
    }
  }
}

int64_t aimc_rne_shift(int64_t num, unsigned shift) {
  if (shift == 0) return num;
  int64_t q = num >> shift; /* floor */
  int64_t rem = num - (q << shift);
  int64_t half = (int64_t)1 << (shift - 1);
  if (rem > half || (rem == half && (q & 1))) q++;
  return q;
}

void aimc_error_stats_i32(const int32_t *got, const int32_t *ref, unsigned n, aimc_error_stats *s) {
  double sg = 0, sr = 0, sgg = 0, srr = 0, sgr = 0, see = 0, maxr = 0, maxe = 0;
  for (unsigned i = 0; i < n; i++) {
    double g = got[i], r = ref[i], e = g - r;
    sg += g;
    sr += r;
    sgg += g * g;
    srr += r * r;
    sgr += g * r;
    see += e * e;
    if (fabs(r) > maxr) maxr = fabs(r);
    if (fabs(e) > maxe) maxe = fabs(e);
  }
  s->n = n;
  double cov = sgr - sg * sr / n, vg = sgg - sg * sg / n, vr = srr - sr * sr / n;
  s->corr = (vg > 0 && vr > 0) ? cov / sqrt(vg * vr) : 0;
  s->gain = srr > 0 ? sgr / srr : 0;
  s->rms_error = n ? sqrt(see / n) : 0;
  s->max_abs_ref = maxr;
  s->rel_rms = maxr > 0 ? s->rms_error / maxr : 0;
  s->max_error = maxe;
}

void aimc_error_stats_print(const char *label, const aimc_error_stats *s) {
  printf("%s: n=%u corr=%.4f gain=%.4f rms_error=%.1f max|ref|=%.0f rms/max|ref|=%.2f%% max_error=%.0f\n",
         label, s->n, s->corr, s->gain, s->rms_error, s->max_abs_ref, 100.0 * s->rel_rms, s->max_error);
}
