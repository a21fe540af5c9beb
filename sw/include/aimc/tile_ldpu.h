/*
 * LDPU chains as firmware writes them into a tile's LDPU parameter memory (AIMC_TILE_LDPU_OFFSET).
 *
 * An MVM command (ARG5) or an LDPU command (ARG0) names a chain by its byte offset in that memory. A
 * chain is a header followed by n_ops op records, all little-endian, no padding:
 *
 *   chain offset      aimc_ldpu_chain_t   (8 bytes)
 *   + 8 + 88 * i      aimc_ldpu_op_t      (88 bytes each), i = 0 .. n_ops - 1
 *
 * Parameter arrays (per-column scale and offset) live elsewhere in the same LDPU memory; op records
 * point at them by absolute byte offset in the LDPU memory. Operand vectors (partial sums other tiles
 * SENT here, residual inputs) are read from the tile's input or output buffer, one per vector of the
 * command: vector v's operand is at offset + v * stride.
 *
 * The chain's data starts as the command's int32 values (the MVM's outputs, or the LDPU command's
 * source elements widened to int32); each op converts it as docs/models/ldpu.md says. The result is
 * stored in the format the last op leaves: int2..int8 as int8, int9..int16 as int16, int17..int32 as
 * int32, fp16 as its 16 bits. A malformed chain fails the command with AIMC_TILE_ERR_BAD_CHAIN and
 * ERROR_INFO = the chain offset. docs/models/tile.md has the full format and an example.
 */
#ifndef AIMC_TILE_LDPU_H
#define AIMC_TILE_LDPU_H

#include <stdint.h>

#define AIMC_LDPU_CHAIN_MAGIC 0x5550444Cu /* the bytes "LDPU" in memory */
#define AIMC_LDPU_MAX_OPS 16
#define AIMC_LDPU_MAX_OPERANDS 4
#define AIMC_LDPU_NONE 0xFFFFFFFFu /* bias_offset: no offset array (offset 0) */

/* Op kinds (aimc_ldpu_op_t.kind). 0 is not an op, so zeroed memory is rejected. */
enum {
  AIMC_LDPU_OP_PARTIAL_SUM_ADD = 1, /* int32: x + operand[k] for each of n_operands (1..4), saturating */
  AIMC_LDPU_OP_AFFINE_FP16 = 2,     /* -> fp16: fma(half(x), scale[c], offset[c]); scale/bias FP16 arrays */
  AIMC_LDPU_OP_AFFINE_FIXED = 3,    /* -> int32: sat(rne(x * scale[c] / 2^shift) + offset[c]); int16 scale, int32 bias */
  AIMC_LDPU_OP_RELU = 4,            /* max(x, 0) */
  AIMC_LDPU_OP_MAX = 5,             /* max(x, lo) */
  AIMC_LDPU_OP_CLIP = 6,            /* min(max(x, lo), hi) */
  AIMC_LDPU_OP_TANH = 7,            /* tanh LUT; integer data: in_frac_bits / out_frac_bits fixed point */
  AIMC_LDPU_OP_SIGMOID = 8,         /* 0.5 * tanh(x / 2) + 0.5 from the same LUT */
  AIMC_LDPU_OP_REQUANTIZE = 9,      /* -> int<out_bits>: sat(rne(x * multiplier / 2^shift)) */
  AIMC_LDPU_OP_ELTWISE_ADD = 10,    /* -> int<out_bits>: sat(rne((x * multiplier + b * multiplier_b) / 2^shift)), 1 operand */
  AIMC_LDPU_OP_MAX_POOL = 11,       /* HWC tensor pool_height x pool_width x pool_channels, kernel, stride */
  AIMC_LDPU_OP_AVG_POOL = 12,
};

/* aimc_ldpu_op_t.flags */
#define AIMC_LDPU_F_SCALE_BROADCAST 0x01u /* affine: one scale for every column (else one per column) */
#define AIMC_LDPU_F_BIAS_BROADCAST 0x02u  /* affine: one offset for every column (else one per column) */
#define AIMC_LDPU_F_FP16_BOUNDS 0x04u     /* max, clip: lo/hi hold FP16 bit patterns (fp16 data) */

