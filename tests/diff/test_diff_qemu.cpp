// aimc-vp's RV32IMAC core against qemu-system-riscv32 -M spike on random programs with a fixed
// seed (docs/robustness.md): the same final registers and scratch memory, or a report naming the
// first instruction whose result differs. Skipped when QEMU is not installed.
#include <gtest/gtest.h>

#include "qemu_diff.h"

namespace {

TEST(DiffQemu, FixedSeedProgramsAgree) {
    const auto tools = aimc::diff::find_tools();
    if (!tools) GTEST_SKIP() << "qemu-system-riscv32 is not installed";
    constexpr uint64_t kSeed = 20261205;
    constexpr unsigned kPrograms = 8, kLength = 600;
    uint64_t executed = 0, body = 0, generated = 0;
    for (unsigned i = 0; i < kPrograms; ++i) {
        const auto o = aimc::diff::run_one(*tools, kSeed + i, kLength,
                                           std::filesystem::path(testing::TempDir()) / ("aimc-diff-" + std::to_string(kSeed + i)));
        EXPECT_TRUE(o.same) << o.report;
        EXPECT_GT(o.executed, 0u) << "aimc-vp reported no retired instructions";
        EXPECT_GT(o.body_executed, o.generated / 4) << "the random body hardly ran";
        executed += o.executed;
        body += o.body_executed;
        generated += o.generated;
    }
    // The suite's figures are in docs/robustness.md.
    std::printf("differential test: %u programs, %llu random instructions generated, %llu of them executed; "
                "%llu instructions executed in all (with the final dumps)\n",
                kPrograms, static_cast<unsigned long long>(generated), static_cast<unsigned long long>(body),
                static_cast<unsigned long long>(executed));
    EXPECT_GE(generated, 4000u);
}

}  // namespace
