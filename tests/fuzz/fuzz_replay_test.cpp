// The suite's side of a fuzz harness (built with g++, linked with one harness):
//   <Suite>.CorpusReplays   runs every file of tests/fuzz/corpus/<target>/ through the harness's
//                           LLVMFuzzerTestOneInput; a violated property aborts, so the test fails.
//   <Suite>.ShortFuzzRun    runs the libFuzzer build of the harness (clang, ASan + UBSan) for a few
//                           seconds from the corpus; skipped, with the reason, when clang's libFuzzer
//                           was not found at configure time.
// AIMC_FUZZ_SUITE, AIMC_FUZZ_CORPUS and AIMC_FUZZER (or AIMC_FUZZER_MISSING) come from CMake.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace fs = std::filesystem;

TEST(AIMC_FUZZ_SUITE, CorpusReplays) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(AIMC_FUZZ_CORPUS))
        if (e.is_regular_file()) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_GE(files.size(), 3u) << "the seed corpus " << AIMC_FUZZ_CORPUS << " is missing or nearly empty";
    for (const auto& f : files) {
        SCOPED_TRACE(f.string());
        std::ifstream in(f, std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // A copy of exactly the file's size, so ASan sees a read past the input.
        std::unique_ptr<uint8_t[]> copy(new uint8_t[bytes.size() ? bytes.size() : 1]);
        std::copy(bytes.begin(), bytes.end(), copy.get());
        EXPECT_EQ(LLVMFuzzerTestOneInput(copy.get(), bytes.size()), 0);
    }
}

TEST(AIMC_FUZZ_SUITE, ShortFuzzRun) {
#ifdef AIMC_FUZZER
    // New inputs go to a scratch directory; the committed corpus is only read.
    const fs::path scratch = fs::path(AIMC_FUZZ_SCRATCH);
    fs::remove_all(scratch);
    fs::create_directories(scratch / "new");
    const std::string log = (scratch / "fuzz.log").string();
    const std::string cmd = std::string("'") + AIMC_FUZZER + "' -max_total_time=" + std::to_string(AIMC_FUZZ_SECONDS) +
                            " -seed=1 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix='" +
                            (scratch / "").string() + "' '" + (scratch / "new").string() + "' '" AIMC_FUZZ_CORPUS "' > '" +
                            log + "' 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << cmd << "\n" << text.substr(text.size() > 6000 ? text.size() - 6000 : 0);
    EXPECT_NE(text.find("stat::number_of_executed_units"), std::string::npos) << text;
#else
    GTEST_SKIP() << "no libFuzzer build of this harness: " << AIMC_FUZZER_MISSING;
#endif
}
