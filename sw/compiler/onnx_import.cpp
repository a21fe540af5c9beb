#include "onnx_import.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

namespace aimc::compiler {

namespace {

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw CompileError(path + ": cannot open the file");
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

Tensor tensor_from_proto(const onnx::TensorProto& t, const std::string& where) {
    Shape shape(t.dims().begin(), t.dims().end());
    for (int64_t d : shape)
        if (d < 0) throw CompileError(fmt::format("{}: tensor '{}' has a negative dimension", where, t.name()));
    Tensor out(shape);
    const size_t n = out.data.size();
    auto check_count = [&](size_t have) {
        if (have != n)
            throw CompileError(fmt::format("{}: tensor '{}' holds {} values, its shape {} needs {}", where, t.name(),
                                           have, shape_string(shape), n));
    };
    const std::string& raw = t.raw_data();
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
        if (!raw.empty()) {
            check_count(raw.size() / 4);
            if (raw.size() % 4) check_count(size_t(-1));
            std::memcpy(out.data.data(), raw.data(), n * 4);
        } else {
            check_count(size_t(t.float_data_size()));
            for (size_t i = 0; i < n; ++i) out.data[i] = t.float_data(int(i));
        }
        break;
    case onnx::TensorProto::INT64:
        if (!raw.empty()) {
            check_count(raw.size() / 8);
            for (size_t i = 0; i < n; ++i) {
                int64_t v;
                std::memcpy(&v, raw.data() + 8 * i, 8);
                out.data[i] = float(v);
            }
        } else {
            check_count(size_t(t.int64_data_size()));
            for (size_t i = 0; i < n; ++i) out.data[i] = float(t.int64_data(int(i)));
        }
        break;
    default:
        throw CompileError(fmt::format("{}: tensor '{}' has element type {} (only float32 weights and int64 shapes "
                                       "are supported)",
                                       where, t.name(), onnx::TensorProto::DataType_Name(t.data_type())));
    }
    return out;
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name) {
    for (const auto& a : n.attribute())
        if (a.name() == name) return &a;
    return nullptr;
}
int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t dflt) {
    const auto* a = find_attr(n, name);
    return a ? a->i() : dflt;
}
float attr_float(const onnx::NodeProto& n, const std::string& name, float dflt) {
    const auto* a = find_attr(n, name);
    return a ? a->f() : dflt;
}
std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name) {
    const auto* a = find_attr(n, name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}
std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& dflt) {
    const auto* a = find_attr(n, name);
    return a ? a->s() : dflt;
}

class Importer {
public:
    Importer(const std::string& path, const std::map<std::string, Tensor>& constants)
        : path_(path), given_(constants) {}

    Graph run() {
        onnx::ModelProto model;
        const std::string bytes = read_file(path_);
        if (!model.ParseFromString(bytes))
            throw CompileError(path_ + ": not a valid ONNX model (the protobuf does not parse: truncated or corrupt)");
        check_opset(model);
        try {
            onnx::checker::check_model(model);
        } catch (const std::exception& e) {
            throw CompileError(path_ + ": the ONNX checker rejects the model: " + first_line(e.what()));
        }
        try {
            onnx::ShapeInferenceOptions opt{true, 1, false};
            onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), opt);
        } catch (const std::exception& e) {
            throw CompileError(path_ + ": ONNX shape inference fails: " + first_line(e.what()));
        }
        g_.file = path_;
        const onnx::GraphProto& gp = model.graph();
        for (const auto& init : gp.initializer()) consts_[init.name()] = tensor_from_proto(init, path_);
        for (const auto& [name, t] : given_) consts_[name] = t;
        for (const auto& in : gp.input()) {
            if (consts_.count(in.name())) continue;
            const auto& tt = in.type().tensor_type();
            if (tt.elem_type() != onnx::TensorProto::FLOAT)
                throw CompileError(fmt::format("{}: input '{}' is of type {}, not float32", path_, in.name(),
                                               onnx::TensorProto::DataType_Name(tt.elem_type())));
            Shape s;
            for (const auto& d : tt.shape().dim()) {
                if (d.has_dim_value() && d.dim_value() == 0)
                    throw CompileError(fmt::format("{}: input '{}' has a zero-sized dimension", path_, in.name()));
                if (!d.has_dim_value() || d.dim_value() < 0)
                    throw CompileError(fmt::format("{}: input '{}' has a dynamic shape (dimension '{}'); the compiler "
                                                   "needs static shapes (N = 1)",
                                                   path_, in.name(), d.has_dim_param() ? d.dim_param() : "?"));
                s.push_back(d.dim_value());
            }
            g_.inputs.push_back(bind(in.name(), s));
        }
        for (const auto& node : gp.node())
            for (const auto& in : node.input()) ++uses_[in];
        for (const auto& out : gp.output()) ++uses_[out.name()];
        for (int i = 0; i < gp.node_size(); ++i) lower(gp.node(i), i);
        if (gp.output_size() != 1)
            throw CompileError(fmt::format("{}: the graph has {} outputs; one is supported", path_, gp.output_size()));
        auto it = ids_.find(gp.output(0).name());
        if (it == ids_.end())
            throw CompileError(fmt::format("{}: the graph output '{}' is not computed by any node", path_,
                                           gp.output(0).name()));
        g_.output = it->second;
        return std::move(g_);
    }

