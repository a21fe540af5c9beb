// The aimc-compile command line: a good compile writes the image and prints the mapping report;
// --summary prints an image; every bad input exits 2 with a message naming the file, node or layer
// and the reason, and leaves no image (not even a partial one) behind.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../platform/run_process.h"

using namespace aimc::test;

namespace {

const std::string kModels = AIMC_TEST_MODELS;
const std::string kCompile = std::string(AIMC_BIN_DIR) + "/aimc-compile";

RunResult compile(std::vector<std::string> args) {
    args.insert(args.begin(), kCompile);
    return run_process(args, std::chrono::seconds(120));
}

}  // namespace

TEST(AimcCompile, CompilesPrintsTheMappingReportAndSummarisesTheImage) {
    TempDir dir;
    const std::string out = (dir.path() / "mlp.aimg").string();
    RunResult r = compile({kModels + "/mlp.onnx", "-o", out, "--calib", "100"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("mapping on hermes64: 5 of 64 tiles"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("/fc1/Gemm            dense    784x300         1  4x2"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(out));
    EXPECT_FALSE(fs::exists(out + ".tmp"));
    r = compile({"--summary", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("model image 'mlp' format 1.0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("5 tiles needed"), std::string::npos) << r.out;
}

TEST(AimcCompile, EveryBadInputExitsTwoNamingWhatAndWhereAndWritesNothing) {
    TempDir dir;
    // A truncated copy of a good model.
    const fs::path trunc = dir.path() / "truncated.onnx";
    {
        std::ifstream in(kModels + "/mlp.onnx", std::ios::binary);
        std::vector<char> head(5000);
        in.read(head.data(), std::streamsize(head.size()));
        std::ofstream(trunc, std::ios::binary).write(head.data(), std::streamsize(head.size()));
    }
    const fs::path garbage = dir.path() / "garbage.aimg";
    std::ofstream(garbage) << "not an image";
    struct Case {
        std::vector<std::string> args;
        std::vector<std::string> words;
    };
    const std::vector<Case> cases = {
        {{trunc.string()}, {"truncated.onnx", "not a valid ONNX model"}},
        {{kModels + "/bad_unsupported.onnx"}, {"bad_unsupported.onnx", "node 'probabilities' (Softmax, #2)", "not supported"}},
        {{kModels + "/bad_dynamic.onnx"}, {"bad_dynamic.onnx", "input 'image' has a dynamic shape (dimension 'N')"}},
        {{kModels + "/bad_opset.onnx"}, {"bad_opset.onnx", "opset 9 is not supported"}},
        {{kModels + "/bad_nan.onnx"}, {"bad_nan.onnx", "node 'fc' (Gemm, #1)", "non-finite"}},
        {{kModels + "/mlp.onnx", "--platform", "tiny"}, {"mlp.onnx", "layer '/fc1/Gemm'", "needs 5 tiles", "'tiny' has 4"}},
        {{kModels + "/bad_input_shape.onnx"}, {"calibration data of the wrong shape", "1x28x28", "1x1x32x32"}},
        {{kModels + "/mlp.onnx", "--platform", "no-such-chip"}, {"unknown platform preset 'no-such-chip'"}},
        {{kModels + "/missing.onnx"}, {"missing.onnx: cannot open"}},
    };
    for (const Case& c : cases) {
        const std::string out = (dir.path() / "out.aimg").string();
        std::vector<std::string> args = c.args;
        args.insert(args.end(), {"-o", out, "--calib", "50"});
        const RunResult r = compile(args);
        EXPECT_EQ(r.exit_code, 2) << c.args[0] << "\n" << r.out << r.err;
        for (const std::string& w : c.words) EXPECT_NE(r.err.find(w), std::string::npos) << w << " in: " << r.err;
        EXPECT_FALSE(fs::exists(out)) << c.args[0];
        EXPECT_FALSE(fs::exists(out + ".tmp")) << c.args[0];
    }
    const RunResult r = compile({"--summary", garbage.string()});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("garbage.aimg: image of 12 bytes is shorter than its"), std::string::npos) << r.err;
}
