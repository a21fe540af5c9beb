// Float execution of a Graph (NCHW, any batch): the accuracy of the trained network, the statistics
// quantization calibrates on, and the operator semantics the ONNX test vectors check.
#pragma once

#include <vector>

#include "graph.h"

namespace aimc::compiler {

// Runs the graph on its runtime inputs (in the order of g.inputs). Returns the output tensor; when
// `values` is given it receives every tensor's value (index = tensor id; unused ids stay empty).
Tensor run_float(const Graph& g, const std::vector<Tensor>& inputs, std::vector<Tensor>* values = nullptr);

// One op on its input values (NCHW).
Tensor run_float_op(const Op& op, const std::vector<const Tensor*>& in, const Shape& out_shape);

}  // namespace aimc::compiler
