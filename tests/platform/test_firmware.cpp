// Whole-platform tests: the aimc-vp binary runs the firmware images built under sw/ and we check
// what the firmware printed on the UART (the simulator's stdout) and the exit status.
//
// The same images also run on qemu-system-riscv32 (-M virt for UART images, -M spike for the
// UART-less bench images). QEMU is the reference: the QemuReference tests check the firmware
// alone, the Matches* tests compare aimc-vp with QEMU (output, exit status, instruction count).
// They are skipped when QEMU is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "run_process.h"

namespace {

using namespace aimc::test;

bool contains_nocase(std::string haystack, std::string needle) {
  auto lower = [](std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  };
  lower(haystack);
  lower(needle);
  return contains(haystack, needle);
}

// ---------------------------------------------------------------------------------------------
// The simulator, the images, QEMU

RunResult run_aimc(const std::string& image_name, const std::vector<std::string>& extra_args = {},
                   std::chrono::milliseconds timeout = 120s) {
  std::vector<std::string> argv = {kSimulator.string(), "--firmware", image(image_name).string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return run_process(argv, timeout);
}

std::optional<std::string> find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return std::nullopt;
}

const std::optional<std::string>& qemu() {
  static const std::optional<std::string> path = find_program("qemu-system-riscv32");
  return path;
}

#define SKIP_WITHOUT_QEMU() \
  if (!qemu()) GTEST_SKIP() << "qemu-system-riscv32 is not installed"

// machine: "virt" (UART, sifive_test finisher) or "spike" (HTIF only).
RunResult run_qemu(const std::string& machine, const std::string& image_name,
                   const std::vector<std::string>& extra_args = {}, std::chrono::milliseconds timeout = 20s,
                   const OutputSink& stdout_sink = {}) {
  std::vector<std::string> argv = {*qemu(), "-M", machine, "-bios", "none", "-nographic",
                                   "-kernel", image(image_name).string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  return run_process(argv, timeout, stdout_sink);
}

// QEMU 8.1 replaced -singlestep with -accel tcg,one-insn-per-tb=on.
std::vector<std::string> qemu_one_insn_per_tb_args() {
  RunResult version = run_process({*qemu(), "--version"}, 10s);
  std::smatch m;
  if (std::regex_search(version.out, m, std::regex(R"(version (\d+)\.(\d+))"))) {
    int major = std::stoi(m[1]), minor = std::stoi(m[2]);
    if (major > 8 || (major == 8 && minor >= 1)) return {"-accel", "tcg,one-insn-per-tb=on"};
  }
  return {"-singlestep"};
}

// Counts QEMU's `-d exec,nochain` lines, one per executed translation block (= instruction with
// one instruction per block): "Trace 0: 0x7f.. [00000000/80000010/00109003/ff000201] symbol".
class TraceCounter {
public:
  uint64_t in_ram = 0;     // pc >= 0x80000000: the firmware
  uint64_t elsewhere = 0;  // e.g. QEMU's reset ROM at 0x1000

  void feed(std::string_view chunk) {
    for (char c : chunk) {
      if (c != '\n') {
        if (line_.size() < 256) line_.push_back(c);
        continue;
      }
      count_line();
      line_.clear();
    }
  }

private:
  void count_line() {
    if (line_.rfind("Trace ", 0) != 0) return;
    size_t open = line_.find('[');
    size_t first = line_.find('/', open);
    size_t second = line_.find('/', first + 1);
    if (open == std::string::npos || first == std::string::npos || second == std::string::npos) return;
    uint64_t pc = std::strtoull(line_.substr(first + 1, second - first - 1).c_str(), nullptr, 16);
    (pc >= 0x80000000u ? in_ram : elsewhere)++;
  }
  std::string line_;
};

// --stats JSON: accept both {"host.instructions": n} and {"host": {"instructions": n}}.
std::optional<uint64_t> stat_value(const nlohmann::json& stats, const std::string& dotted) {
  if (stats.contains(dotted) && stats[dotted].is_number()) return stats[dotted].get<uint64_t>();
  const nlohmann::json* node = &stats;
  std::stringstream parts(dotted);
  for (std::string part; std::getline(parts, part, '.');) {
    if (!node->is_object() || !node->contains(part)) return std::nullopt;
    node = &(*node)[part];
  }
  if (node->is_number()) return node->get<uint64_t>();
  return std::nullopt;
}


std::string test_name_of(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

// misa differs between aimc-vp (IMAC) and QEMU (which also has F, D, S, U, ...): compare the
// rest of hello's output and check the common bits separately.
std::string mask_misa(const std::string& text) {
  return std::regex_replace(text, std::regex("misa=0x[0-9a-f]+"), "misa=<masked>");
}

void expect_rv32imac_misa(const std::string& output) {
  std::smatch m;
  ASSERT_TRUE(std::regex_search(output, m, std::regex("misa=0x([0-9a-f]+)"))) << output;
  uint32_t misa = static_cast<uint32_t>(std::stoul(m[1], nullptr, 16));
  EXPECT_EQ(misa >> 30, 1u) << "MXL must say RV32";
  for (char ext : {'I', 'M', 'A', 'C'}) EXPECT_TRUE(misa & (1u << (ext - 'A'))) << "misa lacks " << ext;
}

const std::vector<std::string> kIsaImages = {"isa-rv32i", "isa-rv32m", "isa-rv32a", "isa-rv32c",
                                             "isa-csr",   "isa-traps", "isa-interrupts"};
const std::vector<std::string> kSmallBenchImages = {"bench-mvm-small", "bench-mix-small"};

// The firmware ends with back-to-back stores (sw/hal/exit.c): tohost's low word (the command), its
// high word, the syscon finisher. Both QEMU's HTIF and aimc-vp exit on the high-word store, so the
// counts are equal.
constexpr uint64_t kAimcExtraInstructions = 0;

// ---------------------------------------------------------------------------------------------
// aimc-vp on its own

TEST(Firmware, HelloPrintsGreetingAndExitsZero) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT("hello");
  RunResult r = run_aimc("hello");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "Hello from aimc-vp\n")) << describe(r);
  EXPECT_TRUE(contains(r.out, "mhartid=0\n")) << describe(r);
  expect_rv32imac_misa(r.out);
}

