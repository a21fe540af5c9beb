// Weight programming speed (figures printed, not a timed test): wall and CPU time of programming full 256x256
// hermes-core arrays (4 PCM devices per weight, closed-loop program-and-verify, then the calibration PROGRAM
// runs), 64 arrays (all tiles of hermes64) and 16 (the default job's tiles), measured
//  * through the numeric kernel alone: AnalogCore::program on arrays kept alive as the tiles keep them, and
//  * through the platform: aimc-vp running program-all.elf (every tile PROGRAMs a full-size int8 matrix, region 1
//    brackets the commands): region 1's wall time from the stats, and the process's CPU time less that of a
//    start-up-only run (hello.elf on the same platform). The platform programs on its default host threads
//    (sim.threads = 0: one per hardware thread); 64 tiles are also run with one worker thread, for the ratio.
// Each measurement runs in a process of its own (a fresh heap, as a simulator run has). Given a baseline build
// tree of another revision (its bin/aimc-vp, and its bin/bench_program when it has one), the same measurements
// of that revision run side by side and the ratios are printed.
// The runs' outputs go to a temporary directory, removed at the end (kept, and named, when a run fails).
//
// usage: bench_program <aimc-vp> <sw-dir> [<baseline build dir>]
//        bench_program --kernel <arrays>     (one kernel measurement; prints "kernel <arrays> <wall s> <cpu s>")
#include "analog/analog_core.h"
#include "common/worker_pool.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Programs `arrays` full hermes-core arrays (seeds 1..arrays, weights uniform in +-63 as program-all stages
// them), every core kept alive until the end as the tiles keep theirs.
int kernel(int arrays) {
  using namespace aimc::analog;
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  aimc::analog::NoiseRng r(63);
  Eigen::MatrixXi w(cfg.rows, cfg.cols);
  for (int i = 0; i < cfg.rows; ++i)
    for (int j = 0; j < cfg.cols; ++j) w(i, j) = int(r.next_u64() % 127) - 63;
  std::vector<std::unique_ptr<AnalogCore>> cores;
  int64_t pulses = 0;
  const auto t0 = Clock::now();
  const double c0 = cpu_seconds();
  for (int a = 0; a < arrays; ++a) {
    cfg.seed = a + 1;
    cores.push_back(std::make_unique<AnalogCore>(cfg));
    pulses += cores.back()->program(w).pulses;
  }
  const double cpu = cpu_seconds() - c0;
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("kernel %d %.6f %.6f %lld\n", arrays, wall, cpu, (long long)pulses);
  return 0;
}

struct Run {
  bool ok = false;
  double wall_s = 0, cpu_s = 0;  // the process
  double sim_wall_s = 0;         // the simulation's wall time (stats)
  double region_wall_s = 0;      // region 1
};

// Runs argv to completion; wall and CPU time (user + sys) of the child.
Run run(const std::vector<std::string>& args, const std::string& out_file) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  Run r;
  pid_t pid;
  const auto t0 = Clock::now();
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "bench_program: cannot run %s\n", argv[0]);
    posix_spawn_file_actions_destroy(&fa);
    return r;
  }
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  rusage ru{};
  wait4(pid, &status, 0, &ru);
  r.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  r.cpu_s = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!r.ok) std::fprintf(stderr, "bench_program: %s failed (status %d)\n", argv[0], status);
  return r;
}

// The directory main() creates for the runs' outputs and stats.
std::string g_scratch = ".";
std::string scratch(const std::string& name) { return g_scratch + "/" + name; }

struct Kernel {
  bool ok = false;
  double wall_s = 0, cpu_s = 0;
};

Kernel run_kernel(const std::string& exe, int arrays) {
  const std::string out = scratch(fmt::format("kernel-{}.txt", arrays));
  Kernel k;
  if (!run({exe, "--kernel", std::to_string(arrays)}, out).ok) return k;
  std::ifstream in(out);
  std::string word;
  int n = 0;
  in >> word >> n >> k.wall_s >> k.cpu_s;
  k.ok = word == "kernel" && n == arrays;
  return k;
}

// threads > 0: the run's sim.threads (a revision before that parameter refuses it).
Run run_platform(const std::string& vp, const std::string& elf, int tiles, const std::string& tag, int threads = 0) {
  const std::string stats = scratch(fmt::format("{}.json", tag));
  std::vector<std::string> args = {vp, "--quiet", "--platform", "hermes64", "--firmware", elf, "--stats", stats};
  if (tiles == 16) args.insert(args.end(), {"--set", "noc.width=4", "--set", "noc.height=4"});
  if (threads > 0) args.insert(args.end(), {"--set", fmt::format("sim.threads={}", threads)});
  Run r = run(args, scratch(fmt::format("{}.txt", tag)));
  if (!r.ok) return r;
  std::ifstream in(stats);
  const auto j = nlohmann::json::parse(in);
  r.sim_wall_s = j["wall_time_s"].get<double>();
  for (const auto& reg : j["regions"])
    if (reg["id"] == 1) r.region_wall_s = reg["wall_time_s"].get<double>();
  return r;
}

// The figures of one revision.
struct Figures {
  bool has_kernel = false, ok = true;
  Kernel k16, k64;
  Run p16, p64, s16, s64;  // programming runs and start-up-only runs
  Run p64_one;             // 64 tiles programmed with one worker thread (this revision only)
};

