// Mapping a quantized network onto the chip: weight matrices split into crossbar blocks (row blocks
// whose partial sums a consumer tile's LDPU adds after SEND, column blocks), small blocks packed into
// one crossbar (MVM row0/col0), tiles taken along a serpentine path of the mesh so that a layer's tiles
// are neighbours, conv layers replicated over spare tiles; then the per-inference program (steps) and
// the model image. Conv layers run as patches x kernel matrix; the host gathers the patches.
#pragma once

#include <string>
#include <vector>

#include "model_image_io.h"
#include "platform_geometry.h"
#include "quantize.h"

namespace aimc::compiler {

struct MapOptions {
    bool replicate = true;  // copy conv layers over spare tiles
    int max_replicas = 4;
};

struct LayerReport {
    std::string name, kind;
    int matrix_rows = 0, matrix_cols = 0, row_blocks = 0, col_blocks = 0, replicas = 1;
    int row_copies = 1;  // the patch repeated down the rows (matrix_rows x row_copies crossbar rows)
    std::vector<int> tiles;
    double utilization = 0;  // weight cells / cells of the crossbars it touches
    int noc_hops = 0;        // hops of its SENDs per inference (XY routing)
    uint64_t send_bytes = 0;
    uint64_t mvms = 0;       // MVM vectors per inference
    uint64_t gather_bytes = 0;  // bytes the host gathers into tile input buffers per inference (patches)
    int steps = 0;
};

struct MappingReport {
    std::string platform;
    int tiles_used = 0, tiles_available = 0;
    double utilization = 0;  // all weight cells / cells of the tiles used
    std::vector<LayerReport> layers;
    std::string text() const;  // the table aimc-compile prints
};

ModelImage map_network(const QNet& q, const PlatformGeometry& p, const MapOptions& opt, MappingReport* report);

// Tiles in the order the mapper takes them: row by row, alternating direction (consecutive tiles are
// mesh neighbours).
std::vector<int> serpentine_order(int width, int height);
int mesh_hops(int a, int b, int width);

}  // namespace aimc::compiler
