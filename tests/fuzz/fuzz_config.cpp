// Fuzz harness: the parameter system's platform-file (JSON) and --set parsers (models/config/params.h).
//
// The real platform description (platforms/platform.h) is made of SystemC modules' parameter structs,
// so the harness parses into a SystemC-free tree of the same shape: the real NoC, crossbar (a preset
// group, as tile.crossbar) and LDPU parameters, and a "cpu" group holding one parameter of every kind
// and unit the platform's blocks declare (times, frequencies, sizes, addresses, energies, choices,
// lists, a JSON sub-configuration). The parser code is the platform's own: apply_json/apply_assignments.
//
// Input: a mode byte, then the text. Mode bit 0 clear: the text is a platform file (JSON); set: it is
// one --set assignment per line.
// Properties: the parse either succeeds or throws ConfigError (JSON syntax errors are nlohmann's
// parse_error, which the platform turns into ConfigError); after a success every value is within the
// range its parameter declares, and the tree written as JSON (to_json) reads back (apply_json) into a
// fresh tree that writes the same JSON.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analog/core_config.h"
#include "config/params.h"
#include "dpu/ldpu.h"
#include "fuzz_check.h"
#include "noc/noc_params.h"

namespace {

struct Kinds {
    double clock_hz = 1e9, quantum = 1e-6, energy = 20e-12, latency_ns = 10, power = 1e-3;
    uint32_t base = 0x80000000u, irq = 3, cycles = 2;
    uint64_t size = 16u << 20;
    int32_t offset = 0;
    int64_t ticks = 0;
    bool enabled = false;
    std::string misaligned = "trap", label = "x";
    std::vector<double> levels{0.1, 0.2};
    nlohmann::json extra = nlohmann::json::object();

    void describe(aimc::ParamVisitor& v) {
        v.param("clock_hz", clock_hz, "Hz", "a frequency", 1e3, 100e9);
        v.param("quantum", quantum, "s", "a time", 1e-12, 1);
        v.param("energy", energy, "J", "an energy", 0, 1e-6);
        v.param("latency_ns", latency_ns, "ns", "a time in ns", 0, 1e6);
        v.param("power", power, "W", "a power", 0, 100);
        v.param("base", base, "addr", "an address", 0, 4294967295.0);
        v.param("irq", irq, "", "a small count", 1, 1023);
        v.param("cycles", cycles, "cycles", "cycles", 0, 1000);
        v.param("size", size, "bytes", "a size", 4096, 4294967296.0);
        v.param("offset", offset, "", "a signed number", -1000, 1000);
        v.param("ticks", ticks, "", "a wide signed number");
        v.param("enabled", enabled, "", "a flag");
        v.choice("misaligned", misaligned, {"trap", "emulate"}, "a choice");
        v.param("label", label, "", "free text");
        v.param("levels", levels, "V", "a list", 0, 10);
        v.param("extra", extra, "", "a sub-configuration passed on whole");
    }
};

struct Tile {
    double clock_hz = 1e9;
    aimc::analog::AnalogCoreConfig crossbar = aimc::analog::core_config_preset("hermes-core");
    aimc::dpu::LdpuParams ldpu;
    void describe(aimc::ParamVisitor& v) {
        v.param("clock_hz", clock_hz, "Hz", "tile clock", 1e6, 10e9);
        v.child_without("crossbar", crossbar, "analog core", {"seed"});
        v.group("ldpu", ldpu, "LDPU");
    }
};

struct Root {
    std::string name = "custom", description;
    Kinds cpu;
    aimc::noc::NocParams noc;
    Tile tile;
    void describe(aimc::ParamVisitor& v) {
        v.param("name", name, "", "name");
        v.param("description", description, "", "description");
        v.group("cpu", cpu, "every kind of parameter");
        v.group("noc", noc, "NoC");
        v.group("tile", tile, "tile");
    }
};

void check_parsed(Root& root) {
    try {
        aimc::check_ranges(root, "");
    } catch (const std::exception& e) {
        FUZZ_CHECK(false, "accepted a value outside its range: %s", e.what());
    }
    const nlohmann::json written = aimc::to_json(root);
    Root again;
    try {
        aimc::apply_json(again, written, "round trip");
    } catch (const std::exception& e) {
        FUZZ_CHECK(false, "the tree written as JSON does not read back: %s\n%s", e.what(), written.dump().c_str());
    }
    const nlohmann::json rewritten = aimc::to_json(again);
    FUZZ_CHECK(rewritten == written, "JSON round trip changed values:\n%s\n%s", written.dump().c_str(),
               rewritten.dump().c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1 || size > 64 * 1024) return 0;
    const bool assignments = data[0] & 1;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    Root root;
    try {
        if (assignments) {
            std::vector<std::string> lines;
            size_t at = 0;
            while (at <= text.size()) {
                const size_t nl = std::min(text.find('\n', at), text.size());
                lines.push_back(text.substr(at, nl - at));
                at = nl + 1;
            }
            aimc::apply_assignments(root, lines);
        } else {
            nlohmann::json j;
            try {
                j = nlohmann::json::parse(text);
            } catch (const nlohmann::json::parse_error&) {
                return 0;  // the platform reports it as "<file>: invalid JSON: ..."
            }
            aimc::apply_json(root, j, "fuzz.json");
        }
    } catch (const aimc::ConfigError& e) {
        FUZZ_CHECK(e.what()[0] != 0, "an empty error message");
        return 0;
    } catch (const std::exception& e) {
        FUZZ_UNEXPECTED(e.what());
    }
    check_parsed(root);
    return 0;
}
