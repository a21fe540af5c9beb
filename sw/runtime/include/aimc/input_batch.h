/*
 * Input batch: quantized inputs and their labels for the inference app (sw/apps/infer), written by
 * aimc-dataset (sw/compiler). Shared by the host tool (C++) and the firmware (C); little-endian, no padding.
 *
 *   0                        aimc_batch_header_t
 *   header_bytes             labels: count bytes (class index, 0xFF = none)
 *   inputs_offset            inputs: count x input_bytes int8 (HWC, quantized with the model's input scale)
 *
 * crc32 (as zlib's) covers everything after the header. The firmware checks magic, version, that
 * input_bytes and the shape match the model image's input, that the file fits where it was loaded,
 * and the CRC.
 */
#ifndef AIMC_INPUT_BATCH_H
#define AIMC_INPUT_BATCH_H

#include <stdint.h>

#define AIMC_BATCH_MAGIC 0x424D4941u /* the bytes "AIMB" in memory */
#define AIMC_BATCH_VERSION 1u
#define AIMC_BATCH_PRINT_OUTPUTS 1u
#define AIMC_BATCH_SEQUENTIAL 2u /* the app runs the inputs one after the other (no pipelining) */

typedef struct aimc_batch_header {
  uint32_t magic;        /* AIMC_BATCH_MAGIC */
  uint32_t version;      /* AIMC_BATCH_VERSION */
  uint32_t header_bytes; /* sizeof(aimc_batch_header_t) */
  uint32_t count;        /* inputs */
  uint32_t input_bytes;  /* bytes per input = c * h * w */
  uint16_t input_c, input_h, input_w; /* shape (HWC) */
  uint16_t flags;        /* AIMC_BATCH_PRINT_OUTPUTS: the app prints every output vector;
                            AIMC_BATCH_SEQUENTIAL: no pipelining of consecutive inputs */
  float input_scale;     /* the model's input scale the inputs were quantized with */
  uint32_t inputs_offset;
  uint32_t total_bytes;
  uint32_t crc32;        /* of bytes header_bytes .. total_bytes */
} aimc_batch_header_t;

#ifdef __cplusplus
static_assert(sizeof(aimc_batch_header_t) == 44, "batch header is 44 bytes");
#else
_Static_assert(sizeof(aimc_batch_header_t) == 44, "batch header is 44 bytes");
#endif

#endif