/* Element types: chain input of the LDPU command, operand vectors. */
enum {
  AIMC_LDPU_TYPE_INT32 = 0,
  AIMC_LDPU_TYPE_INT8 = 1,
  AIMC_LDPU_TYPE_INT16 = 2,
};

/* Where an operand vector is read from. */
enum {
  AIMC_LDPU_MEM_IN = 0,  /* the tile's input buffer (where other tiles SEND partial sums) */
  AIMC_LDPU_MEM_OUT = 1, /* the tile's output buffer */
};

typedef struct aimc_ldpu_chain {
  uint32_t magic;     /* AIMC_LDPU_CHAIN_MAGIC */
  uint8_t n_ops;      /* 1 .. AIMC_LDPU_MAX_OPS */
  uint8_t input_type; /* LDPU command: source element type (AIMC_LDPU_TYPE_*); MVM chains: INT32 */
  uint16_t reserved;  /* 0 */
} aimc_ldpu_chain_t;

typedef struct aimc_ldpu_operand {
  uint32_t offset;   /* byte offset of vector 0's operand in its memory */
  uint32_t stride;   /* bytes from one vector's operand to the next (0: the same operand for every vector) */
  uint8_t memory;    /* AIMC_LDPU_MEM_* */
  uint8_t type;      /* AIMC_LDPU_TYPE_*; the vector has as many elements as the chain's data at this op */
  uint16_t reserved; /* 0 */
} aimc_ldpu_operand_t;

typedef struct aimc_ldpu_op {
  uint8_t kind;          /* AIMC_LDPU_OP_* */
  uint8_t flags;         /* AIMC_LDPU_F_* */
  uint8_t out_bits;      /* requantize, eltwise_add: 2..16 */
  uint8_t shift;         /* affine_fixed 0..31, requantize 0..62, eltwise_add 0..31 */
  int16_t multiplier;    /* requantize, eltwise_add (x) */
  int16_t multiplier_b;  /* eltwise_add (the operand) */
  int32_t lo;            /* max, clip: lower bound (a value of the data's format) */
  int32_t hi;            /* clip: upper bound */
  uint32_t scale_offset; /* affine: LDPU-memory offset of the scale array (fp16: FP16; fixed: int16) */
  uint32_t bias_offset;  /* affine: offset array (fp16: FP16; fixed: int32), or AIMC_LDPU_NONE */
  uint8_t in_frac_bits;  /* tanh, sigmoid on integer data */
  uint8_t out_frac_bits;
  uint8_t n_operands;    /* partial_sum_add: 1..4; eltwise_add: 1; others: 0 */
  uint8_t reserved0;     /* 0 */
  uint16_t pool_height;  /* max_pool, avg_pool: the data as an HWC tensor (channel fastest) */
  uint16_t pool_width;
  uint16_t pool_channels;
  uint8_t kernel_h, kernel_w, stride_h, stride_w;
  uint16_t reserved1; /* 0 */
  aimc_ldpu_operand_t operands[AIMC_LDPU_MAX_OPERANDS];
} aimc_ldpu_op_t;

#ifdef __cplusplus
#define AIMC_LDPU_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define AIMC_LDPU_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
AIMC_LDPU_STATIC_ASSERT(sizeof(aimc_ldpu_chain_t) == 8, "LDPU chain header is 8 bytes");
AIMC_LDPU_STATIC_ASSERT(sizeof(aimc_ldpu_operand_t) == 12, "LDPU operand record is 12 bytes");
AIMC_LDPU_STATIC_ASSERT(sizeof(aimc_ldpu_op_t) == 88, "LDPU op record is 88 bytes");
#undef AIMC_LDPU_STATIC_ASSERT

/* Byte offset of op i's record from the chain's offset. */
#define AIMC_LDPU_OP_OFFSET(i) (sizeof(aimc_ldpu_chain_t) + (i) * sizeof(aimc_ldpu_op_t))
/* Bytes a chain of n ops occupies. */
#define AIMC_LDPU_CHAIN_BYTES(n) AIMC_LDPU_OP_OFFSET(n)

#endif
