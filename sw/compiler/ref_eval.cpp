#include "ref_eval.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "aimc/regs/tile.h"
#include "aimc/tile_ldpu.h"
#include "quantize.h"
#include "tile/ldpu_chain_format.h"

namespace aimc::compiler {

const char* devices_name(Devices d) {
    switch (d) {
    case Devices::kDigital: return "digital";
    case Devices::kIdeal: return "ideal";
    case Devices::kPlatform: return "platform";
    }
    return "?";
}

analog::AnalogCoreConfig ideal_crossbar(analog::AnalogCoreConfig cfg) {
    analog::DeviceTechnology& t = cfg.technology;
    t.prog_noise = analog::NoiseCurve{"constant", {0.0}, 1.0};
    t.first_pulse_noise = 0;
    t.step_noise = 0;
    t.step_noise_floor_us = 0;
    t.drift = analog::DriftModel{};
    t.read_noise.form = "none";
    t.retention_noise = analog::NoiseCurve{"constant", {0.0}, 1.0};
    t.d2d_gmax_std = 0;
    t.stuck_probability = 0;
    cfg.adc.gain = 1;
    cfg.adc.gain_std = 0;
    cfg.adc.offset_lsb = 0;
    cfg.adc.offset_std_lsb = 0;
    cfg.name += "-ideal";
    return cfg;
}

struct RefEvaluator::Tile {
    std::vector<uint8_t> in, out, ldpu;
    std::unique_ptr<analog::AnalogCore> core;  // analog devices
    Eigen::MatrixXi w;                         // digital: the programmed weights
    Eigen::VectorXi x;                         // scratch: one crossbar input
};

RefEvaluator::RefEvaluator(const ModelImage& img, const PlatformGeometry& platform, Devices devices)
    : img_(img), platform_(platform), devices_(devices) {
    const aimc_image_header_t& h = img_.header;
    if (h.xbar_rows != platform_.rows() || h.xbar_cols != platform_.cols())
        throw ImageError(fmt::format("the image was compiled for {}x{} crossbars, platform '{}' has {}x{}", h.xbar_rows,
                                     h.xbar_cols, platform_.name, platform_.rows(), platform_.cols()));
    if (h.tiles_needed > platform_.tiles())
        throw ImageError(fmt::format("the image needs {} tiles, platform '{}' has {}", h.tiles_needed, platform_.name,
                                     platform_.tiles()));
    arena_.assign(h.arena_bytes, 0);
    tiles_.resize(h.tiles_needed);
    setup();
}

RefEvaluator::~RefEvaluator() = default;

void RefEvaluator::setup() {
    const analog::AnalogCoreConfig base =
        devices_ == Devices::kIdeal ? ideal_crossbar(platform_.crossbar) : platform_.crossbar;
    const int wmax = base.mapping.weight_max();
    for (const aimc_image_tile_t& rec : img_.tiles) {
        auto t = std::make_unique<Tile>();
        t->in.assign(platform_.in_size, 0);
        t->out.assign(platform_.out_size, 0);
        t->ldpu.assign(platform_.ldpu_size, 0);
        if (rec.ldpu_bytes > platform_.ldpu_size)
            throw ImageError(fmt::format("tile {}: LDPU image of {} bytes, the LDPU memory has {}", rec.tile,
                                         rec.ldpu_bytes, platform_.ldpu_size));
        std::memcpy(t->ldpu.data(), img_.blob.data() + rec.ldpu_offset, rec.ldpu_bytes);
        if (devices_ == Devices::kDigital) {
            t->w.setZero(platform_.rows(), platform_.cols());
        } else {
            analog::AnalogCoreConfig cfg = base;
            cfg.seed = int((uint64_t(platform_.seed) + rec.tile) % 2147483648ull);  // as the tile: seed + index
            t->core = std::make_unique<analog::AnalogCore>(cfg);
        }
        for (uint32_t k = 0; k < rec.n_blocks; ++k) {
            const aimc_image_block_t& b = img_.blocks[rec.first_block + k];
            if (uint64_t(b.rows) * b.cols > platform_.weight_size)
                throw ImageError(fmt::format("block {}: {} weight bytes exceed the {}-byte staging", rec.first_block + k,
                                             uint64_t(b.rows) * b.cols, platform_.weight_size));
            const auto* w8 = reinterpret_cast<const int8_t*>(img_.blob.data() + b.weights_offset);
            Eigen::MatrixXi w(b.rows, b.cols);
            for (int i = 0; i < b.rows; ++i)
                for (int j = 0; j < b.cols; ++j) {
                    const int v = w8[size_t(i) * b.cols + size_t(j)];
                    if (v < -wmax || v > wmax)
                        throw ImageError(fmt::format("block {}: weight [{}][{}] = {} outside the {}-bit range",
                                                     rec.first_block + k, i, j, v, base.mapping.weight_bits));
                    w(i, j) = v;
                }
            if (t->core) t->core->program(w, b.row0, b.col0);
            else t->w.block(b.row0, b.col0, b.rows, b.cols) = w;
        }
        // As the tile: the age once after its last PROGRAM (it adds it at its next MVM or CALIBRATE).
        if (t->core && platform_.drift_age > 0) t->core->advance_time(platform_.drift_age);
        tiles_[rec.tile] = std::move(t);
    }
    if (img_.header.flags & AIMC_IMAGE_FLAG_CALIBRATE) calibrate();
}

void RefEvaluator::calibrate() {
    for (const aimc_image_tile_t& rec : img_.tiles) {
        Tile& t = *tiles_[rec.tile];
        if (!t.core) continue;
        t.core->calibrate();
        ++stats_.calibrations;
    }
}

RefEvaluator::Tile& RefEvaluator::tile(size_t step, uint32_t t) {
    if (t >= tiles_.size() || !tiles_[t])
        throw ImageError(fmt::format("step {}: tile {} holds no blocks of this image", step, t));
    return *tiles_[t];
}

uint8_t* RefEvaluator::arena(size_t step, uint64_t offset, uint64_t bytes) {
    if (offset + bytes > arena_.size())
        throw ImageError(fmt::format("step {}: {} bytes at arena offset {} run past the {}-byte arena", step, bytes,
                                     offset, arena_.size()));
    return arena_.data() + offset;
}

namespace {

void check_range(size_t step, const char* what, uint64_t offset, uint64_t bytes, size_t size) {
    if (offset + bytes > size)
        throw ImageError(fmt::format("step {}: {} bytes at offset {} run past the {}-byte {}", step, bytes, offset, size,
                                     what));
}

// rne(sum / count) in integers, ties to even.
int64_t rne_div(int64_t sum, int64_t count) {
    int64_t q = sum / count, r = sum % count;
    if (r < 0) r += count, --q;  // floor
    return 2 * r > count || (2 * r == count && (q & 1)) ? q + 1 : q;
}

}  // namespace

std::vector<int8_t> RefEvaluator::run(const int8_t* input, size_t bytes) {
    const aimc_image_header_t& h = img_.header;
    const uint64_t need = uint64_t(h.input_c) * h.input_h * h.input_w;
    if (bytes != need)
        throw ImageError(fmt::format("input of {} bytes, model '{}' takes {}x{}x{} = {}", bytes,
                                     std::string(h.model_name, strnlen(h.model_name, sizeof h.model_name)),
                                     h.input_h, h.input_w, h.input_c, need));
    // Recalibration at inference time, as the runtime: before every calibrate_every-th inference after the first.
    if ((h.flags & AIMC_IMAGE_FLAG_CALIBRATE) && h.calibrate_every && runs_ > 0 && runs_ % h.calibrate_every == 0)
        calibrate();
    std::memcpy(arena(0, h.input_offset, need), input, bytes);
    for (size_t i = 0; i < img_.steps.size(); ++i) exec(i, img_.steps[i]);
    ++runs_;
    const auto* out = reinterpret_cast<const int8_t*>(arena(0, h.output_offset, h.output_count));
    return std::vector<int8_t>(out, out + h.output_count);
}

void RefEvaluator::exec(size_t i, const aimc_image_step_t& s) {
    const uint32_t* a = s.a;
    switch (s.kind) {
    case AIMC_STEP_GATHER: {
        Tile& t = tile(i, s.tile);
        const int64_t H = a[1], W = a[2], C = a[3], kh = a[4] & 0xFFFF, kw = a[4] >> 16, sh = a[5] & 0xFFFF,
                      sw = a[5] >> 16, pt = a[6] & 0xFFFF, pl = a[6] >> 16, ow = a[7], pix0 = a[8], npix = a[9],
                      k0 = a[10], nk = a[11], K = a[13];
        if (H > 65535 || W > 65535 || C > 65535 || npix > (int64_t(1) << 24))
            throw ImageError(fmt::format("step {} (gather): a {}x{}x{} tensor or {} pixels is out of range", i, H, W, C, npix));
        if (C == 0 || kw == 0 || ow == 0 || K == 0 || K > kh * kw * C)
            throw ImageError(fmt::format("step {} (gather): patch length {} of a {}x{}x{} kernel", i, K, kh, kw, C));
        const auto* src = reinterpret_cast<const int8_t*>(arena(i, a[0], uint64_t(H * W * C)));
        check_range(i, "input buffer", a[12], uint64_t(npix * nk), t.in.size());
        auto* dst = reinterpret_cast<int8_t*>(t.in.data() + a[12]);
        for (int64_t p = 0; p < npix; ++p) {
            const int64_t oy = (pix0 + p) / ow, ox = (pix0 + p) % ow;
            for (int64_t k = 0; k < nk; ++k) {
                const int64_t e = (k0 + k) % K, c = e % C, kx = (e / C) % kw, ky = e / C / kw;
                const int64_t iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                dst[p * nk + k] = iy < 0 || iy >= H || ix < 0 || ix >= W ? 0 : src[(iy * W + ix) * C + c];
            }
        }
        return;
    }
    case AIMC_STEP_TILE_CMD: {
        Tile& t = tile(i, s.tile);
        if (a[0] == AIMC_TILE_OP_MVM) return exec_mvm(i, t, s);
        if (a[0] == AIMC_TILE_OP_LDPU) return exec_ldpu(i, t, s);
        if (a[0] == AIMC_TILE_OP_FENCE) return;
        throw ImageError(fmt::format("step {}: tile opcode {} is not a per-inference command", i, a[0]));
    }
    case AIMC_STEP_SEND: {
        Tile& src = tile(i, s.tile);
        Tile& dst = tile(i, a[2]);
        check_range(i, "output buffer", a[0], a[1], src.out.size());
        check_range(i, "input buffer", a[3], a[1], dst.in.size());
        std::memmove(dst.in.data() + a[3], src.out.data() + a[0], a[1]);
        return;
    }
    case AIMC_STEP_WAIT: return;  // the evaluator runs every command to completion in order
    case AIMC_STEP_READ: {
        Tile& t = tile(i, s.tile);
        const uint64_t n = a[5], bytes = a[4];
        if (n == 0) return;
        check_range(i, "output buffer", a[0], (n - 1) * a[1] + bytes, t.out.size());
        uint8_t* dst = arena(i, a[2], (n - 1) * a[3] + bytes);
        for (uint64_t v = 0; v < n; ++v) std::memcpy(dst + v * a[3], t.out.data() + a[0] + v * a[1], bytes);
        return;
    }
    case AIMC_STEP_ADD: {
        const auto* x = reinterpret_cast<const int8_t*>(arena(i, a[0], a[3]));
        const auto* y = reinterpret_cast<const int8_t*>(arena(i, a[1], a[3]));
        auto* d = reinterpret_cast<int8_t*>(arena(i, a[2], a[3]));
        const int64_t ma = int16_t(a[4]), mb = int16_t(a[5]);
        if (a[6] > 31) throw ImageError(fmt::format("step {} (add): shift {} > 31", i, a[6]));
        for (uint32_t k = 0; k < a[3]; ++k) {
            int8_t v = sat8(rne_div_pow2(x[k] * ma + y[k] * mb, int(a[6])));
            d[k] = (a[7] & 1) && v < 0 ? int8_t(0) : v;
        }
        return;
    }
    case AIMC_STEP_POOL: {
        const int64_t H = a[1], W = a[2], C = a[3], kh = a[4] & 0xFFFF, kw = a[4] >> 16, sh = a[5] & 0xFFFF,
                      sw = a[5] >> 16, pt = a[6] & 0xFFFF, pl = a[6] >> 16, oh = a[7] & 0xFFFF, ow = a[7] >> 16;
        if (kh == 0 || kw == 0 || sh == 0 || sw == 0 || H > 65535 || W > 65535 || C > 65535)
            throw ImageError(fmt::format("step {} (pool): zero kernel or stride, or a {}x{}x{} tensor", i, H, W, C));
        const auto* x = reinterpret_cast<const int8_t*>(arena(i, a[0], uint64_t(H * W * C)));
        auto* d = reinterpret_cast<int8_t*>(arena(i, a[8], uint64_t(oh * ow * C)));
        for (int64_t oy = 0; oy < oh; ++oy)
            for (int64_t ox = 0; ox < ow; ++ox)
                for (int64_t c = 0; c < C; ++c) {
                    int64_t acc = a[9] ? 0 : -129, count = 0;
                    for (int64_t ky = 0; ky < kh; ++ky)
                        for (int64_t kx = 0; kx < kw; ++kx) {
                            const int64_t iy = oy * sh - pt + ky, ix = ox * sw - pl + kx;
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                            const int64_t v = x[(iy * W + ix) * C + c];
                            acc = a[9] ? acc + v : std::max(acc, v);
                            ++count;
                        }
                    if (a[9]) acc = rne_div(acc, a[10] ? kh * kw : std::max<int64_t>(count, 1));
                    else if (count == 0) acc = 0;
                    d[(oy * ow + ox) * C + c] = int8_t(acc);
                }
        return;
    }
    case AIMC_STEP_LUT: {
        const auto* x = reinterpret_cast<const int8_t*>(arena(i, a[0], a[2]));
        auto* d = reinterpret_cast<int8_t*>(arena(i, a[1], a[2]));
        const auto* lut = reinterpret_cast<const int8_t*>(img_.blob.data() + a[3]);
        for (uint32_t k = 0; k < a[2]; ++k) d[k] = lut[x[k] + 128];
        return;
    }
    }
    throw ImageError(fmt::format("step {}: unknown kind {}", i, s.kind));
}

void RefEvaluator::exec_mvm(size_t i, Tile& t, const aimc_image_step_t& s) {
    // As models/tile/tile.cpp exec_mvm: the block's rows of a zeroed crossbar input, one MVM per vector,
    // the block's columns through the chain; results written when the command completes.
    const uint32_t in_off = s.a[1], rows = s.a[2] & 0xFFFF, row0 = s.a[2] >> 16, cols = s.a[3] & 0xFFFF,
                   col0 = s.a[3] >> 16, n = s.a[4], out_off = s.a[5], chain_at = s.a[6], phases = s.a[7];
    const int R = platform_.rows(), C = platform_.cols();
    if (rows == 0 || cols == 0 || row0 + rows > uint32_t(R) || col0 + cols > uint32_t(C) || n == 0)
        throw ImageError(fmt::format("step {} (mvm): block {}x{} at ({}, {}) x {} vectors outside the {}x{} crossbar", i,
                                     rows, cols, row0, col0, n, R, C));
    check_range(i, "input buffer", in_off, uint64_t(n) * rows, t.in.size());
    std::optional<tile::DecodedChain> chain;
    if (chain_at != AIMC_TILE_NO_CHAIN) {
        try {
            chain = tile::decode_ldpu_chain(t.ldpu.data(), t.ldpu.size(), chain_at, cols, ldpu_);
        } catch (const std::exception& e) {
            throw ImageError(fmt::format("step {} (mvm): {}", i, e.what()));
        }
    }
    const uint64_t out_bytes = chain ? chain->output_bytes() : uint64_t(cols) * 4;
    check_range(i, "output buffer", out_off, n * out_bytes, t.out.size());
    std::vector<uint8_t> scratch(n * out_bytes);
    const analog::DacConfig& dac = t.core ? t.core->config().dac : platform_.crossbar.dac;
    const int lo = dac.input_min(), hi = dac.input_max();
    t.x.setZero(R);
    const auto* in = reinterpret_cast<const int8_t*>(t.in.data() + in_off);
    std::vector<Eigen::VectorXi> operands;
    Eigen::VectorXi y(cols);
    for (uint64_t v = 0; v < n; ++v) {
        for (uint32_t r = 0; r < rows; ++r) {
            const int x = in[v * rows + r];
            t.x[row0 + r] = std::clamp(x, lo, hi);
            stats_.saturations += x != t.x[row0 + r];
        }
        if (t.core) {
            const analog::MvmResult res = t.core->mvm(t.x, int(phases));
            y = res.y_int.segment(col0, cols);
            stats_.saturations += uint64_t(res.adc_saturations);
        } else {
            for (uint32_t c = 0; c < cols; ++c) {
                int64_t acc = 0;
                for (uint32_t r = 0; r < rows; ++r) acc += int64_t(t.w(row0 + r, col0 + c)) * t.x[row0 + r];
                y[c] = int(std::clamp<int64_t>(acc, INT32_MIN, INT32_MAX));
            }
        }
        uint8_t* dst = scratch.data() + v * out_bytes;
        if (chain) {
            operands.resize(chain->operands.size());
            for (size_t k = 0; k < operands.size(); ++k) {
                const tile::ChainOperand& o = chain->operands[k];
                const std::vector<uint8_t>& m = o.memory == AIMC_LDPU_MEM_IN ? t.in : t.out;
                const uint64_t at = o.offset + v * o.stride, bytes = o.length * tile::ldpu_type_bytes(o.type);
                check_range(i, "LDPU operand memory", at, bytes, m.size());
                operands[k] = tile::load_elements(m.data() + at, o.type, o.length);
            }
            dpu::LdpuResult r;
            try {  // an operand value the chain's format cannot hold
                r = ldpu_.run_chain(chain->chain, y, operands);
            } catch (const std::exception& e) {
                throw ImageError(fmt::format("step {} (mvm): {}", i, e.what()));
            }
            stats_.saturations += r.stats.total.saturated + r.stats.total.fp16_overflow;
            tile::store_vector(r.output, dst);
        } else {
            tile::store_int32(y, dst);
        }
    }
    std::memcpy(t.out.data() + out_off, scratch.data(), scratch.size());
    stats_.mvm_vectors += n;
}

void RefEvaluator::exec_ldpu(size_t i, Tile& t, const aimc_image_step_t& s) {
    const uint32_t chain_at = s.a[1], src = s.a[2], columns = s.a[3], n = s.a[4], dst = s.a[5];
    tile::DecodedChain chain;
    try {
        chain = tile::decode_ldpu_chain(t.ldpu.data(), t.ldpu.size(), chain_at, columns, ldpu_);
    } catch (const std::exception& e) {
        throw ImageError(fmt::format("step {} (ldpu): {}", i, e.what()));
    }
    const uint64_t in_bytes = uint64_t(columns) * tile::ldpu_type_bytes(chain.input_type), out_bytes = chain.output_bytes();
    check_range(i, "output buffer", src, n * in_bytes, t.out.size());
    check_range(i, "output buffer", dst, n * out_bytes, t.out.size());
    std::vector<uint8_t> scratch(n * out_bytes);
    std::vector<Eigen::VectorXi> operands(chain.operands.size());
    for (uint64_t v = 0; v < n; ++v) {
        for (size_t k = 0; k < operands.size(); ++k) {
            const tile::ChainOperand& o = chain.operands[k];
            const std::vector<uint8_t>& m = o.memory == AIMC_LDPU_MEM_IN ? t.in : t.out;
            check_range(i, "LDPU operand memory", o.offset + v * o.stride, o.length * tile::ldpu_type_bytes(o.type), m.size());
            operands[k] = tile::load_elements(m.data() + o.offset + v * o.stride, o.type, o.length);
        }
        const Eigen::VectorXi x = tile::load_elements(t.out.data() + src + v * in_bytes, chain.input_type, columns);
        dpu::LdpuResult r;
        try {
            r = ldpu_.run_chain(chain.chain, x, operands);
        } catch (const std::exception& e) {
            throw ImageError(fmt::format("step {} (ldpu): {}", i, e.what()));
        }
        stats_.saturations += r.stats.total.saturated + r.stats.total.fp16_overflow;
        tile::store_vector(r.output, scratch.data() + v * out_bytes);
    }
    std::memcpy(t.out.data() + dst, scratch.data(), scratch.size());
}

int argmax(const std::vector<int8_t>& v) {
    int best = 0;
    for (size_t i = 1; i < v.size(); ++i)
        if (v[i] > v[size_t(best)]) best = int(i);
    return best;
}

}  // namespace aimc::compiler
