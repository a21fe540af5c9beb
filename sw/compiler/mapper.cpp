#include "mapper.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "aimc/regs/tile.h"
#include "aimc/tile_ldpu.h"
#include "dpu/ldpu.h"
#include "tile/ldpu_chain_format.h"

namespace aimc::compiler {

std::vector<int> serpentine_order(int width, int height) {
    std::vector<int> out;
    for (int y = 0; y < height; ++y)
        for (int i = 0; i < width; ++i) out.push_back(y * width + (y % 2 ? width - 1 - i : i));
    return out;
}

int mesh_hops(int a, int b, int width) { return std::abs(a % width - b % width) + std::abs(a / width - b / width); }

namespace {

constexpr uint16_t kNoTile = 0xFFFF;

struct Slot {
    int tile = -1, row0 = 0, col0 = 0;
};

// Shelf packing of blocks into crossbars: each tile's columns are cut into strips as wide as the first
// block placed in them; blocks stack down a strip. Tiles open along the serpentine path.
class Packer {
public:
    Packer(int rows, int cols, std::vector<int> order, size_t limit) : R_(rows), C_(cols), order_(std::move(order)), limit_(limit) {}

    std::optional<Slot> place(int rows, int cols, bool fresh) {
        if (!fresh)
            for (auto& t : open_)
                if (auto s = fit(t, rows, cols)) return s;
        if (next_ >= limit_) return std::nullopt;
        open_.push_back({next_ < order_.size() ? order_[next_] : int(next_), {}, 0});
        ++next_;
        return fit(open_.back(), rows, cols);
    }
    size_t tiles_opened() const { return next_; }

private:
    struct Strip {
        int col0, width, row_cursor;
    };
    struct TileState {
        int tile;
        std::vector<Strip> strips;
        int col_cursor;
    };
    std::optional<Slot> fit(TileState& t, int rows, int cols) {
        for (Strip& s : t.strips)
            if (cols <= s.width && s.row_cursor + rows <= R_) {
                Slot slot{t.tile, s.row_cursor, s.col0};
                s.row_cursor += rows;
                return slot;
            }
        if (t.col_cursor + cols <= C_) {
            t.strips.push_back({t.col_cursor, cols, rows});
            t.col_cursor += cols;
            return Slot{t.tile, 0, t.strips.back().col0};
        }
        return std::nullopt;
    }
    int R_, C_;
    std::vector<int> order_;
    size_t limit_;
    size_t next_ = 0;
    std::vector<TileState> open_;
};

struct PBlock {
    int layer, replica, rb, cb, rows, cols;
    Slot slot;
    uint32_t in_off = 0, out_off = 0;
    std::vector<uint32_t> psum_off;  // consumer (rb == 0): one region per producer rb = 1..
    uint32_t chain = AIMC_IMAGE_NO_CHAIN;
};

class Mapper {
public:
    Mapper(const QNet& q, const PlatformGeometry& p, const MapOptions& opt) : q_(q), p_(p), opt_(opt) {}

    ModelImage run(MappingReport* report) {
        R_ = p_.rows();
        C_ = p_.cols();
        allocate_arena();
        place_blocks();
        for (size_t li = 0; li < q_.layers.size(); ++li) emit_layer(li);
        return finish(report);
    }

private:
    const QLayer& L(size_t i) const { return q_.layers[i]; }
    const QTensor& T(int i) const { return q_.tensors[size_t(i)]; }
    // Rows of the layer's crossbar matrix: the patch length times its copies.
    int rows_of(const QLayer& l) const { return l.K * l.row_copies; }
    int row_blocks(const QLayer& l) const { return (rows_of(l) + R_ - 1) / R_; }
    int col_blocks(const QLayer& l) const { return (l.Cout + C_ - 1) / C_; }

