// Post-training quantization: the float Graph becomes a list of chip layers over int8 HWC tensors.
// BatchNormalization folds into the Conv/Gemm before it; Relu/Clip right after a crossbar layer fuse
// into its LDPU chain; activation scales are calibrated on training images (max |x| of each tensor);
// weights get per-output-channel scales into the crossbar's weight range; the LDPU's fixed-point affine
// rescales the accumulator into the next layer's int8 scale and adds the bias.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dataset.h"
#include "graph.h"

namespace aimc::compiler {

// An int8 tensor of the quantized network: HWC in the arena, real value = q * scale.
struct QTensor {
    int c = 1, h = 1, w = 1;
    float scale = 1.0f;
    int graph_tensor = -1;  // the float tensor it quantizes (calibration, messages)
    int bytes() const { return c * h * w; }
};

enum class QKind { kCrossbar, kAdd, kMaxPool, kAvgPool, kLut };

struct QLayer {
    QKind kind = QKind::kCrossbar;
    std::string name;   // ONNX node name of the op that produces it
    std::string where;  // "file: node 'x' (Conv, #3)" for messages
    std::vector<int> inputs;  // QTensor ids
    int output = -1;
    // Window (conv, pools): a dense layer is a 1x1 kernel over a 1x1 image of K channels.
    bool conv = false;
    int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;
    // kCrossbar: weights [K][Cout] int8 row-major, K = kernel_h * kernel_w * Cin in (ky, kx, c) order.
    int K = 0, Cout = 0;
    int row_copies = 1;  // the patch and the weights repeated down the crossbar rows (K * row_copies rows)
    std::vector<int8_t> weights;
    std::vector<float> weight_scale;  // per output channel
    std::vector<int32_t> multiplier;  // int16 values: acc * multiplier / 2^shift + offset, per channel
    std::vector<int32_t> offset;      // int32 bias in output units
    int shift = 0;
    int activation = 0;                // AIMC_ACT_*
    int32_t act_lo = 0, act_hi = 0;    // clip bounds in output units
    // kAdd: y = sat8(rne((a * ma + b * mb) / 2^shift)), relu if add_relu.
    int32_t ma = 0, mb = 0;
    bool add_relu = false;
    // kAvgPool
    bool count_include_pad = false;
    // kLut
    std::vector<int8_t> lut;  // 256 entries, index q + 128
};

struct QNet {
    std::string name;
    std::vector<QTensor> tensors;
    std::vector<QLayer> layers;
    int input = -1, output = -1;
    Normalization norm;
    int calibration_images = 0;
};

struct QuantOptions {
    int weight_bits = 8;  // the crossbar's
    // Row copies: a layer of K <= xbar_rows / 2 rows is repeated down the rows as often as the crossbar
    // holds it and its calibrated column sums stay within adc_full_scale (integer weight x input units);
    // 0 = no copies.
    int xbar_rows = 0;
    double adc_full_scale = 0;
    // Fraction of a copied layer's calibration column sums the copies may push past the ADC's full scale
    // (the largest sums are rare; a small layer copied is read with proportionally less ADC noise).
    double adc_clip_fraction = 1e-3;
    int calibration_images = 500;
};

// Quantizes `g` (one input of 1x1xHxW) calibrating on the first images of `calib`.
QNet quantize(const Graph& g, const ImageSet& calib, const Normalization& norm, const QuantOptions& opt);

// Input pixel image -> the int8 HWC tensor the chip takes: sat8(rne(x / input_scale)).
std::vector<int8_t> quantize_input(const QNet& q, const uint8_t* pixels);

// Round half to even and saturation, the LDPU's conventions.
int64_t rne_div_pow2(int64_t x, int shift);
int8_t sat8(int64_t v);

}  // namespace aimc::compiler
