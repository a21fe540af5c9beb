// Host-platform speed: aimc-vp's MIPS on CPU-bound firmware kernels, side by side with QEMU's wall
// time on the same ELF in the same run (QEMU -M spike runs the HTIF-only kernel images unchanged).
//
// usage: bench_host <aimc-vp> <sw-dir> [kernel...]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

double timed_system(const std::string& cmd, int& status) {
    const auto t0 = std::chrono::steady_clock::now();
    status = std::system(cmd.c_str());
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char* argv[]) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_host <aimc-vp> <sw-dir> [kernel...]\n");
        return 2;
    }
    const std::string vp = argv[1], sw = argv[2];
    std::vector<std::string> kernels;
    for (int i = 3; i < argc; ++i) kernels.emplace_back(argv[i]);
    if (kernels.empty()) kernels = {"bench-mvm", "bench-mix"};
    const bool have_qemu = std::system("command -v qemu-system-riscv32 >/dev/null 2>&1") == 0;

    std::printf("%-12s %14s %10s %10s %10s %10s %8s\n", "kernel", "instructions", "vp wall s", "vp MIPS",
                "qemu wall s", "qemu MIPS", "vp/qemu");
    int failures = 0;
    for (const auto& k : kernels) {
        const std::string elf = sw + "/" + k + ".elf";
        const std::string stats = "bench-host-" + k + ".json";
        int status = 0;
        const double vp_wall = timed_system(fmt::format("{} --quiet --firmware {} --stats {}", vp, elf, stats), status);
        if (status != 0) {
            std::printf("%-12s aimc-vp failed (status %d)\n", k.c_str(), status);
            ++failures;
            continue;
        }
        std::ifstream in(stats);
        const auto j = nlohmann::json::parse(in);
        const double instr = j["host"]["instructions"].get<double>();
        double qemu_wall = 0;
        if (have_qemu) {
            qemu_wall = timed_system(
                fmt::format("timeout 600 qemu-system-riscv32 -M spike -bios none -nographic -kernel {} >/dev/null 2>&1", elf),
                status);
            if (status != 0) {
                std::printf("%-12s qemu failed (status %d)\n", k.c_str(), status);
                qemu_wall = 0;
            }
        }
        std::printf("%-12s %14.0f %10.3f %10.1f %10.3f %10.1f %8.2f\n", k.c_str(), instr, vp_wall,
                    instr / vp_wall / 1e6, qemu_wall, qemu_wall > 0 ? instr / qemu_wall / 1e6 : 0.0,
                    qemu_wall > 0 ? vp_wall / qemu_wall : 0.0);
    }
    std::printf("(aimc-vp wall time includes start-up; MIPS = instructions / wall time. Targets: >= 250 MIPS, "
                "vp/qemu <= 10)\n");
    return failures ? 1 : 0;
}
