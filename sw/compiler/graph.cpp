#include "graph.h"

#include <fmt/format.h>

namespace aimc::compiler {

int64_t element_count(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

std::string shape_string(const Shape& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
    return out.empty() ? "scalar" : out;
}

const char* op_kind_name(OpKind k) {
    switch (k) {
    case OpKind::kMatrix: return "matrix";
    case OpKind::kBatchNorm: return "batchnorm";
    case OpKind::kRelu: return "relu";
    case OpKind::kClip: return "clip";
    case OpKind::kLeakyRelu: return "leakyrelu";
    case OpKind::kSigmoid: return "sigmoid";
    case OpKind::kTanh: return "tanh";
    case OpKind::kAdd: return "add";
    case OpKind::kMaxPool: return "maxpool";
    case OpKind::kAvgPool: return "avgpool";
    case OpKind::kGlobalAvgPool: return "globalavgpool";
    case OpKind::kReshape: return "reshape";
    }
    return "?";
}

int Graph::add_tensor(const std::string& name, const Shape& shape) {
    tensor_shapes.push_back(shape);
    tensor_names.push_back(name);
    return int(tensor_shapes.size()) - 1;
}

std::string Graph::where(const Op& op) const {
    return fmt::format("{}: node '{}' ({}, #{})", file, op.name, op.onnx_op, op.position);
}

}  // namespace aimc::compiler
