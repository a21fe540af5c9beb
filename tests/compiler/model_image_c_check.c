/* The model image header compiled as C11 (as the firmware includes it): record sizes seen from C. */
#include "aimc/model_image.h"

#include <stddef.h>

size_t aimc_model_image_c_sizes(size_t out[5]) {
  out[0] = sizeof(aimc_image_header_t);
  out[1] = sizeof(aimc_image_layer_t);
  out[2] = sizeof(aimc_image_block_t);
  out[3] = sizeof(aimc_image_tile_t);
  out[4] = sizeof(aimc_image_step_t);
  return offsetof(aimc_image_header_t, crc32);
}
