#include "config/params.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "config/config_json.h"
#include "config/units.h"

namespace aimc {
namespace {

// Splits "10 ns" into 10 and "ns"; the number must come first.
bool split_number(const std::string& text, double& number, std::string& suffix) {
    const char* begin = text.c_str();
    char* end = nullptr;
    errno = 0;
    number = std::strtod(begin, &end);
    if (end == begin || errno == ERANGE) return false;
    std::string rest(end);
    const auto first = rest.find_first_not_of(" \t");
    suffix = first == std::string::npos ? "" : rest.substr(first);
    while (!suffix.empty() && (suffix.back() == ' ' || suffix.back() == '\t')) suffix.pop_back();
    return true;
}

double parse_number(const std::string& key, const ParamInfo& info, const std::string& text) {
    // Hexadecimal integers (addresses, masks).
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        char* end = nullptr;
        errno = 0;
        const unsigned long long v = std::strtoull(text.c_str() + 2, &end, 16);
        if (*end != '\0' || errno == ERANGE)
            throw ConfigError(fmt::format("{}: '{}' is not a valid hexadecimal number", key, text));
        return static_cast<double>(v);
    }
    double number = 0;
    std::string suffix;
    if (!split_number(text, number, suffix)) throw ConfigError(fmt::format("{}: '{}' is not a number", key, text));
    if (suffix.empty()) return number;  // "16": in the parameter's own unit
    if (const auto scale = units::conversion(info.unit, suffix)) return number * *scale;
    const auto accepted = units::accepted_suffixes(info.unit);
    std::string list;
    for (const auto& s : accepted) list += (list.empty() ? "" : ", ") + s;
    throw ConfigError(fmt::format("{}: unknown unit '{}' in '{}'{}", key, suffix, text,
                                  list.empty() ? fmt::format(" (the parameter takes a plain number{})",
                                                             info.unit.empty() ? "" : " in " + info.unit)
                                               : " (accepted: " + list + ")"));
}

template <class Int>
void assign_integer(const std::string& key, const ParamInfo& info, Int* dst, double v) {
    check_param_range(key, info, v);
    if (v != std::floor(v)) throw ConfigError(fmt::format("{}: value {} must be a whole number", key, v));
    if (v < static_cast<double>(std::numeric_limits<Int>::min()) || v > static_cast<double>(std::numeric_limits<Int>::max()))
        throw ConfigError(fmt::format("{}: value {} does not fit the parameter's type", key, v));
    *dst = static_cast<Int>(v);
}

void assign_string(const std::string& key, const ParamInfo& info, std::string* dst, const std::string& text) {
    if (!info.choices.empty() && std::find(info.choices.begin(), info.choices.end(), text) == info.choices.end())
        throw ConfigError(fmt::format("{}: '{}' is not one of: {}", key, text, format_param_range(info)));
    *dst = text;
}

void assign_numbers(const std::string& key, const ParamInfo& info, std::vector<double>* dst, const nlohmann::json& j) {
    if (!j.is_array()) throw ConfigError(fmt::format("{}: expected an array of numbers, got {}", key, j.type_name()));
    std::vector<double> out;
    for (size_t i = 0; i < j.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", key, i);
        if (!j[i].is_number()) throw ConfigError(fmt::format("{}: expected a number, got {}", at, j[i].type_name()));
        check_param_range(at, info, j[i].get<double>());
        out.push_back(j[i].get<double>());
    }
    *dst = std::move(out);
}

// Every parameter and group of a tree with its dotted key.
class Flattener : public ParamVisitor {
public:
    struct Entry {
        ParamInfo info;
        ParamRef ref;
    };
    struct Group {
        std::string description;
        std::optional<PresetHook> presets;
    };
    std::map<std::string, Entry> params;
    std::map<std::string, Group> groups;  // "" is the root
    std::vector<std::string> order;       // parameters in declaration order
    std::vector<std::string> group_order;