    void allocate_arena() {
        arena_.assign(q_.tensors.size(), 0);
        uint32_t at = 0;
        for (size_t i = 0; i < q_.tensors.size(); ++i) {
            arena_[i] = at;
            at += uint32_t((q_.tensors[i].bytes() + 3) / 4 * 4);
        }
        arena_bytes_ = at;
    }

    // Places every block of `layer` replica `rep` with `pk`; false if the chip is full.
    bool place_layer(Packer& pk, size_t li, int rep, std::vector<PBlock>& out, bool fresh_first) {
        const QLayer& l = L(li);
        bool first = true;
        // The consumer (row block 0) goes in the middle of its producers: consecutive placements are
        // mesh neighbours, so its partial sums travel about half as far as from one end.
        const int n = row_blocks(l), half = (n - 1) / 2;
        std::vector<int> order;
        for (int k = 1; k <= half; ++k) order.push_back(k);
        order.push_back(0);
        for (int k = half + 1; k < n; ++k) order.push_back(k);
        for (int cb = 0; cb < col_blocks(l); ++cb)
            for (int rb : order) {
                PBlock b{int(li), rep, rb, cb, std::min(R_, rows_of(l) - rb * R_), std::min(C_, l.Cout - cb * C_), {}, 0, 0, {}, AIMC_IMAGE_NO_CHAIN};
                auto s = pk.place(b.rows, b.cols, fresh_first && first);
                if (!s) return false;
                first = false;
                b.slot = *s;
                out.push_back(b);
            }
        return true;
    }

    void place_blocks() {
        const auto order = serpentine_order(p_.mesh_width, p_.mesh_height);
        Packer pk(R_, C_, order, size_t(p_.tiles()));
        replicas_.assign(q_.layers.size(), 0);
        for (size_t li = 0; li < q_.layers.size(); ++li) {
            if (L(li).kind != QKind::kCrossbar) continue;
            if (!place_layer(pk, li, 0, blocks_, false)) {
                // Count what the whole network would need on an unbounded mesh.
                Packer all(R_, C_, order, SIZE_MAX);
                std::vector<PBlock> tmp;
                for (size_t k = 0; k < q_.layers.size(); ++k)
                    if (L(k).kind == QKind::kCrossbar) place_layer(all, k, 0, tmp, false);
                throw CompileError(fmt::format("{}: layer '{}' ({}x{} weights) does not fit: the network needs {} tiles "
                                               "of {}x{}, platform '{}' has {}",
                                               L(li).where, L(li).name, L(li).K, L(li).Cout, all.tiles_opened(), R_, C_,
                                               p_.name, p_.tiles()));
            }
            replicas_[li] = 1;
        }
        if (!opt_.replicate) return;
        // Spare tiles: more copies of the conv layers with the most pixels, one copy per round.
        std::vector<size_t> convs;
        for (size_t li = 0; li < q_.layers.size(); ++li)
            if (L(li).kind == QKind::kCrossbar && L(li).conv) convs.push_back(li);
        std::stable_sort(convs.begin(), convs.end(), [&](size_t a, size_t b) {
            return T(L(a).output).h * T(L(a).output).w > T(L(b).output).h * T(L(b).output).w;
        });
        for (bool added = true; added;) {
            added = false;
            for (size_t li : convs) {
                const int pixels = T(L(li).output).h * T(L(li).output).w;
                if (replicas_[li] >= opt_.max_replicas || replicas_[li] >= pixels) continue;
                Packer trial = pk;
                std::vector<PBlock> tmp;
                if (!place_layer(trial, li, replicas_[li], tmp, true)) continue;
                pk = trial;
                blocks_.insert(blocks_.end(), tmp.begin(), tmp.end());
                ++replicas_[li];
                added = true;
            }
        }
    }

    aimc_image_step_t step(uint8_t kind, int tile, size_t layer) const {
        aimc_image_step_t s;
        std::memset(&s, 0, sizeof s);
        s.kind = kind;
        s.tile = uint16_t(tile < 0 ? kNoTile : tile);
        s.layer = uint16_t(layer);
        return s;
    }

