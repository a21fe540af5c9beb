// Platform presets compiled into the binary from platforms/presets/*.json (see CMakeLists.txt).
#pragma once

#include <string>
#include <vector>

namespace aimc::platform {

struct Preset {
    std::string name;
    std::string json;
};

const std::vector<Preset>& presets();

}  // namespace aimc::platform
