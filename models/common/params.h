// Typed, named configuration parameters with units, defaults and descriptions.
//
// Every block declares its parameters once, in a plain struct with default member initialisers and a
// `describe(ParamVisitor&)` member that names each field, its unit, a one-line description and its
// legal range. The same description drives loading from a platform file (unknown keys and
// out-of-range values are errors naming the key), `--set key=value`, `--describe` and the docs tables.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace aimc {

// A configuration error: the message names the key (and the file, where known).
class ConfigError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Units understood by the value parser: "s" accepts "10 ns", "1.5us", "2e-6"; "bytes" accepts
// "64 KiB", "16MiB"; "Hz" accepts "1 GHz", "10MHz"; anything else takes plain numbers.
struct ParamInfo {
    std::string name;         // key within its group
    std::string unit;         // "" for dimensionless
    std::string description;  // one line
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    std::vector<std::string> choices;  // for string parameters with a fixed set of values
};

// A nlohmann::json parameter holds a sub-configuration that another library validates itself (a
// crossbar configuration for models/analog): any JSON value is accepted here and passed on whole.
using ParamRef = std::variant<bool*, uint32_t*, uint64_t*, int64_t*, double*, std::string*, nlohmann::json*>;

// Walks a parameter tree. Groups nest (e.g. "cpu", "cpu.cycles").
class ParamVisitor {
public:
    virtual ~ParamVisitor() = default;
    virtual void enter_group(const std::string& name, const std::string& description) = 0;
    virtual void leave_group() = 0;
    virtual void visit(const ParamInfo& info, ParamRef value) = 0;

    template <class T>
    void param(const char* name, T& value, const char* unit, const char* description,
               double min = -std::numeric_limits<double>::infinity(),
               double max = std::numeric_limits<double>::infinity()) {
        visit(ParamInfo{name, unit, description, min, max, {}}, ParamRef(&value));
    }
    void choice(const char* name, std::string& value, std::vector<std::string> choices,
                const char* description) {
        visit(ParamInfo{name, "", description, -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::infinity(), std::move(choices)},
              ParamRef(&value));
    }
    template <class Group>
    void group(const char* name, Group& g, const char* description) {
        enter_group(name, description);
        g.describe(*this);
        leave_group();
    }
};

// Parses `text` as a value of `info`'s unit into `ref`; throws ConfigError naming `key`.
void parse_param_value(const std::string& key, const ParamInfo& info, ParamRef ref, const std::string& text);
// Formats a value with its unit for humans ("16 MiB", "1 us", "0x80000000" for addresses).
std::string format_param_value(const ParamInfo& info, ParamRef ref);

// Applies a JSON object to a described parameter tree. Unknown keys, wrong types and out-of-range
// values throw ConfigError naming `origin` (e.g. the file name) and the dotted key.
template <class Root>
void apply_json(Root& root, const nlohmann::json& j, const std::string& origin);
// Applies one "dotted.key=value" assignment.
template <class Root>
void apply_assignment(Root& root, const std::string& assignment);

// Flat list of every parameter with its dotted key, for --describe and docs.
struct ParamRow {
    std::string key;
    ParamInfo info;
    std::string value;  // formatted current value
};
template <class Root>
std::vector<ParamRow> list_params(Root& root);

// Checks every value of a described tree against the range and choices its describe() declares:
// for structs filled in code (platform files and --set are checked on the way in). Throws
// ConfigError naming the dotted key after `prefix` ("tile." -> "tile.ldpu.lanes = 0 is out of ...").
// Header-only, so libraries without aimc_common (the plain-C++ kernels) can use it.
template <class Root>
void check_ranges(Root& root, const std::string& prefix);

namespace detail {
class RangeChecker : public ParamVisitor {
public:
    explicit RangeChecker(std::string prefix) : path_{std::move(prefix)} {}
    void enter_group(const std::string& name, const std::string&) override { path_.push_back(path_.back() + name + "."); }
    void leave_group() override { path_.pop_back(); }
    void visit(const ParamInfo& info, ParamRef value) override {
        std::visit(
            [&](auto* p) {
                using T = std::remove_pointer_t<decltype(p)>;
                if constexpr (std::is_same_v<T, std::string>) {
                    if (info.choices.empty()) return;
                    std::string list;
                    for (const auto& c : info.choices) {
                        if (c == *p) return;
                        list += (list.empty() ? "" : ", ") + c;
                    }
                    throw ConfigError(path_.back() + info.name + " = '" + *p + "' is not one of: " + list);
                } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
                    const double x = static_cast<double>(*p);
                    if (x >= info.min && x <= info.max) return;
                    std::ostringstream msg;
                    msg << path_.back() << info.name << " = " << x << " is out of range [" << info.min << ", " << info.max
                        << "]" << (info.unit.empty() ? "" : " " + info.unit);
                    throw ConfigError(msg.str());
                }
            },
            value);
    }

private:
    std::vector<std::string> path_;  // dotted prefixes, outermost first
};
}  // namespace detail

template <class Root>
void check_ranges(Root& root, const std::string& prefix) {
    detail::RangeChecker checker(prefix);
    root.describe(checker);
}

namespace detail {
// Type-erased versions of the templates above; a root is anything with describe(ParamVisitor&).
using DescribeFn = std::function<void(ParamVisitor&)>;
void apply_json(const DescribeFn& describe, const nlohmann::json& j, const std::string& origin);
void apply_assignment(const DescribeFn& describe, const std::string& assignment);
std::vector<ParamRow> list_params(const DescribeFn& describe);
}  // namespace detail

template <class Root>
void apply_json(Root& root, const nlohmann::json& j, const std::string& origin) {
    detail::apply_json([&](ParamVisitor& v) { root.describe(v); }, j, origin);
}
template <class Root>
void apply_assignment(Root& root, const std::string& assignment) {
    detail::apply_assignment([&](ParamVisitor& v) { root.describe(v); }, assignment);
}
template <class Root>
std::vector<ParamRow> list_params(Root& root) {
    return detail::list_params([&](ParamVisitor& v) { root.describe(v); });
}

}  // namespace aimc
