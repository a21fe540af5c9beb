// Operator semantics against Debian's libonnx-testdata node vectors: every test case of every operator
// the compiler supports is imported; the float lowering must reproduce the expected output, or the
// importer must reject the case with an error naming the node (attributes, ranks and types the chip
// path does not take). The set of rejected cases is listed, so a silent change of either fails.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include "float_exec.h"
#include "onnx_import.h"

namespace fs = std::filesystem;
using namespace aimc::compiler;

namespace {

const char* kNodeDir = "/usr/share/libonnx-testdata/data/node";

// Test-name prefixes of the supported operators.
const char* kPrefixes[] = {"test_conv_",         "test_gemm_",      "test_matmul_",    "test_batchnorm_",
                           "test_relu",          "test_clip",       "test_leakyrelu",  "test_sigmoid",
                           "test_tanh",          "test_add",        "test_maxpool_",   "test_averagepool_",
                           "test_globalaveragepool", "test_flatten_", "test_reshape_", "test_identity",
                           "test_dropout_"};

// Cases the importer must reject (what is unsupported, in the test's name).
const std::set<std::string> kRejected = {
    "test_add_uint8",                        // uint8 tensors
    "test_averagepool_1d_default",           // 1D and 3D windows
    "test_averagepool_3d_default",
    "test_batchnorm_epsilon_training_mode",  // training_mode = 1
    "test_batchnorm_example_training_mode",
    "test_clip_default_int8_inbounds",       // int8 tensors
    "test_clip_default_int8_max",
    "test_clip_default_int8_min",
    "test_dropout_default_mask",             // the mask output
    "test_dropout_default_mask_ratio",
    "test_gemm_all_attributes",              // transA = 1
    "test_gemm_default_matrix_bias",         // a bias that is not per output
    "test_gemm_transposeA",                  // transposed activation
    "test_identity_opt",                     // optional and sequence types
    "test_identity_sequence",
    "test_matmul_3d",                        // batched MatMul
    "test_matmul_4d",
    "test_maxpool_1d_default",
    "test_maxpool_3d_default",
    "test_maxpool_2d_dilations",             // dilations
    "test_maxpool_2d_uint8",
    "test_maxpool_with_argmax_2d_precomputed_pads",  // the Indices output
    "test_maxpool_with_argmax_2d_precomputed_strides",
    "test_reshape_allowzero_reordered",      // a zero-sized input dimension
};

bool supported_case(const std::string& name) {
    for (const char* p : kPrefixes)
        if (name.rfind(p, 0) == 0) return name.find("convinteger") == std::string::npos;
    return false;
}

// Graph inputs the test vectors give that are weights/parameters (become constants); the first input
// of every operator, and both operands of Add, stay runtime inputs.
bool is_constant_input(const std::string& test, size_t index) {
    if (test.rfind("test_add", 0) == 0) return false;
    return index > 0;
}

}  // namespace

// Node tests of an operator that has not changed since opset 1 are stored with opset 1, below the
// importer's range: such a model is re-stamped with opset 13 when every node's operator schema is the
// same version at both opsets (same semantics), written to `tmp`, and that file is imported instead.
fs::path same_semantics_at_13(const fs::path& model, const fs::path& tmp) {
    onnx::ModelProto m;
    std::ifstream f(model, std::ios::binary);
    if (!m.ParseFromIstream(&f) || m.opset_import_size() != 1) return model;
    const int old = int(m.opset_import(0).version());
    if (old >= kMinOpset) return model;
    for (const auto& n : m.graph().node()) {
        const auto* a = onnx::OpSchemaRegistry::Schema(n.op_type(), old, "");
        const auto* b = onnx::OpSchemaRegistry::Schema(n.op_type(), 13, "");
        if (!a || !b || a->since_version() != b->since_version()) return model;
    }
    m.mutable_opset_import(0)->set_version(13);
    std::ofstream out(tmp, std::ios::binary);
    m.SerializeToOstream(&out);
    return tmp;
}

