// Random valid RV32IMAC programs for differential testing against QEMU (docs/robustness.md).
//
// A program is GNU assembler text for one bare-metal ELF that runs unchanged on aimc-vp and on
// qemu-system-riscv32 -M spike: it sets every register to a random value, runs a random body
// (integer, M, A and C instructions; loads and stores into a 256-byte scratch region; forward
// branches and jumps; mscratch accesses; no counter CSRs), then prints x1..x31 and the scratch
// region as hex words through the HTIF console and exits through tohost with status 0. A trap
// in the body prints "trap" with mcause, mepc and mtval and exits with status 3.
#pragma once

#include <cstdint>
#include <string>

namespace aimc::diff {

struct RandomProgram {
    std::string assembly;  // the .S text
    std::string linker_script;
    unsigned body_instructions = 0;  // instructions in the random body (static count)
};

// Same seed and length: the same program.
RandomProgram random_program(uint64_t seed, unsigned length);

}  // namespace aimc::diff
