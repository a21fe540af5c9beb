#include "tile/ldpu_chain_format.h"

#include <cstring>
#include <string>

#include <fmt/format.h>

#include "interface/ldpu.h"

namespace aimc::tile {

namespace {

namespace ld = iface::ldpu;  // the binary format: op kinds, flags, types, records

using dpu::Half;
using dpu::LdpuOp;
using dpu::LdpuOpKind;

// Reads what one op record says into an LdpuOp. `n` is the vector length at this op (per-column
// arrays have n entries, or 1 when broadcast).
struct Reader {
    const uint8_t* mem;
    size_t size;
    uint32_t chain_offset;
    size_t index;  // op index

    [[noreturn]] void fail(const std::string& what) const {
        throw ChainFormatError(fmt::format("LDPU chain at {:#x}: op {}: {}", chain_offset, index, what));
    }
    // A parameter array of `count` elements of `bytes` each at `offset`.
    const uint8_t* array(const char* field, uint32_t offset, size_t count, unsigned bytes) const {
        const uint64_t end = uint64_t(offset) + uint64_t(count) * bytes;
        if (end > size)
            fail(fmt::format("field '{}' = {:#x}: {} bytes of parameters run past the end of the {}-byte LDPU memory",
                             field, offset, count * bytes, size));
        return mem + offset;
    }
    std::vector<Half> halves(const char* field, uint32_t offset, size_t count) const {
        const uint8_t* p = array(field, offset, count, 2);
        std::vector<Half> out(count);
        for (size_t i = 0; i < count; ++i) out[i] = Half::from_bits(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        return out;
    }
    std::vector<int32_t> ints(const char* field, uint32_t offset, size_t count, unsigned bytes) const {
        const uint8_t* p = array(field, offset, count, bytes);
        std::vector<int32_t> out(count);
        for (size_t i = 0; i < count; ++i) {
            if (bytes == 2) {
                int16_t v;
                std::memcpy(&v, p + 2 * i, 2);
                out[i] = v;
            } else {
                std::memcpy(&out[i], p + 4 * i, 4);
            }
        }
        return out;
    }
};

size_t per_column(const ld::OpRecord& r, uint8_t flag, size_t n) { return (r.flags & flag) ? 1 : n; }

double bound(const ld::OpRecord& r, int32_t v) {
    return (r.flags & ld::F_FP16_BOUNDS) ? Half::from_bits(uint16_t(uint32_t(v))).to_double() : double(v);
}

dpu::PoolWindow window(const ld::OpRecord& r) {
    dpu::PoolWindow w;
    w.height = r.pool_height;
    w.width = r.pool_width;
    w.channels = r.pool_channels;
    w.kernel_h = r.kernel_h;
    w.kernel_w = r.kernel_w;
    w.stride_h = r.stride_h;
    w.stride_w = r.stride_w;
    return w;
}

// How the fields of each op kind become an LdpuOp (operand indices are filled in by the caller). Its
// name, operand count and the flags it accepts are the description's (ld::kLdpuOps).
struct OpDecoder {
    uint32_t kind;
    LdpuOp (*decode)(const ld::OpRecord& r, const Reader& rd, size_t n);
};

const OpDecoder kDecoders[] = {
    {ld::OP_PARTIAL_SUM_ADD,
     [](const ld::OpRecord&, const Reader&, size_t) { return LdpuOp::partial_sum_add({}); }},
    {ld::OP_AFFINE_FP16,
     [](const ld::OpRecord& r, const Reader& rd, size_t n) {
         auto scale = rd.halves("scale_offset", r.scale_offset, per_column(r, ld::F_SCALE_BROADCAST, n));
         auto bias = r.bias_offset == ld::NONE
                         ? std::vector<Half>{Half::from_double(0.0)}
                         : rd.halves("bias_offset", r.bias_offset, per_column(r, ld::F_BIAS_BROADCAST, n));
         return LdpuOp::affine_fp16(std::move(scale), std::move(bias));
     }},
    {ld::OP_AFFINE_FIXED,
     [](const ld::OpRecord& r, const Reader& rd, size_t n) {
         auto scale = rd.ints("scale_offset", r.scale_offset, per_column(r, ld::F_SCALE_BROADCAST, n), 2);
         auto bias = r.bias_offset == ld::NONE
                         ? std::vector<int32_t>{0}
                         : rd.ints("bias_offset", r.bias_offset, per_column(r, ld::F_BIAS_BROADCAST, n), 4);
         return LdpuOp::affine_fixed(std::move(scale), std::move(bias), r.shift);
     }},
    {ld::OP_RELU,
     [](const ld::OpRecord&, const Reader&, size_t) { return LdpuOp::relu(); }},
    {ld::OP_MAX,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::max(bound(r, r.lo)); }},
    {ld::OP_CLIP,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::clip(bound(r, r.lo), bound(r, r.hi)); }},
    {ld::OP_TANH,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::tanh(r.in_frac_bits, r.out_frac_bits); }},
    {ld::OP_SIGMOID,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::sigmoid(r.in_frac_bits, r.out_frac_bits); }},
    {ld::OP_REQUANTIZE,
     [](const ld::OpRecord& r, const Reader&, size_t) {
         return LdpuOp::requantize(r.multiplier, r.shift, r.out_bits);
     }},
    {ld::OP_ELTWISE_ADD,
     [](const ld::OpRecord& r, const Reader&, size_t) {
         LdpuOp op = LdpuOp::eltwise_add(0, r.multiplier, r.multiplier_b, r.shift, r.out_bits);
         op.operands.clear();
         return op;
     }},
    {ld::OP_MAX_POOL,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::max_pool(window(r)); }},
    {ld::OP_AVG_POOL,
     [](const ld::OpRecord& r, const Reader&, size_t) { return LdpuOp::avg_pool(window(r)); }},
};