TEST(Firmware, IrqDemoSeesEveryInterruptInOrder) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT("irq-demo");
  RunResult r = run_aimc("irq-demo");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "irq-demo: events TTTTTS\n")) << describe(r);
  EXPECT_TRUE(contains(r.out, "irq-demo: PASS\n")) << describe(r);
}

TEST(Firmware, HangIsStoppedByMaxTime) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT("hang");
  RunResult r = run_aimc("hang", {"--max-time", "10ms"}, 60s);
  EXPECT_FALSE(r.timed_out) << describe(r);
  EXPECT_EQ(r.exit_code, 124) << describe(r);
  EXPECT_TRUE(contains(r.err, "max-time")) << describe(r);
  EXPECT_TRUE(contains(r.out, "hang: spinning forever\n")) << describe(r);
}

TEST(Firmware, IllegalInstructionWithoutHandlerIsReported) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT("illegal-no-handler");
  RunResult r = run_aimc("illegal-no-handler", {}, 60s);
  EXPECT_FALSE(r.timed_out) << "a trap with no handler must end the run, not hang\n" << describe(r);
  EXPECT_EQ(r.exit_code, 125) << describe(r);
  EXPECT_TRUE(contains_nocase(r.err, "illegal instruction")) << describe(r);
  EXPECT_TRUE(contains(r.out, "executing an illegal instruction")) << describe(r);
  EXPECT_FALSE(contains(r.out, "still running")) << describe(r);
}

class IsaImage : public ::testing::TestWithParam<std::string> {};

TEST_P(IsaImage, PassesOnAimcVp) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult r = run_aimc(GetParam());
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, GetParam() + ": ")) << describe(r);
  EXPECT_TRUE(contains(r.out, " checks, 0 failed\n")) << describe(r);
  EXPECT_FALSE(contains(r.out, "FAIL")) << describe(r);
}

class SmallBench : public ::testing::TestWithParam<std::string> {};

TEST_P(SmallBench, ChecksumMatchesOnAimcVp) {
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult r = run_aimc(GetParam());
  EXPECT_EQ(r.exit_code, 0) << "0 = checksum matches the firmware's reference\n" << describe(r);
}

// ---------------------------------------------------------------------------------------------
// QEMU alone: the firmware is right before aimc-vp is compared with it

TEST(QemuReference, HelloOnVirt) {
  SKIP_WITHOUT_QEMU();
  ASSERT_IMAGE_BUILT("hello");
  RunResult r = run_qemu("virt", "hello");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "Hello from aimc-vp\n")) << describe(r);
  expect_rv32imac_misa(r.out);
}

TEST(QemuReference, IrqDemoOnVirt) {
  SKIP_WITHOUT_QEMU();
  ASSERT_IMAGE_BUILT("irq-demo");
  RunResult r = run_qemu("virt", "irq-demo");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "irq-demo: PASS\n")) << describe(r);
}