Figures measure(const std::string& vp, const std::string& bench, const std::string& sw, const std::string& tag) {
  Figures f;
  if (!bench.empty() && access(bench.c_str(), X_OK) == 0) {
    f.has_kernel = true;
    f.k16 = run_kernel(bench, 16);
    f.k64 = run_kernel(bench, 64);
    f.ok = f.k16.ok && f.k64.ok;
  }
  f.s16 = run_platform(vp, sw + "/hello.elf", 16, tag + "-hello16");
  f.p16 = run_platform(vp, sw + "/program-all.elf", 16, tag + "-program16");
  f.s64 = run_platform(vp, sw + "/hello.elf", 64, tag + "-hello64");
  f.p64 = run_platform(vp, sw + "/program-all.elf", 64, tag + "-program64");
  f.ok = f.ok && f.s16.ok && f.p16.ok && f.s64.ok && f.p64.ok;
  if (tag == "now") {
    f.p64_one = run_platform(vp, sw + "/program-all.elf", 64, tag + "-program64-one", 1);
    f.ok = f.ok && f.p64_one.ok;
  }
  return f;
}

void row(const char* what, double now, const Figures* base, double base_value) {
  if (base)
    std::printf("  %-52s %9.3f %9.3f %8.2fx\n", what, base_value, now, now > 0 ? base_value / now : 0.0);
  else
    std::printf("  %-52s %9.3f\n", what, now);
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc == 3 && std::string(argv[1]) == "--kernel") return kernel(std::atoi(argv[2]));
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_program <aimc-vp> <sw-dir> [<baseline build dir>]\n"
                         "       bench_program --kernel <arrays>\n");
    return 2;
  }
  const std::string vp = argv[1], sw = argv[2], self = argv[0];
  const char* tmp = std::getenv("TMPDIR");
  std::string dir_template = std::string(tmp && *tmp ? tmp : "/tmp") + "/aimc-bench-program-XXXXXX";
  if (!mkdtemp(dir_template.data())) {
    std::fprintf(stderr, "bench_program: cannot create a scratch directory %s\n", dir_template.c_str());
    return 1;
  }
  g_scratch = dir_template;
  std::unique_ptr<Figures> base;
  if (argc > 3) {
    const std::string dir = argv[3];
    base = std::make_unique<Figures>(measure(dir + "/bin/aimc-vp", dir + "/bin/bench_program", sw, "baseline"));
  }
  const Figures now = measure(vp, self, sw, "now");
  if (!now.ok || (base && !base->ok)) {
    std::printf("bench_program: a run failed; its output is in %s\n", g_scratch.c_str());
    return 1;
  }
  const Figures* b = base.get();
  const Figures* bk = base && base->has_kernel ? b : nullptr;
  std::printf("bench program: full 256x256 hermes-core arrays (4 PCM devices per weight), seconds\n");
  if (b) std::printf("  %-52s %9s %9s %9s\n", "", "baseline", "now", "speed-up");
  row("kernel, 64 arrays: wall", now.k64.wall_s, bk, bk ? b->k64.wall_s : 0);
  row("kernel, 64 arrays: CPU", now.k64.cpu_s, bk, bk ? b->k64.cpu_s : 0);
  row("kernel, 16 arrays: wall", now.k16.wall_s, bk, bk ? b->k16.wall_s : 0);
  row("kernel, 16 arrays: CPU", now.k16.cpu_s, bk, bk ? b->k16.cpu_s : 0);
  auto platform = [&](const char* what, const Run& p, const Run& s, const Run* bp, const Run* bs) {
    row(fmt::format("platform, {}: programming wall (region 1)", what).c_str(), p.region_wall_s, b,
        bp ? bp->region_wall_s : 0);
    row(fmt::format("platform, {}: CPU less start-up-only run", what).c_str(), p.cpu_s - s.cpu_s, b,
        bp ? bp->cpu_s - bs->cpu_s : 0);
    row(fmt::format("platform, {}: start-up wall", what).c_str(), p.wall_s - p.sim_wall_s, b,
        bp ? bp->wall_s - bp->sim_wall_s : 0);
    row(fmt::format("platform, {}: process wall", what).c_str(), p.wall_s, b, bp ? bp->wall_s : 0);
  };
  platform("64 tiles (hermes64)", now.p64, now.s64, b ? &b->p64 : nullptr, b ? &b->s64 : nullptr);
  platform("16 tiles (4x4 mesh)", now.p16, now.s16, b ? &b->p16 : nullptr, b ? &b->s16 : nullptr);
  std::printf("  host threads for programming (sim.threads = 0): %u, the CPUs this process may use\n",
              aimc::WorkerPool::hardware_threads());
  row("platform, 64 tiles, sim.threads=1: programming wall", now.p64_one.region_wall_s, nullptr, 0);
  row("platform, 64 tiles, sim.threads=1: process wall", now.p64_one.wall_s, nullptr, 0);
  std::printf("  %-52s %8.2fx\n", "64 tiles: default threads vs one, programming wall",
              now.p64.region_wall_s > 0 ? now.p64_one.region_wall_s / now.p64.region_wall_s : 0.0);
  std::filesystem::remove_all(g_scratch);
  return 0;
}
