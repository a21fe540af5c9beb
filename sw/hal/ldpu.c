/* LDPU chain builder and FP16 conversions (see aimc/hal/ldpu.h). */
#include "aimc/hal/ldpu.h"

#include <math.h>
#include <string.h>

#include "aimc/hal/tile.h"

/* Keep the first failure; every later call returns it. */
static int fail(aimc_ldpu_builder *b, int rc) {
  if (b->error == 0) b->error = rc;
  return b->error;
}

int aimc_ldpu_begin(aimc_ldpu_builder *b, unsigned tile, uint32_t chain_offset, uint32_t data_offset,
                    uint32_t input_type) {
  if (!b) return AIMC_EINVAL;
  memset(b, 0, sizeof *b);
  b->tile = tile;
  b->chain_offset = chain_offset;
  b->data_next = (data_offset + 3u) & ~3u;
  b->header.magic = AIMC_LDPU_CHAIN_MAGIC;
  b->header.input_type = (uint8_t)input_type;
  if (tile >= aimc_tile_count()) return fail(b, AIMC_ENODEV);
  b->limit = aimc_tile_reg_read(tile, AIMC_TILE_LDPU_SIZE);
  if ((chain_offset & 3u) != 0 || input_type > UINT8_MAX) return fail(b, AIMC_EINVAL); /* header.input_type */
  return 0;
}

int aimc_ldpu_end(aimc_ldpu_builder *b, uint32_t *chain) {
  if (!b || !chain) return AIMC_EINVAL;
  *chain = AIMC_LDPU_NONE;
  if (b->error) return b->error;
  if (b->header.n_ops == 0) return fail(b, AIMC_EINVAL);
  uint32_t bytes = AIMC_LDPU_CHAIN_BYTES(b->header.n_ops);
  if (b->chain_offset > b->limit || bytes > b->limit - b->chain_offset) return fail(b, AIMC_ENOSPC);
  int rc = aimc_tile_write(b->tile, AIMC_TILE_LDPU_OFFSET + b->chain_offset, &b->header, sizeof b->header);
  if (rc == 0)
    rc = aimc_tile_write(b->tile, AIMC_TILE_LDPU_OFFSET + b->chain_offset + AIMC_LDPU_OP_OFFSET(0), b->ops,
                         b->header.n_ops * sizeof(aimc_ldpu_op_t));
  if (rc) return fail(b, rc);
  *chain = b->chain_offset;
  return 0;
}

uint32_t aimc_ldpu_parameter_end(const aimc_ldpu_builder *b) {
  uint32_t chain_end = b->chain_offset + AIMC_LDPU_CHAIN_BYTES(b->header.n_ops);
  return chain_end > b->data_next ? chain_end : b->data_next;
}

int aimc_ldpu_put(aimc_ldpu_builder *b, const void *data, size_t bytes, uint32_t *offset) {
  if (!b || !offset) return AIMC_EINVAL;
  *offset = AIMC_LDPU_NONE;
  if (b->error) return b->error;
  if (!data && bytes) return fail(b, AIMC_EINVAL);
  uint32_t at = b->data_next;
  if (at > b->limit || bytes > b->limit - at) return fail(b, AIMC_ENOSPC);
  int rc = aimc_tile_write(b->tile, AIMC_TILE_LDPU_OFFSET + at, data, bytes);
  if (rc) return fail(b, rc);
  b->data_next = (uint32_t)(at + bytes + 3u) & ~3u;
  *offset = at;
  return 0;
}

int aimc_ldpu_put_i16(aimc_ldpu_builder *b, const int16_t *values, unsigned n, uint32_t *offset) {
  return aimc_ldpu_put(b, values, n * sizeof(int16_t), offset);
}

int aimc_ldpu_put_i32(aimc_ldpu_builder *b, const int32_t *values, unsigned n, uint32_t *offset) {
  return aimc_ldpu_put(b, values, n * sizeof(int32_t), offset);
}

