#include "common/vcd_tracer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fnmatch.h>

#include <fmt/format.h>

namespace aimc {

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

const std::size_t VcdTracer::kFlushEvents = std::size_t{1} << 16;

VcdTracer::VcdTracer(std::string path, std::vector<std::string> filters, std::size_t flush_events)
    : path_(std::move(path)),
      body_path_(path_ + ".body.tmp"),
      tmp_path_(path_ + ".tmp"),
      filters_(std::move(filters)),
      flush_events_(std::max<std::size_t>(1, flush_events)),
      flush_at_(flush_events_) {
    if (path_.empty()) throw VcdError("--vcd: the file name is empty");
    body_ = std::fopen(body_path_.c_str(), "w+");
    if (!body_) throw VcdError(fmt::format("--vcd '{}': cannot write '{}': {}", path_, body_path_, std::strerror(errno)));
}

VcdTracer::~VcdTracer() {
    if (body_) std::fclose(body_);
    std::remove(body_path_.c_str());
    if (!written_) std::remove(tmp_path_.c_str());
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
    seen_.push_back(false);
    last_.push_back(0);
    last_real_.push_back(0);
    return static_cast<Signal>(signals_.size() - 1);
}

VcdTracer::Signal VcdTracer::add_integer(const std::string& scope, const std::string& name, unsigned width) {
    return add(scope, name, std::max(1u, std::min(64u, width)), false);
}

VcdTracer::Signal VcdTracer::add_real(const std::string& scope, const std::string& name) {
    return add(scope, name, 64, true);
}

void VcdTracer::allow_lag(const sc_core::sc_time& lag) { lag_ = std::max<uint64_t>(lag_, lag.value()); }

void VcdTracer::late(const Event& e) {
    // A signal registered after time 0 was streamed gives its initial value at time 0: it goes
    // into the first instant when the file is put together.
    if (e.time == 0) {
        for (auto& i : initial_)
            if (i.signal == e.signal) {
                i = e;
                last_[e.signal] = e.value;
                last_real_[e.signal] = e.real;
                return;
            }
        if (!seen_[e.signal]) {
            initial_.push_back(e);
            seen_[e.signal] = true;
            last_[e.signal] = e.value;
            last_real_[e.signal] = e.real;
            return;
        }
    }
    const auto& s = signals_[e.signal];
    throw std::logic_error(fmt::format("VCD: {}.{} recorded at {} ps, but the trace is already written up to {} ps "
                                       "(a block recorded behind SystemC time without allow_lag())",
                                       s.scope, s.name, e.time, streamed_before_));
}

void VcdTracer::print_change(std::FILE* f, const Event& e) {
    const auto& s = signals_[e.signal];
    if (s.real) fmt::print(f, "r{:.9g} {}\n", e.real, s.id);
    else if (s.width == 1) fmt::print(f, "{}{}\n", e.value & 1, s.id);
    else fmt::print(f, "b{} {}\n", binary(e.value, s.width), s.id);
}

void VcdTracer::stream(uint64_t now) {
    const uint64_t before = now > lag_ ? now - lag_ : 0;
    if (before > streamed_before_ && !events_.empty()) {
        std::stable_sort(events_.begin(), events_.end(),
                         [](const Event& a, const Event& b) { return a.time != b.time ? a.time < b.time : a.seq < b.seq; });
        const auto end = std::partition_point(events_.begin(), events_.end(), [&](const Event& e) { return e.time < before; });
        const std::size_t n = static_cast<std::size_t>(end - events_.begin());
        // A signal that changes several times at one instant shows its last value only: walk each
        // instant's events backwards and keep the first one seen per signal.
        std::vector<bool> keep(n, false);
        std::vector<uint64_t> seen_at(signals_.size(), UINT64_MAX);
        for (std::size_t i = n; i-- > 0;) {
            const auto& e = events_[i];
            if (seen_at[e.signal] == e.time) continue;
            seen_at[e.signal] = e.time;
            keep[i] = true;
        }
        try {
            for (std::size_t i = 0; i < n && error_.empty(); ++i) {
                if (!keep[i]) continue;
                const auto& e = events_[i];
                const bool real = signals_[e.signal].real;
                if (seen_[e.signal] && (real ? last_real_[e.signal] == e.real : last_[e.signal] == e.value)) continue;
                seen_[e.signal] = true;
                last_[e.signal] = e.value;
                last_real_[e.signal] = e.real;
                if (e.time != current_) {
                    fmt::print(body_, "#{}\n", e.time);
                    current_ = e.time;
                }
                print_change(body_, e);
            }
        } catch (const std::exception& x) {
            if (error_.empty()) error_ = fmt::format("--vcd '{}': cannot write '{}': {}", path_, body_path_, x.what());
        }
        if (error_.empty() && std::ferror(body_))
            error_ = fmt::format("--vcd '{}': cannot write '{}'", path_, body_path_);
        events_.erase(events_.begin(), end);
    }
    streamed_before_ = std::max(streamed_before_, before);
    // Changes still ahead of SystemC time stay; don't sort them again before the pile doubles.
    flush_at_ = std::max(flush_events_, 2 * events_.size());
}

void VcdTracer::check(std::FILE* f, const std::string& file, const char* what) {
    if (std::ferror(f) || std::fflush(f) != 0)
        throw VcdError(fmt::format("--vcd '{}': cannot {} '{}': {}", path_, what, file, std::strerror(errno)));
}

void VcdTracer::write(const sc_core::sc_time& end) {
    if (written_) return;
    lag_ = 0;
    stream(UINT64_MAX);
    if (!error_.empty()) throw VcdError(error_);
    check(body_, body_path_, "write");

    std::FILE* f = std::fopen(tmp_path_.c_str(), "w");
    if (!f) throw VcdError(fmt::format("--vcd '{}': cannot write '{}': {}", path_, tmp_path_, std::strerror(errno)));
    try {
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

        // The body, with the initial values of late signals at the end of its first instant (time 0),
        // where recording order puts them.
        std::rewind(body_);
        char buf[1 << 16];
        std::size_t n = 0;
        if (!initial_.empty()) {
            const auto line = [&](std::string& out) {  // false at the end of the body
                out.clear();
                int c;
                while ((c = std::fgetc(body_)) != EOF && c != '\n') out.push_back(static_cast<char>(c));
                return c != EOF || !out.empty();
            };
            std::string l;
            bool more = line(l);
            fmt::print(f, "#0\n");
            if (more && l == "#0")  // the rest of instant 0 comes first
                while ((more = line(l)) && l[0] != '#') fmt::print(f, "{}\n", l);
            for (const auto& e : initial_) print_change(f, e);
            if (more) fmt::print(f, "{}\n", l);
            if (current_ == UINT64_MAX) current_ = 0;
        }
        while ((n = std::fread(buf, 1, sizeof buf, body_)) > 0) std::fwrite(buf, 1, n, f);
        if (std::ferror(body_)) throw VcdError(fmt::format("--vcd '{}': cannot read back '{}'", path_, body_path_));
        const uint64_t end_t = end.value();
        if (current_ == UINT64_MAX || end_t > current_) fmt::print(f, "#{}\n", end_t);
        check(f, tmp_path_, "write");
    } catch (const VcdError&) {
        std::fclose(f);
        throw;
    } catch (const std::exception& x) {
        std::fclose(f);
        throw VcdError(fmt::format("--vcd '{}': cannot write '{}': {}", path_, tmp_path_, x.what()));
    }
    if (std::fclose(f) != 0)
        throw VcdError(fmt::format("--vcd '{}': cannot write '{}': {}", path_, tmp_path_, std::strerror(errno)));
    if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0)
        throw VcdError(fmt::format("--vcd '{}': cannot rename '{}' to it: {}", path_, tmp_path_, std::strerror(errno)));
    written_ = true;
    std::fclose(body_);
    body_ = nullptr;
    std::remove(body_path_.c_str());
}

}  // namespace aimc