    // Writes the chain that finishes a consumer block's outputs into its tile's LDPU image.
    uint32_t build_chain(const QLayer& l, const PBlock& b) {
        std::vector<uint8_t>& mem = ldpu_[b.slot.tile];
        while (mem.size() % 4) mem.push_back(0);
        const int producers = int(b.psum_off.size());
        const int psum_ops = (producers + AIMC_LDPU_MAX_OPERANDS - 1) / AIMC_LDPU_MAX_OPERANDS;
        std::vector<aimc_ldpu_op_t> ops;
        auto blank = [] {
            aimc_ldpu_op_t o;
            std::memset(&o, 0, sizeof o);
            return o;
        };
        for (int g = 0; g < psum_ops; ++g) {
            aimc_ldpu_op_t o = blank();
            o.kind = AIMC_LDPU_OP_PARTIAL_SUM_ADD;
            const int n = std::min(AIMC_LDPU_MAX_OPERANDS, producers - g * AIMC_LDPU_MAX_OPERANDS);
            o.n_operands = uint8_t(n);
            for (int k = 0; k < n; ++k) {
                o.operands[k].offset = b.psum_off[size_t(g * AIMC_LDPU_MAX_OPERANDS + k)];
                o.operands[k].stride = uint32_t(b.cols) * 4;
                o.operands[k].memory = AIMC_LDPU_MEM_IN;
                o.operands[k].type = AIMC_LDPU_TYPE_INT32;
            }
            ops.push_back(o);
        }
        const uint32_t chain_at = uint32_t(mem.size());
        const size_t nops = ops.size() + 2 + (l.activation ? 1 : 0);
        const uint32_t scale_at = uint32_t(chain_at + AIMC_LDPU_CHAIN_BYTES(nops));
        const uint32_t bias_at = (scale_at + 2 * uint32_t(b.cols) + 3) / 4 * 4;
        aimc_ldpu_op_t aff = blank();
        aff.kind = AIMC_LDPU_OP_AFFINE_FIXED;
        aff.shift = uint8_t(l.shift);
        aff.scale_offset = scale_at;
        aff.bias_offset = bias_at;
        ops.push_back(aff);
        if (l.activation) {
            aimc_ldpu_op_t a = blank();
            a.kind = l.activation == AIMC_ACT_RELU ? AIMC_LDPU_OP_RELU : AIMC_LDPU_OP_CLIP;
            a.lo = l.act_lo;
            a.hi = l.act_hi;
            ops.push_back(a);
        }
        aimc_ldpu_op_t rq = blank();
        rq.kind = AIMC_LDPU_OP_REQUANTIZE;
        rq.multiplier = 1;
        rq.out_bits = 8;
        ops.push_back(rq);
        aimc_ldpu_chain_t hdr{AIMC_LDPU_CHAIN_MAGIC, uint8_t(ops.size()), AIMC_LDPU_TYPE_INT32, 0};
        mem.resize(bias_at + 4 * size_t(b.cols));
        std::memcpy(mem.data() + chain_at, &hdr, sizeof hdr);
        std::memcpy(mem.data() + chain_at + sizeof hdr, ops.data(), ops.size() * sizeof(aimc_ldpu_op_t));
        for (int c = 0; c < b.cols; ++c) {
            const int16_t m = int16_t(l.multiplier[size_t(b.cb * C_ + c)]);
            const int32_t o = l.offset[size_t(b.cb * C_ + c)];
            std::memcpy(mem.data() + scale_at + 2 * c, &m, 2);
            std::memcpy(mem.data() + bias_at + 4 * c, &o, 4);
        }
        if (mem.size() > p_.ldpu_size)
            throw CompileError(fmt::format("{}: the LDPU chains of tile {} need {} bytes, its LDPU memory has {}", l.where,
                                           b.slot.tile, mem.size(), p_.ldpu_size));
        try {  // the tile's own decoder and checks: what the image holds is what the tile accepts
            tile::decode_ldpu_chain(mem.data(), mem.size(), chain_at, size_t(b.cols), dpu::Ldpu());
        } catch (const std::exception& e) {
            throw CompileError(l.where + ": internal error, the LDPU rejects the chain: " + e.what());
        }
        return chain_at;
    }

