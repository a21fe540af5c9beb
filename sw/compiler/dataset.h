// Image data sets for calibration and accuracy: gzip'd IDX files (Fashion-MNIST, as Debian's
// dataset-fashion-mnist installs them) and the input normalization written beside each network.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph.h"

namespace aimc::compiler {

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct ImageSet {
    std::string source;  // the images file, for messages
    int count = 0, height = 0, width = 0;
    std::vector<uint8_t> pixels;  // count x height x width
    std::vector<uint8_t> labels;  // count (empty if no labels file was read)
    const uint8_t* image(int i) const { return pixels.data() + size_t(i) * size_t(height) * size_t(width); }
};

// Reads an IDX image file (magic 0x803) and, if labels_path is not empty, its labels (0x801); plain or
// gzip'd. At most `limit` images (0 = all). Throws CompileError naming the file and what is wrong.
ImageSet read_idx(const std::string& images_path, const std::string& labels_path, int limit = 0);
// The Fashion-MNIST split "train" or "t10k" from kFashionMnistDir (or `dir`).
ImageSet fashion_mnist(const std::string& split, int limit = 0, const std::string& dir = kFashionMnistDir);

// x = (pixel / 255 - mean) / std.
struct Normalization {
    float mean = 0.0f, std = 1.0f;
    std::string source = "default (mean 0, std 1)";
};
// Reads "input": {"mean": m, "std": s} from a network's JSON (sw/nets/<net>.json).
Normalization read_normalization(const std::string& json_path);

// Checks the images fit a network input of shape 1x1xHxW (else CompileError naming both shapes).
void check_images_fit(const ImageSet& set, const Shape& input, const std::string& model);
// Image i as a float NCHW tensor of `input` shape.
Tensor image_tensor(const ImageSet& set, int i, const Normalization& norm, const Shape& input);

}  // namespace aimc::compiler
