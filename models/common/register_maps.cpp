#include "common/register_maps.h"

#include <stdexcept>

#include <fmt/format.h>

#include "interface/blocks.h"

namespace aimc {

const std::vector<BlockRegisterMap>& register_maps() {
    static const std::vector<BlockRegisterMap> maps = [] {
        std::vector<BlockRegisterMap> out;
        for (const iface::BlockRow& b : iface::kBlocks) {
            if (b.registers.empty()) continue;
            BlockRegisterMap m{b.name, b.title, {}};
            m.registers.assign(b.registers.begin(), b.registers.end());
            out.push_back(std::move(m));
        }
        return out;
    }();
    return maps;
}

const BlockRegisterMap& register_map(const std::string& block) {
    for (const auto& m : register_maps())
        if (m.block == block) return m;
    throw std::logic_error("no register map named '" + block + "'");
}

std::string register_table_markdown(const BlockRegisterMap& map) {
    std::string out = "| offset | name | width | access | reset | description |\n|---|---|---|---|---|---|\n";
    for (const auto& r : map.registers) {
        const char* access = r.access == RegAccess::RW ? "RW" : r.access == RegAccess::RO ? "RO" : "WO";
        const std::string offset = r.count > 1 ? fmt::format("{:#x} + {}*n (n < {})", r.offset, r.width, r.count)
                                               : fmt::format("{:#x}", r.offset);
        out += fmt::format("| {} | {} | {} | {} | {:#x} | {} |\n", offset, r.name, r.width * 8, access, r.reset,
                           r.description);
    }
    return out;
}

}  // namespace aimc