const OpDecoder* decoder_of(uint32_t kind) {
    for (const auto& d : kDecoders)
        if (d.kind == kind) return &d;
    return nullptr;
}

const iface::LdpuOpRow* op_row(uint32_t kind) {
    for (const auto& o : ld::kLdpuOps)
        if (o.kind == kind) return &o;
    return nullptr;
}

}  // namespace

size_t DecodedChain::output_bytes() const { return output().length * storage_bytes(output().format); }

bool decodes_op_kind(uint32_t kind) { return decoder_of(kind) != nullptr; }

unsigned ldpu_type_bytes(uint32_t type) {
    for (const auto& e : ld::kEnums)
        if (std::strcmp(e.group, "TYPE") == 0 && e.value == type) return e.bytes;
    return 0;
}

unsigned storage_bytes(const dpu::DataFormat& format) {
    if (format.is_fp16()) return 2;
    return format.bits <= 8 ? 1 : format.bits <= 16 ? 2 : 4;
}

DecodedChain decode_ldpu_chain(const uint8_t* memory, size_t size, uint32_t offset, size_t columns,
                               const dpu::Ldpu& ldpu) {
    auto fail = [&](const std::string& what) -> ChainFormatError {
        return ChainFormatError(fmt::format("LDPU chain at {:#x}: {}", offset, what));
    };
    ld::ChainRecord head;
    if (uint64_t(offset) + sizeof head > size)
        throw fail(fmt::format("the header runs past the end of the {}-byte LDPU memory", size));
    std::memcpy(&head, memory + offset, sizeof head);
    if (head.magic != ld::CHAIN_MAGIC)
        throw fail(fmt::format("magic {:#010x} is not AIMC_LDPU_CHAIN_MAGIC ({:#010x})", head.magic,
                               ld::CHAIN_MAGIC));
    if (head.n_ops < 1 || head.n_ops > ld::MAX_OPS)
        throw fail(fmt::format("n_ops = {} is not 1..{}", head.n_ops, ld::MAX_OPS));
    if (ldpu_type_bytes(head.input_type) == 0) throw fail(fmt::format("input_type = {} is unknown", head.input_type));
    if (head.reserved != 0) throw fail("reserved header field is not 0");
    if (uint64_t(offset) + ld::CHAIN_BYTES(head.n_ops) > size)
        throw fail(fmt::format("{} ops run past the end of the {}-byte LDPU memory", head.n_ops, size));
    try {
        ldpu.validate({}, columns);  // the input length alone: empty, or longer than the LDPU takes
    } catch (const std::invalid_argument& e) {
        throw fail(e.what());
    }

    DecodedChain out;
    out.offset = offset;
    out.input_type = head.input_type;
    dpu::VectorShape shape{dpu::DataFormat::integer(32), columns};
    for (size_t i = 0; i < head.n_ops; ++i) {
        ld::OpRecord r;
        std::memcpy(&r, memory + offset + ld::OP_OFFSET(i), sizeof r);
        const Reader rd{memory, size, offset, i};
        const iface::LdpuOpRow* f = op_row(r.kind);
        if (!f) rd.fail(fmt::format("kind = {} is not an AIMC_LDPU_OP_*", r.kind));
        if (r.flags & ~f->flags) rd.fail(fmt::format("{}: flags {:#x} are not valid for this op", f->label, r.flags));
        if (r.reserved0 != 0 || r.reserved1 != 0) rd.fail(fmt::format("{}: reserved fields are not 0", f->label));
        if (r.n_operands < f->min_operands || r.n_operands > f->max_operands)
            rd.fail(fmt::format("{}: n_operands = {} is not {}..{}", f->label, r.n_operands, f->min_operands,
                                f->max_operands));
        const OpDecoder* dec = decoder_of(r.kind);
        if (!dec) throw std::logic_error(fmt::format("LDPU op {} is described but has no decoder", f->label));
        LdpuOp op = dec->decode(r, rd, shape.length);
        for (unsigned k = 0; k < r.n_operands; ++k) {
            const ld::OperandRecord& o = r.operands[k];
            if (o.memory != ld::MEM_IN && o.memory != ld::MEM_OUT)
                rd.fail(fmt::format("{}: operands[{}].memory = {} is not AIMC_LDPU_MEM_IN/OUT", f->label, k, o.memory));
            if (ldpu_type_bytes(o.type) == 0)
                rd.fail(fmt::format("{}: operands[{}].type = {} is unknown", f->label, k, o.type));
            if (o.reserved != 0) rd.fail(fmt::format("{}: operands[{}].reserved is not 0", f->label, k));
            op.operands.push_back(uint32_t(out.operands.size()));
            out.operands.push_back(ChainOperand{o.memory, o.type, o.offset, o.stride, shape.length});
        }
        try {
            shape = dpu::check_op(op, i, shape);
        } catch (const std::invalid_argument& e) {
            throw fail(e.what());
        }
        out.chain.push_back(std::move(op));
    }
    try {
        out.shapes = ldpu.validate(out.chain, columns);
    } catch (const std::invalid_argument& e) {
        throw fail(e.what());
    }
    return out;
}