// The graph's input names in order (the test vectors' input_<k>.pb follow it).
std::vector<std::string> input_names(const fs::path& model) {
    onnx::ModelProto m;
    std::ifstream f(model, std::ios::binary);
    EXPECT_TRUE(m.ParseFromIstream(&f)) << model;
    std::vector<std::string> out;
    for (const auto& in : m.graph().input()) out.push_back(in.name());
    return out;
}

TEST(OnnxOperators, EverySupportedOperatorMatchesTheTestVectorsOrIsRejectedByName) {
    ASSERT_TRUE(fs::exists(kNodeDir)) << "libonnx-testdata is not installed";
    std::set<std::string> rejected;
    int compared = 0, restamped = 0;
    for (const auto& entry : fs::directory_iterator(kNodeDir)) {
        const std::string name = entry.path().filename().string();
        SCOPED_TRACE(name);
        if (!supported_case(name)) continue;
        const fs::path data = entry.path() / "test_data_set_0";
        const fs::path tmp = fs::temp_directory_path() / ("aimc-opset13-" + name + ".onnx");
        const fs::path model = same_semantics_at_13(entry.path() / "model.onnx", tmp);
        const std::vector<std::string> names = input_names(model);
        std::map<std::string, Tensor> constants;
        std::vector<Tensor> runtime;
        try {
            // Constants first: the importer sees the model (and its input types) before any runtime data.
            std::vector<fs::path> runtime_pbs;
            for (size_t k = 0; k < names.size(); ++k) {
                const fs::path pb = data / ("input_" + std::to_string(k) + ".pb");
                if (!fs::exists(pb)) continue;  // an optional input left out
                if (is_constant_input(name, k)) constants[names[k]] = read_tensor_pb(pb.string());
                else runtime_pbs.push_back(pb);
            }
            const Graph g = import_onnx(model.string(), constants);
            for (const fs::path& pb : runtime_pbs) runtime.push_back(read_tensor_pb(pb.string()));
            const Tensor got = run_float(g, runtime);
            const Tensor want = read_tensor_pb((data / "output_0.pb").string());
            ASSERT_EQ(got.shape, want.shape) << name;
            for (size_t i = 0; i < want.data.size(); ++i)
                ASSERT_NEAR(got.data[i], want.data[i], 1e-4 + 1e-4 * std::fabs(want.data[i])) << name << " element " << i;
            ++compared;
            if (model == tmp) ++restamped;
        } catch (const CompileError& e) {
            EXPECT_NE(std::string(e.what()).find(name + "/"), std::string::npos) << e.what();
            rejected.insert(name);
        }
        if (model == tmp) fs::remove(tmp);
    }
    EXPECT_EQ(compared, 78);  // libonnx-testdata 1.12: 78 cases of the supported operators in the chip's forms
    EXPECT_GE(restamped, 2);  // the GlobalAveragePool cases
    EXPECT_EQ(rejected, kRejected);
}

namespace {

// Loads a test model, lets `edit` change it, writes it to a temporary file and imports that.
std::string import_error(const std::string& model, const std::function<void(onnx::ModelProto&)>& edit) {
    onnx::ModelProto m;
    std::ifstream f(std::string(AIMC_TEST_MODELS) + "/" + model, std::ios::binary);
    EXPECT_TRUE(m.ParseFromIstream(&f));
    edit(m);
    const fs::path tmp = fs::temp_directory_path() / ("aimc-edited-" + model);
    {
        std::ofstream out(tmp, std::ios::binary);
        m.SerializeToOstream(&out);
    }
    std::string what;
    try {
        import_onnx(tmp.string());
    } catch (const CompileError& e) {
        what = e.what();
    }
    fs::remove(tmp);
    return what;
}

}  // namespace

