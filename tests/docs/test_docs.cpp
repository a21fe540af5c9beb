// The generated tables in docs/ match the code (register maps and parameters written once).
#include <gtest/gtest.h>

#include "doc_tables.h"

TEST(Docs, GeneratedTablesAreCurrent) {
    const auto stale = aimc::platform::stale_docs(std::string(AIMC_SOURCE_DIR) + "/docs", false);
    std::string list;
    for (const auto& f : stale) list += "\n  " + f;
    EXPECT_TRUE(stale.empty()) << "run: build/bin/aimc-docgen --update docs" << list;
}

TEST(Docs, UnknownTablesAreErrors) {
    EXPECT_THROW(aimc::platform::regenerate("<!-- generated: regmap nosuch -->\n<!-- end generated -->", "x.md"),
                 std::invalid_argument);
    EXPECT_THROW(aimc::platform::regenerate("<!-- generated: params cpu -->\nno end", "x.md"), std::invalid_argument);
}
