#include "qemu_diff.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "platform/run_process.h"
#include "rv32_random_program.h"

namespace aimc::diff {
namespace {

using namespace test;

std::optional<std::string> on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
    return std::nullopt;
}

std::string without_cr(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
    return s;
}

// QEMU 8.1 replaced -singlestep with -accel tcg,one-insn-per-tb=on.
std::vector<std::string> one_insn_per_tb(const std::string& qemu) {
    const RunResult version = run_process({qemu, "--version"}, 10s);
    std::smatch m;
    if (std::regex_search(version.out, m, std::regex(R"(version (\d+)\.(\d+))"))) {
        const int major = std::stoi(m[1]), minor = std::stoi(m[2]);
        if (major > 8 || (major == 8 && minor >= 1)) return {"-accel", "tcg,one-insn-per-tb=on"};
    }
    return {"-singlestep"};
}

RunResult run_vp(const Tools& t, const fs::path& elf, std::vector<std::string> extra) {
    std::vector<std::string> argv = {t.vp, "--firmware", elf.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, 120s);
}

RunResult run_qemu(const Tools& t, const fs::path& elf, std::vector<std::string> extra) {
    std::vector<std::string> argv = {t.qemu, "-M", "spike", "-bios", "none", "-nographic", "-kernel", elf.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process(argv, 120s);
}

// ---- per-instruction traces ----

struct VpStep {  // one line of --trace-instructions
    uint32_t pc = 0;
    int rd = -1;
    uint32_t value = 0;
    std::string line;
};

std::vector<VpStep> parse_vp_trace(const std::string& text) {
    static const std::regex kLine(R"(^Trace 0: 0x([0-9a-f]+) .*?(?:\| (\w+)=0x([0-9a-f]+))?$)");
    static const std::array<const char*, 32> kAbi = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
                                                     "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
                                                     "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    std::vector<VpStep> steps;
    std::istringstream in(text);
    std::smatch m;
    for (std::string line; std::getline(in, line);) {
        if (!std::regex_match(line, m, kLine)) continue;
        VpStep s;
        s.pc = static_cast<uint32_t>(std::stoul(m[1], nullptr, 16));
        if (m[2].matched) {
            for (int r = 0; r < 32; ++r)
                if (m[2] == kAbi[r] || m[2] == fmt::format("x{}", r) || (r == 8 && m[2] == "fp")) s.rd = r;
            s.value = static_cast<uint32_t>(std::stoul(m[3], nullptr, 16));
        }
        s.line = line;
        steps.push_back(std::move(s));
    }
    return steps;
}

struct QemuState {  // registers before one instruction (-d cpu)
    uint32_t pc = 0;
    std::array<uint32_t, 32> x{};
};

std::vector<QemuState> parse_qemu_cpu_log(const std::string& text) {
    static const std::regex kReg(R"(x(\d+)/\w+\s+([0-9a-f]+))");
    std::vector<QemuState> states;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(" pc ", 0) == 0) {
            QemuState s;
            s.pc = static_cast<uint32_t>(std::stoul(line.substr(4), nullptr, 16));
            states.push_back(s);
            continue;
        }
        if (states.empty() || line.find('/') == std::string::npos) continue;
        for (auto it = std::sregex_iterator(line.begin(), line.end(), kReg); it != std::sregex_iterator(); ++it) {
            const unsigned r = std::stoul((*it)[1]);
            if (r < 32) states.back().x[r] = static_cast<uint32_t>(std::stoul((*it)[2], nullptr, 16));
        }
    }
    // The program proper: from the first instruction in RAM (QEMU starts in its reset ROM).
    size_t first = 0;
    while (first < states.size() && states[first].pc < 0x80000000u) ++first;
    return std::vector<QemuState>(states.begin() + static_cast<long>(first), states.end());
}

std::string first_difference(const std::vector<VpStep>& vp, const std::vector<QemuState>& q) {
    for (size_t k = 0; k < vp.size(); ++k) {
        if (k >= q.size()) return fmt::format("QEMU's trace ends after {} instructions; aimc-vp goes on with\n  {}", k, vp[k].line);
        const auto context = [&] { return k > 0 ? "after\n  " + vp[k - 1].line + "\n" : std::string(); };
        if (vp[k].pc != q[k].pc)
            return fmt::format("instruction {}: aimc-vp is at pc {:#010x}, QEMU at {:#010x} {}", k, vp[k].pc, q[k].pc, context());
        if (k + 1 >= q.size()) break;
        for (int r = 1; r < 32; ++r) {
            const uint32_t before = q[k].x[r], after = q[k + 1].x[r];
            const bool vp_writes = vp[k].rd == r;
            const uint32_t vp_value = vp_writes ? vp[k].value : before;
            if (after != vp_value)
                return fmt::format("instruction {} at pc {:#010x}:\n  {}\n  x{}: aimc-vp {:#010x}, QEMU {:#010x} (before: {:#010x})",
                                   k, vp[k].pc, vp[k].line, r, vp_value, after, before);
        }
    }
    return "the traces agree instruction by instruction (the difference is in memory: compare the dumps)";
}

