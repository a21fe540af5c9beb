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
#include "interface/blocks.h"
#include "platform.h"

namespace aimc::platform {

namespace {

// Markdown cells hold no bare '|'.
std::string cell(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string bits(const iface::Field& f) {
    return f.width == 1 ? fmt::format("[{}]", f.lsb) : fmt::format("[{}:{}]", f.lsb + f.width - 1, f.lsb);
}

const iface::BlockRow& block_of(const std::string& name) {
    for (const auto& b : iface::kBlocks)
        if (name == b.name) return b;
    throw std::invalid_argument("no interface block '" + name + "'");
}

// "<block>.<NAME>" -> the block and the name.
std::pair<const iface::BlockRow*, std::string> qualified(const std::string& arg, const char* what) {
    const auto dot = arg.find('.');
    if (dot == std::string::npos) throw std::invalid_argument(fmt::format("{} '{}' is not <block>.<name>", what, arg));
    return {&block_of(arg.substr(0, dot)), arg.substr(dot + 1)};
}

template <typename T>
const iface::Table<T>& nonempty(const iface::Table<T>& t, const iface::BlockRow& b, const char* what) {
    if (t.empty()) throw std::invalid_argument(fmt::format("interface block '{}' has no {}", b.name, what));
    return t;
}

std::string fields_table(const iface::BlockRow& b) {
    std::string out = "| register | bits | field | description |\n|---|---|---|---|\n";
    for (const auto& f : nonempty(b.fields, b, "bit fields"))
        out += fmt::format("| {} | {} | {} | {} |\n", f.reg, bits(f.field), f.name, cell(f.description));
    return out;
}

std::string windows_table(const iface::BlockRow& b) {
    std::string out = "| offset | room | size register | contents |\n|---|---|---|---|\n";
    for (const auto& w : nonempty(b.windows, b, "window regions"))
        out += fmt::format("| {:#07x} | {} KiB | {} | {} |\n", w.offset, w.max_size / 1024,
                           *w.size_register ? w.size_register : "—", cell(w.description));
    return out;
}

std::string commands_table(const iface::BlockRow& b) {
    std::string out = "| opcode | args | state | what it does |\n|---|---|---|---|\n";
    for (const auto& c : nonempty(b.commands, b, "commands")) {
        // "ARG0 input offset, ARG1 rows [15:0] + row0 [31:16], ...": a packed argument by its fields.
        std::string args;
        for (const auto& a : b.command_args) {
            if (a.opcode != c.opcode) continue;
            if (a.field.width == 32) {
                args += fmt::format("{}ARG{}", args.empty() ? "" : ", ", a.index);
                bool packed = false;
                for (const auto& f : b.command_args)
                    packed |= f.opcode == c.opcode && f.index == a.index && f.field.width < 32;
                if (!packed) args += " " + std::string(a.description);
            } else {
                args += fmt::format("{} {} {}", a.field.lsb == 0 ? "" : " +", a.description, bits(a.field));
            }
        }
        const std::string state =
            *c.state_note ? fmt::format("{} ({})", c.state, c.state_note) : fmt::format("{}", c.state);
        out += fmt::format("| `{}` ({}) | {} | {} | {} |\n", c.name, c.opcode, args.empty() ? "—" : cell(args), state,
                           cell(c.description));
    }
    return out;
}

std::string errors_table(const iface::BlockRow& b) {
    std::string out = "| code | raised when | detail |\n|---|---|---|\n";
    for (const auto& e : nonempty(b.errors, b, "error codes"))
        if (e.code != 0) out += fmt::format("| `{}` ({}) | {} | {} |\n", e.name, e.code, cell(e.when), cell(e.info));
    return out;
}

std::string enum_table(const std::string& arg) {
    const auto [b, group] = qualified(arg, "enum");
    std::string out = "| value | name | meaning |\n|---|---|---|\n";
    bool any = false;
    for (const auto& e : b->enums) {
        if (group != e.group) continue;
        any = true;
        out += fmt::format("| {:#x} | `{}` | {} |\n", e.value, e.name, cell(e.description));
    }
    if (!any) throw std::invalid_argument(fmt::format("interface block '{}' has no enum '{}'", b->name, group));
    return out;
}

std::string record_table(const std::string& arg) {
    const auto [b, name] = qualified(arg, "record");
    std::string out = "| offset | field | type | meaning |\n|---|---|---|---|\n";
    bool any = false;
    for (const auto& f : b->record_fields) {
        if (name != f.record) continue;
        any = true;
        const std::string type = f.count > 1 ? fmt::format("{}[{}]", f.type, f.count) : f.type;
        out += fmt::format("| {} | `{}` | {} | {} |\n", f.offset, f.name, type, cell(f.description));
    }
    if (!any) throw std::invalid_argument(fmt::format("interface block '{}' has no record '{}'", b->name, name));
    return out;
}

std::string ldpu_ops_table(const iface::BlockRow& b) {
    std::string out = "| kind | op | operands | flags | computes |\n|---|---|---|---|---|\n";
    for (const auto& o : nonempty(b.ldpu_ops, b, "LDPU ops")) {
        std::string flags;
        for (const auto& e : b.enums)
            if (std::string(e.group) == "F" && (o.flags & e.value))
                flags += fmt::format("{}`{}`", flags.empty() ? "" : ", ", e.name);
        const std::string operands = o.min_operands == o.max_operands ? fmt::format("{}", o.min_operands)
                                                                      : fmt::format("{}..{}", o.min_operands, o.max_operands);
        out += fmt::format("| {} | `{}` | {} | {} | {} |\n", o.kind, o.label, operands, flags.empty() ? "—" : flags,
                           cell(o.description));
    }
    return out;
}

std::string memory_map_table(const iface::BlockRow& b) {
    std::string out = "| block | base | size | platform key | C name |\n|---|---|---|---|---|\n";
    for (const auto& r : nonempty(b.regions, b, "memory regions"))
        out += fmt::format("| {} | {:#010x} | {} | `{}.base` | `AIMC_{}_BASE` |\n", cell(r.description), r.base,
                           r.size ? fmt::format("{:#x}", r.size) : "—", r.param, r.name);
    for (const auto& q : b.irqs)
        out += fmt::format("| {} | PLIC source {}{} | — | {} | `AIMC_{}_IRQ{}` |\n", cell(q.description), q.source,
                           q.base ? " + t" : "", *q.param ? fmt::format("`{}.irq`", q.param) : "—", q.name,
                           q.base ? "_BASE" : "");
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
    if (kind == "fields") return fields_table(block_of(arg));
    if (kind == "windows") return windows_table(block_of(arg));
    if (kind == "commands") return commands_table(block_of(arg));
    if (kind == "errors") return errors_table(block_of(arg));
    if (kind == "enum") return enum_table(arg);
    if (kind == "record") return record_table(arg);
    if (kind == "ldpu-ops") return ldpu_ops_table(block_of(arg));
    if (kind == "memory-map") return memory_map_table(block_of(arg));
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
    static const std::regex begin(R"(<!-- generated: ([\w-]+) ([\w.-]+) -->\n)");
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
