// The parameter system (models/config) on its own: units, ranges, suggestions, presets, --set order,
// JSON round trip. Links aimc_config only, which proves it needs no SystemC.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/config_json.h"
#include "config/params.h"
#include "config/units.h"
#include "support/error_of.h"

namespace {

using aimc::test::error_of;
using nlohmann::json;

// An analog-style struct: template visit(), fields in scaled units, optional ranges.
struct Converter {
    int bits = 8;
    double lsb_time_ns = 1.0;
    double energy_pj = 2.0;
    double gain = 1.0;
    std::vector<double> coeffs{0.5, -0.25};
    template <class V>
    void visit(V& v) {
        v.param("bits", bits, "bit", "resolution", 1, 16);
        v.param("lsb_time_ns", lsb_time_ns, "ns", "time per LSB", aimc::kPositive, aimc::kInf);
        v.param("energy_pj", energy_pj, "pJ", "energy per conversion", 0, aimc::kInf);
        v.param("gain", gain, "-", "gain (no range)");
        v.param("coeffs", coeffs, "-", "a fitted curve");
    }
};

// A preset group: set whole from a name, then overrides.
struct Core {
    std::string name = "custom";
    int rows = 256;
    int seed = 1;
    Converter adc;
    static Core preset(const std::string& n) {
        Core c;
        c.name = n;
        if (n == "small") c.rows = 64, c.adc.bits = 6;
        else if (n == "wide") c.rows = 1024, c.adc.bits = 10;
        else throw std::invalid_argument("unknown core '" + n + "'");
        return c;
    }
    static std::vector<std::string> preset_names() { return {"small", "wide"}; }
    template <class V>
    void visit(V& v) {
        v.param("name", name, "-", "name");
        v.param("rows", rows, "-", "rows", 1, 8192);
        v.param("seed", seed, "-", "seed", 0, 1000);
        v.child("adc", adc, "the ADC");
    }
};

// A platform-style root: describe(), a preset child with one key hidden.
struct Root {
    double age = 0;
    uint32_t lanes = 4;
    Core core = Core::preset("small");
    void describe(aimc::ParamVisitor& v) {
        v.param("age", age, "s", "age of the weights", 0, 1e10);
        v.param("lanes", lanes, "", "lanes", 1, 64);
        v.child_without("core", core, "the core", {"seed"});
    }
};

TEST(ConfigUnits, PrefixesAndLongTimesConvertIntoTheDeclaredUnit) {
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("s", "d"), 86400.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("s", "h"), 3600.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("s", "min"), 60.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("s", "year"), 365.25 * 86400.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("ns", "us"), 1000.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("ns", "d"), 86400e9);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("pJ", "nJ"), 1000.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("GS/s", "MS/s"), 1e-3);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("bytes", "KiB"), 1024.0);
    EXPECT_DOUBLE_EQ(*aimc::units::conversion("cycles", "cycles"), 1.0);
    EXPECT_FALSE(aimc::units::conversion("ns", "pJ"));
    EXPECT_FALSE(aimc::units::conversion("pJ", "d"));  // long times are times only
    EXPECT_FALSE(aimc::units::conversion("cycles", "ns"));
}

