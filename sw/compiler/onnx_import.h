// ONNX import: reads a model file with libonnx's protobuf classes, runs the ONNX checker and shape
// inference, and lowers the supported operators into a Graph (graph.h). Anything else is a
// CompileError naming the file, the node (name, operator, position) and the reason.
#pragma once

#include <map>
#include <string>

#include "graph.h"

namespace aimc::compiler {

// Opsets of the default ONNX domain the importer accepts.
constexpr int kMinOpset = 11;
constexpr int kMaxOpset = 17;

// Reads `path`. `constants` gives values for graph inputs that are to be treated as initializers (the
// operator test vectors pass weights as inputs); every other graph input stays a runtime input.
Graph import_onnx(const std::string& path, const std::map<std::string, Tensor>& constants = {});

// Reads one serialized onnx.TensorProto (the test vectors' input_*.pb / output_*.pb).
Tensor read_tensor_pb(const std::string& path);

}  // namespace aimc::compiler
