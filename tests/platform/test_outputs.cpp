// What aimc-vp guarantees for its outputs (--stats, --vcd, --trace-instructions, the UART file): a
// bad path fails before the run with status 2; a failed write is an error naming the file (status
// 74); a file that exists is complete, also after --max-time or Ctrl-C; and the same seed gives the
// same stats (apart from wall-clock time) and the same VCD.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_process.h"

namespace {

using namespace aimc::test;

const std::string kVp = kSimulator.string();

class Outputs : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("aimc-outputs-" + std::to_string(::getpid()) + "-" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string at(const std::string& name) const { return (dir_ / name).string(); }
    // Only the final files: no `.tmp` left behind.
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }
    fs::path dir_;
};

TEST_F(Outputs, AnUnwritablePathFailsBeforeTheRun) {
    const std::string hello = image("hello").string();
    for (const std::vector<std::string>& opt :
         {std::vector<std::string>{"--stats", at("no/such/s.json")}, {"--vcd", at("no/such/v.vcd")},
          {"--trace-instructions", at("no/such/t.txt")}, {"--set", "uart0.output_file=" + at("no/such/u.txt")},
          {"--stats", dir_.string()}}) {
        std::vector<std::string> argv = {kVp, "--quiet", "--firmware", hello};
        argv.insert(argv.end(), opt.begin(), opt.end());
        const auto r = run_process(argv, 60s);
        EXPECT_EQ(r.exit_code, 2) << opt[0] << ": " << r.err;
        EXPECT_NE(r.err.find(opt[0] == "--set" ? "uart0.output_file" : opt[0]), std::string::npos) << r.err;
        EXPECT_EQ(r.out, "") << "the firmware ran although an output cannot be written";
    }
}

TEST_F(Outputs, AFailedWriteIsAnErrorNamingTheFile) {
    // /dev/full accepts the open and fails every write (ENOSPC), as a full disk does.
    for (const std::vector<std::string>& opt :
         {std::vector<std::string>{"--stats", "/dev/full"}, {"--trace-instructions", "/dev/full"},
          {"--set", "uart0.output_file=/dev/full"}}) {
        std::vector<std::string> argv = {kVp, "--quiet", "--firmware", image("hello").string()};
        argv.insert(argv.end(), opt.begin(), opt.end());
        const auto r = run_process(argv, 60s);
        EXPECT_EQ(r.exit_code, 74) << opt[0] << ": " << r.err;
        EXPECT_NE(r.err.find("cannot write '/dev/full'"), std::string::npos) << r.err;
    }
}

TEST_F(Outputs, MaxTimeEndsWithCompleteFilesAndNoTemporaries) {
    const auto r = run_process({kVp, "--quiet", "--firmware", image("hang").string(), "--max-time", "2ms", "--stats",
                                at("s.json"), "--vcd", at("v.vcd")},
                               120s);
    EXPECT_EQ(r.exit_code, 124) << r.err;
    EXPECT_EQ(files(), (std::vector<std::string>{"s.json", "v.vcd"}));
    const auto stats = nlohmann::json::parse(read_text(dir_ / "s.json"));
    EXPECT_EQ(stats["exit"]["reason"], "max-time");
    const std::string vcd = read_text(dir_ / "v.vcd");
    EXPECT_NE(vcd.find("$enddefinitions $end"), std::string::npos);
    EXPECT_NE(vcd.rfind("\n#2000000000\n"), std::string::npos) << "ends at the stop time";
}

TEST_F(Outputs, SigintEndsTheRunWithItsReportStatsAndAClosedVcd) {
    const std::vector<std::string> args = {kVp, "--quiet", "--firmware", image("hang").string(), "--stats", at("s.json"),
                                           "--vcd", at("v.vcd")};
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, kVp.c_str(), nullptr, nullptr, argv.data(), environ), 0);
    // Wait until the run is under way (its VCD body grows), then press Ctrl-C.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline &&
           !(fs::exists(at("v.vcd.body.tmp")) && fs::file_size(at("v.vcd.body.tmp")) > 0))
        std::this_thread::sleep_for(20ms);
    kill(pid, SIGINT);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 130);
    EXPECT_EQ(files(), (std::vector<std::string>{"s.json", "v.vcd"}));
    const auto stats = nlohmann::json::parse(read_text(dir_ / "s.json"));
    EXPECT_EQ(stats["exit"]["reason"], "interrupted");
    const std::string vcd = read_text(dir_ / "v.vcd");
    EXPECT_NE(vcd.find("$enddefinitions $end"), std::string::npos);
    ASSERT_GT(vcd.size(), 2u);
    EXPECT_EQ(vcd.back(), '\n') << "the last line is whole";
    EXPECT_NE(vcd.find("\n#", vcd.find("$enddefinitions")), std::string::npos) << "no value changes";
}

// Stats without the fields that measure the host (wall-clock time, simulation speed).
nlohmann::json without_wall_clock(nlohmann::json j) {
    if (j.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (auto& [k, v] : j.items())
            if (k.find("wall") == std::string::npos && k.find("per_wall") == std::string::npos &&
                k.find("mips") == std::string::npos && k.find("speed") == std::string::npos)
                out[k] = without_wall_clock(v);
        return out;
    }
    if (j.is_array()) {
        for (auto& v : j) v = without_wall_clock(v);
    }
    return j;
}

TEST_F(Outputs, SameSeedSameStatsAndVcdAnotherSeedChangesTheNoisyFigures) {
    const auto run = [&](const std::string& tag, const std::string& seed) {
        const auto r = run_process({kVp, "--quiet", "--firmware", image("tile-dataflow").string(), "--seed", seed,
                                    "--stats", at(tag + ".json"), "--vcd", at(tag + ".vcd")},
                                   300s);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return std::make_pair(without_wall_clock(nlohmann::json::parse(read_text(dir_ / (tag + ".json")))),
                              read_text(dir_ / (tag + ".vcd")));
    };
    const auto a = run("a", "11"), b = run("b", "11"), c = run("c", "12");
    EXPECT_EQ(a.first, b.first) << "same seed, different stats";
    EXPECT_TRUE(a.second == b.second) << "same seed, different VCD";
    EXPECT_GT(a.second.size(), 1000u);
    EXPECT_NE(a.first["energy_j"], c.first["energy_j"]) << "the seed does not reach the analog noise";
}

// The tiles' weight programming runs on host threads (sim.threads); a run is the same whatever their number:
// 16 tiles programmed at once, then two tiles' MVM dataflow with noise.
TEST_F(Outputs, ThreadCountChangesNoStatsAndNoVcd) {
    const auto run = [&](const std::string& fw, const std::string& tag, const std::string& threads) {
        const auto r = run_process({kVp, "--quiet", "--firmware", image(fw).string(), "--set", "noc.width=4",
                                    "--set", "noc.height=4", "--set", "sim.threads=" + threads, "--stats",
                                    at(tag + ".json"), "--vcd", at(tag + ".vcd")},
                                   300s);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return std::make_pair(without_wall_clock(nlohmann::json::parse(read_text(dir_ / (tag + ".json")))),
                              read_text(dir_ / (tag + ".vcd")));
    };
    for (const std::string fw : {"program-all", "tile-dataflow"}) {
        const auto one = run(fw, fw + "-1", "1"), three = run(fw, fw + "-3", "3");
        EXPECT_EQ(one.first, three.first) << fw << ": the stats depend on the thread count";
        EXPECT_TRUE(one.second == three.second) << fw << ": the VCD depends on the thread count";
        EXPECT_GT(one.first["energy_j"]["by_action"]["program"].get<double>(), 0) << fw;
    }
}

}  // namespace
