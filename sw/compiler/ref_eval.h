// The reference evaluator: runs a model image on the host the way the chip does, step by step, with the
// tile's numeric kernels: one analog core per tile (models/analog, tile i seeded with seed + i),
// programmed block by block in the image's PROGRAM order and read in step order; LDPU chains decoded by
// the tile's decoder (models/tile/ldpu_chain_format) and run by the LDPU model (models/dpu); host steps
// with the integer arithmetic model_image.h defines. No SystemC, no ISS.
//
// Devices: kDigital replaces the crossbar by exact integer accumulation (the digitally quantized
// network); kIdeal uses the platform's crossbar with noise-free devices and converters (the ADC's
// resolution and range stay); kPlatform uses the crossbar exactly as the platform configures it, read
// right after programming, or `drift_age` later (added to the core's clock once after the tile's last
// PROGRAM, as the tile does at its next MVM or CALIBRATE; the evaluator does not advance the clocks further
// while it runs).
//
// Drift compensation: an image with AIMC_IMAGE_FLAG_CALIBRATE has every tile CALIBRATE (models/analog
// AnalogCore::calibrate: reference inputs read, output scale and ADC offsets refitted) after programming and
// the drift age, in tile-record order, and again before every calibrate_every-th inference, as the firmware
// runtime does (sw/runtime/src/compensation.c); a core's calibration draws its noise where the tile's would.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "analog/analog_core.h"
#include "dataset.h"
#include "dpu/ldpu.h"
#include "model_image_io.h"
#include "platform_geometry.h"

namespace aimc::compiler {

enum class Devices { kDigital, kIdeal, kPlatform };
const char* devices_name(Devices d);

// The platform's crossbar with every device and converter noise term set to zero.
analog::AnalogCoreConfig ideal_crossbar(analog::AnalogCoreConfig cfg);

struct EvalStats {
    uint64_t mvm_vectors = 0;
    uint64_t saturations = 0;  // DAC input clamps, ADC and LDPU saturations (as the tile counts them)
    uint64_t calibrations = 0; // CALIBRATE commands (one per tile each time)
};

class RefEvaluator {
public:
    // Checks the image against the platform (crossbar size, tiles, memories) and programs every tile.
    // Throws ImageError naming the record or step.
    RefEvaluator(const ModelImage& img, const PlatformGeometry& platform, Devices devices);
    ~RefEvaluator();

    // One inference: `input` is the int8 HWC input tensor of `bytes` bytes, which must be the header's
    // input_c x h x w (else ImageError naming both sizes); returns the output_count int8 outputs.
    std::vector<int8_t> run(const int8_t* input, size_t bytes);
    std::vector<int8_t> run(const std::vector<int8_t>& input) { return run(input.data(), input.size()); }

    // CALIBRATE every analog tile now, in tile-record order (the digital model has nothing to calibrate).
    void calibrate();

    const EvalStats& stats() const { return stats_; }
    const ModelImage& image() const { return img_; }

private:
    struct Tile;
    void setup();
    void exec(size_t index, const aimc_image_step_t& s);
    void exec_mvm(size_t index, Tile& t, const aimc_image_step_t& s);
    void exec_ldpu(size_t index, Tile& t, const aimc_image_step_t& s);
    Tile& tile(size_t step, uint32_t t);
    uint8_t* arena(size_t step, uint64_t offset, uint64_t bytes);

    ModelImage img_;
    PlatformGeometry platform_;
    Devices devices_;
    dpu::Ldpu ldpu_;
    std::vector<std::unique_ptr<Tile>> tiles_;  // by tile index (null where unused)
    std::vector<uint8_t> arena_;
    EvalStats stats_;
    uint64_t runs_ = 0;
};

// Index of the largest output (the first one on ties): the predicted class.
int argmax(const std::vector<int8_t>& v);

}  // namespace aimc::compiler
