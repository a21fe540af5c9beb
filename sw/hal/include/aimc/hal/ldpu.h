/*
 * LDPU chain builder: writes chains in the binary format of sw/include/aimc/tile_ldpu.h into a
 * tile's LDPU memory, with their parameter arrays (per-column scale/offset), and FP16 helpers.
 *
 *   aimc_ldpu_builder b;
 *   aimc_ldpu_begin(&b, tile, 0x000, 0x400, AIMC_LDPU_TYPE_INT32); // chain at 0, parameters from 0x400
 *   uint32_t scale = aimc_ldpu_put_i16(&b, scales, cols), bias = aimc_ldpu_put_i32(&b, offsets, cols);
 *   aimc_ldpu_affine_fixed(&b, scale, bias, 8, 0);
 *   aimc_ldpu_relu(&b);
 *   aimc_ldpu_requantize(&b, 1, 0, 8);
 *   uint32_t chain = aimc_ldpu_end(&b);   // the offset for MVM ARG5 / LDPU ARG0, AIMC_LDPU_NONE if it failed
 *
 * The chain's data starts as int32 (MVM outputs, or the LDPU command's source elements widened), so
 * ops that need narrower integers (eltwise_add) need a requantize first. Results are stored as int8
 * (<= 8 bits), int16 (<= 16 bits), int32, or FP16 bits. Errors in the builder (too many ops, memory
 * full) make aimc_ldpu_end() return AIMC_LDPU_NONE; the tile checks everything else (BAD_CHAIN).
 */
#ifndef AIMC_HAL_LDPU_H
#define AIMC_HAL_LDPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aimc/tile_ldpu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aimc_ldpu_builder {
  unsigned tile;
  uint32_t chain_offset; /* where the chain goes in the LDPU memory */
  uint32_t data_next;    /* next free byte for parameter arrays */
  uint32_t limit;        /* LDPU memory size */
  bool failed;
  aimc_ldpu_chain_t header;
  aimc_ldpu_op_t ops[AIMC_LDPU_MAX_OPS];
} aimc_ldpu_builder;

/* Start a chain at `chain_offset` (4-byte aligned); parameter arrays go from `data_offset` on (they
 * must not overlap the chain: it takes AIMC_LDPU_CHAIN_BYTES(n_ops)). input_type: AIMC_LDPU_TYPE_*
 * of the LDPU command's source elements (INT32 for chains run by MVM). */
void aimc_ldpu_begin(aimc_ldpu_builder *b, unsigned tile, uint32_t chain_offset, uint32_t data_offset,
                     uint32_t input_type);
/* Write the header and op records into the tile; the chain offset, or AIMC_LDPU_NONE on a builder error. */
uint32_t aimc_ldpu_end(aimc_ldpu_builder *b);
/* Bytes of LDPU memory the chain and its parameters use, from the lower of the two offsets. */
uint32_t aimc_ldpu_parameter_end(const aimc_ldpu_builder *b);

/* Parameter arrays, written now to the tile at the next free offset (aligned to 4); their offset. */
uint32_t aimc_ldpu_put(aimc_ldpu_builder *b, const void *data, size_t bytes);
uint32_t aimc_ldpu_put_i16(aimc_ldpu_builder *b, const int16_t *values, unsigned n);
uint32_t aimc_ldpu_put_i32(aimc_ldpu_builder *b, const int32_t *values, unsigned n);
/* Converted to FP16 (round to nearest even). */
uint32_t aimc_ldpu_put_fp16(aimc_ldpu_builder *b, const float *values, unsigned n);

/* Ops, appended in order; each returns its record (to adjust a field) or NULL when full. For the
 * affine ops pass AIMC_LDPU_F_SCALE_BROADCAST / _BIAS_BROADCAST in flags for one value for every
 * column, bias AIMC_LDPU_NONE for no offset. */
aimc_ldpu_op_t *aimc_ldpu_op(aimc_ldpu_builder *b, uint8_t kind);
aimc_ldpu_op_t *aimc_ldpu_affine_fp16(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t flags);
aimc_ldpu_op_t *aimc_ldpu_affine_fixed(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t shift,
                                       uint8_t flags);
aimc_ldpu_op_t *aimc_ldpu_relu(aimc_ldpu_builder *b);
aimc_ldpu_op_t *aimc_ldpu_max(aimc_ldpu_builder *b, int32_t lo);
aimc_ldpu_op_t *aimc_ldpu_clip(aimc_ldpu_builder *b, int32_t lo, int32_t hi);
aimc_ldpu_op_t *aimc_ldpu_tanh(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits);
aimc_ldpu_op_t *aimc_ldpu_sigmoid(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits);
aimc_ldpu_op_t *aimc_ldpu_requantize(aimc_ldpu_builder *b, int16_t multiplier, uint8_t shift, uint8_t out_bits);
aimc_ldpu_op_t *aimc_ldpu_eltwise_add(aimc_ldpu_builder *b, int16_t multiplier, int16_t multiplier_b, uint8_t shift,
                                      uint8_t out_bits, aimc_ldpu_operand_t operand);
aimc_ldpu_op_t *aimc_ldpu_partial_sum_add(aimc_ldpu_builder *b, const aimc_ldpu_operand_t *operands, unsigned n);
aimc_ldpu_op_t *aimc_ldpu_max_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels,
                                   uint8_t kernel_h, uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w);
aimc_ldpu_op_t *aimc_ldpu_avg_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels,
                                   uint8_t kernel_h, uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w);

/* An operand vector: `type` elements at `offset` (+ v * stride for vector v) of memory AIMC_LDPU_MEM_IN/OUT. */
static inline aimc_ldpu_operand_t aimc_ldpu_operand(uint8_t memory, uint8_t type, uint32_t offset, uint32_t stride) {
  aimc_ldpu_operand_t o = {.offset = offset, .stride = stride, .memory = memory, .type = type, .reserved = 0};
  return o;
}

/* IEEE binary16: round to nearest even, overflow to +-inf, subnormals kept. */
uint16_t aimc_fp16_from_double(double v);
double aimc_fp16_to_double(uint16_t h);
/* v rounded to the nearest FP16 value. */
static inline double aimc_fp16_round(double v) { return aimc_fp16_to_double(aimc_fp16_from_double(v)); }

#ifdef __cplusplus
}
#endif
#endif
