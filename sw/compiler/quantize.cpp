#include "quantize.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "aimc/model_image.h"
#include "float_exec.h"

namespace aimc::compiler {

int64_t rne_div_pow2(int64_t x, int shift) {
    if (shift <= 0) return x;
    if (shift > 62) throw std::invalid_argument(fmt::format("rne_div_pow2: shift {} > 62", shift));
    const int64_t q = x >> shift;  // floor
    // The remainder as the low bits: q << shift is undefined for a negative q (before C++20).
    const int64_t r = int64_t(uint64_t(x) & ((uint64_t(1) << shift) - 1));
    const int64_t half = int64_t(1) << (shift - 1);
    return r > half || (r == half && (q & 1)) ? q + 1 : q;
}

int8_t sat8(int64_t v) { return int8_t(std::clamp<int64_t>(v, -128, 127)); }

namespace {

int64_t rne(double x) { return int64_t(std::nearbyint(x)); }

// Largest shift <= 31 whose multipliers rne(f * 2^shift) all fit int16; -1 if even shift 0 does not.
int pick_shift(const std::vector<double>& factors) {
    double fmax = 0;
    for (double f : factors) fmax = std::max(fmax, std::fabs(f));
    for (int s = 31; s >= 0; --s)
        if (rne(fmax * std::ldexp(1.0, s)) <= 32767) return s;
    return -1;
}

// The largest values of a stream, the `capacity` largest kept: calibration's column sums of one layer,
// whose smallest kept value is the sum exceeded by that many of them.
class ColumnSumTail {
public:
    explicit ColumnSumTail(size_t capacity = 1) : cap_(std::max<size_t>(capacity, 1)) {}
    void add(double v) {
        if (heap_.size() < cap_) {
            heap_.push(v);
        } else if (v > heap_.top()) {
            heap_.pop();
            heap_.push(v);
        }
    }
    double threshold() const { return heap_.empty() ? 0.0 : heap_.top(); }
    size_t size() const { return heap_.size(); }

private:
    size_t cap_;
    std::priority_queue<double, std::vector<double>, std::greater<double>> heap_;
};

class Quantizer {
public:
    Quantizer(const Graph& g, const QuantOptions& opt) : g_(g), opt_(opt) {}

    void build() {
        if (g_.inputs.size() != 1)
            throw CompileError(fmt::format("{}: the network has {} runtime inputs; one is supported", g_.file,
                                           g_.inputs.size()));
        const Shape& in = g_.tensor_shapes[size_t(g_.inputs[0])];
        if (in.size() != 4 || in[0] != 1)
            throw CompileError(fmt::format("{}: the input has shape {}; the compiler takes 1xCxHxW (N = 1)", g_.file,
                                           shape_string(in)));
        for (const Op& op : g_.ops)
            for (int t : op.inputs) ++uses_[t];
        ++uses_[g_.output];
        q_.input = tensor(g_.inputs[0], int(in[1]), int(in[2]), int(in[3]));
        tmap_[g_.inputs[0]] = q_.input;
        for (size_t i = 0; i < g_.ops.size(); ++i)
            if (!consumed_.count(i)) lower(i);
        q_.output = tmap_.at(g_.output);
    }

    std::vector<std::vector<float>> float_weights;  // per layer: [K][Cout] (crossbar layers)
    std::vector<std::vector<float>> float_bias;

private:
    int tensor(int graph_tensor, int c, int h, int w) {
        QTensor t;
        t.c = c, t.h = h, t.w = w, t.graph_tensor = graph_tensor;
        q_.tensors.push_back(t);
        return int(q_.tensors.size()) - 1;
    }
    const Shape& gshape(int t) const { return g_.tensor_shapes[size_t(t)]; }

