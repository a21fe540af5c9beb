// aimc-vp: runs firmware on a platform and reports time, energy and what the firmware did.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <systemc>

#include "interface/platform.h"
#include "interface/tile.h"
#include "common/log.h"
#include "common/vcd_tracer.h"
#include "gdb_target.h"
#include "output_file.h"
#include "platform.h"
#include "stats_report.h"

namespace {

constexpr int kExitUsage = 2;  // bad command line, platform file or firmware image
// A process exit status has 8 bits: a firmware exit code outside 0..255 would wrap (256 -> 0, which
// reads as success). Such codes end the process with this status instead, and the real code is
// printed. 255 is none of aimc-vp's own statuses (2, 124, 125, 126) nor a signal's (128 + n), nor 74 (an output failed).
constexpr int kExitCodeTooWide = 255;

int process_status(int code) {
    if (code >= 0 && code <= 255) return code;
    std::cerr << fmt::format("aimc-vp: the firmware's exit code {} does not fit in a process exit status; "
                             "exiting with {}\n", code, kExitCodeTooWide);
    return kExitCodeTooWide;
}
constexpr int kExitOutput = 74;  // an output could not be written during or after the run (EX_IOERR)

// Outputs are opened before the run: a path that cannot be written is a usage error (status 2).
template <class Open>
auto open_output(Open&& open) {
    try {
        return open();
    } catch (const aimc::platform::OutputError& e) {
        throw aimc::ConfigError(e.what());
    }
}

// SIGINT and SIGTERM are taken by a watcher thread, which asks the simulation to end between two
// steps, so the run still writes its report, stats and a complete VCD. A second signal ends the
// process at once.
class SignalWatcher {
public:
    SignalWatcher() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);  // before any other thread starts: all inherit it
    }
    ~SignalWatcher() {
        done_ = true;
        if (thread_.joinable()) thread_.join();
        pthread_sigmask(SIG_UNBLOCK, &set_, nullptr);
    }
    void watch(aimc::InterruptRequest& stop) {
        thread_ = std::thread([this, &stop] {
            const timespec poll{0, 50'000'000};
            bool asked = false;
            while (!done_) {
                const int s = sigtimedwait(&set_, nullptr, &poll);
                if (s <= 0) continue;
                if (asked) std::_Exit(128 + s);
                asked = true;
                std::cerr << "aimc-vp: " << (s == SIGTERM ? "SIGTERM" : "SIGINT")
                          << ": ending the run and writing its outputs (again to quit at once)\n";
                stop.request(s);
            }
        });
    }

private:
    sigset_t set_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

struct Options {
    std::string platform;
    std::string firmware;
    std::vector<std::string> loads;
    std::vector<std::string> sets;
    std::string max_time;
    std::string quantum;
    std::string stats;
    std::string log_level = "warn";
    bool describe = false;
    bool quiet = false;
    int gdb_port = -1;  // -1: no gdb
    std::string gdb_wait_timeout = "300s";
    bool trace = false;
    std::string trace_file;  // "": stderr; "-": stdout
    std::string trace_range;
    std::string vcd;
    std::vector<std::string> trace_filters;
    std::string seed;
};

double parse_time(const std::string& option, const std::string& text) {
    aimc::ParamInfo info{option, "s", "", 0, 1e9, {}};
    double v = 0;
    aimc::parse_param_value(option, info, aimc::ParamRef(&v), text);
    return v;
}

// `--quantum`: the same parameter, range and message as `--set cpu.quantum=`, under its own name.
void set_quantum(aimc::platform::PlatformParams& params, const std::string& text) {
    for (const auto& row : aimc::list_params(params))
        if (row.key == "cpu.quantum")
            return aimc::parse_param_value("--quantum", row.info, aimc::ParamRef(&params.cpu.quantum), text);
    throw std::logic_error("cpu.quantum is not a platform parameter");
}

// `--trace-range start..end`: [start, end), each an address or an ELF symbol, either may be
// omitted; or a single function name: that function's extent.
std::pair<uint32_t, uint64_t> parse_trace_range(const std::string& text, const aimc::host::ElfImage& elf) {
    using aimc::ConfigError;
    if (text.empty()) return {0, 1ull << 32};
    const auto dots = text.find("..");
    if (dots == std::string::npos) {
        for (const auto& sym : elf.symbols())
            if (sym.name == text && sym.size > 0) return {sym.value, uint64_t{sym.value} + sym.size};
        throw ConfigError(fmt::format("--trace-range '{}': expected start..end, or the name of a function in the ELF", text));
    }
    const auto bound = [&](const std::string& s, uint64_t otherwise) -> uint64_t {
        if (s.empty()) return otherwise;
        if (const auto v = elf.symbol(s)) return *v;
        char* end = nullptr;
        const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
        if (end == s.c_str() || *end != '\0' || v > 0xFFFFFFFFull)
            throw ConfigError(fmt::format("--trace-range '{}': '{}' is neither an address nor a symbol of the ELF", text, s));
        return v;
    };
    const uint64_t lo = bound(text.substr(0, dots), 0), hi = bound(text.substr(dots + 2), 1ull << 32);
    if (lo >= hi) throw ConfigError(fmt::format("--trace-range '{}': the range is empty", text));
    return {static_cast<uint32_t>(lo), hi};
}

