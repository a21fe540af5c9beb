// Debugging without a debugger, in whole-platform runs of build/bin/aimc-vp: the instruction trace
// (compared with QEMU's when it is installed) and the fault reports. Every process runs with a time
// limit.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gdb_session.h"

namespace {

using namespace aimc::test;

// --------------------------------------------------------------------------------------------
// Instruction trace
// --------------------------------------------------------------------------------------------

struct TraceLine {
    uint32_t pc;
    std::string function, rest;
};

// Both QEMU's `-d exec` lines and ours: "Trace 0: <x> [<x>/<pc>/<x>/<x>] <function>..."
std::vector<TraceLine> read_trace(const std::string& path) {
    std::vector<TraceLine> lines;
    std::ifstream in(path);
    const std::regex re(R"(^Trace 0: \S+ \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/[0-9a-f]+\] ?([^ |]*)(.*)$)");
    std::string line;
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, re))
            lines.push_back(TraceLine{static_cast<uint32_t>(std::stoul(m[1], nullptr, 16)), m[2], m[3]});
    }
    return lines;
}

TEST(InstructionTrace, FormatAndRange) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string all = temp_path("all.trace"), some = temp_path("some.trace");
    Process a({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + all}, "a");
    ASSERT_EQ(a.wait(), 42) << a.err();
    Process b({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + some, "--trace-range", "demo_fill"},
              "b");
    ASSERT_EQ(b.wait(), 42) << b.err();
    const auto full = read_trace(all), part = read_trace(some);
    ASSERT_GT(full.size(), 1000u);
    ASSERT_GT(part.size(), 16u * 4);
    for (const auto& l : part) EXPECT_EQ(l.function, "demo_fill") << std::hex << l.pc;
    size_t in_fill = 0;
    for (const auto& l : full) in_fill += l.function == "demo_fill";
    EXPECT_EQ(in_fill, part.size());
    EXPECT_EQ(full.front().pc, 0x80000000u);
    EXPECT_EQ(full.front().function, "_start");
    // " | <raw> | <disassembly>[ | <rd>=<value>]"
    const std::regex rest(R"( \| ( {4}[0-9a-f]{4}|[0-9a-f]{8}) \| [a-z.]+[^|]*( \| [a-z0-9]+=0x[0-9a-f]+)?)");
    for (size_t i = 0; i < 50; ++i) EXPECT_TRUE(std::regex_match(full[i].rest, rest)) << "'" << full[i].rest << "'";
    size_t writes = 0;
    for (const auto& l : full) writes += l.rest.find('=') != std::string::npos;
    EXPECT_GT(writes, full.size() / 3);

    const std::string range = temp_path("range.trace");
    Process c({kVp, "--firmware", kDemo, "--quiet", "--trace-instructions=" + range, "--trace-range",
               "0x80000000..0x80000010"},
              "c");
    ASSERT_EQ(c.wait(), 42);
    const auto r = read_trace(range);
    ASSERT_FALSE(r.empty());
    for (const auto& l : r) EXPECT_LT(l.pc, 0x80000010u);
    Process bad({kVp, "--firmware", kDemo, "--trace-range", "no_such_function"}, "bad");
    EXPECT_EQ(bad.wait(), 2);
}

