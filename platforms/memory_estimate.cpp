#include "memory_estimate.h"

#include <algorithm>

#include <fmt/format.h>

#include "analog/crossbar_array.h"
#include "platform.h"

namespace aimc::platform {
namespace {

// Measured on hermes64 and on a 32x32 mesh running hello.elf (15 and 72 MiB of peak RSS: about 11 MiB
// before any tile, 60 KiB per tile for its SystemC thread stack, register bank, LDPU tables, analog
// core scratch and NoC routers), rounded up.
constexpr uint64_t kBaseline = 24ull << 20;
constexpr uint64_t kPerTile = 96ull << 10;

}  // namespace

std::string format_bytes(uint64_t bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 5) {
        v /= 1024;
        ++u;
    }
    return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

unsigned program_threads(const PlatformParams& p) {
    const unsigned tiles = p.noc.width * p.noc.height;
    return std::min(p.sim.threads > 0 ? p.sim.threads : WorkerPool::hardware_threads(), std::max(tiles, 1u));
}

MemoryEstimate estimate_memory(const PlatformParams& p) {
    const uint64_t tiles = uint64_t(p.noc.width) * p.noc.height;
    const analog::AnalogCoreConfig& xb = p.tile.crossbar;
    const uint64_t slices = uint64_t(xb.mapping.slices());
    const uint64_t weights = uint64_t(xb.rows) * uint64_t(xb.cols);
    const uint64_t devices = slices * 2 * uint64_t(xb.mapping.devices_per_polarity) * weights;
    // One block per array: its device state, read matrices and target sums (CrossbarArray::host_bytes).
    const uint64_t array = analog::CrossbarArray::host_bytes(xb.rows, xb.cols, int(slices),
                                                             xb.mapping.devices_per_polarity);
    // Per slice the four sums per weight kept for partial updates (at most: only a tile that programs several
    // blocks at one time point holds them); per weight a changed flag.
    const uint64_t partial = slices * weights * 4 * sizeof(double) + weights;
    const uint64_t buffers = uint64_t(p.tile.in_size) + p.tile.out_size + p.tile.ldpu_size + p.tile.weight_size;
    // One PROGRAM per worker thread at a time: its device list and targets, the weight block and its two
    // polarities' targets; every tile's weight block may wait in the queue meanwhile.
    const uint64_t threads = program_threads(p);
    const uint64_t program = threads * (devices * (sizeof(uint32_t) + sizeof(float)) + weights * 3 * sizeof(double)) +
                             tiles * weights * sizeof(int);

    MemoryEstimate e;
    const std::string per = fmt::format("{} tiles x ", tiles);
    e.parts = {
        {fmt::format("crossbar device state and read matrices ({}{} devices: {}, from a tile's first PROGRAM)", per,
                     devices, format_bytes(array)),
         tiles * array},
        {fmt::format("crossbar sums for partial updates ({}{}, from a second block at one time point)", per,
                     format_bytes(partial)),
         tiles * partial},
        {fmt::format("tile buffers ({}{}, each from its first write)", per, format_bytes(buffers)), tiles * buffers},
        {fmt::format("tile models ({}{})", per, format_bytes(kPerTile)), tiles * kPerTile},
        {"RAM (ram.size; pages the firmware touches)", p.ram.size},
        {fmt::format("PROGRAM scratch ({} threads x one block of the whole array, {} queued blocks)", threads, tiles),
         program},
        {"simulator baseline", kBaseline},
    };
    std::stable_sort(e.parts.begin(), e.parts.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
    for (const auto& part : e.parts) e.total += part.bytes;
    return e;
}

void check_memory(const PlatformParams& p) {
    const MemoryEstimate e = estimate_memory(p);
    if (e.total <= p.sim.memory_limit) return;
    std::string largest;
    for (size_t i = 0; i < std::min<size_t>(3, e.parts.size()); ++i)
        largest += fmt::format("\n  {:>10}  {}", format_bytes(e.parts[i].bytes), e.parts[i].what);
    throw ConfigError(fmt::format(
        "platform '{}' may need {} of host memory, more than sim.memory_limit = {}; the largest parts:{}\n"
        "Use fewer or smaller tiles, or raise the limit if the host has the memory (e.g. --set sim.memory_limit={})",
        p.name, format_bytes(e.total), format_bytes(p.sim.memory_limit), largest,
        fmt::format("{}GiB", (e.total >> 30) + 1)));
}

}  // namespace aimc::platform
