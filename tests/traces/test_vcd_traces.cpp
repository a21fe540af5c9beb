// Whole-platform VCD traces: GTKWave's own tools read them, the expected transitions are there in
// order, filters select scopes, and the same run gives the same file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../platform/run_process.h"

using namespace aimc::test;

namespace {

const std::string kVp = kSimulator.string();
const std::string kDataflow = image("tile-dataflow").string();

// The changes of each signal, by full name ("top.chip.tile_1.state"), as (time, value) pairs.
struct Vcd {
    std::map<std::string, std::vector<std::pair<uint64_t, std::string>>> changes;
    std::string timescale;
};

Vcd parse_vcd(const std::string& path) {
    Vcd vcd;
    std::ifstream in(path);
    std::map<std::string, std::string> names;  // id -> full name
    std::vector<std::string> scope;
    std::string tok;
    uint64_t now = 0;
    while (in >> tok) {
        if (tok == "$scope") {
            std::string kind, name;
            in >> kind >> name >> tok;
            scope.push_back(name);
        } else if (tok == "$upscope") {
            in >> tok;
            scope.pop_back();
        } else if (tok == "$var") {
            std::string type, width, id, name;
            in >> type >> width >> id >> name >> tok;
            std::string full;
            for (const auto& s : scope) full += s + ".";
            names[id] = full + name;
        } else if (tok == "$timescale") {
            std::getline(in, vcd.timescale, '$');
            in >> tok;
        } else if (tok[0] == '$') {
            while (tok != "$end" && in >> tok) {
            }
        } else if (tok[0] == '#') {
            now = std::stoull(tok.substr(1));
        } else if (tok[0] == 'b' || tok[0] == 'r') {
            std::string id;
            in >> id;
            vcd.changes[names[id]].emplace_back(now, tok.substr(1));
        } else {
            vcd.changes[names[tok.substr(1)]].emplace_back(now, tok.substr(0, 1));
        }
    }
    return vcd;
}

// When `signal` first takes `value` after time `after`.
uint64_t first_time_of(const Vcd& vcd, const std::string& signal, const std::string& value, uint64_t after = 0) {
    const auto it = vcd.changes.find(signal);
    if (it == vcd.changes.end()) return UINT64_MAX;
    for (const auto& [t, v] : it->second)
        if (v == value && t >= after) return t;
    return UINT64_MAX;
}

class VcdTrace : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(kVp) || !fs::exists(kDataflow)) GTEST_SKIP() << "simulator or firmware not built";
        dir_ = fs::temp_directory_path() / ("aimc-vcd-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string run(const std::string& name, std::vector<std::string> extra = {}) {
        const std::string path = (dir_ / name).string();
        std::vector<std::string> argv = {kVp, "--quiet", "--firmware", kDataflow, "--vcd", path};
        argv.insert(argv.end(), extra.begin(), extra.end());
        const auto r = run_process(argv, 120s);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return path;
    }
    fs::path dir_;
};

TEST_F(VcdTrace, GtkwaveToolsReadItAndTheDataflowIsVisible) {
    const std::string vcd_path = run("run.vcd");
    // GTKWave's converters accept the file both ways.
    if (std::system("command -v vcd2fst >/dev/null 2>&1") == 0) {
        const std::string fst = (dir_ / "run.fst").string(), back = (dir_ / "back.vcd").string();
        EXPECT_EQ(run_process({"vcd2fst", vcd_path, fst}, 60s).exit_code, 0);
        EXPECT_EQ(run_process({"fst2vcd", "-o", back, fst}, 60s).exit_code, 0);
        EXPECT_GT(fs::file_size(back), 0u);
    }
    const Vcd vcd = parse_vcd(vcd_path);
    EXPECT_NE(vcd.timescale.find("ps"), std::string::npos) << vcd.timescale;
    for (const char* s : {"top.chip.tile_0.state", "top.chip.tile_1.state", "top.chip.tile_1.irq",
                          "top.chip.tile_1.queue_depth", "top.cpu.state", "top.power.power_w", "top.power.energy_j"})
        EXPECT_TRUE(vcd.changes.count(s)) << s;
    // Tile 1 is armed (WAIT_INPUT = 5); tile 0 then computes (MVM = 2) and sends (SEND = 4); tile 1's
    // MVM starts only after tile 0's SEND began, and its FENCE interrupt after that.
    const uint64_t t1_wait = first_time_of(vcd, "top.chip.tile_1.state", "101");
    const uint64_t t0_mvm = first_time_of(vcd, "top.chip.tile_0.state", "10", t1_wait);
    const uint64_t t0_send = first_time_of(vcd, "top.chip.tile_0.state", "100", t0_mvm);
    const uint64_t t1_mvm = first_time_of(vcd, "top.chip.tile_1.state", "10", t1_wait);
    const uint64_t t1_irq = first_time_of(vcd, "top.chip.tile_1.irq", "1", t1_mvm);
    ASSERT_NE(t1_wait, UINT64_MAX);
    ASSERT_NE(t0_send, UINT64_MAX);
    ASSERT_NE(t1_mvm, UINT64_MAX);
    ASSERT_NE(t1_irq, UINT64_MAX);
    EXPECT_LT(t0_mvm, t0_send);
    EXPECT_LT(t1_wait, t1_mvm);
    EXPECT_LT(t0_send, t1_mvm);
    EXPECT_LT(t1_mvm, t1_irq);
    // The NoC shows the SEND on a link between tile 0 (0,0) and tile 1 (1,0).
    EXPECT_TRUE(vcd.changes.count("top.chip.noc.link_x0_y0_east"));
}

TEST_F(VcdTrace, FilterSelectsScopesAndRunsAreReproducible) {
    const std::string a = run("a.vcd", {"--trace-filter", "top.chip.tile_1.*"});
    const std::string b = run("b.vcd", {"--trace-filter", "top.chip.tile_1.*"});
    const Vcd vcd = parse_vcd(a);
    ASSERT_FALSE(vcd.changes.empty());
    for (const auto& [name, _] : vcd.changes) EXPECT_EQ(name.rfind("top.chip.tile_1.", 0), 0u) << name;
    EXPECT_EQ(read_text(a), read_text(b)) << "same inputs, same trace";
}

}  // namespace
