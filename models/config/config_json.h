// The JSON text of a configuration (a platform file, a --set value), parsed strictly.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace aimc {

// Invalid JSON and a key given twice in one object (nlohmann::json would keep the last one
// silently) throw ConfigError (config/params.h) naming `origin`, and for a duplicate the key with
// its dotted path ("cpu.cycles.alu", "a[2].b").
nlohmann::json parse_config_json(const std::string& text, const std::string& origin);

}  // namespace aimc
