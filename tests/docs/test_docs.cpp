// The generated tables in docs/ match the code (register maps, parameters and CSRs written once).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "doc_tables.h"
#include "host/rv32_csr_table.h"

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

// The CSR table of the core is generated (one row per CSR of models/host/rv32_csr_table.h) and its
// page carries the marker, so GeneratedTablesAreCurrent keeps it from drifting.
TEST(Docs, CsrTableIsGeneratedFromTheCore) {
    const std::string table = aimc::platform::generated_table("csrs", "rv32");
    size_t rows = 0;
    for (const auto& d : aimc::host::kCsrTable) {
        EXPECT_NE(table.find("| " + std::string(d.name) + " | "), std::string::npos) << d.name;
        ++rows;
    }
    EXPECT_EQ(static_cast<size_t>(std::count(table.begin(), table.end(), '\n')), rows + 2);  // + header lines
    EXPECT_THROW(aimc::platform::generated_table("csrs", "rv64"), std::invalid_argument);
    std::ifstream page(std::string(AIMC_SOURCE_DIR) + "/docs/models/rv32_core.md");
    const std::string text((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("<!-- generated: csrs rv32 -->"), std::string::npos);
}
