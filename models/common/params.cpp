#include "common/params.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace aimc {
namespace {

struct Suffix {
    const char* text;
    double scale;
};

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

const std::vector<Suffix>& suffixes_for(const std::string& unit) {
    static const std::vector<Suffix> time{{"s", 1}, {"ms", 1e-3}, {"us", 1e-6}, {"ns", 1e-9}, {"ps", 1e-12}, {"fs", 1e-15}};
    static const std::vector<Suffix> bytes{{"B", 1}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};
    static const std::vector<Suffix> freq{{"Hz", 1}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}};
    static const std::vector<Suffix> energy{{"J", 1}, {"mJ", 1e-3}, {"uJ", 1e-6}, {"nJ", 1e-9}, {"pJ", 1e-12}, {"fJ", 1e-15}};
    static const std::vector<Suffix> power{{"W", 1}, {"kW", 1e3}, {"mW", 1e-3}, {"uW", 1e-6}, {"nW", 1e-9}, {"pW", 1e-12}};
    static const std::vector<Suffix> none{};
    if (unit == "J") return energy;
    if (unit == "W") return power;
    if (unit == "s") return time;
    if (unit == "bytes") return bytes;
    if (unit == "Hz") return freq;
    return none;
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
    if (!split_number(text, number, suffix))
        throw ConfigError(fmt::format("{}: '{}' is not a number", key, text));
    if (suffix.empty() || suffix == info.unit) return number;  // "16", "16 cycles"
    for (const auto& s : suffixes_for(info.unit))
        if (suffix == s.text) return number * s.scale;
    std::string accepted;
    for (const auto& s : suffixes_for(info.unit)) accepted += std::string(accepted.empty() ? "" : ", ") + s.text;
    throw ConfigError(fmt::format("{}: unknown unit '{}' in '{}'{}", key, suffix, text,
                                  accepted.empty() ? fmt::format(" (the parameter takes a plain number{})",
                                                                 info.unit.empty() ? "" : " in " + info.unit)
                                                   : " (accepted: " + accepted + ")"));
}

void check_range(const std::string& key, const ParamInfo& info, double v) {
    if (std::isnan(v) || v < info.min || v > info.max)
        throw ConfigError(fmt::format("{}: value {} is out of range [{}, {}]{}", key, v, info.min, info.max,
                                      info.unit.empty() ? "" : " " + info.unit));
}

template <class Int>
void assign_integer(const std::string& key, const ParamInfo& info, Int* dst, double v) {
    check_range(key, info, v);
    if (v != std::floor(v)) throw ConfigError(fmt::format("{}: value {} must be a whole number", key, v));
    if (v < static_cast<double>(std::numeric_limits<Int>::min()) ||
        v > static_cast<double>(std::numeric_limits<Int>::max()))
        throw ConfigError(fmt::format("{}: value {} does not fit the parameter's type", key, v));
    *dst = static_cast<Int>(v);
}

void assign_string(const std::string& key, const ParamInfo& info, std::string* dst, const std::string& text) {
    if (!info.choices.empty()) {
        bool ok = false;
        std::string list;
        for (const auto& c : info.choices) {
            ok = ok || c == text;
            list += (list.empty() ? "" : ", ") + c;
        }
        if (!ok) throw ConfigError(fmt::format("{}: '{}' is not one of: {}", key, text, list));
    }
    *dst = text;
}

// Collects every parameter and group of a tree with its dotted key.
class Flattener : public ParamVisitor {
public:
    struct Entry {
        ParamInfo info;
        ParamRef ref;
    };
    std::map<std::string, Entry> params;
    std::set<std::string> groups;
    std::vector<std::string> order;  // declaration order, for listings

    void enter_group(const std::string& name, const std::string&) override {
        path_.push_back(name);
        groups.insert(prefix());
    }
    void leave_group() override { path_.pop_back(); }
    void visit(const ParamInfo& info, ParamRef ref) override {
        const std::string key = prefix().empty() ? info.name : prefix() + "." + info.name;
        params.emplace(key, Entry{info, ref});
        order.push_back(key);
    }

private:
    std::string prefix() const {
        std::string p;
        for (const auto& s : path_) p += (p.empty() ? "" : ".") + s;
        return p;
    }
    std::vector<std::string> path_;
};

std::string json_type_name(const nlohmann::json& j) { return j.type_name(); }

