// The binary LDPU chain format firmware writes into a tile's LDPU parameter memory
// (models/interface/ldpu.json), decoded and checked into a dpu::LdpuChain, and the conversions
// between the tile's buffers (int8/int16/int32/fp16 elements, little-endian) and the LDPU's vectors.
// Plain C++ (no SystemC): the tile module calls it, the tests drive it directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include <Eigen/Core>

#include "dpu/ldpu.h"

namespace aimc::tile {

// A malformed chain: the message names the chain offset, the op index and the field.
class ChainFormatError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// One operand vector a chain reads for every vector of the command (a partial sum, a residual):
// vector v's operand is `length` elements of `type` at `offset + v * stride` in `memory`.
struct ChainOperand {
    uint32_t memory = 0;  // AIMC_LDPU_MEM_*
    uint32_t type = 0;    // AIMC_LDPU_TYPE_*
    uint32_t offset = 0;
    uint32_t stride = 0;
    size_t length = 0;    // elements: the chain's vector length at the op that reads it
};

struct DecodedChain {
    uint32_t offset = 0;      // in the LDPU memory
    uint32_t input_type = 0;  // AIMC_LDPU_TYPE_*: elements the LDPU command reads from its source
    dpu::LdpuChain chain;
    std::vector<ChainOperand> operands;     // index k is run_chain's operand k
    std::vector<dpu::VectorShape> shapes;   // shapes[0] the input, shapes[i + 1] after op i

    const dpu::VectorShape& output() const { return shapes.back(); }
    size_t output_bytes() const;  // bytes one output vector takes in a buffer
};

// Decodes the chain at `offset` of an LDPU memory of `size` bytes, for input vectors of `columns`
// int32 values, and validates it with `ldpu` (formats, lengths, ranges). Throws ChainFormatError.
DecodedChain decode_ldpu_chain(const uint8_t* memory, size_t size, uint32_t offset, size_t columns,
                               const dpu::Ldpu& ldpu);

// Whether the decoder handles an op kind of the description (a test checks it handles every one).
bool decodes_op_kind(uint32_t kind);
// Bytes per element of an AIMC_LDPU_TYPE_* (0 if the type is unknown).
unsigned ldpu_type_bytes(uint32_t type);
// Bytes per element a value of `format` is stored in: int <= 8 b -> 1, <= 16 b -> 2, else 4; fp16 -> 2.
unsigned storage_bytes(const dpu::DataFormat& format);

// Reads n little-endian elements of an AIMC_LDPU_TYPE_* into int32 values.
Eigen::VectorXi load_elements(const uint8_t* src, uint32_t type, size_t n);
// Writes a chain's output vector in its storage format (storage_bytes(v.format) per element).
void store_vector(const dpu::LdpuVector& v, uint8_t* dst);
// Writes int32 values little-endian (the raw MVM output).
void store_int32(const Eigen::Ref<const Eigen::VectorXi>& v, uint8_t* dst);

}  // namespace aimc::tile
