#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/params.h"
#include "support/error_of.h"

namespace {

using aimc::test::error_of;

struct Inner {
    double latency = 1e-9;
    uint32_t bits = 8;
    void describe(aimc::ParamVisitor& v) {
        v.param("latency", latency, "s", "A latency", 0, 1);
        v.param("bits", bits, "", "Resolution", 1, 16);
    }
};

struct Root {
    uint64_t base = 0x1000;
    uint64_t size = 4096;
    double clock_hz = 1e9;
    bool enabled = false;
    std::string mode = "pwm";
    Inner inner;
    void describe(aimc::ParamVisitor& v) {
        v.param("base", base, "addr", "Base address", 0, 0xFFFFFFFF);
        v.param("size", size, "bytes", "Size", 1, 1e12);
        v.param("clock_hz", clock_hz, "Hz", "Clock", 1, 1e12);
        v.param("enabled", enabled, "", "Switch");
        v.choice("mode", mode, {"pwm", "bit-serial"}, "Input encoding");
        v.group("inner", inner, "Nested group");
    }
};

TEST(Params, DefaultsAreKeptForAbsentKeys) {
    Root r;
    aimc::apply_json(r, nlohmann::json::parse(R"({"inner": {"bits": 6}})"), "t.json");
    EXPECT_EQ(r.inner.bits, 6u);
    EXPECT_DOUBLE_EQ(r.inner.latency, 1e-9);
    EXPECT_EQ(r.base, 0x1000u);
}

TEST(Params, UnitsAndHexAreParsed) {
    Root r;
    aimc::apply_json(r, nlohmann::json::parse(R"({"base": "0x80000000", "size": "16 MiB", "clock_hz": "1.5GHz",
        "inner": {"latency": "130 ns"}, "mode": "bit-serial", "enabled": true})"), "t.json");
    EXPECT_EQ(r.base, 0x80000000u);
    EXPECT_EQ(r.size, 16u << 20);
    EXPECT_DOUBLE_EQ(r.clock_hz, 1.5e9);
    EXPECT_NEAR(r.inner.latency, 130e-9, 1e-21);
    EXPECT_EQ(r.mode, "bit-serial");
    EXPECT_TRUE(r.enabled);
}

TEST(Params, UnknownKeyIsAnErrorNamingTheKeyAndFile) {
    Root r;
    const auto msg = error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"inner": {"bitz": 3}})"), "p.json"); });
    EXPECT_NE(msg.find("p.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find("inner.bitz"), std::string::npos) << msg;
}

TEST(Params, OutOfRangeWrongTypeAndBadUnitAreErrors) {
    Root r;
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"inner": {"bits": 0}})"), "p"); }).find("inner.bits"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"inner": {"bits": 2.5}})"), "p"); }).find("whole"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"enabled": 3})"), "p"); }).find("enabled"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"inner": {"latency": "3 parsecs"}})"), "p"); }).find("unknown unit"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"mode": "analog"})"), "p"); }).find("not one of"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_json(r, nlohmann::json::parse(R"({"inner": 3})"), "p"); }).find("must be an object"), std::string::npos);
    // A failed assignment leaves the value alone.
    EXPECT_EQ(r.inner.bits, 8u);
}

TEST(Params, AssignmentsUseDottedKeys) {
    Root r;
    aimc::apply_assignment(r, "inner.bits=4");
    EXPECT_EQ(r.inner.bits, 4u);
    EXPECT_NE(error_of([&] { aimc::apply_assignment(r, "inner.nope=4"); }).find("inner.nope"), std::string::npos);
    EXPECT_NE(error_of([&] { aimc::apply_assignment(r, "novalue"); }).find("key=value"), std::string::npos);
}

TEST(Params, ListingFormatsValuesWithUnits) {
    Root r;
    const auto rows = aimc::list_params(r);
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_EQ(rows[0].key, "base");
    EXPECT_EQ(rows[0].value, "0x00001000");
    EXPECT_EQ(rows[1].value, "4 KiB");
    EXPECT_EQ(rows[6].key, "inner.bits");
}

}  // namespace