Eigen::VectorXi load_elements(const uint8_t* src, uint32_t type, size_t n) {
    Eigen::VectorXi v(static_cast<Eigen::Index>(n));
    for (size_t i = 0; i < n; ++i) {
        switch (type) {
            case ld::TYPE_INT8: v[Eigen::Index(i)] = int8_t(src[i]); break;
            case ld::TYPE_INT16: {
                int16_t x;
                std::memcpy(&x, src + 2 * i, 2);
                v[Eigen::Index(i)] = x;
                break;
            }
            default: {
                int32_t x;
                std::memcpy(&x, src + 4 * i, 4);
                v[Eigen::Index(i)] = x;
            }
        }
    }
    return v;
}

void store_vector(const dpu::LdpuVector& v, uint8_t* dst) {
    const Eigen::Index n = v.values.size();
    if (v.format.is_fp16()) {
        const auto bits = v.to_fp16_bits();
        for (Eigen::Index i = 0; i < n; ++i) std::memcpy(dst + 2 * i, &bits[size_t(i)], 2);
        return;
    }
    const unsigned b = storage_bytes(v.format);
    for (Eigen::Index i = 0; i < n; ++i) {
        const int32_t x = static_cast<int32_t>(v.values[i]);  // exact: the value is an integer of the format
        if (b == 1) {
            dst[i] = uint8_t(int8_t(x));
        } else if (b == 2) {
            const int16_t h = int16_t(x);
            std::memcpy(dst + 2 * i, &h, 2);
        } else {
            std::memcpy(dst + 4 * i, &x, 4);
        }
    }
}

void store_int32(const Eigen::Ref<const Eigen::VectorXi>& v, uint8_t* dst) {
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        const int32_t x = v[i];
        std::memcpy(dst + 4 * i, &x, 4);
    }
}

}  // namespace aimc::tile