TEST_P(IsaImage, PassesOnQemuVirt) {
  SKIP_WITHOUT_QEMU();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult r = run_qemu("virt", GetParam());
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, " checks, 0 failed\n")) << describe(r);
}

TEST_P(SmallBench, ChecksumMatchesOnQemuSpike) {
  SKIP_WITHOUT_QEMU();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult r = run_qemu("spike", GetParam(), {}, 60s);
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_EQ(r.out, "") << "bench images must not touch the UART (spike has none)";
}

// ---------------------------------------------------------------------------------------------
// aimc-vp compared with QEMU

TEST(QemuComparison, HelloMatchesVirt) {
  SKIP_WITHOUT_QEMU();
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT("hello");
  RunResult ours = run_aimc("hello");
  RunResult ref = run_qemu("virt", "hello");
  EXPECT_EQ(ours.exit_code, ref.exit_code) << describe(ours) << "\n=== qemu ===\n" << describe(ref);
  EXPECT_EQ(mask_misa(ours.out), mask_misa(ref.out));
}

TEST_P(IsaImage, MatchesQemuVirt) {
  SKIP_WITHOUT_QEMU();
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult ours = run_aimc(GetParam());
  RunResult ref = run_qemu("virt", GetParam());
  EXPECT_EQ(ours.exit_code, ref.exit_code) << describe(ours) << "\n=== qemu ===\n" << describe(ref);
  EXPECT_EQ(ours.out, ref.out);
}

TEST_P(SmallBench, ExitCodeMatchesQemuSpike) {
  SKIP_WITHOUT_QEMU();
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT(GetParam());
  RunResult ours = run_aimc(GetParam());
  RunResult ref = run_qemu("spike", GetParam(), {}, 60s);
  EXPECT_EQ(ours.exit_code, ref.exit_code) << describe(ours) << "\n=== qemu ===\n" << describe(ref);
}

// Same program, same path: aimc-vp's retired-instruction count equals QEMU's executed count
// (one traced block per instruction; QEMU's reset ROM below 0x80000000 is not counted).
TEST_P(SmallBench, InstructionCountMatchesQemu) {
  SKIP_WITHOUT_QEMU();
  ASSERT_SIMULATOR_BUILT();
  ASSERT_IMAGE_BUILT(GetParam());

  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path stats_file = dir.path() / "stats.json";
  RunResult ours = run_aimc(GetParam(), {"--stats", stats_file.string()});
  ASSERT_EQ(ours.exit_code, 0) << describe(ours);
  std::ifstream stats_stream(stats_file);
  ASSERT_TRUE(stats_stream) << "no --stats output at " << stats_file;
  nlohmann::json stats = nlohmann::json::parse(stats_stream, nullptr, false);
  ASSERT_FALSE(stats.is_discarded()) << "--stats output is not JSON";
  std::optional<uint64_t> retired = stat_value(stats, "host.instructions");
  ASSERT_TRUE(retired.has_value()) << "no host.instructions in " << stats.dump(2).substr(0, 2000);

  // QEMU's log goes to a file: Debian's QEMU 7.2 writes nothing when -D names /dev/stdout on a pipe.
  const fs::path qemu_log = dir.path() / "qemu-exec.log";
  std::vector<std::string> args = {"-d", "exec,nochain", "-D", qemu_log.string()};
  for (auto& arg : qemu_one_insn_per_tb_args()) args.push_back(arg);
  RunResult ref = run_qemu("spike", GetParam(), args, 240s);
  ASSERT_EQ(ref.exit_code, 0) << describe(ref);
  TraceCounter trace;
  {
    std::ifstream log(qemu_log, std::ios::binary);
    std::vector<char> chunk(1 << 20);
    while (log.read(chunk.data(), chunk.size()) || log.gcount() > 0)
      trace.feed(std::string_view(chunk.data(), static_cast<size_t>(log.gcount())));
  }
  fs::remove(qemu_log);  // a few hundred MB
  ASSERT_GT(trace.in_ram, 0u) << "no QEMU trace lines: " << describe(ref);

  EXPECT_EQ(*retired, trace.in_ram + kAimcExtraInstructions)
      << "aimc-vp host.instructions=" << *retired << ", QEMU executed " << trace.in_ram
      << " instructions in RAM (+" << trace.elsewhere << " in its reset ROM)";
}

INSTANTIATE_TEST_SUITE_P(Images, IsaImage, ::testing::ValuesIn(kIsaImages), test_name_of);
INSTANTIATE_TEST_SUITE_P(Images, SmallBench, ::testing::ValuesIn(kSmallBenchImages), test_name_of);

}  // namespace
