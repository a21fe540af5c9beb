#include <cstring>

#include <gtest/gtest.h>

#include "aimc/regs/plic.h"
#include "aimc/regs/syscon.h"
#include "common/register_bank.h"
#include "common/register_maps.h"

namespace {

using aimc::RegisterBank;

uint32_t read32(RegisterBank& b, uint32_t off, RegisterBank::Result* res = nullptr) {
    uint32_t v = 0;
    const auto r = b.read(off, reinterpret_cast<uint8_t*>(&v), 4);
    if (res) *res = r;
    return v;
}

RegisterBank::Result write32(RegisterBank& b, uint32_t off, uint32_t v) {
    return b.write(off, reinterpret_cast<const uint8_t*>(&v), 4);
}

TEST(RegisterBank, ResetValuesComeFromTheSharedMap) {
    RegisterBank b("syscon", aimc::register_map("syscon").registers);
    EXPECT_EQ(read32(b, AIMC_SYSCON_ID), AIMC_SYSCON_ID_VALUE);
}

TEST(RegisterBank, AccessRulesAreEnforced) {
    RegisterBank b("syscon", aimc::register_map("syscon").registers);
    RegisterBank::Result r;
    read32(b, AIMC_SYSCON_FINISHER, &r);
    EXPECT_EQ(r, RegisterBank::Result::WriteOnly);
    EXPECT_EQ(write32(b, AIMC_SYSCON_ID, 1), RegisterBank::Result::ReadOnly);
    EXPECT_EQ(read32(b, AIMC_SYSCON_ID), AIMC_SYSCON_ID_VALUE);  // the refused write changed nothing
    uint8_t byte = 0;
    EXPECT_EQ(b.read(AIMC_SYSCON_ID, &byte, 1), RegisterBank::Result::WrongSize);
    read32(b, 0x800, &r);
    EXPECT_EQ(r, RegisterBank::Result::NoRegister);
}

TEST(RegisterBank, ArraysCallbacksAndReset) {
    RegisterBank b("plic", aimc::register_map("plic").registers);
    unsigned last_index = 0;
    uint32_t last_value = 0;
    b.at(AIMC_PLIC_PRIORITY).on_write = [&](unsigned i, uint32_t v) { last_index = i; last_value = v; };
    EXPECT_EQ(write32(b, AIMC_PLIC_PRIORITY + 4 * 10, 5), RegisterBank::Result::Ok);
    EXPECT_EQ(last_index, 10u);
    EXPECT_EQ(last_value, 5u);
    EXPECT_EQ(read32(b, AIMC_PLIC_PRIORITY + 4 * 10), 5u);
    b.at(AIMC_PLIC_PENDING).on_read = [](unsigned) { return 0xABCDu; };
    EXPECT_EQ(read32(b, AIMC_PLIC_PENDING), 0xABCDu);
    b.reset();
    EXPECT_EQ(read32(b, AIMC_PLIC_PRIORITY + 4 * 10), 0u);
}

TEST(RegisterBank, OverlappingMapsAreRejected) {
    const std::vector<aimc::RegisterDef> bad{{"A", 0x0, 4, 2, aimc::RegAccess::RW, 0, ""},
                                             {"B", 0x4, 4, 1, aimc::RegAccess::RW, 0, ""}};
    EXPECT_THROW(RegisterBank("bad", bad), std::logic_error);
}

TEST(RegisterMaps, EveryBlockBuildsAndHasADocTable) {
    for (const auto& m : aimc::register_maps()) {
        RegisterBank b(m.block, m.registers);
        EXPECT_GT(b.size(), 0u);
        const auto table = aimc::register_table_markdown(m);
        for (const auto& r : m.registers) EXPECT_NE(table.find(r.name), std::string::npos);
    }
}

}  // namespace
