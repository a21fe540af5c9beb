// Value-change-dump traces of aggregate state (tile state, queue depth, link occupancy, power),
// written with explicit timestamps.
//
// Blocks run ahead of SystemC time (temporal decoupling), so they record each change at their own
// local time; the tracer keeps the changes and writes them in time order at the end, one line per
// real change. Each block registers its own signals, named after its SystemC hierarchy; a filter of
// glob patterns (--trace-filter) picks which are recorded at all. Tracing off costs one null check.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

namespace aimc {

class VcdTracer {
public:
    // `filters`: fnmatch(3) glob patterns (`*`, `?`, `[...]`) on full signal names such as "top.chip.tile_3.state";
    // empty means every signal.
    VcdTracer(std::string path, std::vector<std::string> filters);
    ~VcdTracer();

    using Signal = int;  // -1: filtered out (recording it does nothing)
    Signal add_integer(const std::string& scope, const std::string& name, unsigned width);
    Signal add_real(const std::string& scope, const std::string& name);

    void record(Signal s, uint64_t value, const sc_core::sc_time& at) {
        if (s >= 0) events_.push_back(Event{at.value(), seq_++, s, value, 0.0});
    }
    void record_real(Signal s, double value, const sc_core::sc_time& at) {
        if (s >= 0) events_.push_back(Event{at.value(), seq_++, s, 0, value});
    }

    // Writes the file (sorted by time; unchanged values dropped). Throws if it cannot be written.
    void write(const sc_core::sc_time& end);
    std::size_t signal_count() const { return signals_.size(); }

    // The tracer of this run, or nullptr when tracing is off (set by the platform's builder).
    static VcdTracer* active() { return active_; }
    static void set_active(VcdTracer* t) { active_ = t; }

private:
    struct Sig {
        std::string scope, name, id;
        unsigned width;
        bool real;
    };
    struct Event {
        uint64_t time;  // in SystemC resolution units (ps by default)
        uint64_t seq;   // keeps recording order among equal times
        Signal signal;
        uint64_t value;
        double real;
    };
    bool selected(const std::string& full) const;
    Signal add(const std::string& scope, const std::string& name, unsigned width, bool real);

    std::string path_;
    std::vector<std::string> filters_;
    std::vector<Sig> signals_;
    std::vector<Event> events_;
    uint64_t seq_ = 0;
    bool written_ = false;
    static VcdTracer* active_;
};

}  // namespace aimc