int aimc_ldpu_put_fp16(aimc_ldpu_builder *b, const float *values, unsigned n, uint32_t *offset) {
  if (!b || !offset) return AIMC_EINVAL;
  *offset = AIMC_LDPU_NONE;
  if (!values && n) return fail(b, AIMC_EINVAL);
  /* Converted in chunks, so any length fits the stack. */
  uint16_t chunk[64] __attribute__((aligned(4)));
  for (unsigned i = 0; i < n || i == 0; i += 64) {
    unsigned m = n - i < 64 ? n - i : 64;
    for (unsigned k = 0; k < m; k++) chunk[k] = aimc_fp16_from_double(values[i + k]);
    /* 128-byte chunks keep the next one contiguous (aimc_ldpu_put aligns to 4). */
    uint32_t at;
    int rc = aimc_ldpu_put(b, chunk, m * sizeof(uint16_t), &at);
    if (rc) return rc;
    if (i == 0) *offset = at;
  }
  return 0;
}

/* A zeroed record at the end of the chain, or NULL (and the error kept) when the chain is full. */
static aimc_ldpu_op_t *append(aimc_ldpu_builder *b, uint8_t kind) {
  if (!b || b->error) return 0;
  if (b->header.n_ops >= AIMC_LDPU_MAX_OPS) {
    fail(b, AIMC_ENOSPC);
    return 0;
  }
  aimc_ldpu_op_t *op = &b->ops[b->header.n_ops++];
  memset(op, 0, sizeof *op);
  op->kind = kind;
  return op;
}

/* What an op function returns: 0, or why append() gave no record. */
static int result(const aimc_ldpu_builder *b) { return !b ? AIMC_EINVAL : b->error; }

int aimc_ldpu_op(aimc_ldpu_builder *b, uint8_t kind, aimc_ldpu_op_t **op) {
  aimc_ldpu_op_t *record = append(b, kind);
  if (op) *op = record;
  return result(b);
}

static int affine(aimc_ldpu_builder *b, uint8_t kind, uint32_t scale, uint32_t bias, uint8_t shift, uint8_t flags) {
  aimc_ldpu_op_t *op = append(b, kind);
  if (op) {
    op->scale_offset = scale;
    op->bias_offset = bias;
    op->shift = shift;
    op->flags = flags;
  }
  return result(b);
}

int aimc_ldpu_affine_fp16(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t flags) {
  return affine(b, AIMC_LDPU_OP_AFFINE_FP16, scale, bias, 0, flags);
}

int aimc_ldpu_affine_fixed(aimc_ldpu_builder *b, uint32_t scale, uint32_t bias, uint8_t shift, uint8_t flags) {
  return affine(b, AIMC_LDPU_OP_AFFINE_FIXED, scale, bias, shift, flags);
}

int aimc_ldpu_relu(aimc_ldpu_builder *b) { return aimc_ldpu_op(b, AIMC_LDPU_OP_RELU, 0); }

int aimc_ldpu_max(aimc_ldpu_builder *b, int32_t lo) {
  aimc_ldpu_op_t *op = append(b, AIMC_LDPU_OP_MAX);
  if (op) op->lo = lo;
  return result(b);
}

int aimc_ldpu_clip(aimc_ldpu_builder *b, int32_t lo, int32_t hi) {
  aimc_ldpu_op_t *op = append(b, AIMC_LDPU_OP_CLIP);
  if (op) {
    op->lo = lo;
    op->hi = hi;
  }
  return result(b);
}

static int lut_op(aimc_ldpu_builder *b, uint8_t kind, uint8_t in_frac_bits, uint8_t out_frac_bits) {
  aimc_ldpu_op_t *op = append(b, kind);
  if (op) {
    op->in_frac_bits = in_frac_bits;
    op->out_frac_bits = out_frac_bits;
  }
  return result(b);
}

int aimc_ldpu_tanh(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits) {
  return lut_op(b, AIMC_LDPU_OP_TANH, in_frac_bits, out_frac_bits);
}

int aimc_ldpu_sigmoid(aimc_ldpu_builder *b, uint8_t in_frac_bits, uint8_t out_frac_bits) {
  return lut_op(b, AIMC_LDPU_OP_SIGMOID, in_frac_bits, out_frac_bits);
}