    Flattener() { groups[""] = Group{}; }
    void enter_group(const std::string& name, const std::string& description) override { enter(name, description, {}); }
    void enter_preset_group(const std::string& name, const std::string& description, const PresetHook& hook) override {
        enter(name, description, hook);
    }
    void leave_group() override { path_.pop_back(); }
    void visit(const ParamInfo& info, ParamRef ref) override {
        const std::string key = join(prefix(), info.name);
        params.emplace(key, Entry{info, ref});
        order.push_back(key);
    }
    static std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }
    std::vector<std::string> keys() const {
        std::vector<std::string> out(order.begin(), order.end());
        for (const auto& [k, g] : groups) {
            if (k.empty()) continue;
            out.push_back(k);
            if (g.presets) out.push_back(k + ".preset");
        }
        return out;
    }

private:
    void enter(const std::string& name, const std::string& description, std::optional<PresetHook> hook) {
        path_.push_back(name);
        groups[prefix()] = Group{description, std::move(hook)};
        group_order.push_back(prefix());
    }
    std::string prefix() const {
        std::string p;
        for (const auto& s : path_) p = join(p, s);
        return p;
    }
    std::vector<std::string> path_;
};

// Applies values to one flattened tree; keys in messages carry `prefix`.
class Applier {
public:
    Applier(const Flattener& flat, std::string prefix) : flat_(flat), prefix_(std::move(prefix)) {}

    std::string shown(const std::string& key) const { return Flattener::join(prefix_, key); }

    [[noreturn]] void unknown(const std::string& key, const std::string& context) const {
        std::vector<std::string> candidates;
        for (const auto& k : flat_.keys()) candidates.push_back(shown(k));
        const std::string near = closest_key(shown(key), candidates);
        throw ConfigError(fmt::format("{}unknown key {}{}", context, shown(key), near.empty() ? "" : "; did you mean " + near + "?"));
    }

    void preset(const std::string& key, const PresetHook& hook, const std::string& name) const {
        try {
            hook.apply(name);
        } catch (const std::invalid_argument& e) {
            const std::string near = closest_key(name, hook.names());
            throw ConfigError(fmt::format("{}: {}{}", shown(key), e.what(), near.empty() ? "" : "; did you mean " + near + "?"));
        }
    }

    void node(const std::string& key, const nlohmann::json& j) const {
        if (const auto p = flat_.params.find(key); p != flat_.params.end()) return value(shown(key), p->second, j);
        const auto g = flat_.groups.find(key);
        if (g == flat_.groups.end()) unknown(key, "");
        const auto& hook = g->second.presets;
        const std::string where = key.empty() && prefix_.empty() ? "the top level" : shown(key);
        if (j.is_string() && hook) return preset(key, *hook, j.get<std::string>());
        if (!j.is_object())
            throw ConfigError(hook ? fmt::format("{}: expected a preset name or an object, got {}", where, j.type_name())
                                   : fmt::format("{} must be {}", where, key.empty() ? "a JSON object" : "an object"));
        if (const auto p = j.find("preset"); p != j.end()) {
            if (!hook) unknown(Flattener::join(key, "preset"), "");
            if (!p->is_string()) throw ConfigError(fmt::format("{}.preset: expected a preset name", where));
            preset(key, *hook, p->get<std::string>());  // the preset first, whatever the key order
        }
        for (auto it = j.begin(); it != j.end(); ++it)
            if (!(hook && it.key() == "preset")) node(Flattener::join(key, it.key()), it.value());
    }

    static void value(const std::string& key, const Flattener::Entry& e, const nlohmann::json& j) {
        if (auto* dst = std::get_if<nlohmann::json*>(&e.ref)) {
            **dst = j;
        } else if (auto* numbers = std::get_if<std::vector<double>*>(&e.ref); numbers && !j.is_string()) {
            assign_numbers(key, e.info, *numbers, j);
        } else if (j.is_string()) {
            parse_param_value(key, e.info, e.ref, j.get<std::string>());
        } else {
            std::visit(
                [&](auto* dst) {
                    using T = std::remove_pointer_t<decltype(dst)>;
                    if constexpr (std::is_same_v<T, nlohmann::json> || std::is_same_v<T, std::vector<double>>) {
                    } else if constexpr (std::is_same_v<T, bool>) {
                        if (!j.is_boolean()) throw ConfigError(fmt::format("{}: expected true or false, got {}", key, j.type_name()));
                        *dst = j.get<bool>();
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        throw ConfigError(fmt::format("{}: expected a string, got {}", key, j.type_name()));
                    } else {
                        if (!j.is_number()) throw ConfigError(fmt::format("{}: expected a number, got {}", key, j.type_name()));
                        const double v = j.get<double>();
                        if constexpr (std::is_same_v<T, double>) {
                            check_param_range(key, e.info, v);
                            *dst = v;
                        } else {
                            // Integers pass through double exactly up to 2^53, beyond any address here.
                            assign_integer(key, e.info, dst, v);
                        }
                    }
                },
                e.ref);
        }
    }