    // The op that is the only reader of `t`, if any.
    std::optional<size_t> sole_consumer(int t) const {
        auto u = uses_.find(t);
        if (u == uses_.end() || u->second != 1 || t == g_.output) return std::nullopt;
        for (size_t i = 0; i < g_.ops.size(); ++i)
            for (int x : g_.ops[i].inputs)
                if (x == t) return i;
        return std::nullopt;
    }
    int qin(const Op& op, int k) const {
        auto it = tmap_.find(op.inputs[size_t(k)]);
        if (it == tmap_.end()) throw CompileError(g_.where(op) + ": input not available");
        return it->second;
    }
    QLayer layer(const Op& op, QKind kind) const {
        QLayer l;
        l.kind = kind;
        l.name = op.name;
        l.where = g_.where(op);
        return l;
    }
    void push(QLayer l, const std::vector<float>& w = {}, const std::vector<float>& b = {}) {
        q_.layers.push_back(std::move(l));
        float_weights.push_back(w);
        float_bias.push_back(b);
    }

    void lower(size_t i) {
        const Op& op = g_.ops[i];
        switch (op.kind) {
        case OpKind::kMatrix: return lower_matrix(i);
        case OpKind::kBatchNorm:
            throw CompileError(g_.where(op) + ": BatchNormalization must directly follow a Conv/Gemm (whose output "
                                              "it alone reads) to be folded into it");
        case OpKind::kRelu:
        case OpKind::kClip:
        case OpKind::kLeakyRelu:
        case OpKind::kSigmoid:
        case OpKind::kTanh: {
            const int x = qin(op, 0);
            QLayer l = layer(op, QKind::kLut);
            l.inputs = {x};
            const QTensor& t = q_.tensors[size_t(x)];
            l.output = tensor(op.output, t.c, t.h, t.w);
            tmap_[op.output] = l.output;
            lut_ops_.push_back(i);
            lut_layers_.push_back(q_.layers.size());
            return push(std::move(l));
        }
        case OpKind::kAdd: {
            const int a = qin(op, 0), b = qin(op, 1);
            const QTensor &ta = q_.tensors[size_t(a)], &tb = q_.tensors[size_t(b)];
            if (ta.c != tb.c || ta.h != tb.h || ta.w != tb.w)
                throw CompileError(g_.where(op) + ": the operands have different shapes (" + shape_string(gshape(op.inputs[0])) +
                                   ", " + shape_string(gshape(op.inputs[1])) + "); broadcasting is not supported on the chip");
            QLayer l = layer(op, QKind::kAdd);
            l.inputs = {a, b};
            int out = op.output;
            if (auto c = sole_consumer(out); c && g_.ops[*c].kind == OpKind::kRelu) {
                l.add_relu = true;
                consumed_.insert(*c);
                out = g_.ops[*c].output;
            }
            l.output = tensor(out, ta.c, ta.h, ta.w);
            tmap_[out] = l.output;
            return push(std::move(l));
        }
        case OpKind::kMaxPool:
        case OpKind::kAvgPool:
        case OpKind::kGlobalAvgPool: {
            const int x = qin(op, 0);
            const QTensor t = q_.tensors[size_t(x)];
            QLayer l = layer(op, op.kind == OpKind::kMaxPool ? QKind::kMaxPool : QKind::kAvgPool);
            l.inputs = {x};
            if (op.kind == OpKind::kGlobalAvgPool) {
                l.kernel_h = t.h, l.kernel_w = t.w;
            } else {
                l.kernel_h = op.kernel_h, l.kernel_w = op.kernel_w, l.stride_h = op.stride_h, l.stride_w = op.stride_w;
                l.pad_t = op.pad_t, l.pad_l = op.pad_l, l.pad_b = op.pad_b, l.pad_r = op.pad_r;
                l.count_include_pad = op.count_include_pad;
            }
            const Shape& os = gshape(op.output);
            l.output = tensor(op.output, int(os[1]), int(os[2]), int(os[3]));
            tmap_[op.output] = l.output;
            return push(std::move(l));
        }
        case OpKind::kReshape: {
            const int x = qin(op, 0);
            const QTensor& t = q_.tensors[size_t(x)];
            const Shape& os = gshape(op.output);
            const bool flatten = os.size() == 2 && os[0] == 1;
            const bool same = os.size() == 4 && os[1] == t.c && os[2] == t.h && os[3] == t.w;
            if (!flatten && !same)
                throw CompileError(g_.where(op) + ": reshape to " + shape_string(os) +
                                   " is not supported (only flattening to 1xN)");
            tmap_[op.output] = x;  // same bytes; a dense layer reading it reorders its weights (CHW vs HWC)
            return;
        }
        }
    }