private:
    static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

    void check_opset(const onnx::ModelProto& m) {
        for (const auto& o : m.opset_import()) {
            if (!o.domain().empty() && o.domain() != "ai.onnx")
                throw CompileError(fmt::format("{}: operator set domain '{}' is not supported", path_, o.domain()));
            if (o.version() < kMinOpset || o.version() > kMaxOpset)
                throw CompileError(fmt::format("{}: opset {} is not supported (the compiler reads opsets {}..{})",
                                               path_, o.version(), kMinOpset, kMaxOpset));
        }
    }

    int bind(const std::string& name, const Shape& s) {
        const int id = g_.add_tensor(name, s);
        ids_[name] = id;
        return id;
    }

    [[noreturn]] void fail(const onnx::NodeProto& n, int pos, const std::string& why) const {
        throw CompileError(fmt::format("{}: node '{}' ({}, #{}): {}", path_, n.name(), n.op_type(), pos, why));
    }

    // An activation input of the node (a tensor some earlier node or the graph input produces).
    int act(const onnx::NodeProto& n, int pos, int k) const {
        if (k >= n.input_size() || n.input(k).empty()) fail(n, pos, fmt::format("input {} is missing", k));
        auto it = ids_.find(n.input(k));
        if (it == ids_.end()) {
            if (consts_.count(n.input(k)))
                fail(n, pos, fmt::format("input {} ('{}') is a constant where the compiler needs an activation", k,
                                         n.input(k)));
            fail(n, pos, fmt::format("input {} ('{}') is not produced by an earlier node", k, n.input(k)));
        }
        return it->second;
    }
    // A constant input (initializer), or nullptr when it is absent and optional.
    const Tensor* cst(const onnx::NodeProto& n, int pos, int k, bool optional = false) const {
        if (k >= n.input_size() || n.input(k).empty()) {
            if (optional) return nullptr;
            fail(n, pos, fmt::format("input {} is missing", k));
        }
        auto it = consts_.find(n.input(k));
        if (it == consts_.end())
            fail(n, pos, fmt::format("input {} ('{}') must be a constant (initializer)", k, n.input(k)));
        for (float v : it->second.data)
            if (!std::isfinite(v))
                fail(n, pos, fmt::format("constant '{}' holds a non-finite value ({})", n.input(k), v));
        return &it->second;
    }
    const Shape& shape(int id) const { return g_.tensor_shapes[size_t(id)]; }

    Op make(const onnx::NodeProto& n, int pos, OpKind kind) const {
        Op op;
        op.kind = kind;
        op.name = n.name().empty() ? fmt::format("{}_{}", n.op_type(), pos) : n.name();
        op.onnx_op = n.op_type();
        op.position = pos;
        return op;
    }
    void emit(Op op, const onnx::NodeProto& n, const Shape& out) {
        op.output = bind(n.output(0), out);
        g_.ops.push_back(std::move(op));
    }

    // Spatial window attributes shared by Conv and the pools; fills pads/strides and returns out H, W.
    std::pair<int64_t, int64_t> window(const onnx::NodeProto& n, int pos, Op& op, const Shape& in, bool ceil_ok) {
        const auto strides = attr_ints(n, "strides"), pads = attr_ints(n, "pads"), dil = attr_ints(n, "dilations");
        for (int64_t d : dil)
            if (d != 1) fail(n, pos, "dilations other than 1 are not supported");
        op.stride_h = strides.empty() ? 1 : int(strides[0]);
        op.stride_w = strides.size() < 2 ? 1 : int(strides[1]);
        if (op.stride_h < 1 || op.stride_w < 1) fail(n, pos, "strides must be >= 1");
        const std::string auto_pad = attr_string(n, "auto_pad", "NOTSET");
        const int64_t H = in[2], W = in[3];
        if (auto_pad == "NOTSET") {
            if (!pads.empty() && pads.size() != 4) fail(n, pos, "pads must have 4 values for a 2D window");
            if (!pads.empty()) {
                op.pad_t = int(pads[0]), op.pad_l = int(pads[1]), op.pad_b = int(pads[2]), op.pad_r = int(pads[3]);
            }
        } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
            auto same = [&](int64_t size, int k, int s, int& lo, int& hi) {
                const int64_t out = (size + s - 1) / s;
                const int64_t total = std::max<int64_t>((out - 1) * s + k - size, 0);
                lo = int(auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2);
                hi = int(total - lo);
            };
            same(H, op.kernel_h, op.stride_h, op.pad_t, op.pad_b);
            same(W, op.kernel_w, op.stride_w, op.pad_l, op.pad_r);
        } else if (auto_pad != "VALID") {
            fail(n, pos, "auto_pad '" + auto_pad + "' is not supported");
        }
        for (int p : {op.pad_t, op.pad_l, op.pad_b, op.pad_r})
            if (p < 0) fail(n, pos, "negative pads are not supported");
        const bool ceil_mode = attr_int(n, "ceil_mode", 0) != 0;
        if (ceil_mode && !ceil_ok) fail(n, pos, "ceil_mode is not supported here");
        auto out_size = [&](int64_t size, int k, int s, int lo, int& hi) {
            const int64_t span = size + lo + hi - k;
            if (span < 0) fail(n, pos, "the window is larger than the padded input");
            int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
            if (ceil_mode && (out - 1) * s >= size + lo) --out;  // the last window must start inside
            // Express ceil mode as extra padding at the end (padding never counts in pools).
            hi = int(std::max<int64_t>(hi, (out - 1) * s + k - size - lo));
            return out;
        };
        const int64_t oh = out_size(H, op.kernel_h, op.stride_h, op.pad_t, op.pad_b);
        const int64_t ow = out_size(W, op.kernel_w, op.stride_w, op.pad_l, op.pad_r);
        return {oh, ow};
    }

    void need_4d(const onnx::NodeProto& n, int pos, const Shape& s) const {
        if (s.size() != 4) fail(n, pos, fmt::format("input of shape {}: only 2D images (NCHW) are supported", shape_string(s)));
    }

    void lower(const onnx::NodeProto& n, int pos) {
        const std::string& t = n.op_type();
        if (!n.domain().empty() && n.domain() != "ai.onnx") fail(n, pos, "operator domain '" + n.domain() + "' is not supported");
        if (t == "Identity" || t == "Dropout") {
            if (t == "Dropout" && n.output_size() > 1 && !n.output(1).empty()) fail(n, pos, "the mask output is not supported");
            ids_[n.output(0)] = act(n, pos, 0);  // dropped: its output is its input
            return;
        }
        if (n.output_size() != 1) fail(n, pos, fmt::format("{} outputs; one is supported", n.output_size()));
        if (t == "Constant") return lower_constant(n, pos);
        if (t == "Conv") return lower_conv(n, pos);
        if (t == "Gemm") return lower_gemm(n, pos);
        if (t == "MatMul") return lower_matmul(n, pos);
        if (t == "BatchNormalization") return lower_bn(n, pos);
        if (t == "Add") return lower_add(n, pos);
        if (t == "Relu" || t == "Sigmoid" || t == "Tanh" || t == "LeakyRelu" || t == "Clip") return lower_act(n, pos);
        if (t == "MaxPool" || t == "AveragePool") return lower_pool(n, pos);
        if (t == "GlobalAveragePool") {
            const int x = act(n, pos, 0);
            need_4d(n, pos, shape(x));
            Op op = make(n, pos, OpKind::kGlobalAvgPool);
            op.inputs = {x};
            const Shape s = shape(x);
            return emit(std::move(op), n, {s[0], s[1], 1, 1});
        }
        if (t == "Flatten" || t == "Reshape") return lower_reshape(n, pos);
        fail(n, pos, "operator not supported by the compiler");
    }

    // A Constant node (exporters emit them for Clip bounds, Reshape shapes): an initializer by another name.
    void lower_constant(const onnx::NodeProto& n, int pos) {
        Tensor t;
        if (const auto* a = find_attr(n, "value")) {
            t = tensor_from_proto(a->t(), fmt::format("{}: node '{}' (Constant, #{})", path_, n.name(), pos));
        } else if (const auto* f = find_attr(n, "value_float")) {
            t = Tensor(Shape{});
            t.data = {f->f()};
        } else if (const auto* i = find_attr(n, "value_int")) {
            t = Tensor(Shape{});
            t.data = {float(i->i())};
        } else if (const auto* is = find_attr(n, "value_ints")) {
            t = Tensor(Shape{int64_t(is->ints_size())});
            for (int k = 0; k < is->ints_size(); ++k) t.data[size_t(k)] = float(is->ints(k));
        } else if (const auto* fs = find_attr(n, "value_floats")) {
            t = Tensor(Shape{int64_t(fs->floats_size())});
            for (int k = 0; k < fs->floats_size(); ++k) t.data[size_t(k)] = fs->floats(k);
        } else {
            fail(n, pos, "only value, value_float(s) and value_int(s) constants are supported");
        }
        consts_[n.output(0)] = std::move(t);
    }

    void lower_conv(const onnx::NodeProto& n, int pos) {
        const int x = act(n, pos, 0);
        const Shape in = shape(x);
        need_4d(n, pos, in);
        const Tensor* w = cst(n, pos, 1);
        const Tensor* b = cst(n, pos, 2, true);
        if (attr_int(n, "group", 1) != 1) fail(n, pos, "group != 1 is not supported");
        if (w->shape.size() != 4 || w->shape[1] != in[1])
            fail(n, pos, fmt::format("weights of shape {} do not match the input {}", shape_string(w->shape), shape_string(in)));
        Op op = make(n, pos, OpKind::kMatrix);
        op.conv = true;
        op.inputs = {x};
        op.weight = *w;
        op.kernel_h = int(w->shape[2]);
        op.kernel_w = int(w->shape[3]);
        const auto ks = attr_ints(n, "kernel_shape");
        if (!ks.empty() && (ks.size() != 2 || ks[0] != op.kernel_h || ks[1] != op.kernel_w))
            fail(n, pos, "kernel_shape does not match the weights");
        op.bias.assign(size_t(w->shape[0]), 0.0f);
        if (b) {
            if (b->data.size() != op.bias.size()) fail(n, pos, "the bias length differs from the output channels");
            op.bias = b->data;
        }
        const auto [oh, ow] = window(n, pos, op, in, false);
        emit(std::move(op), n, {in[0], w->shape[0], oh, ow});
    }

    void lower_gemm(const onnx::NodeProto& n, int pos) {
        const int a = act(n, pos, 0);
        const Shape in = shape(a);
        if (in.size() != 2) fail(n, pos, "input A must be 2D");
        if (attr_int(n, "transA", 0)) fail(n, pos, "transA = 1 (a transposed activation) is not supported");
        const Tensor* B = cst(n, pos, 1);
        const Tensor* C = cst(n, pos, 2, true);
        const bool tb = attr_int(n, "transB", 0) != 0;
        const float alpha = attr_float(n, "alpha", 1.0f), beta = attr_float(n, "beta", 1.0f);
        if (B->shape.size() != 2) fail(n, pos, "B must be 2D");
        const int64_t K = tb ? B->shape[1] : B->shape[0], N = tb ? B->shape[0] : B->shape[1];
        if (K != in[1]) fail(n, pos, fmt::format("B of shape {} does not match A {}", shape_string(B->shape), shape_string(in)));
        Op op = make(n, pos, OpKind::kMatrix);
        op.inputs = {a};
        op.weight = Tensor({N, K, 1, 1});
        for (int64_t j = 0; j < N; ++j)
            for (int64_t k = 0; k < K; ++k)
                op.weight.data[size_t(j * K + k)] = alpha * B->data[size_t(tb ? j * K + k : k * N + j)];
        op.bias.assign(size_t(N), 0.0f);
        if (C) {
            const size_t cn = C->data.size();
            const bool per_row = C->shape.size() == 2 && C->shape[0] != 1;
            if (per_row || (cn != 1 && cn != size_t(N)))
                fail(n, pos, fmt::format("bias C of shape {} is not a per-output bias (N = {})", shape_string(C->shape), N));
            for (int64_t j = 0; j < N; ++j) op.bias[size_t(j)] = beta * C->data[cn == 1 ? 0 : size_t(j)];
        }
        emit(std::move(op), n, {in[0], N});
    }

    void lower_matmul(const onnx::NodeProto& n, int pos) {
        const int a = act(n, pos, 0);
        const Shape in = shape(a);
        const Tensor* B = cst(n, pos, 1);
        if (in.size() != 2 || B->shape.size() != 2) fail(n, pos, "only 2D x 2D MatMul (activation x constant) is supported");
        if (B->shape[0] != in[1]) fail(n, pos, "inner dimensions differ");
        const int64_t K = B->shape[0], N = B->shape[1];
        Op op = make(n, pos, OpKind::kMatrix);
        op.inputs = {a};
        op.weight = Tensor({N, K, 1, 1});
        for (int64_t j = 0; j < N; ++j)
            for (int64_t k = 0; k < K; ++k) op.weight.data[size_t(j * K + k)] = B->data[size_t(k * N + j)];
        op.bias.assign(size_t(N), 0.0f);
        emit(std::move(op), n, {in[0], N});
    }

    void lower_bn(const onnx::NodeProto& n, int pos) {
        const int x = act(n, pos, 0);
        const Shape in = shape(x);
        if (attr_int(n, "training_mode", 0)) fail(n, pos, "training_mode = 1 is not supported");
        if (in.size() < 2) fail(n, pos, "input needs a channel dimension");
        const Tensor *g = cst(n, pos, 1), *b = cst(n, pos, 2), *m = cst(n, pos, 3), *v = cst(n, pos, 4);
        const size_t C = size_t(in[1]);
        for (const Tensor* p : {g, b, m, v})
            if (p->data.size() != C) fail(n, pos, "parameter length differs from the channels");
        const float eps = attr_float(n, "epsilon", 1e-5f);
        Op op = make(n, pos, OpKind::kBatchNorm);
        op.inputs = {x};
        for (size_t c = 0; c < C; ++c) {
            if (v->data[c] + eps <= 0) fail(n, pos, fmt::format("variance + epsilon <= 0 in channel {}", c));
            const float s = g->data[c] / std::sqrt(v->data[c] + eps);
            op.bn_scale.push_back(s);
            op.bn_shift.push_back(b->data[c] - m->data[c] * s);
        }
        emit(std::move(op), n, in);
    }

    void lower_add(const onnx::NodeProto& n, int pos) {
        // MatMul + Add of a constant: the bias of the matrix layer that produced the other operand.
        for (int k = 0; k < 2; ++k) {
            if (!consts_.count(n.input(k))) continue;
            const Tensor* c = cst(n, pos, k);
            const int x = act(n, pos, 1 - k);
            Op* prod = producer(x);
            if (!prod || prod->kind != OpKind::kMatrix || prod->conv || uses_[n.input(1 - k)] != 1)
                fail(n, pos, "an Add of a constant is supported only as the bias of the MatMul/Gemm right before it");
            const size_t N = prod->bias.size();
            if (c->data.size() != N && c->data.size() != 1)
                fail(n, pos, fmt::format("constant of shape {} is not a per-output bias (N = {})", shape_string(c->shape), N));
            for (size_t j = 0; j < N; ++j) prod->bias[j] += c->data[c->data.size() == 1 ? 0 : j];
            ids_[n.output(0)] = x;
            return;
        }
        const int a = act(n, pos, 0), b = act(n, pos, 1);
        Shape out = shape(a);
        const Shape& sb = shape(b);
        // NumPy broadcasting (the float path); the compiled path needs equal shapes.
        if (sb.size() > out.size()) out.insert(out.begin(), sb.size() - out.size(), 1);
        for (size_t i = 0; i < sb.size(); ++i) {
            int64_t& o = out[out.size() - sb.size() + i];
            if (o == 1) o = sb[i];
            else if (sb[i] != 1 && sb[i] != o) fail(n, pos, "operand shapes do not broadcast");
        }
        Op op = make(n, pos, OpKind::kAdd);
        op.inputs = {a, b};
        emit(std::move(op), n, out);
    }

    void lower_act(const onnx::NodeProto& n, int pos) {
        const std::string& t = n.op_type();
        const int x = act(n, pos, 0);
        Op op = make(n, pos, t == "Relu" ? OpKind::kRelu : t == "Sigmoid" ? OpKind::kSigmoid
                             : t == "Tanh" ? OpKind::kTanh : t == "LeakyRelu" ? OpKind::kLeakyRelu : OpKind::kClip);
        op.inputs = {x};
        if (t == "LeakyRelu") op.alpha = attr_float(n, "alpha", 0.01f);
        if (t == "Clip") {
            const Tensor* lo = cst(n, pos, 1, true);
            const Tensor* hi = cst(n, pos, 2, true);
            op.lo = lo ? lo->data.at(0) : -INFINITY;
            op.hi = hi ? hi->data.at(0) : INFINITY;
        }
        emit(std::move(op), n, shape(x));
    }

    void lower_pool(const onnx::NodeProto& n, int pos) {
        const int x = act(n, pos, 0);
        const Shape in = shape(x);
        need_4d(n, pos, in);
        if (attr_int(n, "storage_order", 0)) fail(n, pos, "storage_order = 1 is not supported");
        const auto ks = attr_ints(n, "kernel_shape");
        if (ks.size() != 2) fail(n, pos, "kernel_shape must have 2 values");
        Op op = make(n, pos, n.op_type() == "MaxPool" ? OpKind::kMaxPool : OpKind::kAvgPool);
        op.inputs = {x};
        op.kernel_h = int(ks[0]);
        op.kernel_w = int(ks[1]);
        op.count_include_pad = attr_int(n, "count_include_pad", 0) != 0;
        const auto [oh, ow] = window(n, pos, op, in, true);
        emit(std::move(op), n, {in[0], in[1], oh, ow});
    }

    void lower_reshape(const onnx::NodeProto& n, int pos) {
        const int x = act(n, pos, 0);
        const Shape in = shape(x);
        Shape out;
        if (n.op_type() == "Flatten") {
            int64_t axis = attr_int(n, "axis", 1);
            if (axis < 0) axis += int64_t(in.size());
            if (axis < 0 || axis > int64_t(in.size())) fail(n, pos, "axis out of range");
            int64_t a = 1, b = 1;
            for (int64_t i = 0; i < int64_t(in.size()); ++i) (i < axis ? a : b) *= in[size_t(i)];
            out = {a, b};
        } else {
            const Tensor* s = cst(n, pos, 1);
            const bool allowzero = attr_int(n, "allowzero", 0) != 0;
            int infer = -1;
            int64_t known = 1;
            for (size_t i = 0; i < s->data.size(); ++i) {
                int64_t d = int64_t(s->data[i]);
                if (d == 0 && !allowzero) {
                    if (i >= in.size()) fail(n, pos, "shape copies a dimension the input does not have");
                    d = in[i];
                }
                if (d == -1) {
                    if (infer >= 0) fail(n, pos, "more than one -1 in the shape");
                    infer = int(i);
                } else if (d < 0) {
                    fail(n, pos, "negative dimension in the shape");
                } else {
                    known *= d;
                }
                out.push_back(d);
            }
            if (infer >= 0) {
                if (known == 0 || element_count(in) % known) fail(n, pos, "the -1 dimension cannot be inferred");
                out[size_t(infer)] = element_count(in) / known;
            }
            if (element_count(out) != element_count(in))
                fail(n, pos, fmt::format("reshape of {} into {} changes the element count", shape_string(in), shape_string(out)));
        }
        Op op = make(n, pos, OpKind::kReshape);
        op.inputs = {x};
        emit(std::move(op), n, out);
    }

    Op* producer(int tensor) {
        for (Op& op : g_.ops)
            if (op.output == tensor) return &op;
        return nullptr;
    }

    std::string path_;
    const std::map<std::string, Tensor>& given_;
    std::map<std::string, Tensor> consts_;
    std::map<std::string, int> ids_;
    std::map<std::string, int> uses_;  // nodes (and graph outputs) reading each tensor name
    Graph g_;
};

}  // namespace

Graph import_onnx(const std::string& path, const std::map<std::string, Tensor>& constants) {
    return Importer(path, constants).run();
}

Tensor read_tensor_pb(const std::string& path) {
    onnx::TensorProto t;
    if (!t.ParseFromString(read_file(path))) throw CompileError(path + ": not a serialized ONNX tensor");
    return tensor_from_proto(t, path);
}

}  // namespace aimc::compiler
