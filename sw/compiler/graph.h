// The compiler's network graph: the ONNX model after import (Identity/Dropout dropped, constants read,
// shapes inferred), as a list of float operators in execution order over NCHW tensors. Plain C++.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aimc::compiler {

// A bad model, bad calibration data or a network the chip cannot hold: the message names the file,
// the node (name, operator, position) and the reason. aimc-compile exits 2 on it.
class CompileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Shape = std::vector<int64_t>;
int64_t element_count(const Shape& s);
std::string shape_string(const Shape& s);  // "1x16x28x28"

struct Tensor {
    Shape shape;
    std::vector<float> data;
    Tensor() = default;
    explicit Tensor(Shape s) : shape(std::move(s)), data(size_t(element_count(shape)), 0.0f) {}
};

enum class OpKind {
    kMatrix,       // Gemm, MatMul(+Add), Conv: weights [Cout][Cin][kh][kw] (dense: kh = kw = 1), bias [Cout]
    kBatchNorm,    // y = x * scale[c] + shift[c] (from gamma, beta, mean, var, epsilon); folded when it follows kMatrix
    kRelu,
    kClip,         // lo, hi
    kLeakyRelu,    // alpha
    kSigmoid,
    kTanh,
    kAdd,          // two activations (NumPy broadcasting in float)
    kMaxPool,
    kAvgPool,      // count_include_pad
    kGlobalAvgPool,
    kReshape,      // Flatten or static Reshape: the data is unchanged, the shape becomes out_shape
};
const char* op_kind_name(OpKind k);

struct Op {
    OpKind kind = OpKind::kRelu;
    std::string name;     // ONNX node name (or "<op_type>_<position>" if the node has none)
    std::string onnx_op;  // ONNX op_type it came from ("Conv", "Gemm", ...)
    int position = 0;     // index of the node in the ONNX graph
    std::vector<int> inputs;  // tensor ids
    int output = -1;
    // kMatrix
    bool conv = false;
    Tensor weight;  // [Cout][Cin][kh][kw]
    std::vector<float> bias;
    int stride_h = 1, stride_w = 1, pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;
    // pools
    int kernel_h = 1, kernel_w = 1;
    bool count_include_pad = false;
    // kBatchNorm
    std::vector<float> bn_scale, bn_shift;
    // kClip / kLeakyRelu
    float lo = 0, hi = 0, alpha = 0.01f;
};

struct Graph {
    std::string file;       // where it came from, for messages
    std::vector<Shape> tensor_shapes;
    std::vector<std::string> tensor_names;
    std::vector<int> inputs;  // runtime inputs (a compiled network has exactly one)
    int output = -1;
    std::vector<Op> ops;  // topological order

    int add_tensor(const std::string& name, const Shape& shape);
    std::string where(const Op& op) const;  // "model.onnx: node 'conv1' (Conv, #3)"
};

}  // namespace aimc::compiler