TEST(ConfigUnits, ValuesParseWithUnitsAndDaysIntoSeconds) {
    Root r;
    aimc::apply_assignments(r, {"age=1d", "core.adc.lsb_time_ns=0.5 us", "core.adc.energy_pj=1.5nJ"});
    EXPECT_DOUBLE_EQ(r.age, 86400.0);
    EXPECT_DOUBLE_EQ(r.core.adc.lsb_time_ns, 500.0);
    EXPECT_DOUBLE_EQ(r.core.adc.energy_pj, 1500.0);
    aimc::apply_json(r, json::parse(R"({"age": "2 h", "core": {"adc": {"lsb_time_ns": 3}}})"), "f.json");
    EXPECT_DOUBLE_EQ(r.age, 7200.0);
    EXPECT_DOUBLE_EQ(r.core.adc.lsb_time_ns, 3.0);
    const auto msg = error_of([&] { aimc::apply_assignment(r, "core.adc.lsb_time_ns=3 pJ"); });
    EXPECT_NE(msg.find("core.adc.lsb_time_ns: unknown unit 'pJ'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("us"), std::string::npos) << "lists what it accepts: " << msg;
}

TEST(ConfigRanges, OutOfRangeValuesAreErrorsNamingTheKey) {
    Root r;
    EXPECT_NE(error_of([&] { aimc::apply_assignment(r, "core.adc.bits=0"); }).find("core.adc.bits: value 0 is out of range [1, 16]"),
              std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_assignment(r, "core.adc.bits=6.5"); }).find("whole number"), std::string::npos);
    // kPositive: zero is out, anything above is in.
    const auto zero = error_of([&] { aimc::apply_assignment(r, "core.adc.lsb_time_ns=0"); });
    EXPECT_NE(zero.find("core.adc.lsb_time_ns: value 0 is out of range (0, inf]"), std::string::npos) << zero;
    aimc::apply_assignment(r, "core.adc.lsb_time_ns=1e-6");
    EXPECT_DOUBLE_EQ(r.core.adc.lsb_time_ns, 1e-6);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, json::parse(R"({"core": {"adc": {"energy_pj": -1}}})"), "f.json"); })
                  .find("f.json: core.adc.energy_pj: value -1"),
              std::string::npos);
    EXPECT_EQ(r.core.adc.energy_pj, 2.0) << "a refused value leaves the parameter alone";
    // Structs filled in code: check_ranges names the key after the prefix.
    r.core.adc.bits = 40;
    EXPECT_NE(error_of([&] { aimc::check_ranges(r, "top."); }).find("top.core.adc.bits = 40 is out of range"), std::string::npos);
    aimc::ParamInfo info{"x", "s", "", aimc::kPositive, aimc::kInf, {}};
    EXPECT_EQ(aimc::format_param_range(info), "> 0");
    info.min = 1;
    info.max = 16;
    EXPECT_EQ(aimc::format_param_range(info), "1 .. 16");
}

TEST(ConfigSuggestions, UnknownKeysNameTheClosestValidKey) {
    EXPECT_EQ(aimc::closest_key("tile.crossbar.adc.bit", {"tile.crossbar.adc.bits", "tile.crossbar.dac.bits"}),
              "tile.crossbar.adc.bits");
    EXPECT_EQ(aimc::closest_key("noc.widht", {"noc.width", "noc.height"}), "noc.width");  // a transposition is one edit
    EXPECT_EQ(aimc::closest_key("frobnicate", {"noc.width", "noc.height"}), "");         // nothing close: no guess
    Root r;
    const auto set = error_of([&] { aimc::apply_assignment(r, "core.adc.bit=6"); });
    EXPECT_EQ(set, "--set: unknown key core.adc.bit; did you mean core.adc.bits?");
    const auto file = error_of([&] { aimc::apply_json(r, json::parse(R"({"core": {"rowz": 3}})"), "p.json"); });
    EXPECT_EQ(file, "p.json: unknown key core.rowz; did you mean core.rows?");
    const auto hidden = error_of([&] { aimc::apply_assignment(r, "core.seed=3"); });
    EXPECT_NE(hidden.find("unknown key core.seed"), std::string::npos) << "a hidden key is not a key: " << hidden;
    const auto preset = error_of([&] { aimc::apply_assignment(r, "core=smal"); });
    EXPECT_NE(preset.find("core: unknown core 'smal'; did you mean small?"), std::string::npos) << preset;
}

TEST(ConfigPresets, PresetFirstThenOverridesWhateverTheOrder) {
    Root r;
    // JSON objects are unordered ("adc" sorts before "preset"): the preset still comes first.
    aimc::apply_json(r, json::parse(R"({"core": {"adc": {"bits": 12}, "preset": "wide"}})"), "p.json");
    EXPECT_EQ(r.core.name, "wide");
    EXPECT_EQ(r.core.rows, 1024);
    EXPECT_EQ(r.core.adc.bits, 12);
    // --set: preset selections before single keys, whatever their order on the command line.
    Root s;
    aimc::apply_assignments(s, {"core.adc.bits=7", "core=wide", "core.rows=512"});
    EXPECT_EQ(s.core.name, "wide");
    EXPECT_EQ(s.core.adc.bits, 7);
    EXPECT_EQ(s.core.rows, 512);
    // A preset name alone replaces the whole group; an object without "preset" changes the current one.
    aimc::apply_json(s, json::parse(R"({"core": "small"})"), "p.json");
    EXPECT_EQ(s.core.rows, 64);
    EXPECT_EQ(s.core.adc.bits, 6);
    aimc::apply_json(s, json::parse(R"({"core": {"rows": 100}})"), "p.json");
    EXPECT_EQ(s.core.name, "small");
    EXPECT_EQ(s.core.rows, 100);
    // JSON text through --set.
    aimc::apply_assignment(s, R"(core={"preset": "wide", "adc": {"bits": 9}})");
    EXPECT_EQ(s.core.rows, 1024);
    EXPECT_EQ(s.core.adc.bits, 9);
    // Overrides are range-checked; "preset" is a key of preset groups only.
    EXPECT_NE(error_of([&] { aimc::apply_json(s, json::parse(R"({"core": {"preset": "wide", "rows": 0}})"), "p"); }).find("core.rows"),
              std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(s, json::parse(R"({"core": {"adc": {"preset": "x"}}})"), "p"); })
                  .find("unknown key core.adc.preset"),
              std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(s, json::parse(R"({"core": 3})"), "p"); }).find("core: expected a preset name or an object"),
              std::string::npos);
    const auto groups = aimc::list_preset_groups(s);
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].key, "core");
    EXPECT_EQ(groups[0].presets, (std::vector<std::string>{"small", "wide"}));
}

