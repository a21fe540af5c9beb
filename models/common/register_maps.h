// Every block's register map, from the shared headers in sw/include/aimc/regs/.
#pragma once

#include <string>
#include <vector>

#include "common/register_bank.h"

namespace aimc {

struct BlockRegisterMap {
    std::string block;        // "uart16550", "clint", ...
    std::string description;  // one line
    std::vector<RegisterDef> registers;
};

const std::vector<BlockRegisterMap>& register_maps();
const BlockRegisterMap& register_map(const std::string& block);

// The markdown table for one block, as the docs embed it.
std::string register_table_markdown(const BlockRegisterMap& map);

}  // namespace aimc
