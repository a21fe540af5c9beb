// Column-sum kernels of the crossbar MVM: out[j] = sum_i M[j * ld + i] * x[i] over int16 data.
//
// Why integers: the effective conductance matrix at a time point is stored as int16 (15-bit, per-array
// scale: a step of ~3e-5 of the largest |G+ - G-|, far below programming and read noise), and so is the
// per-device read-noise variance. Integer column sums are exact and associative, so the result is
// bit-identical whichever SIMD path runs, and pmaddwd does 2 multiply-adds per 32-bit lane, which makes a
// noisy MVM (value + variance sums) cost about one float matrix-vector product.
#pragma once

#include <cstdint>

namespace aimc::analog {

// M is column-major with leading dimension ld (a multiple of 16, zero padded), cols a multiple of 4,
// x has ld entries (zero padded). block_rows (a multiple of 16) bounds the rows summed in 32-bit lanes
// before widening to 64 bits; the caller picks it so block_rows * max|M| * max|x| / 4 < 2^31.
void column_sums_i16(const int16_t* M, int ld, int cols, const int16_t* x, int block_rows, int64_t* out);

// Largest block (multiple of 16, <= ld) that cannot overflow for the given bounds.
int safe_block_rows(int ld, long long max_abs_m, long long max_abs_x);

// Name of the SIMD path in use ("avx2", "sse2" or "scalar"), for the bench report. The environment
// variable AIMC_ANALOG_ISA=sse2 forces the SSE2 path.
const char* column_sums_isa();

}  // namespace aimc::analog
