// The VCD tracer streams changes older than SystemC time to its body file during the run: the file
// it writes must not depend on when it streamed, and a trace that exists is always complete.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>
#include <systemc>

#include "common/vcd_tracer.h"

using sc_core::sc_time;
using sc_core::SC_NS;

namespace {

namespace fs = std::filesystem;

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Records the same random changes into several tracers, at local times up to 50 ns ahead of SystemC
// time (as decoupled blocks do), with repeats, several changes per instant, a signal registered
// late, and power-monitor-like samples stamped one interval behind.
SC_MODULE(Recorder) {
    std::vector<aimc::VcdTracer*> tracers;
    std::vector<std::size_t> body_sizes;  // body bytes of tracers[0] seen during the run
    SC_CTOR(Recorder) { SC_THREAD(run); }
    void run() {
        std::mt19937_64 rng(7);
        std::vector<std::vector<int>> sigs(tracers.size());
        for (std::size_t k = 0; k < tracers.size(); ++k) {
            tracers[k]->allow_lag(sc_time(10, SC_NS));
            sigs[k].push_back(tracers[k]->add_integer("top.a", "state", 3));
            sigs[k].push_back(tracers[k]->add_integer("top.b", "irq", 1));
            sigs[k].push_back(tracers[k]->add_real("top.power", "power_w"));
            for (int i = 0; i < 3; ++i) tracers[k]->record(sigs[k][i], 0, sc_core::SC_ZERO_TIME);
        }
        for (int step = 0; step < 2000; ++step) {
            const sc_time now = sc_core::sc_time_stamp();
            if (step == 700)  // a NoC link on its first use: initial value at 0, then its value now
                for (std::size_t k = 0; k < tracers.size(); ++k) {
                    sigs[k].push_back(tracers[k]->add_integer("top.noc", "link_x0_y0_east", 32));
                    tracers[k]->record(sigs[k][3], 0, sc_core::SC_ZERO_TIME);
                }
            const int n = static_cast<int>(rng() % 4);
            for (int e = 0; e < n; ++e) {
                const std::size_t s = rng() % sigs[0].size();
                const sc_time at = now + sc_time(static_cast<double>(rng() % 50), SC_NS);
                const uint64_t v = s == 1 ? rng() % 2 : rng() % 3;
                for (std::size_t k = 0; k < tracers.size(); ++k) {
                    if (s == 2) tracers[k]->record_real(sigs[k][2], 0.5 * static_cast<double>(v), at);
                    else tracers[k]->record(sigs[k][s], v, at);
                }
            }
            if (step % 10 == 0 && now > sc_time(10, SC_NS))  // stamped at the start of the last interval
                for (std::size_t k = 0; k < tracers.size(); ++k)
                    tracers[k]->record_real(sigs[k][2], 0.25 * (step % 3), now - sc_time(10, SC_NS));
            if (step % 100 == 0) body_sizes.push_back(fs::file_size(tracers[0]->path() + ".body.tmp"));
            wait(sc_time(static_cast<double>(1 + rng() % 7), SC_NS));
        }
    }
};

TEST(VcdStreaming, FileDoesNotDependOnWhenChangesAreStreamedAndMemoryStaysBounded) {
    const std::string dir = testing::TempDir();
    for (const char* f : {"/streamed.vcd", "/buffered.vcd", "/medium.vcd"}) fs::remove(dir + f);
    aimc::VcdTracer streamed(dir + "/streamed.vcd", {}, 1), buffered(dir + "/buffered.vcd", {}, 1u << 30),
        medium(dir + "/medium.vcd", {}, 64);
    Recorder rec("rec");
    rec.tracers = {&streamed, &buffered, &medium};
    sc_core::sc_start();
    EXPECT_FALSE(fs::exists(dir + "/streamed.vcd")) << "the trace appears only when complete";
    // The body grew during the run: the changes were not all held in memory.
    ASSERT_GE(rec.body_sizes.size(), 3u);
    EXPECT_GT(rec.body_sizes[rec.body_sizes.size() / 2], 0u);
    EXPECT_GT(rec.body_sizes.back(), rec.body_sizes[rec.body_sizes.size() / 2]);
    for (auto* t : {&streamed, &buffered, &medium}) t->write(sc_core::sc_time_stamp());
    const std::string a = slurp(dir + "/streamed.vcd"), b = slurp(dir + "/buffered.vcd"), c = slurp(dir + "/medium.vcd");
    EXPECT_GT(a.size(), 1000u);
    EXPECT_EQ(a, b);
    EXPECT_EQ(c, b);
    EXPECT_NE(a.find("$var wire 32 $ link_x0_y0_east $end"), std::string::npos) << a.substr(0, 600);
    EXPECT_FALSE(fs::exists(dir + "/streamed.vcd.body.tmp"));
    EXPECT_FALSE(fs::exists(dir + "/streamed.vcd.tmp"));
}

}  // namespace
