#include "tile/tile_command.h"

#include <fmt/format.h>

namespace aimc::tile {

const OpcodeInfo* opcode_info(uint32_t opcode) {
    for (const auto& o : iface::tile::kCommands)
        if (o.opcode == opcode) return &o;
    return nullptr;
}

const char* error_name(uint32_t code) {
    for (const auto& e : iface::tile::kErrors)
        if (e.code == code) return e.name;
    return "?";
}

void check_count(const char* what, uint32_t value, uint32_t max) {
    if (value < 1 || value > max)
        throw CommandError(iface::tile::ERR_BAD_SHAPE, value, fmt::format("{} = {} is not 1..{}", what, value, max));
}

void check_block(const char* command, uint32_t rows, uint32_t row0, uint32_t cols, uint32_t col0, uint32_t array_rows,
                 uint32_t array_cols) {
    check_count(fmt::format("{} rows", command).c_str(), rows, array_rows);
    check_count(fmt::format("{} cols", command).c_str(), cols, array_cols);
    if (row0 > array_rows - rows)
        throw CommandError(iface::tile::ERR_BAD_SHAPE, row0,
                           fmt::format("{} row0 = {} + {} rows passes the {} crossbar rows", command, row0, rows, array_rows));
    if (col0 > array_cols - cols)
        throw CommandError(iface::tile::ERR_BAD_SHAPE, col0,
                           fmt::format("{} col0 = {} + {} cols passes the {} crossbar columns", command, col0, cols,
                                       array_cols));
}

void check_range(const char* memory, uint32_t offset, uint64_t bytes, uint64_t size) {
    if (uint64_t(offset) > size || bytes > size - offset)
        throw CommandError(iface::tile::ERR_BAD_OFFSET, offset,
                           fmt::format("{} bytes at offset {:#x} run past the end of the {}-byte {}", bytes, offset,
                                       size, memory));
}

}  // namespace aimc::tile
