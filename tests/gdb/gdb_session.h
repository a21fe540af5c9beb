// What the whole-platform debugging tests share: aimc-vp (or gdb, QEMU) as a child process that runs
// while the test talks to it, aimc-vp started with its gdb stub on a free loopback port, and the
// RawClient fixture (a raw protocol client connected to that stub). Every wait is bounded.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "platform/run_process.h"
#include "rsp_client.h"

namespace aimc::test {

inline const std::string kVp = kSimulator.string();
inline const std::string kDemo = image("gdb-demo").string();
inline const std::string kHello = image("hello").string();

inline bool exists(const std::string& path) { return access(path.c_str(), R_OK) == 0; }
inline bool have_command(const std::string& name) {
    return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// A file under gtest's temp dir named after this process and the running test.
inline std::string temp_path(const std::string& tag) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return ::testing::TempDir() + "aimc-gdb-" + std::to_string(getpid()) + "-" + info->name() + "-" + tag;
}

// A child process with stdout and stderr in files and stdin from /dev/null.
class Process {
public:
    Process(const std::vector<std::string>& argv, const std::string& tag)
        : out_(temp_path(tag + ".out")), err_(temp_path(tag + ".err")) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        if (posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Process() {
        if (pid_ > 0 && status_ == kRunning) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    // Exit status; -1 if it had to be killed at the timeout, -2 if it died of a signal.
    int wait(std::chrono::milliseconds timeout = 60s) {
        if (status_ != kRunning) return status_;
        const auto end = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            int st = 0;
            const pid_t r = ::waitpid(pid_, &st, WNOHANG);
            if (r == pid_) {
                status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -2;
                return status_;
            }
            if (std::chrono::steady_clock::now() > end) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, nullptr, 0);
                status_ = -1;
                return status_;
            }
            std::this_thread::sleep_for(5ms);
        }
    }
    void signal(int sig) { ::kill(pid_, sig); }
    // CPU time used so far (user + system), from /proc.
    double cpu_seconds() const {
        const std::string stat = read_text("/proc/" + std::to_string(pid_) + "/stat");
        const auto close = stat.rfind(')');
        if (close == std::string::npos) return 0;
        std::istringstream rest(stat.substr(close + 2));
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i)
            if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
        return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    std::string out() const { return read_text(out_); }
    std::string err() const { return read_text(err_); }
    bool started() const { return pid_ > 0; }

private:
    static constexpr int kRunning = -100;
    pid_t pid_ = -1;
    int status_ = kRunning;
    std::string out_, err_;
};

// aimc-vp --gdb 0: the port it announces on stderr (0 if it does not in time).
inline uint16_t gdb_port(const Process& vp) {
    const std::regex announce("waiting for gdb on 127\\.0\\.0\\.1:([0-9]+)");
    for (int i = 0; i < 6000; ++i) {  // 30 s
        std::smatch m;
        const std::string err = vp.err();
        if (std::regex_search(err, m, announce)) return static_cast<uint16_t>(std::stoi(m[1]));
        std::this_thread::sleep_for(5ms);
    }
    return 0;
}

// aimc-vp on `elf` with its gdb stub on a free port, then `extra` options.
inline std::vector<std::string> vp_args(const std::string& elf, std::vector<std::string> extra = {}) {
    std::vector<std::string> a = {kVp, "--firmware", elf, "--gdb", "0", "--gdb-wait-timeout", "30s"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

#define REQUIRE_GDB_SETUP()                                                                                \
    do {                                                                                                   \
        if (!::aimc::test::have_command("gdb-multiarch")) GTEST_SKIP() << "gdb-multiarch is not installed"; \
        if (!::aimc::test::exists(::aimc::test::kDemo))                                                    \
            GTEST_SKIP() << ::aimc::test::kDemo << " was not built (AIMC_BUILD_FIRMWARE=OFF?)";            \
    } while (0)

#define REQUIRE_FIRMWARE(elf)                                                                       \
    do {                                                                                            \
        if (!::aimc::test::exists(elf)) GTEST_SKIP() << elf << " was not built (AIMC_BUILD_FIRMWARE=OFF?)"; \
    } while (0)

// aimc-vp on gdb-demo.elf and a raw protocol client connected to its stub: what gdb cannot easily be
// made to do.
class RawClient : public ::testing::Test {
protected:
    void start(std::vector<std::string> extra = {}) {
        vp = std::make_unique<Process>(vp_args(kDemo, extra), "vp");
        const uint16_t port = gdb_port(*vp);
        ASSERT_NE(port, 0) << vp->err();
        ASSERT_TRUE(client.connect(port));
        ASSERT_EQ(client.request("?"), "T05thread:1;");
    }
    // Puts `words` at 0x80100000 (free RAM) and the pc there.
    void run_code(const std::vector<uint32_t>& words) {
        std::string hex;
        for (const uint32_t w : words) {
            char b[9];
            std::snprintf(b, sizeof b, "%02x%02x%02x%02x", w & 0xFF, (w >> 8) & 0xFF, (w >> 16) & 0xFF, w >> 24);
            hex += b;
        }
        char len[16];
        std::snprintf(len, sizeof len, "%zx", 4 * words.size());
        ASSERT_EQ(client.request(std::string("M80100000,") + len + ":" + hex), "OK");
        ASSERT_EQ(client.request("P20=00001080"), "OK");
    }
    static std::string hex_of(const std::string& text) {
        std::string h;
        char b[3];
        for (const char c : text) {
            std::snprintf(b, sizeof b, "%02x", static_cast<uint8_t>(c));
            h += b;
        }
        return h;
    }
    void SetUp() override { REQUIRE_FIRMWARE(kDemo); }

    std::unique_ptr<Process> vp;
    RspClient client;
    static constexpr uint32_t kJumpSelf = 0x0000006f, kWfi = 0x10500073, kJumpBack4 = 0xffdff06f;
};

}  // namespace aimc::test
