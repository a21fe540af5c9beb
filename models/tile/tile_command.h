// The tile's commands as firmware queues them (CMD_ARG[0..7], then the opcode to CMD_PUSH): the
// opcode table, the arguments of each opcode by name, and the checks every command's arguments get
// before it runs. Plain C++; opcodes, arguments, error codes and states come from the interface
// description (models/interface/tile.json, generated into interface/tile.h).
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "interface/tile.h"

namespace aimc::tile {

struct Command {
    uint32_t opcode = 0;
    std::array<uint32_t, 8> arg{};
};

// Name and STATUS state of an opcode (the description's row); nullptr for an unknown opcode.
using OpcodeInfo = iface::CommandRow;
const OpcodeInfo* opcode_info(uint32_t opcode);
// The name of an ERROR code ("BAD_CHAIN"), "?" for an unknown one.
const char* error_name(uint32_t code);

// A command that cannot run: the error code and ERROR_INFO value the tile latches.
class CommandError : public std::runtime_error {
public:
    CommandError(uint32_t code, uint32_t info, const std::string& message)
        : std::runtime_error(message), code(code), info(info) {}
    uint32_t code;
    uint32_t info;
};

// The arguments of each opcode by name (generated from the description).
using iface::tile::LdpuArgs;
using iface::tile::MvmArgs;
using iface::tile::ProgramArgs;
using iface::tile::SendArgs;

// Throws CommandError(ERR_BAD_SHAPE, value) unless 1 <= value <= max.
void check_count(const char* what, uint32_t value, uint32_t max);
// Throws CommandError(ERR_BAD_SHAPE, ...) unless the block of rows x cols at (row0, col0) lies
// in the array (each count 1.., the offsets with it inside); the message starts with `command`.
void check_block(const char* command, uint32_t rows, uint32_t row0, uint32_t cols, uint32_t col0, uint32_t array_rows,
                 uint32_t array_cols);
// Throws CommandError(ERR_BAD_OFFSET, offset) unless [offset, offset + bytes) lies in a memory
// of `size` bytes (computed without overflow).
void check_range(const char* memory, uint32_t offset, uint64_t bytes, uint64_t size);

}  // namespace aimc::tile
