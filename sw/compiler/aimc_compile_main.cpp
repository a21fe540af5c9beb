// aimc-compile: a trained ONNX network -> a model image for a chip (docs/from-pytorch-to-chip-image.md).
//
//   aimc-compile net.onnx -o net.aimg [--platform hermes64] [--evaluate 1000 --devices digital,ideal,platform]
//   aimc-compile --summary net.aimg
//   aimc-compile --run net.aimg --platform hermes64 --evaluate 1000 --devices platform
//
// Exit status: 0 done; 2 bad input (the message names the file, node or record and the reason).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "dataset.h"
#include "float_exec.h"
#include "mapper.h"
#include "model_image_io.h"
#include "onnx_import.h"
#include "platform_geometry.h"
#include "quantize.h"
#include "ref_eval.h"

using namespace aimc::compiler;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<Devices> parse_devices(const std::string& list) {
    std::vector<Devices> out;
    std::stringstream ss(list);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item == "digital") out.push_back(Devices::kDigital);
        else if (item == "ideal") out.push_back(Devices::kIdeal);
        else if (item == "platform") out.push_back(Devices::kPlatform);
        else throw CompileError("--devices: '" + item + "' is not one of digital, ideal, platform");
    }
    return out;
}

// Accuracy of an image with the reference evaluator over the first n test images.
void evaluate_image(const ModelImage& img, const PlatformGeometry& p, Devices d, const ImageSet& test, int n) {
    const auto t0 = std::chrono::steady_clock::now();
    RefEvaluator ev(img, p, d);
    const aimc_image_header_t& h = img.header;
    int correct = 0;
    std::vector<int8_t> q(size_t(h.input_c) * h.input_h * h.input_w);
    for (int i = 0; i < n; ++i) {
        const uint8_t* px = test.image(i);
        for (size_t k = 0; k < q.size(); ++k) {
            const double x = (double(px[k]) / 255.0 - double(h.input_mean)) / double(h.input_std);
            q[k] = sat8(int64_t(std::nearbyint(x / double(h.input_scale))));
        }
        correct += argmax(ev.run(q)) == test.labels[size_t(i)];
    }
    const bool analog = d != Devices::kDigital;
    fmt::print("accuracy {:<8} {:.4f} over {} images (evaluator, seed {}{}{}; {} MVM vectors, {} saturations; {:.1f} s)\n",
               devices_name(d), double(correct) / n, n, p.seed,
               d == Devices::kPlatform && p.drift_age > 0 ? fmt::format(", drift age {:g} s", p.drift_age) : "",
               analog && (h.flags & AIMC_IMAGE_FLAG_CALIBRATE) ? fmt::format(", {} CALIBRATEs", ev.stats().calibrations)
                                                              : "",
               ev.stats().mvm_vectors, ev.stats().saturations, seconds_since(t0));
}

