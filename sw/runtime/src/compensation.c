/* Drift compensation at inference time, as the chips do it: every tile of the image runs CALIBRATE (its
 * core reads the fixed reference inputs and refits its output scale and ADC offsets, models/analog
 * AnalogCore::calibrate). An image with AIMC_IMAGE_FLAG_CALIBRATE has it done after programming and
 * before every calibrate_every-th inference; the reference evaluator (sw/compiler/ref_eval.cpp) does the
 * same at the same points, so the two stay bit-identical. */
#include "aimc/hal/tile.h"
#include "aimc/runtime.h"
#include "runtime_internal.h"

int aimc_rt_calibrate(aimc_rt_model *m) {
  if (!m || !m->header || !m->programmed)
    return m ? aimc_rt_fail(m, AIMC_RT_ESTATE, "calibrate: no model loaded and programmed") : AIMC_EINVAL;
  const aimc_image_header_t *h = m->header;
  /* Queue CALIBRATE on every tile first, then wait for all: the tiles calibrate concurrently. */
  for (uint32_t i = 0; i < h->n_tiles; ++i) {
    const unsigned t = m->tiles[i].tile;
    int rc = aimc_rt_tile_room(m, t);
    if (rc == 0) rc = aimc_tile_calibrate(t);
    m->pushed[t] += 1;
    if (rc) return aimc_rt_fail(m, rc, "tile %u: CALIBRATE: %s", t, aimc_strerror(rc));
  }
  for (uint32_t i = 0; i < h->n_tiles; ++i) {
    const unsigned t = m->tiles[i].tile;
    int rc = aimc_rt_tile_wait(m, t);
    if (rc) return aimc_rt_fail(m, rc, "tile %u: CALIBRATE: %s", t, aimc_strerror(rc));
  }
  m->calibrations++;
  return 0;
}

int aimc_rt_compensate_after_program(aimc_rt_model *m) {
  return m->header->flags & AIMC_IMAGE_FLAG_CALIBRATE ? aimc_rt_calibrate(m) : 0;
}

int aimc_rt_calibration_due(const aimc_rt_model *m, uint64_t runs) {
  const aimc_image_header_t *h = m->header;
  return (h->flags & AIMC_IMAGE_FLAG_CALIBRATE) && h->calibrate_every != 0 && runs != 0 &&
         runs % h->calibrate_every == 0;
}

int aimc_rt_compensate_before_run(aimc_rt_model *m) {
  return aimc_rt_calibration_due(m, m->runs) ? aimc_rt_calibrate(m) : 0;
}