    void emit_crossbar(size_t li) {
        const QLayer& l = L(li);
        const QTensor &in = T(l.inputs[0]), &out = T(l.output);
        const int pixels = out.h * out.w;
        std::vector<PBlock*> mine;
        for (PBlock& b : blocks_)
            if (b.layer == int(li)) mine.push_back(&b);
        const int reps = replicas_[li];
        const int rbs = row_blocks(l);
        // Buffer bytes per pixel (vector) on each tile, then the largest chunk of pixels that fits.
        std::map<int, std::pair<uint64_t, uint64_t>> bpp;  // tile -> (input, output)
        for (PBlock* b : mine) {
            auto& [i, o] = bpp[b->slot.tile];
            i += uint64_t(b->rows) + (b->rb == 0 ? uint64_t(rbs - 1) * b->cols * 4 : 0);
            o += b->rb == 0 ? uint64_t(b->cols) : uint64_t(b->cols) * 4;
        }
        uint64_t chunk = uint64_t(pixels + reps - 1) / uint64_t(reps);
        for (const auto& [t, io] : bpp) chunk = std::min({chunk, p_.in_size / io.first, p_.out_size / io.second});
        if (chunk == 0)
            throw CompileError(fmt::format("{}: one vector needs more than tile buffers of {} (input) and {} (output) "
                                           "bytes hold",
                                           l.where, p_.in_size, p_.out_size));
        std::map<int, std::pair<uint32_t, uint32_t>> cursor;  // tile -> (input, output) offsets
        for (PBlock* b : mine) {
            auto& [ci, co] = cursor[b->slot.tile];
            b->in_off = ci;
            ci += uint32_t(chunk * uint64_t(b->rows));
            if (b->rb == 0) {
                for (int k = 1; k < rbs; ++k) {
                    b->psum_off.push_back(ci);
                    ci += uint32_t(chunk * uint64_t(b->cols) * 4);
                }
            }
            b->out_off = co;
            co += uint32_t(chunk * uint64_t(b->cols) * (b->rb == 0 ? 1 : 4));
        }
        for (PBlock* b : mine)
            if (b->rb == 0) b->chain = build_chain(l, *b);
        auto consumer = [&](const PBlock& b) -> const PBlock& {
            for (PBlock* c : mine)
                if (c->replica == b.replica && c->cb == b.cb && c->rb == 0) return *c;
            throw CompileError("internal error: no consumer block");
        };
        const int Hin = l.conv ? in.h : 1, Win = l.conv ? in.w : 1, Cin = l.conv ? in.c : l.K;
        const int nchunks = int((uint64_t(pixels) + chunk - 1) / chunk);
        for (int round = 0; round * reps < nchunks; ++round) {
            auto chunk_of = [&](int rep, int& pix0, int& npix) {
                const int j = round * reps + rep;
                if (j >= nchunks) return false;
                pix0 = int(uint64_t(j) * chunk);
                npix = std::min(int(chunk), pixels - pix0);
                return true;
            };
            int pix0, npix;
            // Phase 1: patches to every block, producers' MVMs and their SENDs.
            for (int rep = 0; rep < reps; ++rep) {
                if (!chunk_of(rep, pix0, npix)) continue;
                for (PBlock* b : mine) {
                    if (b->replica != rep) continue;
                    aimc_image_step_t g = step(AIMC_STEP_GATHER, b->slot.tile, li);
                    g.a[0] = arena_[size_t(l.inputs[0])];
                    g.a[1] = uint32_t(Hin), g.a[2] = uint32_t(Win), g.a[3] = uint32_t(Cin);
                    g.a[4] = uint32_t(l.kernel_h | l.kernel_w << 16);
                    g.a[5] = uint32_t(l.stride_h | l.stride_w << 16);
                    g.a[6] = uint32_t(l.pad_t | l.pad_l << 16);
                    g.a[7] = uint32_t(out.w), g.a[8] = uint32_t(pix0), g.a[9] = uint32_t(npix);
                    g.a[10] = uint32_t(b->rb * R_), g.a[11] = uint32_t(b->rows), g.a[12] = b->in_off;
                    g.a[13] = uint32_t(l.K);
                    steps_.push_back(g);
                    gather_bytes_[li] += uint64_t(npix) * uint64_t(b->rows);
                }
                for (PBlock* b : mine) {
                    if (b->replica != rep || b->rb == 0) continue;
                    steps_.push_back(mvm(li, *b, npix, AIMC_TILE_NO_CHAIN));
                    const PBlock& c = consumer(*b);
                    aimc_image_step_t s = step(AIMC_STEP_SEND, b->slot.tile, li);
                    s.a[0] = b->out_off, s.a[1] = uint32_t(npix * b->cols * 4);
                    s.a[2] = uint32_t(c.slot.tile), s.a[3] = c.psum_off[size_t(b->rb - 1)];
                    steps_.push_back(s);
                    hops_[li] += mesh_hops(b->slot.tile, c.slot.tile, p_.mesh_width);
                    send_bytes_[li] += s.a[1];
                }
            }
            // Phase 2: consumers wait for their producers, then MVM + chain.
            for (int rep = 0; rep < reps; ++rep) {
                if (!chunk_of(rep, pix0, npix)) continue;
                std::set<int> waited;
                for (PBlock* b : mine)
                    if (b->replica == rep && b->rb > 0 && waited.insert(b->slot.tile).second)
                        steps_.push_back(step(AIMC_STEP_WAIT, b->slot.tile, li));
                for (PBlock* b : mine)
                    if (b->replica == rep && b->rb == 0) steps_.push_back(mvm(li, *b, npix, b->chain));
            }
            // Phase 3: outputs back to the arena.
            for (int rep = 0; rep < reps; ++rep) {
                if (!chunk_of(rep, pix0, npix)) continue;
                std::set<int> waited;
                for (PBlock* b : mine) {
                    if (b->replica != rep || b->rb != 0) continue;
                    if (waited.insert(b->slot.tile).second) steps_.push_back(step(AIMC_STEP_WAIT, b->slot.tile, li));
                    aimc_image_step_t r = step(AIMC_STEP_READ, b->slot.tile, li);
                    r.a[0] = b->out_off, r.a[1] = uint32_t(b->cols);
                    r.a[2] = arena_[size_t(l.output)] + uint32_t(pix0 * l.Cout + b->cb * C_);
                    r.a[3] = uint32_t(l.Cout), r.a[4] = uint32_t(b->cols), r.a[5] = uint32_t(npix);
                    steps_.push_back(r);
                }
            }
        }
        mvms_[li] = uint64_t(pixels) * uint64_t(rbs) * uint64_t(col_blocks(l));
    }