    void lower_matrix(size_t i) {
        const Op& op = g_.ops[i];
        const int x = qin(op, 0);
        const QTensor in = q_.tensors[size_t(x)];
        const int64_t Co = op.weight.shape[0], Ci = op.weight.shape[1], kh = op.kernel_h, kw = op.kernel_w;
        std::vector<float> w(op.weight.data), b(op.bias);
        for (float v : w)
            if (!std::isfinite(v)) throw CompileError(g_.where(op) + ": the weights hold a non-finite value");
        for (float v : b)
            if (!std::isfinite(v)) throw CompileError(g_.where(op) + ": the bias holds a non-finite value");
        int out = op.output;
        QLayer l = layer(op, QKind::kCrossbar);
        if (auto c = sole_consumer(out); c && g_.ops[*c].kind == OpKind::kBatchNorm) {
            const Op& bn = g_.ops[*c];
            const int64_t per = Ci * kh * kw;
            for (int64_t o = 0; o < Co; ++o) {
                for (int64_t k = 0; k < per; ++k) w[size_t(o * per + k)] *= bn.bn_scale[size_t(o)];
                b[size_t(o)] = b[size_t(o)] * bn.bn_scale[size_t(o)] + bn.bn_shift[size_t(o)];
            }
            consumed_.insert(*c);
            out = bn.output;
        }
        pre_activation_[q_.layers.size()] = out;
        // Relu and Clip right after (a chain of them, e.g. a ReLU then a trained activation clip) fuse
        // into one clamp of the LDPU chain.
        float lo = -INFINITY, hi = INFINITY;
        for (auto c = sole_consumer(out); c && (g_.ops[*c].kind == OpKind::kRelu || g_.ops[*c].kind == OpKind::kClip);
             c = sole_consumer(out)) {
            const Op& a = g_.ops[*c];
            lo = std::max(lo, a.kind == OpKind::kRelu ? 0.0f : a.lo);
            hi = a.kind == OpKind::kRelu ? hi : std::min(hi, a.hi);
            l.activation = lo == 0.0f && std::isinf(hi) ? AIMC_ACT_RELU : AIMC_ACT_CLIP;
            clip_[q_.layers.size()] = {lo, hi};
            consumed_.insert(*c);
            out = a.output;
        }
        l.inputs = {x};
        l.conv = op.conv;
        l.K = int(Ci * kh * kw);
        l.Cout = int(Co);
        std::vector<float> wm(size_t(l.K) * size_t(Co));
        if (op.conv) {
            if (in.c != Ci) throw CompileError(g_.where(op) + ": input channels differ from the weights");
            l.kernel_h = int(kh), l.kernel_w = int(kw), l.stride_h = op.stride_h, l.stride_w = op.stride_w;
            l.pad_t = op.pad_t, l.pad_l = op.pad_l, l.pad_b = op.pad_b, l.pad_r = op.pad_r;
            for (int64_t o = 0; o < Co; ++o)
                for (int64_t c = 0; c < Ci; ++c)
                    for (int64_t ky = 0; ky < kh; ++ky)
                        for (int64_t kx = 0; kx < kw; ++kx)
                            wm[size_t(((ky * kw + kx) * Ci + c) * Co + o)] = w[size_t(((o * Ci + c) * kh + ky) * kw + kx)];
            const Shape& os = gshape(op.output);
            l.output = tensor(out, int(Co), int(os[2]), int(os[3]));
        } else {
            if (in.bytes() != Ci) throw CompileError(g_.where(op) + ": input length differs from the weights");
            // The ONNX vector is the flattened NCHW tensor (c, y, x); the arena holds HWC (y, x, c).
            for (int64_t y = 0; y < in.h; ++y)
                for (int64_t xx = 0; xx < in.w; ++xx)
                    for (int64_t c = 0; c < in.c; ++c) {
                        const int64_t k_hwc = (y * in.w + xx) * in.c + c, k_chw = (c * in.h + y) * in.w + xx;
                        for (int64_t o = 0; o < Co; ++o) wm[size_t(k_hwc * Co + o)] = w[size_t(o * Ci + k_chw)];
                    }
            l.output = tensor(out, int(Co), 1, 1);
        }
        tmap_[out] = l.output;
        push(std::move(l), wm, b);
    }

public:
    // Crossbar layers whose row copies calibration decides (K <= xbar_rows / 2, copies enabled), each with
    // its graph tensor before the fused activation: that tensor less the bias (the LDPU adds the bias) is
    // what the columns sum, per channel.
    std::map<size_t, int> copy_candidates() const {
        std::map<size_t, int> out;
        if (opt_.xbar_rows <= 0 || opt_.adc_full_scale <= 0) return out;
        for (const auto& [li, t] : pre_activation_)
            if (2 * q_.layers[li].K <= opt_.xbar_rows) out[li] = t;
        return out;
    }

