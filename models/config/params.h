// Typed, named configuration parameters with units, defaults, ranges and descriptions: the one
// parameter system of every model (plain C++, no SystemC).
//
// A block declares its parameters once, in a plain struct with default member initialisers and one
// member that names each field, its unit, a one-line description and its legal range:
//   void describe(ParamVisitor& v)            (platform blocks), or
//   template <class V> void visit(V& v)       (the analog core's structs), with
//     v.param("bits", bits, "bit", "ADC resolution", 1, 16);   // min and max are optional
//     v.child("adc", adc, "column ADC");                         // a nested struct (v.group: the same)
// That one list drives platform files and JSON (unknown keys and out-of-range values are errors naming
// the key, with the closest valid key as a suggestion), `--set key=value`, `--describe`, the docs tables
// and JSON output. A struct with `static T preset(const std::string&)` and `static std::vector<std::string>
// preset_names()` is a preset group: it is set whole from a name ("tile.crossbar=hermes-core") or from
// {"preset": name, overrides...}, the preset first and the overrides on top.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace aimc {

// A configuration error: the message names the key (and the file, where known).
class ConfigError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A lower bound that excludes zero (gains, full scales, rates): ranges print it as "> 0".
inline constexpr double kPositive = std::numeric_limits<double>::denorm_min();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// How a value is written is set by the unit (config/units.h): "s" takes "10 ns", "1.5us", "2 d";
// "ns" takes "128", "1 us"; "bytes" takes "64 KiB"; "Hz" takes "1 GHz"; "addr" takes "0x80000000".
struct ParamInfo {
    std::string name;         // key within its group
    std::string unit;         // "" for dimensionless
    std::string description;  // one line
    double min = -kInf;
    double max = kInf;
    std::vector<std::string> choices;  // for string parameters with a fixed set of values
};

// A nlohmann::json parameter holds a sub-configuration that another library validates itself: any
// JSON value is accepted here and passed on whole.
using ParamRef = std::variant<bool*, int32_t*, uint32_t*, uint64_t*, int64_t*, double*, std::string*,
                              std::vector<double>*, nlohmann::json*>;

// How a preset group is set whole: its preset names, and the assignment of one (throws
// std::invalid_argument for an unknown name).
struct PresetHook {
    std::function<std::vector<std::string>()> names;
    std::function<void(const std::string&)> apply;
};

class ParamVisitor;
namespace detail {
template <class T, class = void>
struct has_presets : std::false_type {};
template <class T>
struct has_presets<T, std::void_t<decltype(T::preset(std::string())), decltype(T::preset_names())>> : std::true_type {};
template <class T, class = void>
struct has_visit : std::false_type {};
template <class T>
struct has_visit<T, std::void_t<decltype(std::declval<T&>().visit(std::declval<ParamVisitor&>()))>> : std::true_type {};
}  // namespace detail

// Walks a parameter tree. Groups nest (e.g. "cpu", "cpu.cycles").
class ParamVisitor {
public:
    virtual ~ParamVisitor() = default;
    virtual void enter_group(const std::string& name, const std::string& description) = 0;
    // A group that can also be set whole from a preset; by default just a group.
    virtual void enter_preset_group(const std::string& name, const std::string& description, const PresetHook&) {
        enter_group(name, description);
    }
    virtual void leave_group() = 0;
    virtual void visit(const ParamInfo& info, ParamRef value) = 0;

