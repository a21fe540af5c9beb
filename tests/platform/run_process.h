// Running a child process with a timeout and collecting its output, for the whole-platform tests
// (the aimc-vp binary, QEMU). Header-only; everything is in namespace aimc::test, which also holds
// what those tests all use (`fs`, the chrono literals), so a test needs only `using namespace aimc::test;`.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

extern char** environ;

namespace aimc::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct RunResult {
  int exit_code = -1;  // exit status; 128 + signal number if killed by a signal
  bool timed_out = false;
  std::string out, err;
};

// Receives stdout in chunks instead of collecting it (for very long outputs such as traces).
using OutputSink = std::function<void(std::string_view)>;

// Runs argv[0] (searched on PATH) with stdin from /dev/null, in its own process group, which is
// killed (SIGKILL) when `timeout` of wall time has passed. Exit code 127 if it cannot be started.
inline RunResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                             const OutputSink& stdout_sink = {}) {
  using Clock = std::chrono::steady_clock;
  using namespace std::chrono_literals;
  RunResult result;
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout kills whatever it started too.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int spawn_error = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (spawn_error != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    result.exit_code = 127;
    result.err = "cannot start " + argv[0] + ": " + std::strerror(spawn_error);
    return result;
  }

  const auto deadline = Clock::now() + timeout;
  auto kill_on_timeout = [&] {
    if (!result.timed_out && Clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      result.timed_out = true;
    }
  };

  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::vector<char> buffer(1 << 16);
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    kill_on_timeout();
    int ready = poll(fds, 2, 100);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2 && ready > 0; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = read(fds[i].fd, buffer.data(), buffer.size());
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
      } else if (i == 0 && stdout_sink) {
        stdout_sink(std::string_view(buffer.data(), static_cast<size_t>(got)));
      } else {
        (i == 0 ? result.out : result.err).append(buffer.data(), static_cast<size_t>(got));
      }
    }
  }

  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    kill_on_timeout();
    std::this_thread::sleep_for(5ms);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

// Exit status, timeout and the start of both outputs, for assertion messages.
inline std::string describe(const RunResult& r) {
  std::ostringstream s;
  s << "exit status " << r.exit_code << (r.timed_out ? " (killed: timeout)" : "") << "\n--- stdout ---\n"
    << r.out.substr(0, 4000) << "\n--- stderr ---\n" << r.err.substr(0, 4000);
  return s.str();
}

inline bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The whole file as text ("" if it cannot be read).
inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory under the system's temp dir, removed with everything in it at scope exit.
class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "aimc-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? std::filesystem::path(pattern) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

// The simulator and the firmware images of this build.
inline const std::filesystem::path kSimulator = std::filesystem::path(AIMC_BIN_DIR) / "aimc-vp";
inline std::filesystem::path image(const std::string& name) {
  return std::filesystem::path(AIMC_SW_DIR) / (name + ".elf");
}

}  // namespace aimc::test

// In a GoogleTest test: stops it with the path of what is missing if the simulator or the image
// build/sw/<name>.elf was not built.
#define ASSERT_SIMULATOR_BUILT() \
  ASSERT_TRUE(::std::filesystem::exists(::aimc::test::kSimulator)) << "simulator not built: " << ::aimc::test::kSimulator
#define ASSERT_IMAGE_BUILT(name)                                                                          \
  ASSERT_TRUE(::std::filesystem::exists(::aimc::test::image(name))) << "firmware image not built: " \
                                                                    << ::aimc::test::image(name) << " (target `firmware`)"
#define ASSERT_BUILT(name)      \
  do {                          \
    ASSERT_SIMULATOR_BUILT();   \
    ASSERT_IMAGE_BUILT(name);   \
  } while (0)