    // After calibration: scales of every tensor, then each layer's integer parameters. `colsum` holds, per
    // copy candidate, its calibrated column sums' tail (ColumnSumTail).
    void finish(const std::vector<double>& maxabs, const std::map<size_t, ColumnSumTail>& colsum) {
        auto from_calib = [&](QTensor& t) {
            const double m = maxabs[size_t(t.graph_tensor)];
            t.scale = float(m > 0 ? m / 127.0 : 1.0);
        };
        from_calib(q_.tensors[size_t(q_.input)]);
        const int wmax = (1 << (std::min(opt_.weight_bits, 8) - 1)) - 1;
        for (size_t li = 0; li < q_.layers.size(); ++li) {
            QLayer& l = q_.layers[li];
            QTensor& out = q_.tensors[size_t(l.output)];
            const QTensor& in = q_.tensors[size_t(l.inputs[0])];
            switch (l.kind) {
            case QKind::kMaxPool:
            case QKind::kAvgPool: out.scale = in.scale; break;
            case QKind::kLut: {
                const Op& op = g_.ops[lut_ops_[size_t(std::find(lut_layers_.begin(), lut_layers_.end(), li) - lut_layers_.begin())]];
                if (op.kind == OpKind::kSigmoid || op.kind == OpKind::kTanh) out.scale = 1.0f / 127.0f;
                else from_calib(out);
                l.lut.resize(256);
                for (int q = -128; q < 128; ++q) {
                    const double x = double(q) * in.scale;
                    double y = x;
                    switch (op.kind) {
                    case OpKind::kRelu: y = std::max(x, 0.0); break;
                    case OpKind::kClip: y = std::min(std::max(x, double(op.lo)), double(op.hi)); break;
                    case OpKind::kLeakyRelu: y = x < 0 ? x * op.alpha : x; break;
                    case OpKind::kSigmoid: y = 1.0 / (1.0 + std::exp(-x)); break;
                    case OpKind::kTanh: y = std::tanh(x); break;
                    default: break;
                    }
                    l.lut[size_t(q + 128)] = sat8(rne(y / out.scale));
                }
                break;
            }
            case QKind::kAdd: {
                from_calib(out);
                const double fa = q_.tensors[size_t(l.inputs[0])].scale / out.scale;
                const double fb = q_.tensors[size_t(l.inputs[1])].scale / out.scale;
                l.shift = pick_shift({fa, fb});
                if (l.shift < 0) throw CompileError(l.where + ": the rescale of the residual add does not fit int16");
                l.ma = int32_t(rne(std::ldexp(fa, l.shift)));
                l.mb = int32_t(rne(std::ldexp(fb, l.shift)));
                break;
            }
            case QKind::kCrossbar: {
                from_calib(out);
                const std::vector<float>& wm = float_weights[li];
                const std::vector<float>& b = float_bias[li];
                l.weights.resize(wm.size());
                l.weight_scale.assign(size_t(l.Cout), 1.0f);
                std::vector<double> factors(size_t(l.Cout));
                for (int o = 0; o < l.Cout; ++o) {
                    float m = 0;
                    for (int k = 0; k < l.K; ++k) m = std::max(m, std::fabs(wm[size_t(k * l.Cout + o)]));
                    const float s = m > 0 ? m / float(wmax) : 1.0f;
                    l.weight_scale[size_t(o)] = s;
                    for (int k = 0; k < l.K; ++k)
                        l.weights[size_t(k * l.Cout + o)] =
                            int8_t(std::clamp<int64_t>(rne(wm[size_t(k * l.Cout + o)] / s), -wmax, wmax));
                    factors[size_t(o)] = double(in.scale) * s / out.scale;
                }
                const auto tail = colsum.find(li);
                if (tail != colsum.end()) l.row_copies = row_copies(l, in.scale, tail->second);
                for (double& f : factors) f /= l.row_copies;
                l.shift = pick_shift(factors);
                if (l.shift < 0)
                    throw CompileError(l.where + ": the output rescale exceeds the LDPU's int16 multiplier (the "
                                                 "calibrated output range is too small)");
                l.multiplier.resize(size_t(l.Cout));
                l.offset.resize(size_t(l.Cout));
                for (int o = 0; o < l.Cout; ++o) {
                    l.multiplier[size_t(o)] = int32_t(rne(std::ldexp(factors[size_t(o)], l.shift)));
                    const double off = std::nearbyint(b[size_t(o)] / out.scale);
                    if (std::fabs(off) > 2147483647.0)
                        throw CompileError(l.where + fmt::format(": bias of channel {} is out of the int32 range", o));
                    l.offset[size_t(o)] = int32_t(off);
                }
                if (l.activation == AIMC_ACT_CLIP) {
                    const auto [lo, hi] = clip_.at(li);
                    l.act_lo = int32_t(std::isfinite(lo) ? std::clamp<int64_t>(rne(lo / out.scale), -128, 127) : -128);
                    l.act_hi = int32_t(std::isfinite(hi) ? std::clamp<int64_t>(rne(hi / out.scale), -128, 127) : 127);
                }
                break;
            }
            }
        }
    }