// The pc sequence of aimc-vp's trace against QEMU's for the same ELF, up to where the platforms
// differ for reasons that are not bugs (CSR values such as misa, device timing).
TEST(InstructionTrace, MatchesQemu) {
    REQUIRE_FIRMWARE(kHello);
    if (!have_command("qemu-system-riscv32")) GTEST_SKIP() << "qemu-system-riscv32 is not installed";
    const std::string ours = temp_path("vp.trace"), qemu = temp_path("qemu.trace");
    Process vp({kVp, "--firmware", kHello, "--quiet", "--trace-instructions=" + ours}, "vp");
    ASSERT_EQ(vp.wait(), 0) << vp.err();
    Process q({"timeout", "-k", "5", "60", "qemu-system-riscv32", "-M", "virt", "-bios", "none", "-nographic",
               "-monitor", "none", "-serial", "null", "-kernel", kHello, "-d", "exec,nochain", "-singlestep", "-D",
               qemu},
              "qemu");
    ASSERT_EQ(q.wait(90s), 0) << q.err();
    auto a = read_trace(ours), b = read_trace(qemu);
    b.erase(std::remove_if(b.begin(), b.end(), [](const TraceLine& l) { return l.pc < 0x80000000u; }), b.end());
    ASSERT_GT(a.size(), 1000u);
    ASSERT_GT(b.size(), 1000u);

    // Walk both; at a difference, find the nearest point where 16 pcs agree again.
    size_t i = 0, j = 0, matched = 0, first_divergence = SIZE_MAX;
    std::vector<std::string> divergences;
    while (i < a.size() && j < b.size()) {
        if (a[i].pc == b[j].pc) {
            ++i, ++j, ++matched;
            continue;
        }
        if (first_divergence == SIZE_MAX) first_divergence = i;
        char what[200];
        std::snprintf(what, sizeof what, "#%zu: aimc-vp at 0x%08x <%s>, QEMU at 0x%08x <%s>, after 0x%08x <%s>%s", i,
                      a[i].pc, a[i].function.c_str(), b[j].pc, b[j].function.c_str(), i ? a[i - 1].pc : 0,
                      i ? a[i - 1].function.c_str() : "", i ? a[i - 1].rest.c_str() : "");
        divergences.push_back(what);
        bool found = false;
        for (size_t d = 1; d < 400 && !found; ++d) {
            for (size_t k = 0; k <= d && !found; ++k) {
                const size_t ii = i + k, jj = j + (d - k);
                if (ii + 16 > a.size() || jj + 16 > b.size()) continue;
                bool same = true;
                for (size_t n = 0; n < 16 && same; ++n) same = a[ii + n].pc == b[jj + n].pc;
                if (same) i = ii, j = jj, found = true;
            }
        }
        if (!found) break;
    }
    std::string report;
    for (const auto& d : divergences) report += "  " + d + "\n";
    std::printf("aimc-vp %zu / QEMU %zu instructions, %zu matched in order; first divergence at %s; %zu divergences:\n%s",
                a.size(), b.size(), matched, first_divergence == SIZE_MAX ? "none" : std::to_string(first_divergence).c_str(),
                divergences.size(), report.c_str());
    EXPECT_GE(first_divergence, 1000u) << report;
    EXPECT_GE(matched, std::min(a.size(), b.size()) * 95 / 100) << report;
    EXPECT_LE(divergences.size(), 10u) << report;
}

// --------------------------------------------------------------------------------------------
// Fault reports (no debugger)
// --------------------------------------------------------------------------------------------

std::string write_blob(const std::vector<uint32_t>& words) {
    const std::string path = temp_path("blob.bin");
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(words.data()), static_cast<std::streamsize>(4 * words.size()));
    return path;
}

TEST(FaultReport, FetchFromUnmappedMemory) {
    REQUIRE_FIRMWARE(kDemo);
    // Over the entry point: lui t0, 0x40000; jr t0 -- with mtvec still 0 at reset.
    const std::string blob = write_blob({0x400002b7, 0x00028067});
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 125);
    const std::string err = vp.err();
    EXPECT_NE(err.find("unhandled trap: instruction access fault (mcause 1): fetch from 0x40000000, where nothing "
                       "executable is mapped, after pc 0x80000004 <_start+0x4>"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("last pcs: 0x80000000 <_start> 0x80000004"), std::string::npos) << err;
}

TEST(FaultReport, IllegalInstruction) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string blob = write_blob({0x00000013, 0xffffffff});  // nop; an illegal encoding
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 125);
    EXPECT_NE(vp.err().find("unhandled trap: illegal instruction (mcause 2) at pc 0x80000004 <_start+0x4>: "
                            "instruction 0xffffffff"),
              std::string::npos)
        << vp.err();
}

TEST(FaultReport, MaxTimeShowsTheInstruction) {
    REQUIRE_FIRMWARE(kDemo);
    const std::string blob = write_blob({0x00000013, 0x0000006f});  // nop; j .
    Process vp({kVp, "--firmware", kDemo, "--quiet", "--max-time", "5us", "--load", blob + "@0x80000000"}, "vp");
    EXPECT_EQ(vp.wait(), 124);
    EXPECT_NE(vp.err().find("stopped at --max-time 5us before the firmware exited; the host was at pc 0x80000004 "
                            "<_start+0x4>: 0x0000006f j 0x80000004; last pcs:"),
              std::string::npos)
        << vp.err();
    EXPECT_NE(vp.err().find("last pcs: 0x80000004 <_start+0x4> (x16)"), std::string::npos)
        << "repeated pcs are counted\n" << vp.err();
}

}  // namespace
