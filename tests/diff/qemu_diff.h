// Differential testing of aimc-vp's RV32 core against qemu-system-riscv32 -M spike: one random
// program (rv32_random_program.h) is assembled, run on both, and compared by its final registers
// and scratch memory; on a difference both are run again with per-instruction traces and the
// first instruction whose result differs is reported.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace aimc::diff {

struct Tools {
    std::string gcc;   // riscv64-unknown-elf-gcc
    std::string qemu;  // qemu-system-riscv32
    std::string vp;    // aimc-vp
};

// The tools of this build: gcc and aimc-vp as configured, QEMU from PATH (nullopt if missing).
std::optional<Tools> find_tools();

struct Outcome {
    bool same = false;
    uint64_t executed = 0;       // instructions aimc-vp retired (whole program, the final dump included)
    uint64_t body_executed = 0;  // of which in the random body (forward branches skip some)
    unsigned generated = 0;      // instructions in the random body
    std::string report;        // on a difference: what differs and where
};

// Generates, builds and runs program `seed` of `length` items in `dir` (left there on a difference).
Outcome run_one(const Tools& tools, uint64_t seed, unsigned length, const std::filesystem::path& dir);

}  // namespace aimc::diff
