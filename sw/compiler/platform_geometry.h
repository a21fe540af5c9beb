// What the compiler needs to know about a chip, read from a platform preset or file
// (platforms/presets/*.json, docs/platform-files.md) without building the SystemC platform: the mesh,
// the crossbar configuration of the tiles (models/analog) and the sizes of the tile memories.
#pragma once

#include <cstdint>
#include <string>

#include "analog/core_config.h"

namespace aimc::compiler {

struct PlatformGeometry {
    std::string name;
    int mesh_width = 8, mesh_height = 8;
    analog::AnalogCoreConfig crossbar;  // tile.crossbar; tile i uses seed + i
    uint32_t seed = 1;                  // tile.seed
    // Tile memories; defaults are those of models/tile/tile.h (TileParams).
    uint32_t in_size = 64 * 1024, out_size = 64 * 1024, ldpu_size = 16 * 1024, weight_size = 64 * 1024;
    uint32_t ldpu_max_columns = 1024;   // tile.ldpu.max_columns
    double drift_age = 0;               // tile.drift_age (s): added to a core's clock after each PROGRAM

    int tiles() const { return mesh_width * mesh_height; }
    int rows() const { return crossbar.rows; }
    int cols() const { return crossbar.cols; }
};

// One side of the ADC's range as a column sum in integer weight x input units, for crossbars that hold
// whole weights per device and drive inputs by pulse width (HERMES-like); 0 for bit-sliced or
// bit-serial crossbars, whose ADC sees one digit or one input bit at a time.
double adc_full_scale(const analog::AnalogCoreConfig& c);

// `preset_or_file`: a preset name ("hermes64", "tiny", "isaac") looked up in AIMC_PRESETS_DIR, or a
// JSON platform file. Throws CompileError naming the file and key.
PlatformGeometry read_platform(const std::string& preset_or_file);

}  // namespace aimc::compiler