// From the parameters alone: nothing is built, so a platform too large to run can still be described.
void print_description(aimc::platform::PlatformParams params) {
    namespace ip = aimc::iface::platform;
    namespace it = aimc::iface::tile;
    aimc::platform::validate_platform(params);
    std::cout << fmt::format("platform {}: {}\n\nparameters:\n", params.name, params.description);
    const auto rows = aimc::list_params(params);
    size_t width = 0;
    for (const auto& row : rows) width = std::max(width, row.key.size());
    for (const auto& row : rows)
        std::cout << fmt::format("  {:<{}}  {:<16}  {}\n", row.key, width, row.value, row.info.description);
    for (const auto& group : aimc::list_preset_groups(params)) {
        std::string names;
        for (const auto& n : group.presets) names += (names.empty() ? "" : ", ") + n;
        std::cout << fmt::format("\n{} takes a preset: {}", group.key, names);
    }
    std::cout << "\n";
    const auto map = aimc::platform::plan_address_map(params);
    std::cout << "\naddress map:\n";
    for (const auto& r : map) std::cout << fmt::format("  {:#010x} - {:#010x}  {}\n", r.base, r.base + r.size - 1, r.name);
    const auto& pp = params;
    const unsigned tiles = pp.noc.width * pp.noc.height;
    const unsigned with_irq = pp.plic.num_sources > ip::TILE_IRQ_BASE ? std::min(tiles, pp.plic.num_sources - ip::TILE_IRQ_BASE) : 0;
    std::cout << fmt::format("\nchip: {} tiles ({}x{} mesh); tile t at {:#010x} + t * {:#x} (registers, then LDPU "
                             "memory +{:#x}, input +{:#x}, output +{:#x}, weights +{:#x}); tiles 0..{} raise PLIC "
                             "source {} + t{}\n",
                             tiles, pp.noc.width, pp.noc.height, pp.chip.base, it::WINDOW, it::LDPU_OFFSET,
                             it::IN_OFFSET, it::OUT_OFFSET, it::WEIGHTS_OFFSET,
                             with_irq ? with_irq - 1 : 0, ip::TILE_IRQ_BASE,
                             with_irq < tiles ? fmt::format(" (tiles {}.. have no interrupt: poll them)", with_irq) : "");
    const auto est = aimc::platform::estimate_memory(params);
    std::cout << fmt::format("\nhost memory: at most {} if every tile is used (sim.memory_limit {}{})\n",
                             aimc::platform::format_bytes(est.total), aimc::platform::format_bytes(pp.sim.memory_limit),
                             est.total > pp.sim.memory_limit ? ": a run is refused" : "");
    for (const auto& part : est.parts)
        std::cout << fmt::format("  {:>10}  {}\n", aimc::platform::format_bytes(part.bytes), part.what);
}

// For the deadlock report: the tiles that wait for something that will not come.
std::string waiting_tiles(aimc::platform::Chip& chip) {
    constexpr unsigned kShown = 8;
    std::string out;
    unsigned n = 0;
    for (unsigned t = 0; t < chip.tile_count(); ++t) {
        const std::string w = chip.tile(t).waiting_for();
        if (w.empty()) continue;
        if (n++ < kShown) out += "\n  " + w;
    }
    if (n > kShown) out += fmt::format("\n  ... and {} more tiles wait for input", n - kShown);
    return n ? "; waiting tiles:" + out : "; no tile waits for input";
}

