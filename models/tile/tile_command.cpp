#include "tile/tile_command.h"

#include <fmt/format.h>

#include "aimc/regs/tile.h"

namespace aimc::tile {

namespace {
const OpcodeInfo kOpcodes[] = {
    {AIMC_TILE_OP_PROGRAM, "PROGRAM", AIMC_TILE_STATE_PROGRAM},
    {AIMC_TILE_OP_MVM, "MVM", AIMC_TILE_STATE_MVM},
    {AIMC_TILE_OP_SEND, "SEND", AIMC_TILE_STATE_SEND},
    {AIMC_TILE_OP_CALIBRATE, "CALIBRATE", AIMC_TILE_STATE_CALIBRATE},
    {AIMC_TILE_OP_FENCE, "FENCE", AIMC_TILE_STATE_IDLE},
    {AIMC_TILE_OP_LDPU, "LDPU", AIMC_TILE_STATE_LDPU},
};
}  // namespace

const OpcodeInfo* opcode_info(uint32_t opcode) {
    for (const auto& o : kOpcodes)
        if (o.opcode == opcode) return &o;
    return nullptr;
}

void check_count(const char* what, uint32_t value, uint32_t max) {
    if (value < 1 || value > max)
        throw CommandError(AIMC_TILE_ERR_BAD_SHAPE, value, fmt::format("{} = {} is not 1..{}", what, value, max));
}

void check_block(const char* command, uint32_t rows, uint32_t row0, uint32_t cols, uint32_t col0, uint32_t array_rows,
                 uint32_t array_cols) {
    check_count(fmt::format("{} rows", command).c_str(), rows, array_rows);
    check_count(fmt::format("{} cols", command).c_str(), cols, array_cols);
    if (row0 > array_rows - rows)
        throw CommandError(AIMC_TILE_ERR_BAD_SHAPE, row0,
                           fmt::format("{} row0 = {} + {} rows passes the {} crossbar rows", command, row0, rows, array_rows));
    if (col0 > array_cols - cols)
        throw CommandError(AIMC_TILE_ERR_BAD_SHAPE, col0,
                           fmt::format("{} col0 = {} + {} cols passes the {} crossbar columns", command, col0, cols,
                                       array_cols));
}

void check_range(const char* memory, uint32_t offset, uint64_t bytes, uint64_t size) {
    if (uint64_t(offset) > size || bytes > size - offset)
        throw CommandError(AIMC_TILE_ERR_BAD_OFFSET, offset,
                           fmt::format("{} bytes at offset {:#x} run past the end of the {}-byte {}", bytes, offset,
                                       size, memory));
}

}  // namespace aimc::tile
