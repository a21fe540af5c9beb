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

namespace {

// A table cell: a '|' in a description would end the cell.
std::string cell(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

// The parameters under `group`. A preset group inside it (tile.crossbar) is one row naming its presets;
// its own keys get their own table ("params tile.crossbar").
std::string params_table(const std::string& group) {
    PlatformParams defaults;  // tables show the built-in defaults; presets override some
    const auto rows = list_params(defaults);
    const auto preset_groups = list_preset_groups(defaults);
    auto under = [](const std::string& key, const std::string& prefix) { return key.rfind(prefix + ".", 0) == 0; };
    std::string out = "| key | default | unit | range | description |\n|---|---|---|---|---|\n";
    bool any = false;
    std::string inside;  // the preset group whose rows are being skipped
    for (const auto& row : rows) {
        if (!under(row.key, group)) continue;
        any = true;
        if (!inside.empty() && under(row.key, inside)) continue;
        inside.clear();
        for (const auto& g : preset_groups) {
            if (g.key == group || !under(g.key, group) || !under(row.key, g.key)) continue;
            inside = g.key;
            std::string names;
            for (const auto& n : g.presets) names += (names.empty() ? "" : ", ") + n;
            std::string value;
            for (const auto& r : rows)
                if (r.key == g.key + ".name") value = r.value;
            out += fmt::format("| `{}` | {} | preset | {} | {}; its keys: the `{}` table |\n", g.key, value, names,
                               cell(g.description), g.key);
            break;
        }
        if (!inside.empty()) continue;
        out += fmt::format("| `{}` | {} | {} | {} | {} |\n", row.key, row.value.empty() ? "\"\"" : cell(row.value),
                           row.info.unit, cell(format_param_range(row.info)), cell(row.info.description));
    }
    if (!any) throw std::invalid_argument("no parameter group '" + group + "'");
    return out;
}

}  // namespace

std::string generated_table(const std::string& kind, const std::string& arg) {
    if (kind == "regmap") return register_table_markdown(register_map(arg));
    if (kind == "params") return params_table(arg);
    if (kind == "csrs") return csr_table_markdown(arg);
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