void assign_json(const std::string& key, const Flattener::Entry& e, const nlohmann::json& j) {
    if (auto* dst = std::get_if<nlohmann::json*>(&e.ref)) {
        **dst = j;
        return;
    }
    if (j.is_string()) {
        parse_param_value(key, e.info, e.ref, j.get<std::string>());
        return;
    }
    std::visit(
        [&](auto* dst) {
            using T = std::remove_pointer_t<decltype(dst)>;
            if constexpr (std::is_same_v<T, nlohmann::json>) {
                *dst = j;
            } else if constexpr (std::is_same_v<T, bool>) {
                if (!j.is_boolean()) throw ConfigError(fmt::format("{}: expected true or false, got {}", key, json_type_name(j)));
                *dst = j.get<bool>();
            } else if constexpr (std::is_same_v<T, std::string>) {
                throw ConfigError(fmt::format("{}: expected a string, got {}", key, json_type_name(j)));
            } else {
                if (!j.is_number()) throw ConfigError(fmt::format("{}: expected a number, got {}", key, json_type_name(j)));
                const double v = j.get<double>();
                if constexpr (std::is_same_v<T, double>) {
                    check_range(key, e.info, v);
                    *dst = v;
                } else {
                    // Large integers lose nothing through double up to 2^53, well beyond any address here.
                    assign_integer(key, e.info, dst, v);
                }
            }
        },
        e.ref);
}

void apply_object(const Flattener& flat, const nlohmann::json& j, const std::string& prefix, const std::string& origin) {
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
        if (flat.groups.count(key)) {
            if (!it.value().is_object())
                throw ConfigError(fmt::format("{}: '{}' must be an object", origin, key));
            apply_object(flat, it.value(), key, origin);
            continue;
        }
        const auto p = flat.params.find(key);
        if (p == flat.params.end()) throw ConfigError(fmt::format("{}: unknown key '{}'", origin, key));
        try {
            assign_json(key, p->second, it.value());
        } catch (const ConfigError& e) {
            throw ConfigError(fmt::format("{}: {}", origin, e.what()));
        }
    }
}

// "130 ns", "1 GHz", "4.37 pJ": an SI prefix that puts the number in [1, 1000) for physical units.
std::string format_si(double v, const std::string& unit) {
    static const char* units[] = {"s", "Hz", "J", "W"};
    bool si = false;
    for (const char* u : units) si = si || unit == u;
    if (!si || v == 0 || !std::isfinite(v)) return fmt::format("{:g}{}", v, unit.empty() ? "" : " " + unit);
    static const std::pair<double, const char*> prefixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""},
                                                              {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
    for (const auto& [scale, prefix] : prefixes) {
        if (unit == "s" && scale > 1) continue;  // "3600 s", not "3.6 ks"
        if (std::fabs(v) >= scale * 0.9999999) return fmt::format("{:g} {}{}", v / scale, prefix, unit);
    }
    return fmt::format("{:g} {}", v, unit);
}

}  // namespace

void parse_param_value(const std::string& key, const ParamInfo& info, ParamRef ref, const std::string& text) {
    std::visit(
        [&](auto* dst) {
            using T = std::remove_pointer_t<decltype(dst)>;
            if constexpr (std::is_same_v<T, nlohmann::json>) {
                // JSON text if it parses (an object, a number), else the text as a JSON string.
                *dst = nlohmann::json::parse(text, nullptr, false);
                if (dst->is_discarded()) *dst = text;
            } else if constexpr (std::is_same_v<T, bool>) {
                if (text == "true" || text == "1" || text == "on") *dst = true;
                else if (text == "false" || text == "0" || text == "off") *dst = false;
                else throw ConfigError(fmt::format("{}: '{}' is not a boolean (true/false)", key, text));
            } else if constexpr (std::is_same_v<T, std::string>) {
                assign_string(key, info, dst, text);
            } else if constexpr (std::is_same_v<T, double>) {
                const double v = parse_number(key, info, text);
                check_range(key, info, v);
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
            } else if constexpr (std::is_same_v<T, bool>) {
                return *v ? "true" : "false";
            } else if constexpr (std::is_same_v<T, std::string>) {
                return *v;
            } else if constexpr (std::is_same_v<T, double>) {
                return format_si(*v, info.unit);
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

void apply_json(const DescribeFn& describe, const nlohmann::json& j, const std::string& origin) {
    if (!j.is_object()) throw ConfigError(fmt::format("{}: the top level must be a JSON object", origin));
    Flattener flat;
    describe(flat);
    apply_object(flat, j, "", origin);
}

void apply_assignment(const DescribeFn& describe, const std::string& assignment) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(fmt::format("--set '{}': expected key=value", assignment));
    const std::string key = assignment.substr(0, eq);
    Flattener flat;
    describe(flat);
    const auto p = flat.params.find(key);
    if (p == flat.params.end()) throw ConfigError(fmt::format("--set: unknown key '{}'", key));
    parse_param_value(key, p->second.info, p->second.ref, assignment.substr(eq + 1));
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

}  // namespace detail
}  // namespace aimc