    // "key=value": a parameter takes text with units, a group JSON text, a preset group a preset name.
    void assignment(const std::string& key, const std::string& text) const {
        if (const auto p = flat_.params.find(key); p != flat_.params.end())
            return parse_param_value(shown(key), p->second.info, p->second.ref, text);
        const auto g = flat_.groups.find(key);
        if (g == flat_.groups.end() || key.empty()) unknown(key, "--set: ");
        const auto j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_discarded() && j.is_object()) return node(key, parse_config_json(text, "--set " + shown(key)));
        if (!g->second.presets)
            throw ConfigError(fmt::format("--set {}: a group takes a JSON object; set one of its keys instead, e.g. {}.{}",
                                          shown(key), shown(key), first_key(key)));
        preset(key, *g->second.presets, text);
    }

    bool is_preset_group(const std::string& key) const {
        const auto g = flat_.groups.find(key);
        return g != flat_.groups.end() && !key.empty() && g->second.presets;
    }

private:
    std::string first_key(const std::string& group) const {
        for (const auto& k : flat_.order)
            if (k.rfind(group + ".", 0) == 0) return k.substr(group.size() + 1);
        return "...";
    }
    const Flattener& flat_;
    std::string prefix_;
};

// Edit distance with adjacent transpositions (optimal string alignment).
size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string format_number(double v) { return fmt::format("{:g}", v); }

}  // namespace

void check_param_range(const std::string& key, const ParamInfo& info, double v) {
    const bool positive = info.min == kPositive;
    if (!std::isnan(v) && v >= info.min && v <= info.max && !(positive && v == 0)) return;
    throw ConfigError(fmt::format("{}: value {} is out of range {}{}", key, v,
                                  positive ? fmt::format("(0, {}]", info.max) : fmt::format("[{}, {}]", info.min, info.max),
                                  info.unit.empty() ? "" : " " + info.unit));
}

std::string format_param_range(const ParamInfo& info) {
    if (!info.choices.empty()) {
        std::string list;
        for (const auto& c : info.choices) list += (list.empty() ? "" : ", ") + c;
        return list;
    }
    const bool low = std::isfinite(info.min), high = std::isfinite(info.max);
    if (info.min == kPositive) return high ? "> 0 .. " + format_number(info.max) : "> 0";
    if (low && high) return format_number(info.min) + " .. " + format_number(info.max);
    if (low) return ">= " + format_number(info.min);
    if (high) return "<= " + format_number(info.max);
    return "";
}

