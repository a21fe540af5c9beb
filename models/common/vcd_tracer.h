// Value-change-dump traces of aggregate state (tile state, queue depth, link occupancy, power),
// written with explicit timestamps.
//
// Blocks run ahead of SystemC time (temporal decoupling), so they record each change at their own
// local time, never before the current sc_time_stamp() (minus the look-back a block declares with
// allow_lag()). Changes older than that can no longer move, so the tracer streams them, sorted and
// with unchanged values dropped, to a body file next to the trace while the run goes on; memory stays
// bounded however long the run. Signals may be registered late (a NoC link on its first use): the
// header is written at the end, into `<path>.tmp`, followed by the body, and renamed to `<path>` only
// when complete, so a trace that exists is never a truncated one. Each block registers its own
// signals, named after its SystemC hierarchy; a filter of glob patterns (--trace-filter) picks which
// are recorded at all. Tracing off costs one null check in the block.
#pragma once

#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>

namespace aimc {

// The trace file cannot be written (bad path, full disk): names the file.
class VcdError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class VcdTracer {
public:
    // `filters`: fnmatch(3) glob patterns (`*`, `?`, `[...]`) on full signal names such as "top.chip.tile_3.state";
    // empty means every signal. Opens the body file `<path>.body.tmp` at once, so a path that cannot be
    // written fails before the run (VcdError). `flush_events`: pending changes that trigger streaming.
    static const std::size_t kFlushEvents;  // 65536
    VcdTracer(std::string path, std::vector<std::string> filters, std::size_t flush_events = kFlushEvents);
    ~VcdTracer();  // without write(): removes its temporary files, leaves no trace file
    VcdTracer(const VcdTracer&) = delete;
    VcdTracer& operator=(const VcdTracer&) = delete;

    using Signal = int;  // -1: filtered out (recording it does nothing)
    Signal add_integer(const std::string& scope, const std::string& name, unsigned width);
    Signal add_real(const std::string& scope, const std::string& name);

    void record(Signal s, uint64_t value, const sc_core::sc_time& at) {
        if (s >= 0) push(Event{at.value(), seq_++, s, value, 0.0});
    }
    void record_real(Signal s, double value, const sc_core::sc_time& at) {
        if (s >= 0) push(Event{at.value(), seq_++, s, 0, value});
    }

    // A block that stamps changes up to `lag` before the current SystemC time (the power monitor
    // stamps an interval's average at its start) declares it, so those instants stay open.
    void allow_lag(const sc_core::sc_time& lag);

    // Streams what is left, writes header + body to `<path>.tmp` and renames it to `<path>`.
    // Throws VcdError naming the file if any write failed, now or during the run.
    void write(const sc_core::sc_time& end);
    std::size_t signal_count() const { return signals_.size(); }
    const std::string& path() const { return path_; }

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
    void push(const Event& e) {
        if (e.time < streamed_before_) late(e);
        else events_.push_back(e);
        if (events_.size() >= flush_at_) stream(sc_core::sc_time_stamp().value());
    }
    void late(const Event& e);
    void stream(uint64_t now);  // writes the changes of every instant before now - lag
    void print_change(std::FILE* f, const Event& e);
    void check(std::FILE* f, const std::string& file, const char* what);
    bool selected(const std::string& full) const;
    Signal add(const std::string& scope, const std::string& name, unsigned width, bool real);

    std::string path_, body_path_, tmp_path_;
    std::vector<std::string> filters_;
    std::vector<Sig> signals_;
    std::vector<Event> events_;  // not yet streamed
    std::vector<Event> initial_;  // values at time 0 of signals registered after time 0 was streamed
    std::size_t flush_events_;
    std::size_t flush_at_;
    uint64_t seq_ = 0;
    uint64_t lag_ = 0;
    uint64_t streamed_before_ = 0;  // every instant before this is in the body
    uint64_t current_ = UINT64_MAX;  // last instant written
    std::vector<bool> seen_;
    std::vector<uint64_t> last_;
    std::vector<double> last_real_;
    std::FILE* body_ = nullptr;
    std::string error_;  // first write error, reported by write()
    bool written_ = false;
};

}  // namespace aimc
