/*
 * Model image: a trained network compiled for the chip by aimc-compile (sw/compiler), loaded by the
 * firmware runtime and run by the host reference evaluator. Written once here, included by both the
 * compiler (C++) and the firmware (C). docs/model-image.md describes it with an example.
 *
 * All fields little-endian, no padding. The file is:
 *
 *   0                      aimc_image_header_t
 *   header.layers_offset   aimc_image_layer_t   x n_layers      (the network's layers, in order)
 *   header.blocks_offset   aimc_image_block_t   x n_blocks      (crossbar blocks, in PROGRAM order per tile)
 *   header.tiles_offset    aimc_image_tile_t    x n_tiles       (tiles used: their LDPU memory and blocks)
 *   header.steps_offset    aimc_image_step_t    x n_steps       (the per-inference program)
 *   header.strings_offset  NUL-terminated layer names           (strings_bytes)
 *   header.blob_offset     weights (int8, row-major per block), LDPU memory images, LUTs (blob_bytes)
 *
 * crc32 is the CRC-32 (IEEE 802.3, as zlib's crc32) of the whole file with the crc32 field set to 0.
 *
 * Running an image. Setup, once: for each tile record, write its LDPU memory image at the tile's LDPU
 * memory offset 0, then for each of its blocks in order stage the block's rows x cols int8 weights at
 * weight-staging offset 0 and PROGRAM them at (row0, col0). Per inference: the input tensor (int8,
 * HWC, quantized as q = sat8(rne(((pixel / 255 - input_mean) / input_std) / input_scale))) is written
 * to the activation arena at input_offset; the steps run in order; the output (output_count int8
 * values, real value = q * output_scale) is read from the arena at output_offset. The arena is host
 * RAM of arena_bytes. Tile commands of one tile execute in queue order; a WAIT step orders one tile's
 * commands before everything that follows it.
 */
#ifndef AIMC_MODEL_IMAGE_H
#define AIMC_MODEL_IMAGE_H

#include <stdint.h>

#define AIMC_IMAGE_MAGIC 0x474D4941u /* the bytes "AIMG" in memory */
#define AIMC_IMAGE_VERSION_MAJOR 1u  /* incompatible layout changes */
#define AIMC_IMAGE_VERSION_MINOR 0u  /* compatible additions */
#define AIMC_IMAGE_NAME_BYTES 32

typedef struct aimc_image_header {
  uint32_t magic;         /* AIMC_IMAGE_MAGIC */
  uint16_t version_major; /* AIMC_IMAGE_VERSION_MAJOR */
  uint16_t version_minor;
  uint32_t header_bytes;  /* sizeof(aimc_image_header_t) */
  uint32_t total_bytes;   /* the whole file */
  uint32_t crc32;         /* of the whole file with this field 0 */
  uint32_t flags;         /* AIMC_IMAGE_FLAG_* (0: none) */
  char model_name[AIMC_IMAGE_NAME_BYTES];    /* NUL-terminated */
  char platform_name[AIMC_IMAGE_NAME_BYTES]; /* the platform compiled for, NUL-terminated */
  /* The chip it was compiled for: the runtime refuses a platform with fewer tiles or other crossbars. */
  uint16_t mesh_width, mesh_height;
  uint16_t xbar_rows, xbar_cols;
  uint16_t tiles_needed;  /* highest tile index used + 1 */
  uint8_t weight_bits;    /* crossbar weight width: weights in [-(2^(b-1)-1), 2^(b-1)-1] */
  uint8_t input_bits;     /* DAC input width */
  /* Input: int8 HWC tensor of input_h x input_w x input_c in the arena. */
  uint16_t input_c, input_h, input_w;
  uint16_t n_classes;     /* == output_count */
  float input_scale;      /* real value = q * input_scale */
  float input_mean, input_std; /* normalization of pixel / 255 before quantization */
  float output_scale;
  uint32_t arena_bytes;
  uint32_t input_offset, output_offset, output_count;
  /* Sections (byte offsets from the start of the file). */
  uint32_t layers_offset, n_layers;
  uint32_t blocks_offset, n_blocks;
  uint32_t tiles_offset, n_tiles;
  uint32_t steps_offset, n_steps;
  uint32_t strings_offset, strings_bytes;
  uint32_t blob_offset, blob_bytes;
  uint32_t calibrate_every; /* with AIMC_IMAGE_FLAG_CALIBRATE: CALIBRATE again before every
                              calibrate_every-th inference (0: only after programming) */
  uint32_t reserved[3];   /* 0 */
} aimc_image_header_t;