int run(int argc, char** argv) {
    CLI::App app{"aimc-compile: trained ONNX network -> model image for an aimc-vp chip"};
    std::string onnx, output, platform = "hermes64", norm_json, summary, run_image, devices = "digital";
    std::string calib_images;
    int calib = 500, evaluate = 0, max_replicas = 4;
    uint32_t seed = 0;
    double drift_age = -1;
    bool no_replicate = false, no_row_copies = false, quiet = false, calibrate = false;
    uint32_t calibrate_every = 0;
    app.add_option("model", onnx, "ONNX model (opset 11..17, one input 1x1xHxW)");
    app.add_option("-o,--output", output, "model image to write");
    app.add_option("--platform", platform, "platform preset (hermes64, tiny, isaac) or JSON file")->capture_default_str();
    app.add_option("--norm", norm_json, "JSON with \"input\": {\"mean\", \"std\"} (default: <model>.json beside the model)");
    app.add_option("--calib", calib, "training images to calibrate activation scales on")->capture_default_str();
    app.add_option("--calib-images", calib_images, "IDX image file to calibrate on (default: Fashion-MNIST train)");
    app.add_option("--evaluate", evaluate, "accuracy over the first N test images (float, and --devices)");
    app.add_option("--devices", devices, "comma list of evaluator device models: digital, ideal, platform")->capture_default_str();
    app.add_option("--seed", seed, "seed of the analog cores (tile i uses seed + i; default: the platform's)");
    app.add_option("--drift-age", drift_age, "evaluator: seconds added to each analog core's clock once after its last PROGRAM "
                                             "(the platform's tile.drift_age; default the platform's)");
    app.add_flag("--calibrate", calibrate, "drift compensation: the image has every tile CALIBRATE after programming "
                                           "(runtime and evaluator; with --run: evaluate the image so)");
    app.add_option("--calibrate-every", calibrate_every, "with --calibrate: CALIBRATE again before every Nth inference")
        ->check(CLI::PositiveNumber);
    app.add_flag("--no-replicate", no_replicate, "do not copy conv layers over spare tiles");
    app.add_flag("--no-row-copies", no_row_copies, "do not repeat small layers down the crossbar rows");
    app.add_option("--max-replicas", max_replicas, "most copies of one conv layer")->capture_default_str();
    app.add_option("--summary", summary, "print a model image and exit");
    app.add_option("--run", run_image, "evaluate an existing model image (with --evaluate, --devices)");
    app.add_flag("--quiet", quiet, "no mapping report");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }

    if (!summary.empty()) {
        std::cout << image_summary(read_image_file(summary));
        return 0;
    }
    PlatformGeometry p = read_platform(platform);
    if (seed) p.seed = seed;
    if (drift_age >= 0) p.drift_age = drift_age;
    const std::vector<Devices> devs = parse_devices(devices);
    if (calibrate_every && !calibrate) throw CompileError("--calibrate-every needs --calibrate");
    const auto compensate = [&](ModelImage& img) {
        if (!calibrate) return;
        img.header.flags |= AIMC_IMAGE_FLAG_CALIBRATE;
        img.header.calibrate_every = calibrate_every;
    };
    if (!run_image.empty()) {
        ModelImage img = read_image_file(run_image);
        compensate(img);
        if (evaluate <= 0) throw CompileError("--run needs --evaluate N");
        const ImageSet test = fashion_mnist("t10k", evaluate);
        for (Devices d : devs) evaluate_image(img, p, d, test, std::min(evaluate, test.count));
        return 0;
    }
    if (onnx.empty()) throw CompileError("no model given (aimc-compile model.onnx -o model.aimg)");
    if (output.empty() && evaluate <= 0) throw CompileError("no output given (-o model.aimg)");

    const auto t0 = std::chrono::steady_clock::now();
    Graph g = import_onnx(onnx);
    Normalization norm;
    if (!norm_json.empty()) {
        norm = read_normalization(norm_json);
    } else {
        const std::string beside = onnx.substr(0, onnx.rfind(".onnx")) + ".json";
        if (std::ifstream(beside).good()) norm = read_normalization(beside);
    }
    const ImageSet cal = calib_images.empty() ? fashion_mnist("train", calib) : read_idx(calib_images, "", calib);
    QuantOptions qo;
    qo.weight_bits = p.crossbar.mapping.weight_bits;
    qo.calibration_images = calib;
    if (!no_row_copies) {
        qo.xbar_rows = p.rows();
        qo.adc_full_scale = adc_full_scale(p.crossbar);
    }
    const QNet q = quantize(g, cal, norm, qo);
    MapOptions mo;
    mo.replicate = !no_replicate;
    mo.max_replicas = max_replicas;
    MappingReport rep;
    ModelImage img = map_network(q, p, mo, &rep);
    compensate(img);
    const double compile_s = seconds_since(t0);
    if (!output.empty()) write_image_file(img, output);
    if (!quiet) {
        std::cout << rep.text();
        fmt::print("compiled {} for {} in {:.2f} s ({} calibration images, normalization {}){}\n", onnx, p.name,
                   compile_s, q.calibration_images, norm.source, output.empty() ? "" : "; wrote " + output);
    }
    if (evaluate > 0) {
        const ImageSet test = fashion_mnist("t10k", evaluate);
        const int n = std::min(evaluate, test.count);
        const auto t1 = std::chrono::steady_clock::now();
        int correct = 0;
        const Shape& in = g.tensor_shapes[size_t(g.inputs[0])];
        check_images_fit(test, in, onnx);
        for (int i = 0; i < n; ++i) {
            const Tensor y = run_float(g, {image_tensor(test, i, norm, in)});
            const auto best = std::max_element(y.data.begin(), y.data.end()) - y.data.begin();
            correct += best == test.labels[size_t(i)];
        }
        fmt::print("accuracy {:<8} {:.4f} over {} images (ONNX graph in float; {:.1f} s)\n", "float", double(correct) / n,
                   n, seconds_since(t1));
        for (Devices d : devs) evaluate_image(img, p, d, test, n);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const CompileError& e) {
        std::fprintf(stderr, "aimc-compile: %s\n", e.what());
        return 2;
    } catch (const ImageError& e) {
        std::fprintf(stderr, "aimc-compile: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "aimc-compile: internal error: %s\n", e.what());
        return 1;
    }
}
