// Chip-level simulator speed: wall time per simulated MVM on the 8x8 preset and on a 32x32 mesh
// (the per-MVM cost must stay within 1.3x as the mesh grows), and the overhead of VCD tracing.
// The measured span is region 1 of mvm-scale.elf (every tile running full-size MVMs), taken
// from the stats JSON, so start-up and programming are left out.
//
// usage: bench_chip <aimc-vp> <sw-dir>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

struct Burst {
    double wall_s = 0;
    double mvms = 0;
    bool ok = false;
};

Burst run(const std::string& vp, const std::string& elf, const std::string& extra, const std::string& tag) {
    const std::string stats = "bench-chip-" + tag + ".json";
    const std::string cmd = fmt::format("{} --quiet --platform hermes64 {} --firmware {} --stats {}", vp, extra, elf, stats);
    Burst b;
    if (std::system(cmd.c_str()) != 0) return b;
    std::ifstream in(stats);
    const auto j = nlohmann::json::parse(in);
    for (const auto& r : j["regions"])
        if (r["id"] == 1) {
            b.wall_s = r["wall_time_s"].get<double>();
            // 2 x 256 x 256 operations per MVM on these tiles
            b.mvms = r["ops"].get<double>() / (2.0 * 256 * 256);
            b.ok = b.mvms > 0;
        }
    return b;
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_chip <aimc-vp> <sw-dir>\n");
        return 2;
    }
    const std::string vp = argv[1], elf = std::string(argv[2]) + "/mvm-scale.elf";
    const Burst small = run(vp, elf, "", "8x8");
    const Burst large = run(vp, elf, "--set noc.width=32 --set noc.height=32", "32x32");
    const Burst traced = run(vp, elf, "--vcd bench-chip.vcd", "8x8-vcd");
    if (!small.ok || !large.ok || !traced.ok) {
        std::printf("bench_chip: a run failed\n");
        return 1;
    }
    const double us_small = small.wall_s / small.mvms * 1e6, us_large = large.wall_s / large.mvms * 1e6;
    const double us_traced = traced.wall_s / traced.mvms * 1e6;
    std::printf("%-26s %10s %14s %10s\n", "run", "MVMs", "wall s", "us/MVM");
    std::printf("%-26s %10.0f %14.3f %10.2f\n", "8x8 (hermes64)", small.mvms, small.wall_s, us_small);
    std::printf("%-26s %10.0f %14.3f %10.2f\n", "32x32 (1024 tiles)", large.mvms, large.wall_s, us_large);
    std::printf("%-26s %10.0f %14.3f %10.2f\n", "8x8 with --vcd", traced.mvms, traced.wall_s, us_traced);
    std::printf("per-MVM cost 32x32 / 8x8: %.2fx (target <= 1.3x)\n", us_large / us_small);
    std::printf("VCD overhead: %+.1f %% (target < 25 %%)\n", 100.0 * (us_traced / us_small - 1.0));
    return 0;
}