/* header.flags. CALIBRATE: drift compensation at inference time, as the chips do it. After programming
 * (and after the tiles' drift age, tile.drift_age) every tile in the tile records' order runs CALIBRATE:
 * the core reads its reference inputs and refits its output scale (drift_compensation.mode of the
 * crossbar: global, per_column or expected) and its ADC offsets. Runtime and evaluator both obey it. */
#define AIMC_IMAGE_FLAG_CALIBRATE 1u

/* Layer kinds (aimc_image_layer_t.kind). */
enum {
  AIMC_LAYER_DENSE = 1,    /* Gemm / MatMul(+Add), on crossbars */
  AIMC_LAYER_CONV = 2,     /* Conv (+folded BatchNormalization), patches x kernel matrix on crossbars */
  AIMC_LAYER_ADD = 3,      /* residual add, host */
  AIMC_LAYER_MAX_POOL = 4, /* host */
  AIMC_LAYER_AVG_POOL = 5, /* AveragePool and GlobalAveragePool, host */
  AIMC_LAYER_LUT = 6,      /* elementwise activation through a 256-entry table, host */
};

/* Activation fused into a crossbar layer's LDPU chain (aimc_image_layer_t.activation). */
enum { AIMC_ACT_NONE = 0, AIMC_ACT_RELU = 1, AIMC_ACT_CLIP = 2 };

typedef struct aimc_image_layer {
  uint32_t name_offset;  /* into the strings section */
  uint8_t kind;          /* AIMC_LAYER_* */
  uint8_t activation;    /* AIMC_ACT_* (crossbar layers) */
  uint16_t replicas;     /* copies of the weights on the chip (pixels split between them) */
  uint16_t out_c, out_h, out_w; /* output tensor, HWC int8 in the arena */
  uint16_t in_c, in_h, in_w;    /* (first) input tensor */
  uint32_t out_offset;   /* arena offset of the output */
  float out_scale;       /* real value = q * out_scale */
  uint32_t matrix_rows, matrix_cols; /* crossbar layers: the weight matrix (patch length x out channels) */
  uint16_t row_blocks, col_blocks;   /* crossbar layers: its split */
  uint32_t n_blocks;     /* crossbar blocks of this layer, all replicas (the block table names their layer) */
  uint32_t row_copies;   /* crossbar layers: the patch is repeated this many times down the rows (the
                            weights too), so the column sums use more of the ADC range; 1 = none */
  uint32_t mvms;         /* MVM vectors per inference, all blocks */
  uint32_t first_step, n_steps;      /* the steps that compute it */
} aimc_image_layer_t;

#define AIMC_IMAGE_NO_CHAIN 0xFFFFFFFFu

typedef struct aimc_image_block {
  uint16_t layer;     /* index into the layer table */
  uint16_t tile;
  uint16_t row0, col0; /* where in the crossbar */
  uint16_t rows, cols;
  uint16_t row_block, col_block; /* position in the layer's weight matrix (rows row_block * xbar_rows ...) */
  uint16_t replica;
  uint16_t reserved;  /* 0 */
  uint32_t weights_offset; /* into the blob: rows x cols int8, row-major */
  uint32_t chain_offset;   /* LDPU-memory offset of the chain that finishes its outputs, or AIMC_IMAGE_NO_CHAIN
                              (a partial-sum producer) */
} aimc_image_block_t;

typedef struct aimc_image_tile {
  uint16_t tile;           /* tile index on the chip */
  uint16_t reserved;       /* 0 */
  uint32_t ldpu_offset;    /* into the blob: the LDPU memory image, written at LDPU memory offset 0 */
  uint32_t ldpu_bytes;
  uint32_t first_block, n_blocks; /* into the block table, in PROGRAM order */
} aimc_image_tile_t;

/* Step kinds (aimc_image_step_t.kind) and the use of a[] by each. Arena offsets are bytes of the arena;
 * tile offsets are bytes of the named tile memory. */
