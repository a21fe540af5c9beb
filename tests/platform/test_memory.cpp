// Host memory follows what a run uses (docs/memory.md): unused tiles cost almost nothing, --describe
// builds nothing, impossible or oversized platforms are refused before anything is allocated with a
// message naming the estimate, the limit and the largest parts, and a deadlock names the tile that
// waits. Peak RSS figures are printed (each TEST runs in its own process, so RUSAGE_CHILDREN is the
// one child's peak); the bounds are on memory, never on time.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "run_process.h"

namespace {

using namespace aimc::test;

RunResult run_aimc(std::vector<std::string> args, std::chrono::milliseconds timeout = 300s) {
  args.insert(args.begin(), kSimulator.string());
  return run_process(args, timeout);
}

// Peak RSS of the largest child this process has waited for, in MiB.
double child_peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return double(ru.ru_maxrss) / 1024.0;
}

// hermes64 running hello.elf: 64 tiles that are never programmed hold no crossbar state or buffers
// (it used to take ~1 GB of RSS).
TEST(Memory, UnusedTilesCostNoCrossbarState) {
  ASSERT_BUILT("hello");
  const RunResult r = run_aimc({"--platform", "hermes64", "--firmware", image("hello").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const double rss = child_peak_rss_mib();
  std::printf("hermes64 hello.elf: peak RSS %.1f MiB\n", rss);
  EXPECT_LT(rss, 128.0) << "an idle hermes64 should not hold its 64 crossbars' state";
}

// Every tile of hermes64 programmed with a full-size matrix (program-all): the run's peak RSS stays within
// the estimate --describe prints for the platform, which is the bound for a run that uses every tile.
TEST(Memory, EveryTileProgrammedStaysWithinTheEstimate) {
  ASSERT_BUILT("program-all");
  const RunResult d = run_aimc({"--platform", "hermes64", "--describe"}, 60s);
  ASSERT_EQ(d.exit_code, 0) << describe(d);
  const size_t at = d.out.find("host memory: at most ");
  ASSERT_NE(at, std::string::npos) << describe(d);
  const double estimate_mib = std::stod(d.out.substr(at + 21));
  ASSERT_TRUE(contains(d.out.substr(at, 60), "MiB")) << d.out.substr(at, 60);
  const RunResult r = run_aimc({"--platform", "hermes64", "--firmware", image("program-all").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const double rss = child_peak_rss_mib();
  std::printf("hermes64 program-all.elf: peak RSS %.1f MiB, estimate %.1f MiB\n", rss, estimate_mib);
  EXPECT_GT(rss, 64 * 8.0) << "every tile holds its 8 MiB crossbar block";
  EXPECT_LT(rss, estimate_mib);
}

// A crossbar of 8192 rows (inside the documented range) is described without building anything: the
// estimate is printed and says a run would be refused.
TEST(Memory, DescribeOfAHugeCrossbarBuildsNothing) {
  const RunResult r = run_aimc({"--platform", "hermes64", "--set", "tile.crossbar.rows=8192", "--describe"}, 60s);
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_TRUE(contains(r.out, "tile.crossbar.rows")) << describe(r);
  EXPECT_TRUE(contains(r.out, "host memory: at most")) << describe(r);
  EXPECT_TRUE(contains(r.out, "a run is refused")) << describe(r);
  const double rss = child_peak_rss_mib();
  std::printf("hermes64 with 8192-row crossbars, --describe: peak RSS %.1f MiB\n", rss);
  EXPECT_LT(rss, 128.0);
}

// The same platform run is refused by the estimate, naming it, the limit and the largest part, and
// the refusal costs no memory; a smaller limit refuses even hermes64, and the message says how to raise it.
TEST(Memory, EstimateRefusesOversizedPlatforms) {
  ASSERT_BUILT("hello");
  RunResult r = run_aimc({"--platform", "hermes64", "--set", "tile.crossbar.rows=8192", "--set", "tile.crossbar.cols=8192",
                          "--firmware", image("hello").string()},
                         60s);
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(contains(r.err, "of host memory, more than sim.memory_limit = 16.0 GiB")) << describe(r);
  EXPECT_TRUE(contains(r.err, "crossbar device state and read matrices (64 tiles x 268435456 devices")) << describe(r);
  EXPECT_TRUE(contains(r.err, "--set sim.memory_limit=")) << describe(r);
  EXPECT_FALSE(contains(r.err, "uncaught exception")) << describe(r);

  r = run_aimc({"--platform", "hermes64", "--set", "sim.memory_limit=64MiB", "--firmware", image("hello").string()}, 60s);
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(contains(r.err, "more than sim.memory_limit = 64.0 MiB")) << describe(r);
  EXPECT_LT(child_peak_rss_mib(), 128.0);
}

// A 256x256 mesh is inside the range of noc.width and noc.height, but its 65536 tile windows of 1 MiB
// cannot fit the 32-bit host address space: refused at once, before anything is built.
TEST(Memory, MeshLargerThanTheAddressSpaceIsRefusedBeforeBuilding) {
  ASSERT_BUILT("hello");
  const RunResult r = run_aimc({"--platform", "hermes64", "--set", "noc.width=256", "--set", "noc.height=256",
                                "--firmware", image("hello").string()},
                               60s);
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_TRUE(contains(r.err, "chip.base = 0x40000000 with 65536 tiles of 1024 KiB (noc.width x noc.height = 256 x 256) "
                              "ends at 0x1040000000, past the 4 GiB host address space"))
      << describe(r);
  // 33x32 tiles fit below 4 GiB but overlap RAM at 0x80000000 (it used to allocate 9 GB first).
  const RunResult o = run_aimc({"--platform", "hermes64", "--set", "noc.width=33", "--set", "noc.height=32", "--describe"}, 60s);
  EXPECT_EQ(o.exit_code, 2) << describe(o);
  EXPECT_TRUE(contains(o.err, "'chip' [0x40000000, 0x82000000) overlaps 'ram'")) << describe(o);
  EXPECT_LT(child_peak_rss_mib(), 128.0);
}

// The largest mesh the default address map holds, 32x32 tiles of 256x256 HERMES cores, builds and runs
// a trivial firmware in little memory.
TEST(Memory, LargestMeshRunsATrivialFirmware) {
  ASSERT_BUILT("hello");
  const RunResult r = run_aimc({"--platform", "hermes64", "--set", "noc.width=32", "--set", "noc.height=32", "--firmware",
                                image("hello").string(), "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << describe(r);
  const double rss = child_peak_rss_mib();
  std::printf("32x32 mesh of HERMES tiles, hello.elf: peak RSS %.1f MiB\n", rss);
  EXPECT_LT(rss, 512.0);
}

// A dataflow MVM armed for input that never comes: the deadlock report names the tile and what it
// waits for, not only the host's wfi.
TEST(Memory, DeadlockNamesTheWaitingTile) {
  ASSERT_BUILT("tile-deadlock");
  const RunResult r = run_aimc({"--platform", "tiny", "--firmware", image("tile-deadlock").string()}, 60s);
  EXPECT_EQ(r.exit_code, 126) << describe(r);
  EXPECT_TRUE(contains(r.err, "deadlock: the firmware waits (wfi)")) << describe(r);
  EXPECT_TRUE(contains(r.err, "tile 0 at (0, 0) is armed for an MVM and waits for input: 0 of the 48 bytes")) << describe(r);
  EXPECT_TRUE(contains(r.err, "1 command(s) queued behind it")) << describe(r);
}

}  // namespace
