#include "float_exec.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace aimc::compiler {

namespace {

Tensor matrix(const Op& op, const Tensor& x, const Shape& out_shape) {
    Tensor y(out_shape);
    const int64_t Co = op.weight.shape[0], Ci = op.weight.shape[1], kh = op.kernel_h, kw = op.kernel_w;
    if (!op.conv) {
        const int64_t N = x.shape[0], K = x.shape[1];
        for (int64_t n = 0; n < N; ++n)
            for (int64_t j = 0; j < Co; ++j) {
                double acc = op.bias[size_t(j)];
                const float* w = &op.weight.data[size_t(j * K)];
                const float* xv = &x.data[size_t(n * K)];
                for (int64_t k = 0; k < K; ++k) acc += double(w[k]) * xv[k];
                y.data[size_t(n * Co + j)] = float(acc);
            }
        return y;
    }
    const int64_t N = x.shape[0], H = x.shape[2], W = x.shape[3], OH = out_shape[2], OW = out_shape[3];
    for (int64_t n = 0; n < N; ++n)
        for (int64_t o = 0; o < Co; ++o)
            for (int64_t oy = 0; oy < OH; ++oy)
                for (int64_t ox = 0; ox < OW; ++ox) {
                    double acc = op.bias[size_t(o)];
                    for (int64_t c = 0; c < Ci; ++c)
                        for (int64_t ky = 0; ky < kh; ++ky) {
                            const int64_t iy = oy * op.stride_h - op.pad_t + ky;
                            if (iy < 0 || iy >= H) continue;
                            for (int64_t kx = 0; kx < kw; ++kx) {
                                const int64_t ix = ox * op.stride_w - op.pad_l + kx;
                                if (ix < 0 || ix >= W) continue;
                                acc += double(op.weight.data[size_t(((o * Ci + c) * kh + ky) * kw + kx)]) *
                                       x.data[size_t(((n * Ci + c) * H + iy) * W + ix)];
                            }
                        }
                    y.data[size_t(((n * Co + o) * OH + oy) * OW + ox)] = float(acc);
                }
    return y;
}

Tensor pool(const Op& op, const Tensor& x, const Shape& out_shape) {
    Tensor y(out_shape);
    const int64_t NC = x.shape[0] * x.shape[1], H = x.shape[2], W = x.shape[3], OH = out_shape[2], OW = out_shape[3];
    const bool is_max = op.kind == OpKind::kMaxPool;
    for (int64_t p = 0; p < NC; ++p)
        for (int64_t oy = 0; oy < OH; ++oy)
            for (int64_t ox = 0; ox < OW; ++ox) {
                double acc = is_max ? -std::numeric_limits<double>::infinity() : 0.0;
                int count = 0;
                for (int ky = 0; ky < op.kernel_h; ++ky)
                    for (int kx = 0; kx < op.kernel_w; ++kx) {
                        const int64_t iy = oy * op.stride_h - op.pad_t + ky, ix = ox * op.stride_w - op.pad_l + kx;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                        const double v = x.data[size_t((p * H + iy) * W + ix)];
                        acc = is_max ? std::max(acc, v) : acc + v;
                        ++count;
                    }
                if (!is_max) acc /= op.count_include_pad ? op.kernel_h * op.kernel_w : std::max(count, 1);
                y.data[size_t((p * OH + oy) * OW + ox)] = float(acc);
            }
    return y;
}

Tensor add(const Tensor& a, const Tensor& b, const Shape& out_shape) {
    Tensor y(out_shape);
    const size_t r = out_shape.size();
    auto index = [&](const Tensor& t, int64_t flat) {
        // Broadcast index of output element `flat` into t (right-aligned dimensions).
        int64_t idx = 0, stride = 1;
        for (size_t d = r; d-- > 0;) {
            const int64_t od = out_shape[d];
            const int64_t coord = flat % od;
            flat /= od;
            const int64_t td = int64_t(d) - int64_t(r - t.shape.size());
            if (td >= 0) {
                const int64_t dim = t.shape[size_t(td)];
                idx += (dim == 1 ? 0 : coord) * stride;
                stride *= dim;
            }
        }
        return size_t(idx);
    };
    for (int64_t i = 0; i < int64_t(y.data.size()); ++i) y.data[size_t(i)] = a.data[index(a, i)] + b.data[index(b, i)];
    return y;
}

}  // namespace

Tensor run_float_op(const Op& op, const std::vector<const Tensor*>& in, const Shape& out_shape) {
    const Tensor& x = *in[0];
    auto map = [&](auto f) {
        Tensor y(out_shape);
        for (size_t i = 0; i < y.data.size(); ++i) y.data[i] = f(x.data[i]);
        return y;
    };
    switch (op.kind) {
    case OpKind::kMatrix: return matrix(op, x, out_shape);
    case OpKind::kBatchNorm: {
        Tensor y(out_shape);
        const int64_t C = x.shape[1], inner = element_count(x.shape) / (x.shape[0] * C);
        for (size_t i = 0; i < y.data.size(); ++i) {
            const size_t c = size_t((int64_t(i) / inner) % C);
            y.data[i] = x.data[i] * op.bn_scale[c] + op.bn_shift[c];
        }
        return y;
    }
    case OpKind::kRelu: return map([](float v) { return std::max(v, 0.0f); });
    case OpKind::kClip: return map([&](float v) { return std::min(std::max(v, op.lo), op.hi); });
    case OpKind::kLeakyRelu: return map([&](float v) { return v < 0 ? v * op.alpha : v; });
    case OpKind::kSigmoid: return map([](float v) { return float(1.0 / (1.0 + std::exp(-double(v)))); });
    case OpKind::kTanh: return map([](float v) { return std::tanh(v); });
    case OpKind::kAdd: return add(x, *in[1], out_shape);
    case OpKind::kMaxPool:
    case OpKind::kAvgPool: return pool(op, x, out_shape);
    case OpKind::kGlobalAvgPool: {
        Tensor y(out_shape);
        const int64_t hw = x.shape[2] * x.shape[3];
        for (size_t p = 0; p < y.data.size(); ++p) {
            double s = 0;
            for (int64_t i = 0; i < hw; ++i) s += x.data[p * size_t(hw) + size_t(i)];
            y.data[p] = float(s / double(hw));
        }
        return y;
    }
    case OpKind::kReshape: {
        Tensor y = x;
        y.shape = out_shape;
        return y;
    }
    }
    throw CompileError("float executor: unknown op kind");
}

Tensor run_float(const Graph& g, const std::vector<Tensor>& inputs, std::vector<Tensor>* values) {
    if (inputs.size() != g.inputs.size())
        throw CompileError(fmt::format("{}: {} inputs given, the graph has {}", g.file, inputs.size(), g.inputs.size()));
    std::vector<Tensor> local;
    std::vector<Tensor>& v = values ? *values : local;
    v.assign(g.tensor_shapes.size(), Tensor());
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].shape != g.tensor_shapes[size_t(g.inputs[i])])
            throw CompileError(fmt::format("{}: input {} has shape {}, the graph expects {}", g.file, i,
                                           shape_string(inputs[i].shape),
                                           shape_string(g.tensor_shapes[size_t(g.inputs[i])])));
        v[size_t(g.inputs[i])] = inputs[i];
    }
    for (const Op& op : g.ops) {
        std::vector<const Tensor*> in;
        for (int t : op.inputs) in.push_back(&v[size_t(t)]);
        v[size_t(op.output)] = run_float_op(op, in, g.tensor_shapes[size_t(op.output)]);
    }
    return v[size_t(g.output)];
}

}  // namespace aimc::compiler
