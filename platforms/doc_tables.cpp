#include "doc_tables.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

#include "common/register_maps.h"
#include "host/rv32_csr_table.h"
#include "platform.h"

namespace aimc::platform {

std::string generated_table(const std::string& kind, const std::string& arg) {
    if (kind == "regmap") return register_table_markdown(register_map(arg));
    if (kind == "csrs") return csr_table_markdown(arg);
    if (kind == "params") {
        PlatformParams defaults;  // tables show the built-in defaults; presets override some
        std::string out = "| key | default | unit | range | description |\n|---|---|---|---|---|\n";
        bool any = false;
        for (const auto& row : list_params(defaults)) {
            if (row.key.rfind(arg + ".", 0) != 0) continue;
            any = true;
            std::string range;
            if (!row.info.choices.empty()) {
                for (const auto& c : row.info.choices) range += (range.empty() ? "" : ", ") + c;
            } else if (std::isfinite(row.info.min) || std::isfinite(row.info.max)) {
                range = fmt::format("{:g} .. {:g}", row.info.min, row.info.max);
            }
            out += fmt::format("| `{}` | {} | {} | {} | {} |\n", row.key, row.value.empty() ? "\"\"" : row.value,
                               row.info.unit, range, row.info.description);
        }
        if (!any) throw std::invalid_argument("no parameter group '" + arg + "'");
        return out;
    }
    throw std::invalid_argument("unknown generated table kind '" + kind + "'");
}

std::string csr_table_markdown(const std::string& core) {
    if (core != "rv32") throw std::invalid_argument("no CSR table for core '" + core + "' (there is: rv32)");
    using host::CsrAccess;
    using host::CsrReset;
    std::string out = "| CSR | number | access | reset | writable bits | description |\n|---|---|---|---|---|---|\n";
    for (const host::CsrDef& d : host::kCsrTable) {
        std::string reset;
        switch (d.reset) {
            case CsrReset::Value: reset = fmt::format("0x{:08x}", d.reset_value); break;
            case CsrReset::HartId: reset = "`Config::hart_id`"; break;
            case CsrReset::IrqLines: reset = "the lines"; break;
            case CsrReset::Mtime: reset = "`CoreBus::mtime()`"; break;
        }
        const std::string writable = d.access == CsrAccess::ReadOnly ? "-"
                                     : d.writable == 0               ? "none"
                                                                     : fmt::format("0x{:08x}", d.writable);
        out += fmt::format("| {} | 0x{:03X} | {} | {} | {} | {} |\n", d.name, d.number(),
                           d.access == CsrAccess::ReadOnly ? "read-only" : "read/write", reset, writable, d.description);
    }
    return out;
}

std::string regenerate(const std::string& text, const std::string& origin) {
    static const std::regex begin(R"(<!-- generated: (\w+) ([\w.-]+) -->\n)");
    const std::string end_marker = "<!-- end generated -->";
    std::string out;
    auto pos = text.cbegin();
    std::smatch m;
    while (std::regex_search(pos, text.cend(), m, begin)) {
        out.append(pos, m[0].second);
        const auto end = text.find(end_marker, static_cast<size_t>(m[0].second - text.cbegin()));
        if (end == std::string::npos)
            throw std::invalid_argument(fmt::format("{}: '{}' has no '{}'", origin, m.str(0), end_marker));
        try {
            out += generated_table(m.str(1), m.str(2));
        } catch (const std::exception& e) {
            throw std::invalid_argument(fmt::format("{}: {}", origin, e.what()));
        }
        pos = text.cbegin() + static_cast<std::ptrdiff_t>(end);
    }
    out.append(pos, text.cend());
    return out;
}

std::vector<std::string> stale_docs(const std::string& dir, bool update) {
    std::vector<std::string> stale;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (entry.path().extension() != ".md") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string fresh = regenerate(text, entry.path().string());
        if (fresh == text) continue;
        stale.push_back(entry.path().string());
        if (update) std::ofstream(entry.path()) << fresh;
    }
    return stale;
}

}  // namespace aimc::platform
