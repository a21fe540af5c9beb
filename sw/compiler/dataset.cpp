#include "dataset.h"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

namespace aimc::compiler {

namespace {

std::vector<uint8_t> read_maybe_gz(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
    if (!f) throw CompileError(path + ": cannot open the file");
    std::vector<uint8_t> out;
    uint8_t buf[1 << 16];
    for (;;) {
        const int n = gzread(f, buf, sizeof buf);
        if (n < 0) {
            int err = 0;
            const std::string msg = gzerror(f, &err);
            gzclose(f);
            throw CompileError(path + ": corrupt gzip data (" + msg + ")");
        }
        if (n == 0) break;
        out.insert(out.end(), buf, buf + n);
    }
    gzclose(f);
    return out;
}

uint32_t be32(const std::vector<uint8_t>& b, size_t at) {
    return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
}

}  // namespace

ImageSet read_idx(const std::string& images_path, const std::string& labels_path, int limit) {
    ImageSet s;
    s.source = images_path;
    const std::vector<uint8_t> img = read_maybe_gz(images_path);
    if (img.size() < 16 || be32(img, 0) != 0x803)
        throw CompileError(images_path + ": not an IDX image file (magic 0x00000803, 3 dimensions of uint8)");
    const uint32_t n = be32(img, 4), h = be32(img, 8), w = be32(img, 12);
    if (h == 0 || w == 0 || h > 4096 || w > 4096 || img.size() != 16 + uint64_t(n) * h * w)
        throw CompileError(fmt::format("{}: {} images of {}x{} need {} bytes, the file has {}", images_path, n, h, w,
                                       16 + uint64_t(n) * h * w, img.size()));
    s.count = int(limit > 0 && uint32_t(limit) < n ? uint32_t(limit) : n);
    s.height = int(h);
    s.width = int(w);
    s.pixels.assign(img.begin() + 16, img.begin() + 16 + ptrdiff_t(size_t(s.count) * h * w));
    if (!labels_path.empty()) {
        const std::vector<uint8_t> lab = read_maybe_gz(labels_path);
        if (lab.size() < 8 || be32(lab, 0) != 0x801 || be32(lab, 4) != n || lab.size() != 8 + size_t(n))
            throw CompileError(fmt::format("{}: not an IDX label file of {} labels (magic 0x00000801)", labels_path, n));
        s.labels.assign(lab.begin() + 8, lab.begin() + 8 + s.count);
    }
    return s;
}

ImageSet fashion_mnist(const std::string& split, int limit, const std::string& dir) {
    return read_idx(dir + "/" + split + "-images-idx3-ubyte.gz", dir + "/" + split + "-labels-idx1-ubyte.gz", limit);
}

Normalization read_normalization(const std::string& json_path) {
    std::ifstream f(json_path);
    if (!f) throw CompileError(json_path + ": cannot open the normalization file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(f);
    } catch (const std::exception& e) {
        throw CompileError(json_path + ": not valid JSON: " + e.what());
    }
    Normalization n;
    n.source = json_path;
    try {
        const auto& in = j.at("input");
        n.mean = in.at("mean").get<float>();
        n.std = in.at("std").get<float>();
    } catch (const std::exception&) {
        throw CompileError(json_path + ": needs \"input\": {\"mean\": number, \"std\": number}");
    }
    if (!(n.std > 0)) throw CompileError(json_path + ": input.std must be > 0");
    return n;
}

void check_images_fit(const ImageSet& set, const Shape& input, const std::string& model) {
    if (input.size() != 4 || input[0] != 1 || input[1] != 1 || input[2] != set.height || input[3] != set.width)
        throw CompileError(fmt::format("{}: calibration data of the wrong shape: {} holds 1x{}x{} images, the "
                                       "network input is {}",
                                       model, set.source, set.height, set.width, shape_string(input)));
}

Tensor image_tensor(const ImageSet& set, int i, const Normalization& norm, const Shape& input) {
    Tensor t(input);
    const uint8_t* p = set.image(i);
    for (size_t k = 0; k < t.data.size(); ++k) t.data[k] = (float(p[k]) / 255.0f - norm.mean) / norm.std;
    return t;
}

}  // namespace aimc::compiler