TEST(ConfigPresets, ARootThatIsAPresetGroupTakesANameOrAnObject) {
    Core c;
    aimc::apply_json(c, json("wide"), "", "xbar");
    EXPECT_EQ(c.rows, 1024);
    aimc::apply_json(c, json::parse(R"({"preset": "small", "adc": {"bits": 5}})"), "", "xbar");
    EXPECT_EQ(c.rows, 64);
    EXPECT_EQ(c.adc.bits, 5);
    EXPECT_NE(error_of([&] { aimc::apply_json(c, json::parse(R"({"adc": {"bitz": 5}})"), "", "xbar"); })
                  .find("unknown key xbar.adc.bitz; did you mean xbar.adc.bits?"),
              std::string::npos);
}

TEST(ConfigJson, RoundTripGivesTheSameValues) {
    Root a;
    aimc::apply_assignments(a, {"core=wide", "core.adc.coeffs=[1.5, 2, -3]", "core.adc.gain=0.123456789", "age=1 year"});
    const json j = aimc::to_json(a);
    EXPECT_EQ(j["core"]["adc"]["coeffs"], json::parse("[1.5, 2, -3]"));
    EXPECT_EQ(j["core"]["adc"]["bits"], 10);
    EXPECT_FALSE(j["core"].contains("seed"));
    Root b;
    aimc::apply_json(b, j, "round trip");
    EXPECT_EQ(aimc::to_json(b), j);
    EXPECT_DOUBLE_EQ(b.core.adc.gain, 0.123456789);
    EXPECT_DOUBLE_EQ(b.age, 31557600.0);
    // What a listing prints parses back to the same text.
    for (const auto& row : aimc::list_params(b)) {
        SCOPED_TRACE(row.key + "=" + row.value);
        Root c;
        aimc::apply_assignment(c, row.key + "=" + row.value);
        for (const auto& again : aimc::list_params(c))
            if (again.key == row.key) {
                EXPECT_EQ(again.value, row.value);
            }
    }
}


TEST(ConfigJson, DuplicateKeysAreErrorsNamingTheKeyAndItsPath) {
    using aimc::parse_config_json;
    auto error = [](const std::string& text) { return error_of([&] { parse_config_json(text, "plat.json"); }); };
    EXPECT_EQ(error(R"({"lanes": 4, "lanes": 8})"), "plat.json: duplicate key lanes: given twice in the same object");
    EXPECT_NE(error(R"({"core": {"adc": {"bits": 6, "gain": 1, "bits": 7}}})").find("duplicate key core.adc.bits"),
              std::string::npos);
    EXPECT_NE(error(R"({"a": [{"x": 1}, {"y": 1, "y": 2}]})").find("duplicate key a[1].y"), std::string::npos);
    EXPECT_NE(error(R"({"a": [[1, 2], {"z": {}, "z": 0}]})").find("duplicate key a[1].z"), std::string::npos);
    // The same key in different objects is fine, and so is a valid file.
    const json ok = parse_config_json(R"({"core": {"rows": 1}, "other": {"rows": 2}, "l": [{"k": 1}, {"k": 2}]})", "f");
    EXPECT_EQ(ok["other"]["rows"], 2);
    EXPECT_EQ(ok["l"][1]["k"], 2);
    EXPECT_NE(error(R"({"lanes": )").find("plat.json: invalid JSON"), std::string::npos);
    // --set with a JSON object is checked the same way.
    Root r;
    EXPECT_NE(error_of([&] { aimc::apply_assignment(r, R"(core.adc={"bits": 6, "bits": 7})"); }).find("duplicate key bits"),
              std::string::npos);
}

}  // namespace