std::string closest_key(const std::string& key, const std::vector<std::string>& candidates) {
    std::string best;
    size_t best_d = std::max<size_t>(2, key.size() / 5) + 1;  // farther than this is not a typo
    for (const auto& c : candidates) {
        const size_t d = edit_distance(key, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best;
}

void parse_param_value(const std::string& key, const ParamInfo& info, ParamRef ref, const std::string& text) {
    std::visit(
        [&](auto* dst) {
            using T = std::remove_pointer_t<decltype(dst)>;
            if constexpr (std::is_same_v<T, nlohmann::json>) {
                // JSON text if it parses (an object, a number), else the text as a JSON string.
                *dst = nlohmann::json::parse(text, nullptr, false);
                if (dst->is_discarded()) *dst = text;
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
                const auto j = nlohmann::json::parse(text, nullptr, false);
                if (j.is_discarded()) throw ConfigError(fmt::format("{}: '{}' is not a JSON array of numbers", key, text));
                assign_numbers(key, info, dst, j);
            } else if constexpr (std::is_same_v<T, bool>) {
                if (text == "true" || text == "1" || text == "on") *dst = true;
                else if (text == "false" || text == "0" || text == "off") *dst = false;
                else throw ConfigError(fmt::format("{}: '{}' is not a boolean (true/false)", key, text));
            } else if constexpr (std::is_same_v<T, std::string>) {
                assign_string(key, info, dst, text);
            } else if constexpr (std::is_same_v<T, double>) {
                const double v = parse_number(key, info, text);
                check_param_range(key, info, v);
                *dst = v;
            } else {
                assign_integer(key, info, dst, parse_number(key, info, text));
            }
        },
        ref);
}

std::string format_param_value(const ParamInfo& info, ParamRef ref) {
    return std::visit(
        [&](auto* v) -> std::string {
            using T = std::remove_pointer_t<decltype(v)>;
            if constexpr (std::is_same_v<T, nlohmann::json>) {
                return v->is_string() ? v->template get<std::string>() : v->dump();
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
                return nlohmann::json(*v).dump();
            } else if constexpr (std::is_same_v<T, bool>) {
                return *v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return *v;
            } else if constexpr (std::is_same_v<T, double>) {
                return units::format(*v, info.unit);
            } else {
                if (info.unit == "addr") return fmt::format("{:#010x}", static_cast<uint64_t>(*v));
                if (info.unit == "bytes" && *v >= 1024 && *v % 1024 == 0) {
                    if (*v % 1048576 == 0) return fmt::format("{} MiB", *v / 1048576);
                    return fmt::format("{} KiB", *v / 1024);
                }
                return fmt::format("{}{}", *v, info.unit.empty() ? "" : " " + info.unit);
            }
        },
        ref);
}

namespace detail {

void apply_json(const DescribeFn& describe, const PresetHook* hook, const nlohmann::json& j, const std::string& origin,
                const std::string& prefix) {
    Flattener flat;
    describe(flat);
    if (hook) flat.groups[""].presets = *hook;
    try {
        Applier(flat, prefix).node("", j);
    } catch (const ConfigError& e) {
        if (origin.empty()) throw;
        throw ConfigError(fmt::format("{}: {}", origin, e.what()));
    }
}

void apply_assignments(const DescribeFn& describe, const std::vector<std::string>& assignments) {
    Flattener flat;
    describe(flat);
    const Applier applier(flat, "");
    struct Split {
        std::string key, value;
        bool preset;
        size_t depth;
    };
    std::vector<Split> all;
    for (const auto& a : assignments) {
        const auto eq = a.find('=');
        if (eq == std::string::npos || eq == 0) throw ConfigError(fmt::format("--set '{}': expected key=value", a));
        const std::string key = a.substr(0, eq);
        all.push_back({key, a.substr(eq + 1), applier.is_preset_group(key),
                       static_cast<size_t>(std::count(key.begin(), key.end(), '.'))});
    }
    // Presets first, outer before inner, so single keys override whatever preset they sit in.
    std::stable_sort(all.begin(), all.end(), [](const Split& a, const Split& b) {
        if (a.preset != b.preset) return a.preset;
        return a.preset && a.depth < b.depth;
    });
    for (const auto& s : all) applier.assignment(s.key, s.value);
}

std::vector<ParamRow> list_params(const DescribeFn& describe) {
    Flattener flat;
    describe(flat);
    std::vector<ParamRow> rows;
    for (const auto& key : flat.order) {
        const auto& e = flat.params.at(key);
        rows.push_back(ParamRow{key, e.info, format_param_value(e.info, e.ref)});
    }
    return rows;
}

std::vector<PresetGroupRow> list_preset_groups(const DescribeFn& describe) {
    Flattener flat;
    describe(flat);
    std::vector<PresetGroupRow> rows;
    for (const auto& key : flat.group_order) {
        const auto& g = flat.groups.at(key);
        if (g.presets) rows.push_back(PresetGroupRow{key, g.description, g.presets->names()});
    }
    return rows;
}

nlohmann::json to_json(const DescribeFn& describe) {
    Flattener flat;
    describe(flat);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& key : flat.order) {
        nlohmann::json* at = &out;
        size_t start = 0;
        for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) at = &(*at)[key.substr(start, dot - start)];
        std::visit([&](auto* v) { (*at)[key.substr(start)] = *v; }, flat.params.at(key).ref);
    }
    return out;
}

}  // namespace detail
}  // namespace aimc
