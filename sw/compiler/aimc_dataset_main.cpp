// aimc-dataset: test images -> an input batch for the inference app (aimc/input_batch.h), quantized with
// a model image's input normalization and scale; optionally the reference evaluator's outputs for the
// same inputs (to compare the platform's bit for bit) and its accuracy and wall time.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "aimc/input_batch.h"
#include "dataset.h"
#include "model_image_io.h"
#include "quantize.h"
#include "ref_eval.h"

namespace {

using namespace aimc::compiler;

void write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    if (!out) throw CompileError(fmt::format("cannot write '{}'", path));
}

int run(int argc, char** argv) {
    CLI::App app{"aimc-dataset: IDX test images -> quantized input batch for a model image (sw/apps/infer)"};
    std::string image_path, output, images, labels, reference, devices = "ideal", platform = "hermes64";
    int count = 1000, first = 0;
    uint32_t seed = 0;
    double drift_age = -1;
    bool print_outputs = false;
    app.add_option("image", image_path, "model image (aimc-compile -o) whose input scale and shape to use")->required();
    app.add_option("-o,--output", output, "input batch to write")->required();
    app.add_option("-n,--count", count, "images")->capture_default_str()->check(CLI::Range(1, 1 << 20));
    app.add_option("--first", first, "index of the first image")->capture_default_str()->check(CLI::NonNegativeNumber);
    app.add_option("--images", images, "IDX images (plain or gzip'd; default: Fashion-MNIST t10k)");
    app.add_option("--labels", labels, "IDX labels (default: beside the Fashion-MNIST t10k images)");
    app.add_option("--reference", reference, "also write the reference evaluator's outputs (count x n_classes int8)");
    app.add_option("--devices", devices, "evaluator devices for --reference: digital, ideal, platform")
        ->capture_default_str();
    app.add_option("--platform", platform, "platform preset or JSON for --reference")->capture_default_str();
    app.add_option("--seed", seed, "seed of the analog cores for --reference (0: the platform's)");
    app.add_option("--drift-age", drift_age, "for --reference: the platform's tile.drift_age in seconds (default the "
                                             "platform file's)")->check(CLI::NonNegativeNumber);
    app.add_flag("--print-outputs", print_outputs, "the app prints every output vector (to compare with --reference)");
    CLI11_PARSE(app, argc, argv);

    const ModelImage img = read_image_file(image_path);
    const aimc_image_header_t& h = img.header;
    ImageSet set = images.empty()
                       ? fashion_mnist("t10k", first + count)
                       : read_idx(images, labels, first + count);
    if (set.count < first + count)
        throw CompileError(fmt::format("{}: {} images, {} asked for (from {})", set.source, set.count, count, first));
    if (h.input_c != 1 || set.height != h.input_h || set.width != h.input_w)
        throw CompileError(fmt::format("{}: {}x{} images, model '{}' takes {}x{}x{} (HxWxC)", set.source, set.height,
                                       set.width, h.model_name, h.input_h, h.input_w, h.input_c));
    const size_t in_bytes = size_t(h.input_h) * h.input_w * h.input_c;
    aimc_batch_header_t bh{};
    bh.magic = AIMC_BATCH_MAGIC;
    bh.version = AIMC_BATCH_VERSION;
    bh.header_bytes = sizeof bh;
    bh.count = uint32_t(count);
    bh.input_bytes = uint32_t(in_bytes);
    bh.input_c = h.input_c, bh.input_h = h.input_h, bh.input_w = h.input_w;
    bh.flags = print_outputs ? AIMC_BATCH_PRINT_OUTPUTS : 0;
    bh.input_scale = h.input_scale;
    bh.inputs_offset = uint32_t((sizeof bh + size_t(count) + 3) & ~size_t(3));
    bh.total_bytes = uint32_t(bh.inputs_offset + size_t(count) * in_bytes);
    std::vector<uint8_t> file(bh.total_bytes, 0);
    auto* q = reinterpret_cast<int8_t*>(file.data() + bh.inputs_offset);
    for (int i = 0; i < count; ++i) {
        file[sizeof bh + size_t(i)] = set.labels.empty() ? 0xFF : set.labels[size_t(first + i)];
        const uint8_t* px = set.image(first + i);
        for (size_t k = 0; k < in_bytes; ++k) {  // as aimc-compile's evaluation: the header's normalization
            const double x = (double(px[k]) / 255.0 - double(h.input_mean)) / double(h.input_std);
            q[size_t(i) * in_bytes + k] = sat8(int64_t(std::nearbyint(x / double(h.input_scale))));
        }
    }
    // CRC of everything after the header (zlib's crc32, as the firmware computes it).
    {
        uint32_t crc = 0xFFFFFFFFu;
        for (size_t i = sizeof bh; i < file.size(); ++i) {
            crc ^= file[i];
            for (int k = 0; k < 8; ++k) crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        bh.crc32 = ~crc;
    }
    std::memcpy(file.data(), &bh, sizeof bh);
    write_file(output, file);
    fmt::print("aimc-dataset: {} images {}..{} of {} -> {} ({} bytes each, input scale {})\n", count, first,
               first + count - 1, set.source, output, in_bytes, h.input_scale);

    if (!reference.empty()) {
        Devices d = Devices::kIdeal;
        if (devices == "digital") d = Devices::kDigital;
        else if (devices == "platform") d = Devices::kPlatform;
        else if (devices != "ideal") throw CompileError("--devices: '" + devices + "' is not digital, ideal or platform");
        PlatformGeometry p = read_platform(platform);
        if (seed) p.seed = seed;
        if (drift_age >= 0) p.drift_age = drift_age;
        const auto t0 = std::chrono::steady_clock::now();
        RefEvaluator ev(img, p, d);
        const double setup_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::vector<uint8_t> outs;
        int correct = 0, labelled = 0;
        for (int i = 0; i < count; ++i) {
            const std::vector<int8_t> y = ev.run(q + size_t(i) * in_bytes, in_bytes);
            outs.insert(outs.end(), y.begin(), y.end());
            const uint8_t label = file[sizeof bh + size_t(i)];
            if (label != 0xFF) labelled++, correct += argmax(y) == label;
        }
        const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        write_file(reference, outs);
        fmt::print("aimc-dataset: reference ({} devices, platform {}, seed {}, drift age {:g} s, {} CALIBRATEs): accuracy {:.4f} over {} images; "
                   "wall {:.3f} s (setup {:.3f} s) -> {}\n",
                   devices_name(d), p.name, p.seed, p.drift_age, ev.stats().calibrations, labelled ? double(correct) / labelled : 0.0, labelled, wall_s,
                   setup_s, reference);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aimc-dataset: %s\n", e.what());
        return 2;
    }
}
