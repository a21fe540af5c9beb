// Helpers of the compiler tests: the test networks of tests/compiler/models (make_test_models.py)
// compiled for a platform, the first Fashion-MNIST images they are calibrated and checked on, and the
// reference evaluator's accuracy over them. Inline, so one compile cache serves every test source.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dataset.h"
#include "mapper.h"
#include "onnx_import.h"
#include "platform_geometry.h"
#include "quantize.h"
#include "ref_eval.h"

namespace aimc::test::compiler {

using namespace aimc::compiler;

inline const std::string kModels = AIMC_TEST_MODELS;

struct Compiled {
    Graph g;
    QNet q;
    ModelImage img;
    MappingReport rep;
    PlatformGeometry p;
};

inline const ImageSet& train_images() {
    static const ImageSet s = fashion_mnist("train", 200);
    return s;
}
inline const ImageSet& test_images() {
    static const ImageSet s = fashion_mnist("t10k", 300);
    return s;
}

inline Compiled compile(const std::string& model, const std::string& platform = "hermes64", bool replicate = true,
                        bool row_copies = true) {
    Compiled c;
    c.g = import_onnx(kModels + "/" + model);
    c.p = read_platform(platform);
    QuantOptions qo;
    qo.weight_bits = c.p.crossbar.mapping.weight_bits;
    qo.calibration_images = 200;
    if (row_copies) {
        qo.xbar_rows = c.p.rows();
        qo.adc_full_scale = adc_full_scale(c.p.crossbar);
    }
    c.q = quantize(c.g, train_images(), Normalization{}, qo);
    MapOptions mo;
    mo.replicate = replicate;
    c.img = map_network(c.q, c.p, mo, &c.rep);
    return c;
}

// Cached compiles (each test reads them; none modifies them).
inline const Compiled& cached(const std::string& model) {
    static std::map<std::string, std::unique_ptr<Compiled>> cache;
    auto& slot = cache[model];
    if (!slot) slot = std::make_unique<Compiled>(compile(model));
    return *slot;
}

// Top-1 accuracy of the evaluator over the first n test images, on c's platform or on *p.
inline double eval_accuracy(const Compiled& c, Devices d, int n, const PlatformGeometry* p = nullptr) {
    RefEvaluator ev(c.img, p ? *p : c.p, d);
    int correct = 0;
    for (int i = 0; i < n; ++i) {
        const std::vector<int8_t> x = quantize_input(c.q, test_images().image(i));
        correct += argmax(ev.run(x)) == test_images().labels[size_t(i)];
    }
    return double(correct) / n;
}

}  // namespace aimc::test::compiler