    aimc_image_step_t mvm(size_t li, const PBlock& b, int npix, uint32_t chain) const {
        aimc_image_step_t s = step(AIMC_STEP_TILE_CMD, b.slot.tile, li);
        s.a[0] = AIMC_TILE_OP_MVM;
        s.a[1] = b.in_off;
        s.a[2] = uint32_t(b.rows | b.slot.row0 << 16);
        s.a[3] = uint32_t(b.cols | b.slot.col0 << 16);
        s.a[4] = uint32_t(npix);
        s.a[5] = b.out_off;
        s.a[6] = chain;
        return s;
    }

    void emit_layer(size_t li) {
        const QLayer& l = L(li);
        first_step_.push_back(uint32_t(steps_.size()));
        const QTensor &in = T(l.inputs[0]), &out = T(l.output);
        switch (l.kind) {
        case QKind::kCrossbar: emit_crossbar(li); break;
        case QKind::kAdd: {
            aimc_image_step_t s = step(AIMC_STEP_ADD, -1, li);
            s.a[0] = arena_[size_t(l.inputs[0])], s.a[1] = arena_[size_t(l.inputs[1])], s.a[2] = arena_[size_t(l.output)];
            s.a[3] = uint32_t(out.bytes()), s.a[4] = uint32_t(l.ma), s.a[5] = uint32_t(l.mb), s.a[6] = uint32_t(l.shift);
            s.a[7] = l.add_relu ? 1u : 0u;
            steps_.push_back(s);
            break;
        }
        case QKind::kMaxPool:
        case QKind::kAvgPool: {
            aimc_image_step_t s = step(AIMC_STEP_POOL, -1, li);
            s.a[0] = arena_[size_t(l.inputs[0])], s.a[1] = uint32_t(in.h), s.a[2] = uint32_t(in.w), s.a[3] = uint32_t(in.c);
            s.a[4] = uint32_t(l.kernel_h | l.kernel_w << 16), s.a[5] = uint32_t(l.stride_h | l.stride_w << 16);
            s.a[6] = uint32_t(l.pad_t | l.pad_l << 16), s.a[7] = uint32_t(out.h | out.w << 16);
            s.a[8] = arena_[size_t(l.output)], s.a[9] = l.kind == QKind::kAvgPool ? 1u : 0u;
            s.a[10] = l.count_include_pad ? 1u : 0u;
            steps_.push_back(s);
            break;
        }
        case QKind::kLut: {
            aimc_image_step_t s = step(AIMC_STEP_LUT, -1, li);
            s.a[0] = arena_[size_t(l.inputs[0])], s.a[1] = arena_[size_t(l.output)], s.a[2] = uint32_t(out.bytes());
            s.a[3] = img_.add_blob(l.lut.data(), 256);
            steps_.push_back(s);
            break;
        }
        }
    }

