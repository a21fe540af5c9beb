// The long differential campaign against QEMU (docs/robustness.md):
//   aimc-diff-campaign [--minutes M] [--seed S] [--length N] [--keep DIR]
// runs random programs of N items from seed S upwards until M minutes have passed or a program
// differs; prints the programs and instructions run, and on a difference the report (status 1).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "qemu_diff.h"

int main(int argc, char** argv) {
    double minutes = 10;
    uint64_t seed = 1;
    unsigned length = 2000;
    std::string keep = "aimc-diff-failures";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string opt = argv[i];
        if (opt == "--minutes") minutes = std::strtod(argv[i + 1], nullptr);
        else if (opt == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 0);
        else if (opt == "--length") length = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 0));
        else if (opt == "--keep") keep = argv[i + 1];
        else {
            std::fprintf(stderr, "aimc-diff-campaign: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if ((argc - 1) % 2 != 0 || minutes <= 0 || length == 0) {
        std::fprintf(stderr, "usage: aimc-diff-campaign [--minutes M] [--seed S] [--length N] [--keep DIR]\n");
        return 2;
    }
    const auto tools = aimc::diff::find_tools();
    if (!tools) {
        std::fprintf(stderr, "aimc-diff-campaign: qemu-system-riscv32 is not installed\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(minutes * 60);
    uint64_t programs = 0, generated = 0, body = 0, executed = 0;
    int status = 0;
    for (uint64_t s = seed; std::chrono::steady_clock::now() < end; ++s) {
        const auto o = aimc::diff::run_one(*tools, s, length, std::string(keep) + "/seed-" + std::to_string(s));
        ++programs;
        generated += o.generated;
        executed += o.executed;
        body += o.body_executed;
        if (!o.same) {
            std::printf("%s\n", o.report.c_str());
            status = 1;
            break;
        }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("aimc-diff-campaign: seeds %llu.., %llu programs of %u items, %llu random instructions generated, "
                "%llu of them executed, %llu instructions executed in all (with the final dumps), %.0f s: %s\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(programs), length,
                static_cast<unsigned long long>(generated), static_cast<unsigned long long>(body),
                static_cast<unsigned long long>(executed), secs,
                status ? "DIFFERENCE" : "no difference");
    return status;
}