    QNet& net() { return q_; }

private:
    // How many times the layer's rows fit down the crossbar with its calibrated column sums (integer
    // weight x input units) times the copies still inside the ADC's full scale, but for the fraction
    // adc_clip_fraction of them (the tail's smallest value; the largest one when the tail holds one).
    int row_copies(const QLayer& l, float s_in, const ColumnSumTail& tail) const {
        const int wmax = (1 << (std::min(opt_.weight_bits, 8) - 1)) - 1;
        const double acc = tail.threshold() * wmax / double(s_in);  // stored as |sum| / max |w| of the channel
        const int by_rows = opt_.xbar_rows / l.K;
        const int by_adc = acc > 0 ? int(opt_.adc_full_scale / acc) : by_rows;
        return std::max(1, std::min(by_rows, by_adc));
    }

private:
    const Graph& g_;
    QuantOptions opt_;
    QNet q_;
    std::map<int, int> tmap_;  // graph tensor -> QTensor
    std::map<int, int> uses_;
    std::set<size_t> consumed_;
    std::map<size_t, std::pair<float, float>> clip_;
    std::vector<size_t> lut_ops_, lut_layers_;
    std::map<size_t, int> pre_activation_;  // crossbar layer -> graph tensor before its activation
};

}  // namespace

QNet quantize(const Graph& g, const ImageSet& calib, const Normalization& norm, const QuantOptions& opt) {
    Quantizer qz(g, opt);
    qz.build();
    const Shape& in = g.tensor_shapes[size_t(g.inputs[0])];
    check_images_fit(calib, in, g.file);
    const int n = std::min(opt.calibration_images, calib.count);
    if (n < 1) throw CompileError(calib.source + ": no calibration images");
    if (!(opt.adc_clip_fraction >= 0 && opt.adc_clip_fraction < 1))
        throw CompileError(fmt::format("{}: the ADC clip fraction of the row copies is {}; it must be in [0, 1)", g.file,
                                       opt.adc_clip_fraction));
    std::vector<double> maxabs(g.tensor_shapes.size(), 0.0);
    // Copy candidates: |column sum| / (the channel's largest |weight|) of every calibration conversion
    // (the row copies' test), the tail of adc_clip_fraction of them kept.
    struct Candidate {
        int tensor;
        std::vector<float> bias, wmax;
        ColumnSumTail tail;
    };
    std::map<size_t, Candidate> cand;
    for (const auto& [li, t] : qz.copy_candidates()) {
        const QLayer& l = qz.net().layers[li];
        Candidate c{t, qz.float_bias[li], std::vector<float>(size_t(l.Cout), 0.0f), ColumnSumTail(1)};
        const std::vector<float>& wm = qz.float_weights[li];
        for (int k = 0; k < l.K; ++k)
            for (int o = 0; o < l.Cout; ++o)
                c.wmax[size_t(o)] = std::max(c.wmax[size_t(o)], std::fabs(wm[size_t(k * l.Cout + o)]));
        const double conversions = double(n) * double(element_count(g.tensor_shapes[size_t(t)]));
        c.tail = ColumnSumTail(size_t(std::floor(conversions * opt.adc_clip_fraction)) + 1);
        cand.emplace(li, std::move(c));
    }
    std::vector<Tensor> values;
    for (int i = 0; i < n; ++i) {
        run_float(g, {image_tensor(calib, i, norm, in)}, &values);
        for (size_t t = 0; t < values.size(); ++t)
            for (float v : values[t].data) maxabs[t] = std::max(maxabs[t], double(std::fabs(v)));
        for (auto& [li, c] : cand) {
            const Tensor& v = values[size_t(c.tensor)];
            const size_t inner = v.data.size() / c.bias.size();
            for (size_t k = 0; k < v.data.size(); ++k) {
                const size_t o = k / inner;
                if (c.wmax[o] > 0) c.tail.add(std::fabs(double(v.data[k]) - double(c.bias[o])) / double(c.wmax[o]));
            }
        }
    }
    std::map<size_t, ColumnSumTail> tails;
    for (auto& [li, c] : cand) tails.emplace(li, std::move(c.tail));
    qz.finish(maxabs, tails);
    QNet q = std::move(qz.net());
    q.norm = norm;
    q.calibration_images = n;
    q.name = g.file;
    return q;
}

std::vector<int8_t> quantize_input(const QNet& q, const uint8_t* pixels) {
    const QTensor& t = q.tensors[size_t(q.input)];
    std::vector<int8_t> out(size_t(t.bytes()));
    // Input of 1 channel: HWC and CHW coincide.
    for (size_t i = 0; i < out.size(); ++i) {
        const double x = (double(pixels[i]) / 255.0 - double(q.norm.mean)) / double(q.norm.std);
        out[i] = sat8(int64_t(std::nearbyint(x / double(t.scale))));
    }
    return out;
}

}  // namespace aimc::compiler
