/*
 * CPU benchmark kernels shared by the cpu-bench console app and the UART-less bench-* images.
 *
 * Each kernel runs `reps` repetitions and returns a checksum; its reference computes the same
 * checksum by an independent, much cheaper route, so every image checks itself.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

typedef struct bench_kernel {
  const char *name;
  uint32_t (*run)(uint32_t reps);
  uint32_t (*reference)(uint32_t reps);
} bench_kernel;

extern const bench_kernel bench_mvm; /* int8 256x256 matrix-vector multiply */
extern const bench_kernel bench_mix; /* list walk, sort, CRC, state machine */

/* Deterministic data: 32-bit LCG (Numerical Recipes constants). */
static inline uint32_t bench_rand(uint32_t *state) {
  *state = *state * 1664525u + 1013904223u;
  return *state;
}

/* Order-sensitive checksum step (FNV-1a style, one word at a time). */
static inline uint32_t bench_fold(uint32_t hash, uint32_t value) { return (hash ^ value) * 16777619u; }
#define BENCH_FOLD_INIT 2166136261u

#endif
