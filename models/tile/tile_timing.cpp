#include "tile/tile_timing.h"

#include <algorithm>

namespace aimc::tile {

double pipeline_time(std::initializer_list<PipelineStage> stages, uint64_t n) {
    if (n == 0) return 0;
    double first = 0, slowest = 0;
    for (const auto& s : stages) {
        first += s.latency_s;
        slowest = std::max(slowest, s.interval_s);
    }
    return first + double(n - 1) * slowest;
}

TileTiming::Mvm TileTiming::mvm(const analog::MvmTiming& t, double ldpu_s, uint64_t in_bytes, uint64_t out_bytes,
                                uint64_t n) const {
    const double gap = cycles_s(mvm_gap_cycles);
    const PipelineStage fetch{sram_s(in_bytes), sram_s(in_bytes)};
    const PipelineStage array{t.latency_ns * 1e-9 + gap, t.interval_ns * 1e-9 + gap};
    const PipelineStage chain{ldpu_s, ldpu_s};
    const PipelineStage store{sram_s(out_bytes), sram_s(out_bytes)};
    Mvm m;
    m.total_s = issue_s() + pipeline_time({fetch, array, chain, store}, n);
    m.drain_s = n ? chain.latency_s + store.latency_s : 0.0;
    m.array_busy_s = double(n) * array.interval_s;
    return m;
}

double TileTiming::ldpu(double ldpu_s, uint64_t in_bytes, uint64_t out_bytes, uint64_t n) const {
    const PipelineStage fetch{sram_s(in_bytes), sram_s(in_bytes)};
    const PipelineStage chain{ldpu_s, ldpu_s};
    const PipelineStage store{sram_s(out_bytes), sram_s(out_bytes)};
    return issue_s() + pipeline_time({fetch, chain, store}, n);
}

}  // namespace aimc::tile
