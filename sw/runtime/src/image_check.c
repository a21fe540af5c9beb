/* Model image checks: the file (magic, version, CRC, sections, records) and the platform it needs.
 * Everything the interpreter later indexes is bounded here, so a run never reads past the image. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "aimc/hal/tile.h"
#include "aimc/runtime.h"
#include "runtime_internal.h"

int aimc_rt_fail(aimc_rt_model *m, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m->message, sizeof m->message, fmt, ap);
  va_end(ap);
  return rc;
}

uint32_t aimc_rt_crc32(uint32_t crc, const void *p, size_t bytes) {
  static uint32_t table[256];
  if (table[1] == 0)
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  const uint8_t *b = p;
  crc = ~crc;
  for (size_t i = 0; i < bytes; ++i) crc = table[(crc ^ b[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

/* A section of `count` records of `size` bytes at `offset` inside a file of `total` bytes. */
static int section_ok(uint32_t offset, uint32_t count, uint32_t size, uint32_t total) {
  return (uint64_t)offset + (uint64_t)count * size <= total;
}

static int check_sections(aimc_rt_model *m, const aimc_image_header_t *h) {
  const struct {
    const char *name;
    uint32_t offset, count, size;
  } s[] = {{"layers", h->layers_offset, h->n_layers, sizeof(aimc_image_layer_t)},
           {"blocks", h->blocks_offset, h->n_blocks, sizeof(aimc_image_block_t)},
           {"tiles", h->tiles_offset, h->n_tiles, sizeof(aimc_image_tile_t)},
           {"steps", h->steps_offset, h->n_steps, sizeof(aimc_image_step_t)},
           {"strings", h->strings_offset, h->strings_bytes, 1},
           {"blob", h->blob_offset, h->blob_bytes, 1}};
  for (unsigned i = 0; i < sizeof s / sizeof s[0]; ++i) {
    if (!section_ok(s[i].offset, s[i].count, s[i].size, h->total_bytes))
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: section %s (%lu x %lu bytes at %lu) runs past the %lu-byte file",
                          s[i].name, (unsigned long)s[i].count, (unsigned long)s[i].size, (unsigned long)s[i].offset,
                          (unsigned long)h->total_bytes);
    if (s[i].size > 1 && (s[i].offset & 3))
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: section %s at offset %lu is not 4-byte aligned", s[i].name,
                          (unsigned long)s[i].offset);
  }
  if (h->n_layers > AIMC_RT_MAX_LAYERS)
    return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: %lu layers, the runtime handles %u", (unsigned long)h->n_layers,
                        AIMC_RT_MAX_LAYERS);
  if (h->strings_bytes == 0 || m->file[h->strings_offset + h->strings_bytes - 1] != 0)
    return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: the strings section does not end with NUL");
  return 0;
}

static int check_records(aimc_rt_model *m, const aimc_image_header_t *h, const aimc_tile_info *ti) {
  for (uint32_t i = 0; i < h->n_layers; ++i)
    if (m->layers[i].name_offset >= h->strings_bytes)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: layer %lu: name offset %lu past the strings", (unsigned long)i,
                          (unsigned long)m->layers[i].name_offset);
  for (uint32_t i = 0; i < h->n_tiles; ++i) {
    const aimc_image_tile_t *t = &m->tiles[i];
    if (t->tile >= h->tiles_needed || t->tile >= AIMC_RT_MAX_TILES)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: tile record %lu names tile %u, the image needs only %u",
                          (unsigned long)i, t->tile, h->tiles_needed);
    if (!section_ok(t->ldpu_offset, t->ldpu_bytes, 1, h->blob_bytes) || t->ldpu_bytes > ti->ldpu_size)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: tile %u: LDPU image of %lu bytes (blob %lu, LDPU memory %lu)",
                          t->tile, (unsigned long)t->ldpu_bytes, (unsigned long)h->blob_bytes,
                          (unsigned long)ti->ldpu_size);
    if (!section_ok(t->first_block, t->n_blocks, 1, h->n_blocks))
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: tile %u: blocks %lu..+%lu past the %lu-block table", t->tile,
                          (unsigned long)t->first_block, (unsigned long)t->n_blocks, (unsigned long)h->n_blocks);
  }
  for (uint32_t i = 0; i < h->n_blocks; ++i) {
    const aimc_image_block_t *b = &m->blocks[i];
    const uint64_t bytes = (uint64_t)b->rows * b->cols;
    if (b->row0 + b->rows > ti->rows || b->col0 + b->cols > ti->cols || bytes == 0)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: block %lu: %ux%u at (%u, %u) outside the %ux%u crossbar",
                          (unsigned long)i, b->rows, b->cols, b->row0, b->col0, ti->rows, ti->cols);
    if (bytes > ti->weight_size || !section_ok(b->weights_offset, (uint32_t)bytes, 1, h->blob_bytes))
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: block %lu: %lu weight bytes (staging %lu, blob %lu)",
                          (unsigned long)i, (unsigned long)bytes, (unsigned long)ti->weight_size,
                          (unsigned long)h->blob_bytes);
  }
  for (uint32_t i = 0; i < h->n_steps; ++i) {
    const aimc_image_step_t *s = &m->steps[i];
    if (s->kind < AIMC_STEP_GATHER || s->kind > AIMC_STEP_LUT)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: step %lu: unknown kind %u", (unsigned long)i, s->kind);
    if (s->layer >= h->n_layers)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: step %lu: layer %u of %lu", (unsigned long)i, s->layer,
                          (unsigned long)h->n_layers);
    const int on_tile = s->kind == AIMC_STEP_GATHER || s->kind == AIMC_STEP_TILE_CMD ||
                        s->kind == AIMC_STEP_SEND || s->kind == AIMC_STEP_WAIT || s->kind == AIMC_STEP_READ;
    if (on_tile && s->tile >= h->tiles_needed)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: step %lu: tile %u, the image needs %u", (unsigned long)i,
                          s->tile, h->tiles_needed);
    if (s->kind == AIMC_STEP_SEND && s->a[2] >= h->tiles_needed)
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: step %lu (send): destination tile %lu, the image needs %u",
                          (unsigned long)i, (unsigned long)s->a[2], h->tiles_needed);
    if (s->kind == AIMC_STEP_LUT && !section_ok(s->a[3], 256, 1, h->blob_bytes))
      return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: step %lu (lut): table at %lu past the blob", (unsigned long)i,
                          (unsigned long)s->a[3]);
  }
  const uint64_t in_bytes = (uint64_t)h->input_c * h->input_h * h->input_w;
  if (h->input_offset + in_bytes > h->arena_bytes || (uint64_t)h->output_offset + h->output_count > h->arena_bytes)
    return aimc_rt_fail(m, AIMC_RT_EIMAGE, "image: input or output past the %lu-byte arena",
                        (unsigned long)h->arena_bytes);
  return 0;
}