    template <class T>
    void param(const char* name, T& value, const char* unit, const char* description, double min = -kInf,
               double max = kInf) {
        static_assert(std::is_constructible_v<ParamRef, T*>,
                      "a parameter is bool, int, uint32_t, uint64_t, int64_t, double, std::string, "
                      "std::vector<double> or nlohmann::json");
        const std::string u = unit;
        visit(ParamInfo{name, u == "-" ? "" : u, description, min, max, {}}, ParamRef(&value));
    }
    void choice(const char* name, std::string& value, std::vector<std::string> choices, const char* description) {
        visit(ParamInfo{name, "", description, -kInf, kInf, std::move(choices)}, ParamRef(&value));
    }
    // A nested struct: its describe(ParamVisitor&) or visit(V&) lists its members.
    template <class T>
    void child(const char* name, T& obj, const char* description) {
        if constexpr (detail::has_presets<T>::value) {
            enter_preset_group(name, description,
                               PresetHook{[] { return T::preset_names(); }, [&obj](const std::string& n) { obj = T::preset(n); }});
        } else {
            enter_group(name, description);
        }
        members(obj);
        leave_group();
    }
    template <class T>
    void group(const char* name, T& obj, const char* description) {
        child(name, obj, description);
    }
    // A nested struct without some of its own keys (those the enclosing block sets itself).
    template <class T>
    void child_without(const char* name, T& obj, const char* description, std::set<std::string> hidden);

    template <class T>
    void members(T& obj) {
        if constexpr (detail::has_visit<T>::value)
            obj.visit(*this);
        else
            obj.describe(*this);
    }
};

// Parses `text` as a value of `info`'s unit into `ref`; throws ConfigError naming `key`.
void parse_param_value(const std::string& key, const ParamInfo& info, ParamRef ref, const std::string& text);
// Formats a value with its unit for humans ("16 MiB", "1 us", "0x80000000" for addresses); what it
// prints parses back to the same text.
std::string format_param_value(const ParamInfo& info, ParamRef ref);
// Checks a number against a parameter's range; throws ConfigError naming `key`.
void check_param_range(const std::string& key, const ParamInfo& info, double value);
// "1 .. 16", "> 0", ">= 0", "" (no bound), "a, b, c" (choices): the range as the docs print it.
std::string format_param_range(const ParamInfo& info);

// The valid key closest to `key` by edit distance, or "" when none is close enough to be a typo.
std::string closest_key(const std::string& key, const std::vector<std::string>& candidates);

// Flat list of every parameter with its dotted key, for --describe and docs.
struct ParamRow {
    std::string key;
    ParamInfo info;
    std::string value;  // formatted current value
};
// Every preset group with its dotted key and its preset names.
struct PresetGroupRow {
    std::string key;
    std::string description;
    std::vector<std::string> presets;
};

// The functions below take a root: anything with describe(ParamVisitor&) or visit(V&); a root that is
// itself a preset group (an analog core configuration) accepts a preset name or {"preset": ...}.

// Applies a JSON value: unknown keys, wrong types and out-of-range values throw ConfigError naming
// `origin` (e.g. the file name; "" for none) and the dotted key, each key prefixed with `prefix`.
template <class Root>
void apply_json(Root& root, const nlohmann::json& j, const std::string& origin, const std::string& prefix = "");
// Applies one "dotted.key=value" assignment (a preset group takes a preset name or JSON text).
template <class Root>
void apply_assignment(Root& root, const std::string& assignment);
// Applies `--set` assignments: preset selections first (outer groups before inner ones), then every
// other assignment in the order given.
template <class Root>
void apply_assignments(Root& root, const std::vector<std::string>& assignments);
template <class Root>
std::vector<ParamRow> list_params(Root& root);
template <class Root>
std::vector<PresetGroupRow> list_preset_groups(Root& root);
// Every parameter as a nested JSON object of plain values (numbers in the declared unit); apply_json
// reads it back to the same values.
template <class Root>
nlohmann::json to_json(Root& root);

// Checks every value of a described tree against the range and choices its describe() declares:
// for structs filled in code (platform files and --set are checked on the way in). Throws
// ConfigError naming the dotted key after `prefix` ("tile." -> "tile.ldpu.lanes = 0 is out of ...").
// Header-only, so libraries that do not link aimc_config can use it.
template <class Root>
void check_ranges(Root& root, const std::string& prefix);

