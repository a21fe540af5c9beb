/*
 * Helpers for self-checking apps (object library aimc_check, console images only): a seeded PRNG,
 * checks that print a "FAIL ..." line and count, the exact integer MVM the analog results are
 * compared with, and error statistics of a noisy result against an exact one.
 */
#ifndef AIMC_HAL_CHECK_H
#define AIMC_HAL_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- checks ---- */

/* Failures counted by aimc_check() so far. */
extern unsigned aimc_check_failures;
/* If !ok: print "FAIL <message>" (printf format) and count it. Returns ok. */
bool aimc_check(bool ok, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* If rc != 0 (a HAL return value, error.h): print "FAIL <message>: <aimc_strerror(rc)> (<rc>)" and
 * count it. Returns rc == 0. */
bool aimc_check_ok(int rc, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Print "<app>: PASS" or "<app>: FAIL (<n> checks failed)"; the exit code (0 or the count, max 100). */
int aimc_check_finish(const char *app);

/* ---- deterministic data ---- */

typedef struct aimc_rng {
  uint32_t state;
} aimc_rng;
void aimc_rng_seed(aimc_rng *rng, uint32_t seed);
uint32_t aimc_rng_next(aimc_rng *rng);
/* Uniform in [lo, hi]. */
int32_t aimc_rng_range(aimc_rng *rng, int32_t lo, int32_t hi);
/* n int8 values uniform in [-amplitude, amplitude]. */
void aimc_rng_fill_i8(aimc_rng *rng, int8_t *dst, size_t n, int amplitude);

/* ---- reference arithmetic ---- */

/* y[v][c] = sum_r w[r * cols + c] * x[v * rows + r]: the tile's weight layout (row-major,
 * rows = inputs), `vectors` vectors. */
void aimc_ref_mvm(const int8_t *w, unsigned rows, unsigned cols, const int8_t *x, unsigned vectors, int32_t *y);
/* Round to nearest, ties to even, of num / 2^shift (shift 0..62), as the LDPU rounds. */
int64_t aimc_rne_shift(int64_t num, unsigned shift);
static inline int32_t aimc_sat(int64_t v, unsigned bits) {
  int64_t hi = ((int64_t)1 << (bits - 1)) - 1, lo = -hi - 1;
  return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

/* ---- noisy vs exact ---- */

typedef struct aimc_error_stats {
  unsigned n;
  double corr;        /* Pearson correlation */
  double gain;        /* least-squares slope of got on ref (through 0) */
  double rms_error;   /* sqrt(mean((got - ref)^2)) */
  double max_abs_ref; /* max |ref| */
  double rel_rms;     /* rms_error / max_abs_ref: the analog docs' error measure */
  double max_error;   /* max |got - ref| */
} aimc_error_stats;
void aimc_error_stats_i32(const int32_t *got, const int32_t *ref, unsigned n, aimc_error_stats *s);
void aimc_error_stats_print(const char *label, const aimc_error_stats *s);

#ifdef __cplusplus
}
#endif
#endif
