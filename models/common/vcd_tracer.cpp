#include "common/vcd_tracer.h"

#include <algorithm>
#include <cstdio>
#include <fnmatch.h>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace aimc {

VcdTracer* VcdTracer::active_ = nullptr;

namespace {

// VCD identifiers: short strings of printable characters.
std::string vcd_id(std::size_t n) {
    std::string id;
    do {
        id.push_back(static_cast<char>('!' + n % 94));
        n /= 94;
    } while (n);
    return id;
}

std::string binary(uint64_t v, unsigned width) {
    std::string s;
    for (int b = static_cast<int>(width) - 1; b >= 0; --b) s.push_back((v >> b) & 1 ? '1' : '0');
    const auto first = s.find('1');
    return first == std::string::npos ? "0" : s.substr(first);
}

}  // namespace

VcdTracer::VcdTracer(std::string path, std::vector<std::string> filters)
    : path_(std::move(path)), filters_(std::move(filters)) {}

VcdTracer::~VcdTracer() {
    if (active_ == this) active_ = nullptr;
}

bool VcdTracer::selected(const std::string& full) const {
    if (filters_.empty()) return true;
    for (const auto& f : filters_)
        if (fnmatch(f.c_str(), full.c_str(), 0) == 0) return true;
    return false;
}

VcdTracer::Signal VcdTracer::add(const std::string& scope, const std::string& name, unsigned width, bool real) {
    if (!selected(scope + "." + name)) return -1;
    signals_.push_back(Sig{scope, name, vcd_id(signals_.size()), width, real});
    return static_cast<Signal>(signals_.size() - 1);
}

VcdTracer::Signal VcdTracer::add_integer(const std::string& scope, const std::string& name, unsigned width) {
    return add(scope, name, std::max(1u, std::min(64u, width)), false);
}

VcdTracer::Signal VcdTracer::add_real(const std::string& scope, const std::string& name) {
    return add(scope, name, 64, true);
}

void VcdTracer::write(const sc_core::sc_time& end) {
    if (written_) return;
    written_ = true;
    std::FILE* f = std::fopen(path_.c_str(), "w");
    if (!f) throw std::runtime_error(fmt::format("--vcd: cannot write '{}'", path_));
    fmt::print(f, "$date aimc-vp $end\n$version aimc-vp VCD tracer $end\n");
    // SystemC's time resolution is the VCD time unit.
    fmt::print(f, "$timescale {} $end\n", sc_core::sc_get_time_resolution().to_string());

    // Nested scopes from the dotted hierarchy.
    std::vector<std::size_t> order(signals_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return signals_[a].scope < signals_[b].scope; });
    std::vector<std::string> open;
    for (const auto i : order) {
        std::vector<std::string> path;
        std::string part;
        for (char c : signals_[i].scope + ".") {
            if (c == '.') { path.push_back(part); part.clear(); } else part.push_back(c);
        }
        std::size_t common = 0;
        while (common < open.size() && common < path.size() && open[common] == path[common]) ++common;
        while (open.size() > common) { fmt::print(f, "$upscope $end\n"); open.pop_back(); }
        for (std::size_t k = common; k < path.size(); ++k) { fmt::print(f, "$scope module {} $end\n", path[k]); open.push_back(path[k]); }
        const auto& s = signals_[i];
        if (s.real) fmt::print(f, "$var real 64 {} {} $end\n", s.id, s.name);
        else fmt::print(f, "$var wire {} {} {} $end\n", s.width, s.id, s.name);
    }
    while (!open.empty()) { fmt::print(f, "$upscope $end\n"); open.pop_back(); }
    fmt::print(f, "$enddefinitions $end\n");

    std::stable_sort(events_.begin(), events_.end(),
                     [](const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.seq < b.seq; });
    std::vector<bool> seen(signals_.size(), false);
    std::vector<uint64_t> last(signals_.size(), 0);
    std::vector<double> last_real(signals_.size(), 0);
    uint64_t current = UINT64_MAX;
    // A signal that changes several times at one instant shows its last value only: walk each
    // instant's events backwards and keep the first one seen per signal.
    std::vector<bool> keep(events_.size(), false);
    std::vector<uint64_t> seen_at(signals_.size(), UINT64_MAX);
    for (std::size_t i = events_.size(); i-- > 0;) {
        const auto& e = events_[i];
        if (seen_at[e.signal] == e.time) continue;
        seen_at[e.signal] = e.time;
        keep[i] = true;
    }
    for (std::size_t i = 0; i < events_.size(); ++i) {
        if (!keep[i]) continue;
        const auto& e = events_[i];
        const auto& s = signals_[e.signal];
        if (seen[e.signal] && (s.real ? last_real[e.signal] == e.real : last[e.signal] == e.value)) continue;
        seen[e.signal] = true;
        last[e.signal] = e.value;
        last_real[e.signal] = e.real;
        if (e.time != current) {
            fmt::print(f, "#{}\n", e.time);
            current = e.time;
        }
        if (s.real) fmt::print(f, "r{:.9g} {}\n", e.real, s.id);
        else if (s.width == 1) fmt::print(f, "{}{}\n", e.value & 1, s.id);
        else fmt::print(f, "b{} {}\n", binary(e.value, s.width), s.id);
    }
    const uint64_t end_t = end.value();
    if (current == UINT64_MAX || end_t > current) fmt::print(f, "#{}\n", end_t);
    std::fclose(f);
}

}  // namespace aimc