namespace detail {

// Forwards a child's members to another visitor, leaving out some of the child's own keys.
class HidingVisitor : public ParamVisitor {
public:
    HidingVisitor(ParamVisitor& to, std::set<std::string> hidden) : to_(to), hidden_(std::move(hidden)) {}
    void enter_group(const std::string& name, const std::string& d) override {
        ++depth_;
        to_.enter_group(name, d);
    }
    void enter_preset_group(const std::string& name, const std::string& d, const PresetHook& hook) override {
        ++depth_;
        to_.enter_preset_group(name, d, hook);
    }
    void leave_group() override {
        --depth_;
        to_.leave_group();
    }
    void visit(const ParamInfo& info, ParamRef value) override {
        if (depth_ == 0 && hidden_.count(info.name)) return;
        to_.visit(info, value);
    }

private:
    ParamVisitor& to_;
    std::set<std::string> hidden_;
    int depth_ = 0;
};

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
                    if (x >= info.min && x <= info.max && !(info.min == kPositive && x == 0)) return;
                    std::ostringstream msg;
                    msg << path_.back() << info.name << " = " << x << " is out of range ";
                    if (info.min == kPositive) msg << "(0, " << info.max << "]";
                    else msg << "[" << info.min << ", " << info.max << "]";
                    msg << (info.unit.empty() ? "" : " " + info.unit);
                    throw ConfigError(msg.str());
                }
            },
            value);
    }

private:
    std::vector<std::string> path_;  // dotted prefixes, outermost first
};

// Type-erased versions of the templates; `hook` is the root's own preset hook (null if none).
using DescribeFn = std::function<void(ParamVisitor&)>;
void apply_json(const DescribeFn& describe, const PresetHook* hook, const nlohmann::json& j, const std::string& origin,
                const std::string& prefix);
void apply_assignments(const DescribeFn& describe, const std::vector<std::string>& assignments);
std::vector<ParamRow> list_params(const DescribeFn& describe);
std::vector<PresetGroupRow> list_preset_groups(const DescribeFn& describe);
nlohmann::json to_json(const DescribeFn& describe);

template <class Root>
DescribeFn describer(Root& root) {
    return [&root](ParamVisitor& v) { v.members(root); };
}
template <class Root>
std::optional<PresetHook> root_hook(Root& root) {
    if constexpr (has_presets<Root>::value)
        return PresetHook{[] { return Root::preset_names(); }, [&root](const std::string& n) { root = Root::preset(n); }};
    else
        return std::nullopt;
}

}  // namespace detail

template <class T>
void ParamVisitor::child_without(const char* name, T& obj, const char* description, std::set<std::string> hidden) {
    detail::HidingVisitor hiding(*this, std::move(hidden));
    if constexpr (detail::has_presets<T>::value) {
        enter_preset_group(name, description,
                           PresetHook{[] { return T::preset_names(); }, [&obj](const std::string& n) { obj = T::preset(n); }});
    } else {
        enter_group(name, description);
    }
    hiding.members(obj);
    leave_group();
}

template <class Root>
void check_ranges(Root& root, const std::string& prefix) {
    detail::RangeChecker checker(prefix);
    checker.members(root);
}

template <class Root>
void apply_json(Root& root, const nlohmann::json& j, const std::string& origin, const std::string& prefix) {
    const auto hook = detail::root_hook(root);
    detail::apply_json(detail::describer(root), hook ? &*hook : nullptr, j, origin, prefix);
}
template <class Root>
void apply_assignment(Root& root, const std::string& assignment) {
    detail::apply_assignments(detail::describer(root), {assignment});
}
template <class Root>
void apply_assignments(Root& root, const std::vector<std::string>& assignments) {
    detail::apply_assignments(detail::describer(root), assignments);
}
template <class Root>
std::vector<ParamRow> list_params(Root& root) {
    return detail::list_params(detail::describer(root));
}
template <class Root>
std::vector<PresetGroupRow> list_preset_groups(Root& root) {
    return detail::list_preset_groups(detail::describer(root));
}
template <class Root>
nlohmann::json to_json(Root& root) {
    return detail::to_json(detail::describer(root));
}

}  // namespace aimc
