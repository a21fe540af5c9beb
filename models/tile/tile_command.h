// The tile's commands as firmware queues them (CMD_ARG[0..7], then the opcode to CMD_PUSH): the
// opcode table, the arguments of each opcode by name, and the checks every command's arguments get
// before it runs. Plain C++; the opcodes, error codes and states are those of sw/include/aimc/regs/tile.h.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace aimc::tile {

struct Command {
    uint32_t opcode = 0;
    std::array<uint32_t, 8> arg{};
};

// Name and STATUS state of an opcode; nullptr for an unknown opcode.
struct OpcodeInfo {
    uint32_t opcode;
    const char* name;
    uint32_t state;  // AIMC_TILE_STATE_* while it executes
};
const OpcodeInfo* opcode_info(uint32_t opcode);

// A command that cannot run: the error code and ERROR_INFO value the tile latches.
class CommandError : public std::runtime_error {
public:
    CommandError(uint32_t code, uint32_t info, const std::string& message)
        : std::runtime_error(message), code(code), info(info) {}
    uint32_t code;
    uint32_t info;
};

// The arguments of each opcode by name (see AIMC_TILE_OP_* for their ARG positions).
struct ProgramArgs {
    uint32_t staging_offset, rows, cols, row0, col0;
    explicit ProgramArgs(const Command& c)
        : staging_offset(c.arg[0]), rows(c.arg[1]), cols(c.arg[2]), row0(c.arg[3]), col0(c.arg[4]) {}
};
struct MvmArgs {
    // ARG1 = rows | row0 << 16 and ARG2 = cols | col0 << 16: the block of the crossbar that is used.
    uint32_t in_offset, rows, row0, cols, col0, vectors, out_offset, chain, phases, armed_bytes;
    explicit MvmArgs(const Command& c)
        : in_offset(c.arg[0]), rows(c.arg[1] & 0xFFFF), row0(c.arg[1] >> 16), cols(c.arg[2] & 0xFFFF),
          col0(c.arg[2] >> 16), vectors(c.arg[3]), out_offset(c.arg[4]), chain(c.arg[5]), phases(c.arg[6]),
          armed_bytes(c.arg[7]) {}
};
struct SendArgs {
    uint32_t out_offset, bytes, address;
    explicit SendArgs(const Command& c) : out_offset(c.arg[0]), bytes(c.arg[1]), address(c.arg[2]) {}
};
struct LdpuArgs {
    uint32_t chain, src_offset, columns, vectors, dst_offset;
    explicit LdpuArgs(const Command& c)
        : chain(c.arg[0]), src_offset(c.arg[1]), columns(c.arg[2]), vectors(c.arg[3]), dst_offset(c.arg[4]) {}
};

// Throws CommandError(AIMC_TILE_ERR_BAD_SHAPE, value) unless 1 <= value <= max.
void check_count(const char* what, uint32_t value, uint32_t max);
// Throws CommandError(AIMC_TILE_ERR_BAD_SHAPE, ...) unless the block of rows x cols at (row0, col0) lies
// in the array (each count 1.., the offsets with it inside); the message starts with `command`.
void check_block(const char* command, uint32_t rows, uint32_t row0, uint32_t cols, uint32_t col0, uint32_t array_rows,
                 uint32_t array_cols);
// Throws CommandError(AIMC_TILE_ERR_BAD_OFFSET, offset) unless [offset, offset + bytes) lies in a memory
// of `size` bytes (computed without overflow).
void check_range(const char* memory, uint32_t offset, uint64_t bytes, uint64_t size);

}  // namespace aimc::tile
