/*
 * Firmware inference runtime: runs a model image (aimc/model_image.h, written by aimc-compile) on the
 * chip's tiles. docs/runtime.md describes it with an example.
 *
 *   static aimc_rt_model m;
 *   static uint8_t arena[AIMC_RT_ARENA];
 *   int rc = aimc_rt_load(&m, (const void *)0x80400000, 4u << 20, arena, sizeof arena);
 *   if (rc == 0) rc = aimc_rt_program(&m);           // every tile's LDPU memory and weights, once
 *   if (rc == 0) rc = aimc_rt_run(&m, x, x_bytes);   // one inference
 *   if (rc == 0) class = aimc_rt_argmax(&m);
 *   if (rc != 0) printf("%s: %s\n", aimc_rt_strerror(rc), m.message);
 *
 * aimc_rt_load checks the image (magic, version, size, CRC, every section and record inside the file)
 * and the platform (enough tiles, their crossbar size, memories large enough); aimc_rt_program writes
 * each tile's LDPU memory image and programs its blocks in the image's order (stage, PROGRAM, wait);
 * aimc_rt_run interprets the steps exactly as the reference evaluator (sw/compiler/ref_eval.cpp) does.
 * Tile commands are queued without waiting; a WAIT step pushes a FENCE and sleeps in wfi until the
 * tile's FENCE interrupt (polled where the tile has no interrupt), so tiles work concurrently.
 * aimc_rt_run_batch runs many inputs, pipelined: the next input's steps fill the host's waits on the
 * tiles where the tiles they use are free, each tile's commands in input order (same outputs).
 *
 * Errors follow aimc/hal/error.h: 0 or a negative code, the HAL's AIMC_E* or the runtime's AIMC_RT_E*
 * below; m.message then says what and where (which record, how many tiles, ...).
 *
 * Each layer runs as syscon region AIMC_RT_REGION_BASE + layer index, named after the layer
 * (aimc_region_name), so the simulator's report breaks time and energy down per layer; the runtime
 * also sums the simulated time and energy between layer changes per layer (aimc_rt_layer_stats).
 */
#ifndef AIMC_RUNTIME_H
#define AIMC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "aimc/model_image.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  AIMC_RT_EMAGIC = -0x401,    /* no model image (wrong magic) */
  AIMC_RT_EVERSION = -0x402,  /* image format version not supported */
  AIMC_RT_ECRC = -0x403,      /* CRC mismatch (corrupt image) */
  AIMC_RT_EIMAGE = -0x404,    /* a malformed record (m.message names it) */
  AIMC_RT_ETILES = -0x405,    /* the platform has fewer tiles than the image needs */
  AIMC_RT_EGEOMETRY = -0x406, /* crossbar size or tile memories differ from the image's */
  AIMC_RT_EINPUT = -0x407,    /* input of the wrong size */
  AIMC_RT_ESTATE = -0x408,    /* run before program, or load failed */
  AIMC_RT_EARENA = -0x409,    /* the arena given is smaller than the image needs */
};

#define AIMC_RT_REGION_BASE 16u   /* layer i is syscon region 16 + i (0..15 stay the app's) */
#define AIMC_RT_MAX_LAYERS 256u
#define AIMC_RT_MAX_TILES 1024u
#define AIMC_RT_TIMEOUT_US 1000000u
#define AIMC_RT_PIPE_MAX_STEPS 4096u /* aimc_rt_run_batch pipelines images of at most this many steps */ /* simulated time any one wait may take */

typedef struct aimc_rt_layer_stats {
  uint64_t time_ns;   /* simulated time the host spent on the layer's steps, all runs */
  uint64_t energy_pj; /* platform energy spent meanwhile (syscon ENERGY_PJ) */
  uint64_t wait_ns;   /* of time_ns, asleep waiting for tiles (FENCE waits, full command queues) */
} aimc_rt_layer_stats;

#define AIMC_RT_NO_LAYER UINT32_MAX

