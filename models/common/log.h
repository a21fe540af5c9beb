// Levelled logging with simulation-time stamps: "[   1.234 us] uart0: message".
#pragma once

#include <string>

#include <fmt/format.h>

namespace aimc::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3 };

void set_level(Level level);
Level level();
Level parse_level(const std::string& name);  // "error", "warn", "info", "debug"; throws on others
void write(Level level, const std::string& who, const std::string& message);

template <class... Args>
void error(const std::string& who, fmt::format_string<Args...> f, Args&&... args) {
    write(Level::Error, who, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(const std::string& who, fmt::format_string<Args...> f, Args&&... args) {
    if (level() >= Level::Warn) write(Level::Warn, who, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void info(const std::string& who, fmt::format_string<Args...> f, Args&&... args) {
    if (level() >= Level::Info) write(Level::Info, who, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void debug(const std::string& who, fmt::format_string<Args...> f, Args&&... args) {
    if (level() >= Level::Debug) write(Level::Debug, who, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace aimc::log