std::optional<uint64_t> retired(const fs::path& stats_file) {
    const auto j = nlohmann::json::parse(read_text(stats_file), nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    if (j.contains("host.instructions")) return j["host.instructions"].get<uint64_t>();
    if (j.contains("host") && j["host"].contains("instructions")) return j["host"]["instructions"].get<uint64_t>();
    return std::nullopt;
}

}  // namespace

std::optional<Tools> find_tools() {
    const auto qemu = on_path("qemu-system-riscv32");
    if (!qemu) return std::nullopt;
    return Tools{AIMC_RISCV_GCC, *qemu, std::string(AIMC_BIN_DIR) + "/aimc-vp"};
}

Outcome run_one(const Tools& t, uint64_t seed, unsigned length, const fs::path& dir) {
    Outcome o;
    const RandomProgram prog = random_program(seed, length);
    o.generated = prog.body_instructions;
    fs::create_directories(dir);
    const fs::path src = dir / "prog.S", ld = dir / "link.ld", elf = dir / "prog.elf", stats = dir / "stats.json";
    std::ofstream(src) << prog.assembly;
    std::ofstream(ld) << prog.linker_script;
    const RunResult cc = run_process({t.gcc, "-march=rv32imac_zicsr", "-mabi=ilp32", "-nostdlib", "-nostartfiles", "-static",
                                      "-T", ld.string(), "-o", elf.string(), src.string()},
                                     60s);
    if (cc.exit_code != 0) {
        o.report = fmt::format("seed {}: the generated program does not assemble:\n{}", seed, test::describe(cc));
        return o;
    }
    // The trace of the random body alone (labels L0..L<length>) counts its executed instructions.
    const fs::path body_trace = dir / "body.trace";
    const RunResult vp = run_vp(t, elf, {"--stats", stats.string(), "--trace-range", fmt::format("L0..L{}", length),
                                         "--trace-instructions=" + body_trace.string()});
    o.body_executed = parse_vp_trace(read_text(body_trace)).size();
    const RunResult qemu = run_qemu(t, elf, {});
    if (const auto n = retired(stats)) o.executed = *n;
    const std::string vp_out = without_cr(vp.out), qemu_out = without_cr(qemu.out);
    if (vp.exit_code == qemu.exit_code && vp_out == qemu_out && vp.exit_code == 0 && !vp_out.empty()) {
        o.same = true;
        fs::remove_all(dir);
        return o;
    }
    // Where the dumps differ, then the first differing instruction from both traces.
    std::string where;
    {
        std::istringstream a(vp_out), b(qemu_out);
        std::string la, lb;
        for (unsigned n = 0;; ++n) {
            const bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
            if (!ga && !gb) break;
            if (la != lb || ga != gb) {
                where = fmt::format("dump line {} ({}): aimc-vp '{}', QEMU '{}'", n + 1,
                                    n < 31 ? fmt::format("x{}", n + 1) : fmt::format("scratch +{:#x}", 4 * (n - 31)),
                                    ga ? la : "<none>", gb ? lb : "<none>");
                break;
            }
        }
    }
    const fs::path vp_trace = dir / "vp.trace", qemu_log = dir / "qemu.log";
    run_vp(t, elf, {"--trace-instructions=" + vp_trace.string()});
    std::vector<std::string> qargs = {"-d", "cpu,nochain", "-D", qemu_log.string()};
    for (auto& a : one_insn_per_tb(t.qemu)) qargs.push_back(a);
    run_qemu(t, elf, qargs);  // the log goes to a file: QEMU 7.2 writes nothing to -D /dev/stdout on a pipe
    const std::string first = first_difference(parse_vp_trace(read_text(vp_trace)), parse_qemu_cpu_log(read_text(qemu_log)));
    o.report = fmt::format("seed {} length {}: aimc-vp and QEMU differ (exit {} vs {}); {}\nfirst difference: {}\n"
                           "program, traces and logs in {}",
                           seed, length, vp.exit_code, qemu.exit_code, where.empty() ? "same dump" : where, first,
                           dir.string());
    return o;
}

}  // namespace aimc::diff