int aimc_ldpu_requantize(aimc_ldpu_builder *b, int16_t multiplier, uint8_t shift, uint8_t out_bits) {
  aimc_ldpu_op_t *op = append(b, AIMC_LDPU_OP_REQUANTIZE);
  if (op) {
    op->multiplier = multiplier;
    op->shift = shift;
    op->out_bits = out_bits;
  }
  return result(b);
}

int aimc_ldpu_eltwise_add(aimc_ldpu_builder *b, int16_t multiplier, int16_t multiplier_b, uint8_t shift,
                          uint8_t out_bits, aimc_ldpu_operand_t operand) {
  aimc_ldpu_op_t *op = append(b, AIMC_LDPU_OP_ELTWISE_ADD);
  if (op) {
    op->multiplier = multiplier;
    op->multiplier_b = multiplier_b;
    op->shift = shift;
    op->out_bits = out_bits;
    op->n_operands = 1;
    op->operands[0] = operand;
  }
  return result(b);
}

int aimc_ldpu_partial_sum_add(aimc_ldpu_builder *b, const aimc_ldpu_operand_t *operands, unsigned n) {
  if (!b) return AIMC_EINVAL;
  if (n == 0 || n > AIMC_LDPU_MAX_OPERANDS || !operands) return fail(b, AIMC_EINVAL);
  aimc_ldpu_op_t *op = append(b, AIMC_LDPU_OP_PARTIAL_SUM_ADD);
  if (op) {
    op->n_operands = (uint8_t)n;
    for (unsigned k = 0; k < n; k++) op->operands[k] = operands[k];
  }
  return result(b);
}

static int pool_op(aimc_ldpu_builder *b, uint8_t kind, uint16_t height, uint16_t width, uint16_t channels,
                   uint8_t kernel_h, uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w) {
  aimc_ldpu_op_t *op = append(b, kind);
  if (op) {
    op->pool_height = height;
    op->pool_width = width;
    op->pool_channels = channels;
    op->kernel_h = kernel_h;
    op->kernel_w = kernel_w;
    op->stride_h = stride_h;
    op->stride_w = stride_w;
  }
  return result(b);
}

int aimc_ldpu_max_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels, uint8_t kernel_h,
                       uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w) {
  return pool_op(b, AIMC_LDPU_OP_MAX_POOL, height, width, channels, kernel_h, kernel_w, stride_h, stride_w);
}

int aimc_ldpu_avg_pool(aimc_ldpu_builder *b, uint16_t height, uint16_t width, uint16_t channels, uint8_t kernel_h,
                       uint8_t kernel_w, uint8_t stride_h, uint8_t stride_w) {
  return pool_op(b, AIMC_LDPU_OP_AVG_POOL, height, width, channels, kernel_h, kernel_w, stride_h, stride_w);
}

/* ---- FP16 ---- */

uint16_t aimc_fp16_from_double(double v) {
  uint16_t sign = signbit(v) ? 0x8000u : 0;
  if (isnan(v)) return 0x7e00u;
  double a = fabs(v);
  if (a >= 65520.0) return sign | 0x7c00u; /* 65520 is the tie between 65504 and 2^16: rounds to inf */
  int e;
  frexp(a, &e); /* a = m * 2^e, m in [0.5, 1) */
  int exponent = e - 1;
  if (a == 0 || exponent < -14) {
    /* zero or subnormal: multiples of 2^-24 (1024 rounds up into the smallest normal, same bits) */
    return sign | (uint16_t)rint(ldexp(a, 24));
  }
  uint32_t q = (uint32_t)rint(ldexp(a, 10 - exponent)); /* 1024 .. 2048 */
  if (q == 2048u) {
    q = 1024u;
    exponent++;
  }
  if (exponent > 15) return sign | 0x7c00u;
  return sign | (uint16_t)(((uint32_t)(exponent + 15) << 10) | (q - 1024u));
}

double aimc_fp16_to_double(uint16_t h) {
  double sign = (h & 0x8000u) ? -1.0 : 1.0;
  unsigned exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  if (exponent == 0x1fu) return mantissa ? NAN : sign * INFINITY;
  if (exponent == 0) return sign * ldexp(mantissa, -24);
  return sign * ldexp(1024 + mantissa, (int)exponent - 25);
}