    ModelImage finish(MappingReport* report) {
        aimc_image_header_t& h = img_.header;
        std::string base = q_.name.substr(q_.name.find_last_of('/') + 1);
        base = base.substr(0, base.rfind(".onnx"));
        std::strncpy(h.model_name, base.c_str(), AIMC_IMAGE_NAME_BYTES - 1);
        std::strncpy(h.platform_name, p_.name.c_str(), AIMC_IMAGE_NAME_BYTES - 1);
        h.mesh_width = uint16_t(p_.mesh_width), h.mesh_height = uint16_t(p_.mesh_height);
        h.xbar_rows = uint16_t(R_), h.xbar_cols = uint16_t(C_);
        h.weight_bits = uint8_t(std::min(8, p_.crossbar.mapping.weight_bits));
        h.input_bits = uint8_t(p_.crossbar.dac.input_bits);
        const QTensor &in = T(q_.input), &out = T(q_.output);
        h.input_c = uint16_t(in.c), h.input_h = uint16_t(in.h), h.input_w = uint16_t(in.w);
        h.n_classes = uint16_t(out.bytes());
        h.input_scale = in.scale, h.input_mean = q_.norm.mean, h.input_std = q_.norm.std;
        h.output_scale = out.scale;
        h.arena_bytes = arena_bytes_;
        h.input_offset = arena_[size_t(q_.input)], h.output_offset = arena_[size_t(q_.output)];
        h.output_count = uint32_t(out.bytes());

        // Blocks grouped by tile, in placement (= PROGRAM) order.
        std::vector<size_t> idx(blocks_.size());
        for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
        std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return blocks_[a].slot.tile < blocks_[b].slot.tile; });
        int max_tile = 0;
        for (size_t k : idx) {
            const PBlock& b = blocks_[k];
            const QLayer& l = L(size_t(b.layer));
            std::vector<int8_t> w(size_t(b.rows) * size_t(b.cols));
            for (int r = 0; r < b.rows; ++r)
                for (int c = 0; c < b.cols; ++c)
                    w[size_t(r * b.cols + c)] = l.weights[size_t(((b.rb * R_ + r) % l.K) * l.Cout + b.cb * C_ + c)];
            aimc_image_block_t rec{};
            rec.layer = uint16_t(b.layer), rec.tile = uint16_t(b.slot.tile);
            rec.row0 = uint16_t(b.slot.row0), rec.col0 = uint16_t(b.slot.col0);
            rec.rows = uint16_t(b.rows), rec.cols = uint16_t(b.cols);
            rec.row_block = uint16_t(b.rb), rec.col_block = uint16_t(b.cb), rec.replica = uint16_t(b.replica);
            rec.weights_offset = img_.add_blob(w.data(), w.size());
            rec.chain_offset = b.chain;
            if (img_.tiles.empty() || img_.tiles.back().tile != b.slot.tile) {
                aimc_image_tile_t t{};
                t.tile = uint16_t(b.slot.tile);
                t.first_block = uint32_t(img_.blocks.size());
                img_.tiles.push_back(t);
            }
            ++img_.tiles.back().n_blocks;
            img_.blocks.push_back(rec);
            max_tile = std::max(max_tile, b.slot.tile);
        }
        for (aimc_image_tile_t& t : img_.tiles) {
            const std::vector<uint8_t>& mem = ldpu_[t.tile];
            t.ldpu_offset = img_.add_blob(mem.data(), mem.size());
            t.ldpu_bytes = uint32_t(mem.size());
        }
        h.tiles_needed = uint16_t(max_tile + 1);