typedef struct aimc_rt_model {
  const aimc_image_header_t *header; /* NULL until aimc_rt_load succeeds */
  const uint8_t *file;
  const aimc_image_layer_t *layers;
  const aimc_image_block_t *blocks;
  const aimc_image_tile_t *tiles;
  const aimc_image_step_t *steps;
  uint8_t *arena;
  int programmed;
  int measure;       /* per-layer time and energy (default on) */
  int dma;           /* 1: GATHER chunks reach the tiles through the DMA engine (set by aimc_rt_program) */
  int pipeline;      /* 1 (default): aimc_rt_run_batch overlaps consecutive inputs; 0: one after the other */
  size_t arena_bytes; /* the arena given to aimc_rt_load */
  uint32_t queue_depth;
  uint64_t runs;
  uint64_t calibrations; /* aimc_rt_calibrate rounds done */
  uint64_t overlapped; /* steps of a later input begun while the host waited on an earlier one's tiles */
  uint32_t layer;    /* the layer the host works on (statistics); AIMC_RT_NO_LAYER outside runs */
  uint64_t mark_ns, mark_pj; /* simulated time and energy when `layer` became current */
  char message[160]; /* the last error, in words */
  aimc_rt_layer_stats layer_stats[AIMC_RT_MAX_LAYERS];
  uint32_t pushed[AIMC_RT_MAX_TILES]; /* commands pushed (CMD_DONE's count when all are done) */
  uint32_t done[AIMC_RT_MAX_TILES];   /* CMD_DONE last seen */
  uint8_t irq[AIMC_RT_MAX_TILES];     /* 1: WAITs sleep on the tile's FENCE interrupt */
} aimc_rt_model;

/* Checks the image at `image` (at most `max_bytes` readable) and the platform; the arena must hold
 * header->arena_bytes. Nothing is written to the tiles. */
int aimc_rt_load(aimc_rt_model *m, const void *image, size_t max_bytes, void *arena, size_t arena_bytes);
/* Writes every tile's LDPU memory and programs its weights (program-and-verify), once. */
int aimc_rt_program(aimc_rt_model *m);
/* Drift compensation now: CALIBRATE on every tile of the image, waits for all. aimc_rt_program and
 * aimc_rt_run call it by themselves where the image asks (AIMC_IMAGE_FLAG_CALIBRATE, calibrate_every);
 * a call of one's own elsewhere departs from the reference evaluator's noise order. */
int aimc_rt_calibrate(aimc_rt_model *m);
/* One inference on `input` (input_c x input_h x input_w int8, HWC): `bytes` must be exactly that. */
int aimc_rt_run(aimc_rt_model *m, const int8_t *input, size_t bytes);
/* Called by aimc_rt_run_batch with each input's outputs (output_count int8), in input order. */
typedef void (*aimc_rt_output_fn)(void *ctx, uint32_t index, const int8_t *output);
/* n inferences: input k at inputs + k * stride, `bytes` each (as aimc_rt_run); `done` (may be NULL)
 * receives input k's outputs once its last step ran. With m->pipeline set and an arena of two
 * activation sets (2 x header->arena_bytes, each 8-byte aligned), input k + 1's steps run while the host
 * would otherwise sleep on input k's tiles, where the tiles they use are free (docs/runtime.md); each
 * tile's commands stay in input order, so the outputs are those of n aimc_rt_run calls. Otherwise
 * (or n == 1, or more than AIMC_RT_PIPE_MAX_STEPS steps) the inputs run one after the other. Errors name the input in m->message. */
int aimc_rt_run_batch(aimc_rt_model *m, const int8_t *inputs, uint32_t n, size_t stride, size_t bytes,
                      aimc_rt_output_fn done, void *ctx);
/* 1 when aimc_rt_run_batch can overlap inputs of this model: m->pipeline, the arena holds two sets, and
 * the image has at most AIMC_RT_PIPE_MAX_STEPS steps. */
int aimc_rt_can_pipeline(const aimc_rt_model *m);
/* The last run's output_count int8 outputs (real value = q * output_scale), in the arena. */
const int8_t *aimc_rt_output(const aimc_rt_model *m);
/* Index of the largest output (the first on ties), as the reference evaluator's argmax. */
int aimc_rt_argmax(const aimc_rt_model *m);
/* A layer's name (from the image's strings) and summed statistics; NULL for a bad index. */
const char *aimc_rt_layer_name(const aimc_rt_model *m, uint32_t layer);
const aimc_rt_layer_stats *aimc_rt_layer_stats_of(const aimc_rt_model *m, uint32_t layer);
/* Tiles the image uses, and which. */
uint32_t aimc_rt_tile_count(const aimc_rt_model *m);
/* Makes `id` the current syscon region and, unless NULL, names it (the report shows the name);
 * AIMC_ENODEV without aimc-vp's syscon. */
int aimc_rt_region(uint32_t id, const char *name);
/* Text for a runtime or HAL code (never NULL). */
const char *aimc_rt_strerror(int rc);
/* CRC-32 (IEEE, as zlib) of `bytes` at `p`, starting from `crc` (0 for a fresh one). */
uint32_t aimc_rt_crc32(uint32_t crc, const void *p, size_t bytes);

#ifdef __cplusplus
}
#endif
#endif
