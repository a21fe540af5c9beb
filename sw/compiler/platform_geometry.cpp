#include "platform_geometry.h"

#include <cmath>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "graph.h"

namespace aimc::compiler {

namespace {

// A size: a number or a string "64 KiB" / "16 MiB" / "4096".
uint32_t size_value(const nlohmann::json& v, const std::string& where) {
    if (v.is_number_unsigned()) return v.get<uint32_t>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        size_t used = 0;
        double x = 0;
        try {
            x = std::stod(s, &used);
        } catch (const std::exception&) {
            throw CompileError(where + ": '" + s + "' is not a size");
        }
        std::string unit = s.substr(used);
        unit.erase(0, unit.find_first_not_of(' '));
        const double mult = unit.empty() || unit == "B" ? 1 : unit == "KiB" ? 1024 : unit == "MiB" ? 1048576 : -1;
        if (mult < 0) throw CompileError(where + ": unknown unit '" + unit + "'");
        return uint32_t(std::llround(x * mult));
    }
    throw CompileError(where + ": expected a size");
}

}  // namespace

double adc_full_scale(const analog::AnalogCoreConfig& c) {
    if (c.mapping.bits_per_cell != 0 || c.dac.mode != "pwm") return 0;
    return c.adc.full_scale_rows * c.dac.max_level() * c.mapping.weight_max();
}

PlatformGeometry read_platform(const std::string& preset_or_file) {
    const bool is_file = preset_or_file.find('/') != std::string::npos ||
                         preset_or_file.find(".json") != std::string::npos;
    const std::string path = is_file ? preset_or_file : std::string(AIMC_PRESETS_DIR) + "/" + preset_or_file + ".json";
    std::ifstream f(path);
    if (!f) throw CompileError(is_file ? path + ": cannot open the platform file"
                                       : "unknown platform preset '" + preset_or_file + "' (no " + path + ")");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(f);
    } catch (const std::exception& e) {
        throw CompileError(path + ": not valid JSON: " + e.what());
    }
    PlatformGeometry g;
    g.name = j.value("name", preset_or_file);
    try {
        if (j.contains("noc")) {
            g.mesh_width = j["noc"].value("width", g.mesh_width);
            g.mesh_height = j["noc"].value("height", g.mesh_height);
        }
        const nlohmann::json tile = j.value("tile", nlohmann::json::object());
        g.crossbar = analog::core_config_from_json(tile.value("crossbar", nlohmann::json("hermes-core")), "tile.crossbar");
        g.seed = tile.value("seed", g.seed);
        if (tile.contains("in_size")) g.in_size = size_value(tile["in_size"], path + ": tile.in_size");
        if (tile.contains("out_size")) g.out_size = size_value(tile["out_size"], path + ": tile.out_size");
        if (tile.contains("ldpu_size")) g.ldpu_size = size_value(tile["ldpu_size"], path + ": tile.ldpu_size");
        if (tile.contains("weight_size")) g.weight_size = size_value(tile["weight_size"], path + ": tile.weight_size");
        if (tile.contains("drift_age")) {
            if (!tile["drift_age"].is_number()) throw CompileError(path + ": tile.drift_age: give seconds as a number");
            g.drift_age = tile["drift_age"].get<double>();
            if (!(g.drift_age >= 0)) throw CompileError(path + ": tile.drift_age must be >= 0");
        }
        if (tile.contains("ldpu") && tile["ldpu"].contains("max_columns"))
            g.ldpu_max_columns = tile["ldpu"]["max_columns"].get<uint32_t>();
    } catch (const CompileError&) {
        throw;
    } catch (const std::exception& e) {
        throw CompileError(path + ": " + e.what());
    }
    if (g.mesh_width < 1 || g.mesh_height < 1 || g.tiles() > 65535)
        throw CompileError(fmt::format("{}: a {}x{} mesh is not supported", path, g.mesh_width, g.mesh_height));
    return g;
}

}  // namespace aimc::compiler