        MappingReport rep;
        rep.platform = p_.name;
        rep.tiles_available = p_.tiles();
        rep.tiles_used = int(img_.tiles.size());
        uint64_t cells = 0;
        for (size_t li = 0; li < q_.layers.size(); ++li) {
            const QLayer& l = L(li);
            const QTensor& o = T(l.output);
            aimc_image_layer_t r{};
            r.name_offset = img_.add_string(l.name);
            const bool xbar = l.kind == QKind::kCrossbar;
            r.kind = uint8_t(xbar ? (l.conv ? AIMC_LAYER_CONV : AIMC_LAYER_DENSE)
                             : l.kind == QKind::kAdd ? AIMC_LAYER_ADD : l.kind == QKind::kMaxPool ? AIMC_LAYER_MAX_POOL
                             : l.kind == QKind::kAvgPool ? AIMC_LAYER_AVG_POOL : AIMC_LAYER_LUT);
            r.activation = uint8_t(l.activation);
            r.replicas = uint16_t(xbar ? replicas_[li] : 0);
            r.out_c = uint16_t(o.c), r.out_h = uint16_t(o.h), r.out_w = uint16_t(o.w);
            const QTensor& i0 = T(l.inputs[0]);
            r.in_c = uint16_t(i0.c), r.in_h = uint16_t(i0.h), r.in_w = uint16_t(i0.w);
            r.out_offset = arena_[size_t(l.output)];
            r.out_scale = o.scale;
            r.first_step = first_step_[li];
            r.n_steps = uint32_t((li + 1 < first_step_.size() ? first_step_[li + 1] : steps_.size()) - first_step_[li]);
            LayerReport lr;
            lr.name = l.name;
            lr.kind = layer_kind_name(r.kind);
            lr.steps = int(r.n_steps);
            if (xbar) {
                r.matrix_rows = uint32_t(rows_of(l)), r.matrix_cols = uint32_t(l.Cout);
                r.row_copies = uint32_t(l.row_copies);
                r.row_blocks = uint16_t(row_blocks(l)), r.col_blocks = uint16_t(col_blocks(l));
                std::set<int> tiles;
                for (const PBlock& b : blocks_)
                    if (b.layer == int(li)) {
                        ++r.n_blocks;
                        tiles.insert(b.slot.tile);
                    }
                r.mvms = uint32_t(mvms_[li]);
                lr.matrix_rows = l.K, lr.matrix_cols = l.Cout, lr.row_blocks = r.row_blocks, lr.col_blocks = r.col_blocks;
                lr.row_copies = l.row_copies;
                lr.replicas = replicas_[li];
                lr.tiles.assign(tiles.begin(), tiles.end());
                const uint64_t lc = uint64_t(rows_of(l)) * uint64_t(l.Cout) * uint64_t(replicas_[li]);
                cells += lc;
                lr.utilization = double(lc) / (double(tiles.size()) * R_ * C_);
                lr.noc_hops = hops_[li];
                lr.send_bytes = send_bytes_[li];
                lr.mvms = mvms_[li];
                lr.gather_bytes = gather_bytes_[li];
            }
            rep.layers.push_back(lr);
            img_.layers.push_back(r);
        }
        rep.utilization = rep.tiles_used ? double(cells) / (double(rep.tiles_used) * R_ * C_) : 0;
        img_.steps = steps_;
        if (report) *report = rep;
        return std::move(img_);
    }

