#include "common/log.h"

#include <cstdio>
#include <stdexcept>

#include <systemc>

namespace aimc::log {
namespace {
Level g_level = Level::Warn;
}

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

Level parse_level(const std::string& name) {
    if (name == "error") return Level::Error;
    if (name == "warn") return Level::Warn;
    if (name == "info") return Level::Info;
    if (name == "debug") return Level::Debug;
    throw std::invalid_argument("unknown log level '" + name + "' (error, warn, info, debug)");
}

void write(Level l, const std::string& who, const std::string& message) {
    static const char* names[] = {"error", "warn", "info", "debug"};
    const double us = sc_core::sc_time_stamp().to_seconds() * 1e6;
    std::fprintf(stderr, "[%12.3f us] %s: %s: %s\n", us, names[static_cast<int>(l)], who.c_str(), message.c_str());
}

}  // namespace aimc::log
