// Row copies (sw/compiler/quantize): how many times a small layer is repeated down the crossbar rows
// follows its calibrated column sums (bias excluded) and the fraction of them allowed past the ADC's
// full scale. Test network tests/compiler/models/cnn.onnx, 200 training images, seed 1.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dataset.h"
#include "mapper.h"
#include "onnx_import.h"
#include "platform_geometry.h"
#include "quantize.h"
#include "ref_eval.h"

using namespace aimc::compiler;

namespace {

struct Copied {
    QNet q;
    ModelImage img;
    std::map<std::string, int> copies;
};

const ImageSet& train_images() {
    static const ImageSet s = fashion_mnist("train", 200);
    return s;
}

Copied compile_with(double clip_fraction, const PlatformGeometry& p) {
    const Graph g = import_onnx(std::string(AIMC_TEST_MODELS) + "/cnn.onnx");
    QuantOptions qo;
    qo.weight_bits = p.crossbar.mapping.weight_bits;
    qo.calibration_images = 200;
    qo.xbar_rows = p.rows();
    qo.adc_full_scale = adc_full_scale(p.crossbar);
    qo.adc_clip_fraction = clip_fraction;
    Copied c;
    c.q = quantize(g, train_images(), Normalization{}, qo);
    c.img = map_network(c.q, p, MapOptions{}, nullptr);
    for (const QLayer& l : c.q.layers)
        if (l.kind == QKind::kCrossbar) c.copies[l.name] = l.row_copies;
    return c;
}

// Saturations (ADC, DAC and LDPU, as the tile counts them) of the ideal crossbar over 50 of the
// calibration images.
uint64_t ideal_saturations(const Copied& c, const PlatformGeometry& p) {
    RefEvaluator ev(c.img, p, Devices::kIdeal);
    for (int i = 0; i < 50; ++i) ev.run(quantize_input(c.q, train_images().image(i)));
    return ev.stats().saturations;
}

}  // namespace

TEST(RowCopies, TheClipFractionTradesRareAdcSaturationsForCopies) {
    const PlatformGeometry p = read_platform("hermes64");
    const Copied strict = compile_with(0.0, p);   // every calibrated column sum inside the full scale
    const Copied loose = compile_with(0.5, p);    // half of them may pass it
    for (const auto& [name, n] : strict.copies) EXPECT_GE(loose.copies.at(name), n) << name;
    // c4 (108 rows): its largest calibrated sum takes 93 % of the ADC range, its median far less.
    EXPECT_EQ(strict.copies.at("/c4/Conv"), 1);
    EXPECT_EQ(loose.copies.at("/c4/Conv"), 2);
    // Strict copies keep the calibration images' conversions inside the full scale (a few saturations
    // at most, from the ADC's rounding at the edge); loose ones do not.
    const uint64_t s_strict = ideal_saturations(strict, p), s_loose = ideal_saturations(loose, p);
    RecordProperty("saturations_strict", std::to_string(s_strict));
    RecordProperty("saturations_loose", std::to_string(s_loose));
    EXPECT_LE(s_strict, 20u);
    EXPECT_GT(s_loose, 10 * (s_strict + 10));
}

TEST(RowCopies, DefaultFractionIsRareAndCopiesTheFirstConvolution) {
    const PlatformGeometry p = read_platform("hermes64");
    EXPECT_DOUBLE_EQ(QuantOptions{}.adc_clip_fraction, 1e-3);
    const Copied c = compile_with(QuantOptions{}.adc_clip_fraction, p);
    // c1: 9 rows whose largest calibrated sums reach 47 % of the full scale (the bias, added in the
    // LDPU, not counted): two copies.
    EXPECT_EQ(c.copies.at("/c1/Conv"), 2);
}

TEST(RowCopies, AClipFractionOutsideZeroToOneIsAnError) {
    const PlatformGeometry p = read_platform("hermes64");
    for (double f : {-0.1, 1.0}) {
        try {
            compile_with(f, p);
            ADD_FAILURE() << "fraction " << f << " accepted";
        } catch (const CompileError& e) {
            EXPECT_NE(std::string(e.what()).find("clip fraction"), std::string::npos) << e.what();
        }
    }
}
