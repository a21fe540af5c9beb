// The host memory a platform can need, estimated from its parameters before anything is built, and
// the limit a run is refused beyond (sim.memory_limit). Memory follows use: RAM pages the firmware
// touches, a tile's buffers on their first write, its crossbar's device state and read matrices at its
// first PROGRAM. The estimate is the bound for a run that uses every tile fully,
// so a platform that passes cannot exhaust the host's memory. Plain C++ (no SystemC).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/params.h"

namespace aimc::platform {

struct PlatformParams;

struct SimParams {
    // 16 GiB: two thirds of the 24 GiB development machine, leaving room for the build and other runs.
    uint64_t memory_limit = 16ull << 30;
    unsigned threads = 0;

    void describe(ParamVisitor& v) {
        v.param("memory_limit", memory_limit, "bytes",
                "Host memory a run may need at most: a platform whose estimate is larger is refused before it is built",
                16.0 * 1048576, 1024.0 * 1024 * 1048576 * 1024);
        v.param("threads", threads, "",
                "Host threads that run the tiles' weight programming beside the simulation (0: one per CPU the "
                "process may use; never more than the tiles); results do not depend on it",
                0, 1024);
    }
};

// Host threads for the tiles' weight programming: sim.threads, or one per CPU the process may use, and never
// more than the tiles.
unsigned program_threads(const PlatformParams& params);

struct MemoryEstimate {
    struct Part {
        std::string what;
        uint64_t bytes = 0;
    };
    std::vector<Part> parts;  // largest first
    uint64_t total = 0;
};

// Per-tile figures come from the tile and crossbar parameters; the parameters must be valid
// (validate_platform).
MemoryEstimate estimate_memory(const PlatformParams& params);
// Throws ConfigError naming the estimate, sim.memory_limit and the largest parts when the estimate
// exceeds the limit.
void check_memory(const PlatformParams& params);
// "1.5 GiB", "640 KiB", "12 B".
std::string format_bytes(uint64_t bytes);

}  // namespace aimc::platform