int aimc_rt_load(aimc_rt_model *m, const void *image, size_t max_bytes, void *arena, size_t arena_bytes) {
  if (!m || !image) return AIMC_EINVAL;
  memset(m, 0, sizeof *m);
  m->measure = 1;
  m->pipeline = 1;
  m->layer = AIMC_RT_NO_LAYER;
  const aimc_image_header_t *h = image;
  m->file = image;
  if (max_bytes < sizeof *h || h->magic != AIMC_IMAGE_MAGIC)
    return aimc_rt_fail(m, AIMC_RT_EMAGIC, "no model image at %p (magic 0x%08lx, expected 0x%08lx \"AIMG\")", image,
                        max_bytes < sizeof *h ? 0ul : (unsigned long)h->magic, (unsigned long)AIMC_IMAGE_MAGIC);
  if (h->version_major != AIMC_IMAGE_VERSION_MAJOR)
    return aimc_rt_fail(m, AIMC_RT_EVERSION, "model image version %u.%u, the runtime reads %u.x", h->version_major,
                        h->version_minor, AIMC_IMAGE_VERSION_MAJOR);
  if (h->header_bytes != sizeof *h || h->total_bytes < sizeof *h || h->total_bytes > max_bytes)
    return aimc_rt_fail(m, AIMC_RT_EIMAGE, "model image: header of %lu bytes, file of %lu (at most %lu here)",
                        (unsigned long)h->header_bytes, (unsigned long)h->total_bytes, (unsigned long)max_bytes);
  /* The CRC covers the file with its crc32 field read as 0. */
  const size_t at = offsetof(aimc_image_header_t, crc32);
  const uint32_t zero = 0;
  uint32_t crc = aimc_rt_crc32(0, image, at);
  crc = aimc_rt_crc32(crc, &zero, 4);
  crc = aimc_rt_crc32(crc, m->file + at + 4, h->total_bytes - at - 4);
  if (crc != h->crc32)
    return aimc_rt_fail(m, AIMC_RT_ECRC, "model image: CRC 0x%08lx, the header says 0x%08lx (corrupt or truncated)",
                        (unsigned long)crc, (unsigned long)h->crc32);
  if ((h->flags & ~AIMC_IMAGE_FLAG_CALIBRATE) || (h->calibrate_every && !(h->flags & AIMC_IMAGE_FLAG_CALIBRATE)))
    return aimc_rt_fail(m, AIMC_RT_EIMAGE, "model image: flags 0x%lx, calibrate_every %lu (known flags: 0x%x)",
                        (unsigned long)h->flags, (unsigned long)h->calibrate_every, AIMC_IMAGE_FLAG_CALIBRATE);
  int rc = check_sections(m, h);
  if (rc) return rc;
  m->layers = (const aimc_image_layer_t *)(m->file + h->layers_offset);
  m->blocks = (const aimc_image_block_t *)(m->file + h->blocks_offset);
  m->tiles = (const aimc_image_tile_t *)(m->file + h->tiles_offset);
  m->steps = (const aimc_image_step_t *)(m->file + h->steps_offset);

  const unsigned have = aimc_tile_count();
  if (h->tiles_needed > have || h->tiles_needed > AIMC_RT_MAX_TILES)
    return aimc_rt_fail(m, AIMC_RT_ETILES, "model '%.32s' needs %u tiles (compiled for '%.32s'), this platform has %u",
                        h->model_name, h->tiles_needed, h->platform_name, have);
  aimc_tile_info ti;
  rc = aimc_tile_get_info(0, &ti);
  if (rc) return aimc_rt_fail(m, rc, "tile 0: %s", aimc_strerror(rc));
  if (ti.rows != h->xbar_rows || ti.cols != h->xbar_cols)
    return aimc_rt_fail(m, AIMC_RT_EGEOMETRY, "model '%.32s' was compiled for %ux%u crossbars, the tiles have %ux%u",
                        h->model_name, h->xbar_rows, h->xbar_cols, ti.rows, ti.cols);
  m->queue_depth = ti.queue_depth;
  rc = check_records(m, h, &ti);
  if (rc) return rc;
  if (arena_bytes < h->arena_bytes || !arena)
    return aimc_rt_fail(m, AIMC_RT_EARENA, "model '%.32s' needs a %lu-byte arena, %lu given", h->model_name,
                        (unsigned long)h->arena_bytes, (unsigned long)arena_bytes);
  m->arena = arena;
  m->arena_bytes = arena_bytes;
  memset(m->arena, 0, h->arena_bytes);
  m->header = h;
  return 0;
}
