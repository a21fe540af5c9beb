// How long a tile command takes: vectors stream through a pipeline of stages (input fetch from the
// input buffer, the crossbar read, the LDPU chain, the store into the output buffer), each stage
// holding one vector at a time. The first vector takes the sum of the stage latencies; every further
// vector one interval of the slowest stage:
//
//   time(n) = issue + sum_s latency_s + (n - 1) * max_s interval_s
//
// Plain C++ (no SystemC); all times in seconds. Stage figures come from the analog core's MvmTiming,
// the LDPU's cost model and the tile's own clock and buffer width.
#pragma once

#include <cstdint>
#include <initializer_list>

#include "analog/mvm_cost.h"

namespace aimc::tile {

struct PipelineStage {
    double latency_s = 0;   // one vector through the stage
    double interval_s = 0;  // the stage takes the next vector this much later
};

// Time for n >= 1 vectors through the stages in order (0 for n = 0).
double pipeline_time(std::initializer_list<PipelineStage> stages, uint64_t n);

struct TileTiming {
    double clock_hz = 1e9;
    uint32_t sram_width_bytes = 32;  // bytes a buffer port moves per cycle
    uint32_t issue_cycles = 4;       // decode a command and read its arguments
    uint32_t mvm_gap_cycles = 3;     // crossbar turnaround between two MVMs

    double cycles_s(double cycles) const { return cycles / clock_hz; }
    double issue_s() const { return cycles_s(issue_cycles); }
    // A buffer access of `bytes` (whole cycles of sram_width_bytes; 0 bytes take no time).
    double sram_s(uint64_t bytes) const { return cycles_s(double((bytes + sram_width_bytes - 1) / sram_width_bytes)); }

    // MVM of n vectors: fetch `in_bytes`, crossbar (`mvm`: latency, interval, + the gap), LDPU chain of
    // `ldpu_s` per vector (0 without a chain), store `out_bytes`. `drain_s` is the tail after the last
    // vector left the crossbar (its LDPU chain and store).
    struct Mvm {
        double total_s = 0;
        double drain_s = 0;
        double array_busy_s = 0;  // time the crossbar is occupied: n x (interval + gap)
    };
    Mvm mvm(const analog::MvmTiming& mvm, double ldpu_s, uint64_t in_bytes, uint64_t out_bytes, uint64_t n) const;
    // LDPU command of n vectors: fetch `in_bytes`, chain `ldpu_s`, store `out_bytes`.
    double ldpu(double ldpu_s, uint64_t in_bytes, uint64_t out_bytes, uint64_t n) const;
};

}  // namespace aimc::tile
