#include "common/register_maps.h"

#include <stdexcept>

#include <fmt/format.h>

#include "aimc/regs/clint.h"
#include "aimc/regs/dma.h"
#include "aimc/regs/plic.h"
#include "aimc/regs/syscon.h"
#include "aimc/regs/tile.h"
#include "aimc/regs/uart16550.h"

namespace aimc {

const std::vector<BlockRegisterMap>& register_maps() {
    static const std::vector<BlockRegisterMap> maps{
        {"syscon", "System controller: exit, simulated time and energy counters", {AIMC_SYSCON_REGMAP(AIMC_REGDEF_ROW)}},
        {"clint", "Core-local interruptor: software and timer interrupts", {AIMC_CLINT_REGMAP(AIMC_REGDEF_ROW)}},
        {"plic", "Platform-level interrupt controller", {AIMC_PLIC_REGMAP(AIMC_REGDEF_ROW)}},
        {"uart16550", "16550-compatible UART", {AIMC_UART_REGMAP(AIMC_REGDEF_ROW)}},
        {"dma", "DMA engine", {AIMC_DMA_REGMAP(AIMC_REGDEF_ROW)}},
        {"tile", "Analog tile: crossbar core, LDPU, buffers and command queue", {AIMC_TILE_REGMAP(AIMC_REGDEF_ROW)}},
    };
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
