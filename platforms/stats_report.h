// The end-of-run report: a short human-readable summary and the stats JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "platform.h"

namespace aimc::platform {

struct RunInfo {
    std::string firmware;
    double wall_time_s = 0;
};

nlohmann::json stats_json(Platform& platform, const RunInfo& run);
std::string text_report(const nlohmann::json& stats);

}  // namespace aimc::platform