int run(const Options& opt) {
    using namespace aimc;
    auto params = platform::load_platform(opt.platform);
    apply_assignments(params, opt.sets);  // presets (tile.crossbar=...) first, then single keys
    if (!opt.quantum.empty()) set_quantum(params, opt.quantum);
    if (opt.quiet) params.uart0.console = false;
    if (!opt.seed.empty()) apply_assignment(params, "tile.seed=" + opt.seed);
    if (opt.describe) {
        print_description(params);
        return 0;
    }

    // Every output is opened now, so a bad path fails before the run. The platform owns the tracer
    // and hands it to its blocks.
    std::unique_ptr<platform::OutputFile> stats_out, trace_file;
    if (!opt.stats.empty())
        stats_out = open_output([&] { return std::make_unique<platform::OutputFile>("--stats", opt.stats); });
    const bool tracing = opt.trace || !opt.trace_range.empty();
    if (tracing && !opt.trace_file.empty() && opt.trace_file != "-")
        trace_file = open_output([&] { return std::make_unique<platform::OutputFile>("--trace-instructions", opt.trace_file); });
    std::unique_ptr<VcdTracer> vcd;
    if (!opt.vcd.empty()) {
        try {
            vcd = std::make_unique<VcdTracer>(opt.vcd, opt.trace_filters);
        } catch (const VcdError& e) {
            throw ConfigError(e.what());
        }
    } else if (!opt.trace_filters.empty()) {
        throw ConfigError("--trace-filter needs --vcd <file>");
    }

    platform::Platform top("top", params, std::move(vcd));
    if (opt.firmware.empty()) throw ConfigError("--firmware is required (an rv32 ELF, e.g. build/sw/hello.elf)");
    const auto elf = host::ElfImage::read(opt.firmware);
    top.load_firmware(elf);
    for (const auto& l : opt.loads) {
        const auto at = l.rfind('@');
        if (at == std::string::npos || at == 0) throw ConfigError(fmt::format("--load '{}': expected file@address", l));
        ParamInfo info{"--load", "addr", "", 0, 0xFFFFFFFF, {}};
        uint64_t addr = 0;
        parse_param_value("--load", info, ParamRef(&addr), l.substr(at + 1));
        top.load_blob(l.substr(0, at), addr);
    }

    if (tracing) {
        std::FILE* out = trace_file ? trace_file->stream() : opt.trace_file.empty() ? stderr : stdout;
        const auto [lo, hi] = parse_trace_range(opt.trace_range, elf);
        top.cpu().trace_instructions(out, lo, hi);
    }

    // The debugger connects before the first instruction; the run starts when it lets the core go.
    std::unique_ptr<platform::GdbStub> gdb;
    if (opt.gdb_port >= 0) {
        gdb = std::make_unique<platform::GdbStub>(top, static_cast<uint16_t>(opt.gdb_port), std::cerr);
        const double wait_s = parse_time("--gdb-wait-timeout", opt.gdb_wait_timeout);
        std::cerr << fmt::format("aimc-vp: waiting for gdb on 127.0.0.1:{} ({}), e.g. gdb-multiarch {} -ex 'target remote :{}'\n",
                                 gdb->port(), opt.gdb_wait_timeout, opt.firmware, gdb->port());
        if (!gdb->wait_for_client(std::chrono::milliseconds(static_cast<int64_t>(wait_s * 1000))))
            throw ConfigError(fmt::format("--gdb: no debugger connected to 127.0.0.1:{} within {}", gdb->port(),
                                          opt.gdb_wait_timeout));
    }

    SignalWatcher signals;
    InterruptRequest interrupt(top.control(), [&top] { return top.cpu().where(); });
    signals.watch(interrupt);

    const auto t0 = std::chrono::steady_clock::now();
    if (!opt.max_time.empty()) sc_core::sc_start(sc_core::sc_time(parse_time("--max-time", opt.max_time), sc_core::SC_SEC));
    else sc_core::sc_start();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout.flush();
    std::fflush(stdout);

    auto& control = top.control();
    if (!control.finished()) {
        if (sc_core::sc_pending_activity())
            control.finish(SimControl::Reason::MaxTime, SimControl::kExitMaxTime,
                           fmt::format("stopped at --max-time {} before the firmware exited; the host was at {}",
                                       opt.max_time, top.cpu().where()));
        else
            control.finish(SimControl::Reason::Deadlock, SimControl::kExitDeadlock,
                           fmt::format("deadlock: the firmware waits (wfi) for an interrupt that nothing will raise; "
                                       "the host was at {}{}", top.cpu().where(), waiting_tiles(top.chip())));
    }
    if (gdb) gdb->on_finish(control.exit_code());  // a run ended by --max-time or a deadlock
    if (tracing && !trace_file) std::fflush(nullptr);
    if (control.reason() != SimControl::Reason::Exit) std::cerr << "aimc-vp: " << control.message() << "\n";

    // Each output is completed (or reported) on its own: one failing doesn't cost the others.
    std::vector<std::string> failed;
    const auto complete = [&](auto&& finish) {
        try {
            finish();
        } catch (const platform::OutputError& e) {
            failed.push_back(e.what());
        } catch (const VcdError& e) {
            failed.push_back(e.what());
        }
    };
    const auto stats = platform::stats_json(top, platform::RunInfo{opt.firmware, wall});
    if (stats_out) complete([&] {
        stats_out->write(stats.dump(2) + "\n");
        stats_out->commit();
    });
    if (trace_file) complete([&] { trace_file->commit(); });
    if (const auto uart = top.uart0().finish_output(); !uart.empty()) failed.push_back(uart);
    if (auto* vcd = top.tracer()) complete([&] { vcd->write(sc_core::sc_time_stamp()); });
    if (!opt.quiet) std::cerr << platform::text_report(stats);
    for (const auto& f : failed) std::cerr << "aimc-vp: error: " << f << "\n";
    if (!failed.empty()) {
        std::cerr << fmt::format("aimc-vp: exit status {} (an output is incomplete; the firmware's status was {})\n",
                                 kExitOutput, control.exit_code());
        return kExitOutput;
    }
    return process_status(control.exit_code());
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    // SystemC reports sc_stop() as an info message; our own report says how the run ended.
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);

    Options opt;
    CLI::App app{"aimc-vp: a SystemC/TLM-2.0 virtual platform of analog in-memory-computing accelerators"};
    app.add_option("--platform", opt.platform, "Preset name or platform file (JSON)")
        ->default_val(aimc::platform::default_preset());
    app.add_option("--firmware", opt.firmware, "rv32 ELF image to run");
    app.add_option("--load", opt.loads, "Copy a raw file into memory: file@address (repeatable)");
    app.add_option("--set", opt.sets,
                   "Override a platform parameter: key=value (repeatable), e.g. cpu.clock_hz=500MHz, "
                   "tile.crossbar=hermes-core-4phase, tile.crossbar.adc.bits=6; presets apply before single keys");
    app.add_option("--max-time", opt.max_time, "Stop after this much simulated time, e.g. 10ms (exit status 124)");
    app.add_option("--quantum", opt.quantum, "Temporal-decoupling quantum, e.g. 1us (same as --set cpu.quantum=)");
    app.add_option("--stats", opt.stats, "Write the statistics as JSON to this file");
    app.add_option("--vcd", opt.vcd, "Write a VCD trace of tile, NoC, host and power activity to this file");
    app.add_option("--trace-filter", opt.trace_filters,
                   "With --vcd: record only signals whose full name matches this glob, e.g. 'top.chip.tile_*' (repeatable)");
    app.add_option("--seed", opt.seed, "Seed of the analog noise (same as --set tile.seed=N)");
    app.add_option("--log-level", opt.log_level, "error, warn, info or debug")->default_val("warn");
    app.add_flag("--describe", opt.describe, "Print the resolved platform parameters and address map, then exit");
    app.add_flag("--quiet", opt.quiet, "No UART echo on stdout and no report on stderr");
    app.add_option("--gdb", opt.gdb_port,
                   "Serve gdb on 127.0.0.1:<port> (0: any free port) and wait for it before the first instruction")
        ->check(CLI::Range(0, 65535));
    app.add_option("--gdb-wait-timeout", opt.gdb_wait_timeout,
                   "How long --gdb waits for the debugger to connect (exit status 2 if none does)")
        ->default_val("300s");
    auto* trace_option = app.add_option("--trace-instructions", opt.trace_file,
                   "Trace every executed instruction (pc, instruction, disassembly, written register) to a file; "
                   "no value: stderr, '-': stdout")
        ->expected(0, 1);
    app.add_option("--trace-range", opt.trace_range,
                   "Trace only pcs in [start, end): addresses or ELF symbols (start..end), or one function name");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }
    opt.trace = trace_option->count() > 0;
    try {
        aimc::log::set_level(aimc::log::parse_level(opt.log_level));
        return run(opt);
    } catch (const aimc::ConfigError& e) {
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    } catch (const aimc::host::ElfError& e) {
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    } catch (const std::invalid_argument& e) {
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    } catch (const aimc::host::GdbError& e) {
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    } catch (const std::bad_alloc&) {
        std::cerr << "aimc-vp: error: out of host memory while building or running the platform\n";
    } catch (const sc_core::sc_report& e) {  // an exception that left a SystemC process
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "aimc-vp: error: " << e.what() << "\n";
    }
    // Every failure ends here with a message, never as SystemC's "uncaught exception" (status 1).
    return kExitUsage;
}

// Our own entry point, so SystemC's banner is off before the kernel starts.
int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
