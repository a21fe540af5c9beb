#include "config/units.h"

#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace aimc::units {
namespace {

const std::pair<const char*, int> kPrefixes[] = {{"f", -15}, {"p", -12}, {"n", -9}, {"u", -6}, {"m", -3},
                                                 {"", 0},    {"k", 3},   {"M", 6},  {"G", 9},  {"T", 12}};
const char* const kBases[] = {"s", "Hz", "J", "W", "V", "A", "Ohm", "S", "F", "S/s"};
// Times beyond the second, for drift and retention ages.
const std::pair<const char*, double> kLongTimes[] = {{"min", 60.0}, {"h", 3600.0}, {"d", 86400.0}, {"year", 31557600.0}};
const std::pair<const char*, double> kBytes[] = {{"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}};

struct Decomposed {
    std::string base;
    int exponent;  // power of ten of the prefix
};

std::optional<Decomposed> decompose(const std::string& unit) {
    for (const char* base : kBases) {
        const std::string b = base;
        if (unit.size() < b.size() || unit.compare(unit.size() - b.size(), b.size(), b) != 0) continue;
        const std::string prefix = unit.substr(0, unit.size() - b.size());
        for (const auto& [p, e] : kPrefixes)
            if (prefix == p) return Decomposed{b, e};
    }
    return std::nullopt;
}

}  // namespace

std::optional<double> conversion(const std::string& unit, const std::string& suffix) {
    if (suffix == unit) return 1.0;
    if (unit == "bytes") {
        for (const auto& [s, scale] : kBytes)
            if (suffix == s) return scale;
        return std::nullopt;
    }
    const auto u = decompose(unit);
    if (!u) return std::nullopt;
    if (u->base == "s")
        for (const auto& [s, seconds] : kLongTimes)
            if (suffix == s) return seconds / std::pow(10.0, u->exponent);
    const auto s = decompose(suffix);
    if (!s || s->base != u->base) return std::nullopt;
    return std::pow(10.0, s->exponent - u->exponent);
}

std::vector<std::string> accepted_suffixes(const std::string& unit) {
    std::vector<std::string> out;
    if (unit == "bytes") {
        for (const auto& [s, scale] : kBytes) out.push_back(s);
        return out;
    }
    const auto u = decompose(unit);
    if (!u) return out;
    for (const auto& [p, e] : kPrefixes) out.push_back(p + u->base);
    if (u->base == "s")
        for (const auto& [s, seconds] : kLongTimes) out.push_back(s);
    return out;
}

std::string format(double v, const std::string& unit) {
    static const char* si_units[] = {"s", "Hz", "J", "W"};
    bool si = false;
    for (const char* u : si_units) si = si || unit == u;
    if (!si || v == 0 || !std::isfinite(v)) return fmt::format("{:g}{}", v, unit.empty() ? "" : " " + unit);
    static const std::pair<double, const char*> prefixes[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}, {1, ""},
                                                              {1e-3, "m"}, {1e-6, "u"}, {1e-9, "n"}, {1e-12, "p"}, {1e-15, "f"}};
    for (const auto& [scale, prefix] : prefixes) {
        if (unit == "s" && scale > 1) continue;  // "3600 s", not "3.6 ks"
        if (std::fabs(v) >= scale * 0.9999999) return fmt::format("{:g} {}{}", v / scale, prefix, unit);
    }
    return fmt::format("{:g} {}", v, unit);
}

}  // namespace aimc::units
