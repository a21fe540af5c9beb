// Every block's register map, from the interface description (models/interface/*.json, generated
// into interface/<block>.h): the rows RegisterBank is built from, and the docs' register tables.
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

// The blocks that have registers, in the description's order.
const std::vector<BlockRegisterMap>& register_maps();
const BlockRegisterMap& register_map(const std::string& block);

// The markdown table for one block, as the docs embed it.
std::string register_table_markdown(const BlockRegisterMap& map);

}  // namespace aimc
