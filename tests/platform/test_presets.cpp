// Presets load, validate, and agree with the memory map the firmware is compiled against.
#include <fstream>

#include <gtest/gtest.h>

#include "aimc/platform.h"
#include "aimc/regs/tile.h"
#include "platform.h"

using aimc::platform::load_platform;
using aimc::platform::preset_names;

TEST(Presets, EveryPresetLoadsAndMatchesTheFirmwareMemoryMap) {
    ASSERT_FALSE(preset_names().empty());
    for (const auto& name : preset_names()) {
        SCOPED_TRACE(name);
        const auto p = load_platform(name);
        EXPECT_EQ(p.name, name);
        EXPECT_EQ(p.ram.base, AIMC_RAM_BASE);
        EXPECT_EQ(p.syscon.base, AIMC_SYSCON_BASE);
        EXPECT_EQ(p.clint.base, AIMC_CLINT_BASE);
        EXPECT_EQ(p.plic.base, AIMC_PLIC_BASE);
        EXPECT_EQ(p.uart0.base, AIMC_UART0_BASE);
        EXPECT_EQ(p.uart0.irq, static_cast<uint32_t>(AIMC_UART0_IRQ));
    }
}

TEST(Presets, BadPlatformFilesAreErrorsNamingTheKey) {
    const std::string path = testing::TempDir() + "/bad-platform.json";
    auto error_for = [&](const std::string& text) -> std::string {
        std::ofstream(path) << text;
        try {
            load_platform(path);
        } catch (const aimc::ConfigError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(error_for(R"({"cpu": {"clock_hz": "1 GHz", "turbo": true}})").find("cpu.turbo"), std::string::npos);
    EXPECT_NE(error_for(R"({"ram": {"size": "1 B"}})").find("ram.size"), std::string::npos);
    EXPECT_NE(error_for(R"({"ram": )").find("invalid JSON"), std::string::npos);
    EXPECT_NE(error_for(R"([1, 2])").find("top level"), std::string::npos);
    EXPECT_NE(error_for(R"({"uart0": {"irq": 2000}})").find("uart0.irq"), std::string::npos);
    try {
        load_platform("no-such-preset");
        FAIL();
    } catch (const aimc::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("tiny"), std::string::npos) << "lists the presets: " << e.what();
    }
}

TEST(Presets, EveryDescribedValueIsAcceptedBackBySet) {
    // What --describe prints for a key is valid input for --set key=value, and gives the same value.
    for (const auto& name : preset_names()) {
        SCOPED_TRACE(name);
        auto p = load_platform(name);
        const auto before = aimc::list_params(p);
        for (const auto& row : before) {
            SCOPED_TRACE(row.key + "=" + row.value);
            ASSERT_NO_THROW(aimc::apply_assignment(p, row.key + "=" + row.value));
        }
        const auto after = aimc::list_params(p);
        ASSERT_EQ(before.size(), after.size());
        for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(before[i].value, after[i].value) << before[i].key;
    }
}

TEST(Presets, InterruptSourcesMustBeDistinctAndExist) {
    // Rejected before any block is built (each try gets its own name: a refused platform's first
    // socket stays registered with SystemC).
    static int attempt = 0;
    auto error_for = [](void (*edit)(aimc::platform::PlatformParams&)) -> std::string {
        auto p = load_platform("tiny");
        edit(p);
        try {
            aimc::platform::Platform top(("top" + std::to_string(attempt++)).c_str(), p);
        } catch (const aimc::ConfigError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_NE(error_for([](auto& p) { p.dma.irq = p.uart0.irq; }).find("each device needs its own"), std::string::npos);
    EXPECT_NE(error_for([](auto& p) { p.uart0.irq = 35; }).find("uart0.irq"), std::string::npos);
}

TEST(Presets, CrossbarKeysAreParametersOfThePlatform) {
    // A preset, then one key on top, in either order on the command line; the tile's CAPS register
    // reports the crossbar it was built with (ADC bits [7:0], DAC bits [15:8], phases [31:24]).
    for (const auto& sets : {std::vector<std::string>{"tile.crossbar=hermes-core-4phase", "tile.crossbar.adc.bits=6"},
                             std::vector<std::string>{"tile.crossbar.adc.bits=6", "tile.crossbar=hermes-core-4phase"}}) {
        static int attempt = 0;
        auto p = load_platform("tiny");
        aimc::apply_assignments(p, sets);
        EXPECT_EQ(p.tile.crossbar.name, "hermes-core-4phase");
        aimc::platform::Platform top(("caps" + std::to_string(attempt++)).c_str(), p);
        uint32_t caps = 0;
        ASSERT_EQ(top.chip().tile(3).regs().read(AIMC_TILE_CAPS, reinterpret_cast<uint8_t*>(&caps), 4),
                  aimc::RegisterBank::Result::Ok);
        EXPECT_EQ(caps & 0xFF, 6u) << "ADC bits";
        EXPECT_EQ((caps >> 8) & 0xFF, 8u) << "DAC bits, from the preset";
        EXPECT_EQ(caps >> 24, 4u) << "phases, from the preset";
    }
    // The isaac preset file: {"preset": "isaac-ima", overrides}: the preset's keys and the file's.
    const auto isaac = load_platform("isaac");
    EXPECT_EQ(isaac.tile.crossbar.name, "isaac-ima");
    EXPECT_EQ(isaac.tile.crossbar.mapping.weight_bits, 8);
    EXPECT_EQ(isaac.tile.crossbar.mapping.bits_per_cell, 2);
    EXPECT_EQ(isaac.tile.crossbar.technology.levels, 4);
}

TEST(Presets, BadCrossbarKeysAndValuesNameTheKey) {
    auto error_for = [](const std::vector<std::string>& sets) -> std::string {
        auto p = load_platform("tiny");
        try {
            aimc::apply_assignments(p, sets);
        } catch (const aimc::ConfigError& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_EQ(error_for({"tile.crossbar.adc.bit=6"}),
              "--set: unknown key tile.crossbar.adc.bit; did you mean tile.crossbar.adc.bits?");
    EXPECT_NE(error_for({"tile.crossbar.adc.bits=0"}).find("tile.crossbar.adc.bits: value 0 is out of range"), std::string::npos);
    EXPECT_NE(error_for({"tile.crossbar.technology.stuck_probability=1.5"}).find("tile.crossbar.technology.stuck_probability"),
              std::string::npos);
    EXPECT_NE(error_for({"tile.crossbar=hermes-cor"}).find("did you mean hermes-core?"), std::string::npos);
    EXPECT_NE(error_for({"tile.crossbar.seed=3"}).find("unknown key tile.crossbar.seed"), std::string::npos);
}