TEST(OnnxImport, CheckerShapeInferenceAndWeightErrorsNameTheFileAndNode) {
    // A node reading a tensor nothing defines: the ONNX checker.
    std::string e = import_error("bad_nan.onnx", [](onnx::ModelProto& m) { m.mutable_graph()->mutable_node(1)->set_input(0, "ghost"); });
    EXPECT_NE(e.find("aimc-edited-bad_nan.onnx: the ONNX checker rejects the model"), std::string::npos) << e;
    // Flatten with an axis past the input's rank: shape inference.
    e = import_error("bad_nan.onnx", [](onnx::ModelProto& m) {
        auto* a = m.mutable_graph()->mutable_node(0)->add_attribute();
        a->set_name("axis");
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(7);
    });
    EXPECT_NE(e.find("aimc-edited-bad_nan.onnx: ONNX shape inference fails"), std::string::npos) << e;
    // Gemm weights whose inner dimension does not match the input: the importer's own check.
    e = import_error("bad_nan.onnx", [](onnx::ModelProto& m) {
        auto* w = m.mutable_graph()->mutable_initializer(0);
        w->set_dims(0, 700);
        w->clear_raw_data();
        for (int i = 0; i < 700 * 10; ++i) w->add_float_data(0.5f);
    });
    EXPECT_NE(e.find("node 'fc' (Gemm, #1): B of shape 700x10 does not match A 1x784"), std::string::npos) << e;
    // An infinite weight.
    e = import_error("bad_nan.onnx", [](onnx::ModelProto& m) {
        auto* w = m.mutable_graph()->mutable_initializer(0);
        std::string raw = w->raw_data();
        if (raw.empty()) {
            w->set_float_data(3, std::numeric_limits<float>::infinity());
            w->set_float_data(34, 1.0f);  // the NaN of bad_nan.onnx (w[3][4]) made finite
        } else {
            const float inf = std::numeric_limits<float>::infinity(), one = 1.0f;
            std::memcpy(&raw[4 * 3], &inf, 4);
            std::memcpy(&raw[4 * 34], &one, 4);
            w->set_raw_data(raw);
        }
    });
    EXPECT_NE(e.find("node 'fc' (Gemm, #1): constant 'w' holds a non-finite value (inf)"), std::string::npos) << e;
}

TEST(OnnxImport, ConstantNodesActAsInitializers) {
    // ops.onnx with its Clip bounds and Reshape shape moved from initializers into Constant nodes (as
    // torch.onnx.export writes them) computes the same.
    onnx::ModelProto m;
    std::ifstream f(std::string(AIMC_TEST_MODELS) + "/ops.onnx", std::ios::binary);
    ASSERT_TRUE(m.ParseFromIstream(&f));
    auto* g = m.mutable_graph();
    onnx::GraphProto moved;
    int constants = 0;
    for (const auto& init : g->initializer()) {
        if (init.name() != "lo" && init.name() != "hi" && init.name() != "shape") {
            *moved.add_initializer() = init;
            continue;
        }
        onnx::NodeProto c;
        c.set_op_type("Constant");
        c.set_name("const_" + init.name());
        c.add_output(init.name());
        auto* a = c.add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        *a->mutable_t() = init;
        *moved.add_node() = c;
        ++constants;
    }
    for (const auto& n : g->node()) *moved.add_node() = n;
    g->clear_initializer();
    g->clear_node();
    for (const auto& i : moved.initializer()) *g->add_initializer() = i;
    for (const auto& n : moved.node()) *g->add_node() = n;
    ASSERT_EQ(constants, 3);
    const fs::path tmp = fs::temp_directory_path() / "aimc-ops-constants.onnx";
    {
        std::ofstream out(tmp, std::ios::binary);
        m.SerializeToOstream(&out);
    }
    const Graph a = import_onnx(std::string(AIMC_TEST_MODELS) + "/ops.onnx"), b = import_onnx(tmp.string());
    fs::remove(tmp);
    Tensor x({1, 1, 28, 28});
    for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = float(i % 29) / 29.0f;
    EXPECT_EQ(run_float(a, {x}).data, run_float(b, {x}).data);
}