    const QNet& q_;
    const PlatformGeometry& p_;
    MapOptions opt_;
    int R_ = 0, C_ = 0;
    std::vector<uint32_t> arena_;
    uint32_t arena_bytes_ = 0;
    std::vector<PBlock> blocks_;
    std::vector<int> replicas_;
    std::map<int, std::vector<uint8_t>> ldpu_;  // tile -> LDPU memory image
    std::vector<aimc_image_step_t> steps_;
    std::vector<uint32_t> first_step_;
    std::map<size_t, int> hops_;
    std::map<size_t, uint64_t> send_bytes_, mvms_, gather_bytes_;
    ModelImage img_;
};

}  // namespace

std::string MappingReport::text() const {
    std::ostringstream os;
    os << fmt::format("mapping on {}: {} of {} tiles, crossbar utilization {:.1f} %\n", platform, tiles_used,
                      tiles_available, 100 * utilization);
    os << "  layer                kind     matrix     copies  blocks  repl  tiles            util    hops  MVMs/inf  gather B\n";
    for (const LayerReport& l : layers) {
        std::string tiles;
        for (size_t i = 0; i < l.tiles.size(); ++i) {
            if (i == 6) {
                tiles += fmt::format(",+{}", l.tiles.size() - 6);
                break;
            }
            tiles += (i ? "," : "") + std::to_string(l.tiles[i]);
        }
        const bool xbar = l.kind == "dense" || l.kind == "conv";
        os << fmt::format("  {:<20} {:<8} {:<10} {:>6}  {:<7} {:>4}  {:<15}  {:>5}  {:>5}  {:>8}  {:>8}\n", l.name.substr(0, 20), l.kind,
                          xbar ? fmt::format("{}x{}", l.matrix_rows, l.matrix_cols) : "-",
                          xbar ? std::to_string(l.row_copies) : "-",
                          xbar ? fmt::format("{}x{}", l.row_blocks, l.col_blocks) : "-", xbar ? std::to_string(l.replicas) : "-",
                          xbar ? tiles : "host", xbar ? fmt::format("{:.1f}%", 100 * l.utilization) : "-",
                          xbar ? std::to_string(l.noc_hops) : "-", xbar ? std::to_string(l.mvms) : "-",
                          xbar ? std::to_string(l.gather_bytes) : "-");
    }
    return os.str();
}

ModelImage map_network(const QNet& q, const PlatformGeometry& p, const MapOptions& opt, MappingReport* report) {
    return Mapper(q, p, opt).run(report);
}

}  // namespace aimc::compiler