enum {
  /* Host gathers conv patches (im2col; a dense layer is a 1x1 "image" of C channels) from an HWC int8
   * tensor in the arena into the tile's input buffer: for pixels pix0 .. pix0+npix-1 (row-major over the
   * output, pixel p at oy = p / out_w, ox = p % out_w), elements k0 .. k0+nk-1 of the patch vector
   * (ordered ky, kx, c with c fastest; 0 outside the image), one vector of nk bytes per pixel.
   * a0 src, a1 H, a2 W, a3 C, a4 kh | kw << 16, a5 sh | sw << 16, a6 pad_top | pad_left << 16,
   * a7 out_w, a8 pix0, a9 npix, a10 k0, a11 nk, a12 dst (input buffer offset), a13 patch length K: element
   * k of the gathered vector is patch element k mod K (a layer with row copies repeats its patch) */
  AIMC_STEP_GATHER = 1,
  /* A tile command: a0 opcode (AIMC_TILE_OP_*), a1..a8 CMD_ARG[0..7]. */
  AIMC_STEP_TILE_CMD = 2,
  /* A SEND from this tile's output buffer to another tile's input buffer: a0 out offset, a1 bytes,
   * a2 destination tile, a3 destination input-buffer offset (the runtime makes the bus address). */
  AIMC_STEP_SEND = 3,
  /* Wait until the tile has executed every command queued so far. */
  AIMC_STEP_WAIT = 4,
  /* Host copies vectors from the tile's output buffer to the arena: a0 src, a1 src stride, a2 dst,
   * a3 dst stride, a4 bytes per vector, a5 vectors. */
  AIMC_STEP_READ = 5,
  /* Host residual add of two int8 arena vectors (the LDPU's eltwise_add arithmetic):
   * y = sat8(rne((a * ma + b * mb) / 2^shift)), then max(y, 0) if a7 & 1.
   * a0 src a, a1 src b, a2 dst, a3 count, a4 ma (int16), a5 mb (int16), a6 shift, a7 flags */
  AIMC_STEP_ADD = 6,
  /* Host pooling of an HWC int8 tensor: max (a9 = 0; padding never wins) or average (a9 = 1; rne of
   * sum / count, count = the window inside the image unless a10 = 1, then the whole window).
   * a0 src, a1 H, a2 W, a3 C, a4 kh | kw << 16, a5 sh | sw << 16, a6 pad_top | pad_left << 16,
   * a7 out_h | out_w << 16, a8 dst, a9 kind, a10 count_include_pad */
  AIMC_STEP_POOL = 7,
  /* Host elementwise table: y = lut[x + 128]. a0 src, a1 dst, a2 count, a3 blob offset of 256 int8. */
  AIMC_STEP_LUT = 8,
};

#define AIMC_IMAGE_STEP_ARGS 14
typedef struct aimc_image_step {
  uint8_t kind;    /* AIMC_STEP_* */
  uint8_t reserved; /* 0 */
  uint16_t tile;   /* the tile it concerns (GATHER: destination; SEND, READ: source) */
  uint16_t layer;  /* the layer it belongs to */
  uint16_t reserved1; /* 0 */
  uint32_t a[AIMC_IMAGE_STEP_ARGS];
} aimc_image_step_t;

#ifdef __cplusplus
#define AIMC_IMAGE_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define AIMC_IMAGE_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
AIMC_IMAGE_STATIC_ASSERT(sizeof(float) == 4, "IEEE single floats");
AIMC_IMAGE_STATIC_ASSERT(sizeof(aimc_image_header_t) == 204, "image header is 204 bytes");
AIMC_IMAGE_STATIC_ASSERT(sizeof(aimc_image_layer_t) == 60, "layer record is 60 bytes");
AIMC_IMAGE_STATIC_ASSERT(sizeof(aimc_image_block_t) == 28, "block record is 28 bytes");
AIMC_IMAGE_STATIC_ASSERT(sizeof(aimc_image_tile_t) == 20, "tile record is 20 bytes");
AIMC_IMAGE_STATIC_ASSERT(sizeof(aimc_image_step_t) == 64, "step record is 64 bytes");
#undef AIMC_IMAGE_STATIC_ASSERT

#endif
