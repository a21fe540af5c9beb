/*
 * LDPU chain builder: writes chains in the binary format of sw/include/aimc/tile_ldpu.h into a
 * tile's LDPU memory, with their parameter arrays (per-column scale/offset), and FP16 helpers.
 *
 *   aimc_ldpu_builder b;
 *   uint32_t scale, bias, chain;
 *   aimc_ldpu_begin(&b, tile, 0x000, 0x400, AIMC_LDPU_TYPE_INT32); // chain at 0, parameters from 0x400
 *   aimc_ldpu_put_i16(&b, scales, cols, &scale);
 *   aimc_ldpu_put_i32(&b, offsets, cols, &bias);
 *   aimc_ldpu_affine_fixed(&b, scale, bias, 8, 0);
 *   aimc_ldpu_relu(&b);
 *   aimc_ldpu_requantize(&b, 1, 0, 8);
 *   int rc = aimc_ldpu_end(&b, &chain);   // chain: the offset for MVM ARG5 / LDPU ARG0
 *
 * Errors follow error.h, and they stick: every builder call returns 0 or a negative AIMC_E* code,
 * the first failure is kept in the builder (b.error), later calls do nothing and return it, and
 * aimc_ldpu_end() returns it too, so checking the end alone is enough. AIMC_ENOSPC when the ops or
 * the LDPU memory run out, AIMC_EINVAL for a misaligned chain offset, an empty chain or too many
 * operands, AIMC_ENODEV for a tile that does not exist. Out-parameters get AIMC_LDPU_NONE on failure.
 * The tile checks everything else when it runs the chain (AIMC_TILE_ERR_BAD_CHAIN).
 *
 * The chain's data starts as int32 (MVM outputs, or the LDPU command's source elements widened), so
 * ops that need narrower integers (eltwise_add) need a requantize first. Results are stored as int8
 * (<= 8 bits), int16 (<= 16 bits), int32, or FP16 bits.
 */
#ifndef AIMC_HAL_LDPU_H
#define AIMC_HAL_LDPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/tile_ldpu.h"
#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aimc_ldpu_builder {
  unsigned tile;
  uint32_t chain_offset; /* where the chain goes in the LDPU memory */
  uint32_t data_next;    /* next free byte for parameter arrays */
  uint32_t limit;        /* LDPU memory size */
  int error;             /* first failure (0 = none): sticky */
  aimc_ldpu_chain_t header;
  aimc_ldpu_op_t ops[AIMC_LDPU_MAX_OPS];
} aimc_ldpu_builder;

/* Start a chain at `chain_offset` (4-byte aligned); parameter arrays go from `data_offset` on (they
 * must not overlap the chain: it takes AIMC_LDPU_CHAIN_BYTES(n_ops)). input_type: AIMC_LDPU_TYPE_*
 * of the LDPU command's source elements (INT32 for chains run by MVM). */
int aimc_ldpu_begin(aimc_ldpu_builder *b, unsigned tile, uint32_t chain_offset, uint32_t data_offset,
                    uint32_t input_type);
/* Write the header and op records into the tile; *chain = the chain offset. */
int aimc_ldpu_end(aimc_ldpu_builder *b, uint32_t *chain);
/* Bytes of LDPU memory the chain and its parameters use, from the lower of the two offsets (cannot fail). */
uint32_t aimc_ldpu_parameter_end(const aimc_ldpu_builder *b);

/* Parameter arrays, written now to the tile at the next free offset (aligned to 4); *offset = where. */
int aimc_ldpu_put(aimc_ldpu_builder *b, const void *data, size_t bytes, uint32_t *offset);
int aimc_ldpu_put_i16(aimc_ldpu_builder *b, const int16_t *values, unsigned n, uint32_t *offset);
int aimc_ldpu_put_i32(aimc_ldpu_builder *b, const int32_t *values, unsigned n, uint32_t *offset);
/* Converted to FP16 (round to nearest even). */
int aimc_ldpu_put_fp16(aimc_ldpu_builder *b, const float *values, unsigned n, uint32_t *offset);

/* Ops, appended in order. aimc_ldpu_op() appends a zeroed record of any kind (e.g. a bad one, for
 * tests) and gives it back in *op (op may be NULL) to fill in. For the affine ops pass
 * AIMC_LDPU_F_SCALE_BROADCAST / _BIAS_BROADCAST in flags for one value for every column, bias
 * AIMC_LDPU_NONE for no offset. */
int aimc_ldpu_op(aimc_ldpu_builder *b, uint8_t kind, aimc_ldpu_op_t **op);
int aimc_ldpu_affine_fp16(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t flags);
int aimc_ldpu_affine_fixed(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t shift, uint8_t flags);
int aimc_ldpu_relu(aimc_ldpu_builder *b);
int aimc_ldpu_max(aimc_ldpu_builder *b, int32_t lo);
int aimc_ldpu_clip(aimc_ldpu_builder *b, int32_t lo, int32_t hi);
int aimc_ldpu_tanh(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits);
int aimc_ldpu_sigmoid(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits);
int aimc_ldpu_requantize(aimc_ldpu_builder *b, int16_t multiplier, uint8_t shift, uint8_t out_bits);
int aimc_ldpu_eltwise_add(aimc_ldpu_builder *b, int16_t multiplier, int16_t multiplier_b, uint8_t shift,
                          uint8_t out_bits, aimc_ldpu_operand_t operand);
int aimc_ldpu_partial_sum_add(aimc_ldpu_builder *b, const aimc_ldpu_operand_t *operands, unsigned n);
int aimc_ldpu_max_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels, uint8_t kernel_h,
                       uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w);
int aimc_ldpu_avg_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels, uint8_t kernel_h,
                       uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w);

/* An operand vector: `type` elements at `offset` (+ v * stride for vector v) of memory AIMC_LDPU_MEM_IN/OUT. */
static inline aimc_ldpu_operand_t aimc_ldpu_operand(uint8_t memory, uint8_t type, uint32_t offset, uint32_t stride) {
  aimc_ldpu_operand_t o = {.offset = offset, .stride = stride, .memory = memory, .type = type, .reserved = 0};
  return o;
}

/* IEEE binary16: round to nearest even, overflow to +-inf, subnormals kept (pure: cannot fail). */
uint16_t aimc_fp16_from_double(double v);
double aimc_fp16_to_double(uint16_t h);
/* v rounded to the nearest FP16 value. */
static inline double aimc_fp16_round(double v) { return aimc_fp16_to_double(aimc_fp16_from_double(v)); }

#ifdef __cplusplus
}
#endif
#endif
