#include "rv32_random_program.h"

#include <array>
#include <random>
#include <vector>

#include <fmt/format.h>

namespace aimc::diff {
namespace {

constexpr unsigned kScratchBytes = 256;
constexpr unsigned kBase = 8;   // s0: the scratch region's address, never written by the body
constexpr unsigned kTemp = 31;  // t6: set by the generator right before an AMO or jalr uses it

class Generator {
public:
    Generator(uint64_t seed, unsigned length) : rng_(seed), length_(length) {}

    RandomProgram run() {
        RandomProgram p;
        text_ += ".option norelax\n.section .text.init, \"ax\"\n.globl _start\n_start:\n";
        text_ += "  la t0, trap\n  csrw mtvec, t0\n";
        for (unsigned r = 1; r < 32; ++r)
            if (r != kBase) line("li x{}, {:#x}", r, value());
        line("la x{}, scratch", kBase);
        for (unsigned i = 0; i < length_; ++i) {
            text_ += fmt::format("L{}:\n", i);
            item(i);
        }
        text_ += fmt::format("L{}:\n", length_);
        text_ += kEpilogue;
        text_ += ".data\n.balign 16\nsig: .space 128\nscratch:\n";
        for (unsigned w = 0; w < kScratchBytes / 4; ++w) line(".word {:#010x}", value());
        p.assembly = std::move(text_);
        p.linker_script = kLinkerScript;
        p.body_instructions = count_;
        return p;
    }

private:
    template <class... A>
    void line(const char* f, A&&... a) {
        text_ += "  " + fmt::format(fmt::runtime(f), std::forward<A>(a)...) + "\n";
    }
    template <class... A>
    void insn(const char* f, A&&... a) {
        line(f, std::forward<A>(a)...);
        ++count_;
    }
    unsigned pick(unsigned n) { return std::uniform_int_distribution<unsigned>(0, n - 1)(rng_); }
    int range(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    // Values that find corner cases: zero, one, all ones, the extremes, small and random words.
    uint32_t value() {
        static constexpr std::array<uint32_t, 8> kSpecial = {0, 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 2, 0xFFFFFFFE, 31};
        switch (pick(4)) {
        case 0: return kSpecial[pick(kSpecial.size())];
        case 1: return static_cast<uint32_t>(range(-64, 64));
        default: return static_cast<uint32_t>(rng_());
        }
    }
    unsigned src() { return pick(32); }
    unsigned dst() {  // any register but the scratch base (x0 included: writes are dropped)
        for (;;) {
            const unsigned r = pick(32);
            if (r != kBase) return r;
        }
    }
    unsigned dst_c() { return 9 + pick(7); }      // x9..x15: compressed rd' without s0
    unsigned dst_nz() {                            // compressed forms that need rd != 0
        for (;;) {
            const unsigned r = dst();
            if (r != 0) return r;
        }
    }
    std::string target(unsigned i) { return fmt::format("L{}", std::min(length_, i + 1 + pick(8))); }

    void item(unsigned i) {
        static const char* const kRR[] = {"add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                                          "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"};
        static const char* const kRI[] = {"addi", "slti", "sltiu", "xori", "ori", "andi"};
        static const char* const kShift[] = {"slli", "srli", "srai"};
        static const char* const kBr[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu"};
        static const char* const kLoad[] = {"lb", "lbu", "lh", "lhu", "lw"};
        static const unsigned kLoadSize[] = {1, 1, 2, 2, 4};
        static const char* const kStore[] = {"sb", "sh", "sw"};
        static const char* const kAmo[] = {"amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w",
                                           "amomin.w", "amomax.w", "amominu.w", "amomaxu.w"};
        static const char* const kCAlu[] = {"c.sub", "c.xor", "c.or", "c.and"};
        const unsigned kind = pick(100);
        if (kind < 30) {
            insn("{} x{}, x{}, x{}", kRR[pick(18)], dst(), src(), src());
        } else if (kind < 42) {
            insn("{} x{}, x{}, {}", kRI[pick(6)], dst(), src(), range(-2048, 2047));
        } else if (kind < 47) {
            insn("{} x{}, x{}, {}", kShift[pick(3)], dst(), src(), pick(32));
        } else if (kind < 50) {
            insn("{} x{}, {:#x}", pick(2) ? "lui" : "auipc", dst(), pick(1u << 20));
        } else if (kind < 60) {
            const unsigned k = pick(5), size = kLoadSize[k];
            insn("{} x{}, {}(x{})", kLoad[k], dst(), pick(kScratchBytes / size) * size, kBase);
        } else if (kind < 68) {
            const unsigned k = pick(3), size = 1u << k;
            insn("{} x{}, {}(x{})", kStore[k], src(), pick(kScratchBytes / size) * size, kBase);
        } else if (kind < 73) {
            insn("addi x{}, x{}, {}", kTemp, kBase, 4 * pick(kScratchBytes / 4));
            insn("{} x{}, x{}, (x{})", kAmo[pick(9)], dst(), src(), kTemp);
        } else if (kind < 75) {
            // lr/sc with only register operations between them: sc succeeds on both simulators;
            // sometimes sc goes to another word and fails on both.
            const unsigned off = 4 * pick(kScratchBytes / 4);
            insn("addi x{}, x{}, {}", kTemp, kBase, off);
            insn("lr.w x{}, (x{})", dst_but_temp(), kTemp);
            for (unsigned n = pick(3); n > 0; --n) insn("xor x{}, x{}, x{}", dst_but_temp(), src(), src());
            if (pick(4) == 0) insn("addi x{}, x{}, {}", kTemp, kBase, (off + 4) % kScratchBytes);
            insn("sc.w x{}, x{}, (x{})", dst_but_temp(), src(), kTemp);
        } else if (kind < 83) {
            insn("{} x{}, x{}, {}", kBr[pick(6)], src(), src(), target(i));
        } else if (kind < 85) {
            insn("jal x{}, {}", dst(), target(i));
        } else if (kind < 87) {
            text_ += fmt::format("P{}:\n", i);
            insn("auipc x{}, %pcrel_hi({})", kTemp, target(i));
            insn("jalr x{}, %pcrel_lo(P{})(x{})", dst(), i, kTemp);
        } else if (kind < 96) {
            compressed(i, kCAlu);
        } else {
            static const char* const kCsr[] = {"csrrw", "csrrs", "csrrc"};
            if (pick(2)) insn("{} x{}, mscratch, x{}", kCsr[pick(3)], dst(), src());
            else insn("{}i x{}, mscratch, {}", kCsr[pick(3)], dst(), pick(32));
        }
    }

    unsigned dst_but_temp() {
        for (;;) {
            const unsigned r = dst();
            if (r != kTemp) return r;
        }
    }

    void compressed(unsigned i, const char* const (&alu)[4]) {
        switch (pick(10)) {
        case 0: insn("c.addi x{}, {}", dst_nz(), nonzero6()); break;
        case 1: insn("c.li x{}, {}", dst_nz(), range(-32, 31)); break;
        case 2: {
            unsigned rd = dst_nz();
            while (rd == 2) rd = dst_nz();
            const int imm = nonzero6();
            insn("c.lui x{}, {:#x}", rd, imm > 0 ? static_cast<unsigned>(imm) : 0x100000u + static_cast<unsigned>(imm));
            break;
        }
        case 3: insn("c.mv x{}, x{}", dst_nz(), 1 + pick(31)); break;
        case 4: insn("c.add x{}, x{}", dst_nz(), 1 + pick(31)); break;
        case 5: insn("{} x{}, x{}", alu[pick(4)], dst_c(), 8 + pick(8)); break;
        case 6: insn("c.{} x{}, {}", pick(2) ? "srli" : "srai", dst_c(), 1 + pick(31)); break;
        case 7: insn("c.slli x{}, {}", dst_nz(), 1 + pick(31)); break;
        case 8: insn("c.andi x{}, {}", dst_c(), range(-32, 31)); break;
        default: insn("{} x{}, {}", pick(2) ? "c.beqz" : "c.bnez", 8 + pick(8), target(i)); break;
        }
    }
    int nonzero6() {
        const int v = range(-32, 30);
        return v >= 0 ? v + 1 : v;
    }

    // Stores x1..x31 (x31 through mscratch) to `sig`, prints sig[1..31] and the scratch words as
    // hex lines through the HTIF console, and exits with status 0.
    static constexpr const char* kEpilogue = R"(  csrw mscratch, x31
  la x31, sig
  sw x1, 4(x31)
  sw x2, 8(x31)
  sw x3, 12(x31)
  sw x4, 16(x31)
  sw x5, 20(x31)
  sw x6, 24(x31)
  sw x7, 28(x31)
  sw x8, 32(x31)
  sw x9, 36(x31)
  sw x10, 40(x31)
  sw x11, 44(x31)
  sw x12, 48(x31)
  sw x13, 52(x31)
  sw x14, 56(x31)
  sw x15, 60(x31)
  sw x16, 64(x31)
  sw x17, 68(x31)
  sw x18, 72(x31)
  sw x19, 76(x31)
  sw x20, 80(x31)
  sw x21, 84(x31)
  sw x22, 88(x31)
  sw x23, 92(x31)
  sw x24, 96(x31)
  sw x25, 100(x31)
  sw x26, 104(x31)
  sw x27, 108(x31)
  sw x28, 112(x31)
  sw x29, 116(x31)
  sw x30, 120(x31)
  csrr x1, mscratch
  sw x1, 124(x31)
  la s0, sig + 4
  li s1, 95
dump_word:
  lw a0, 0(s0)
  jal ra, puthex
  addi s0, s0, 4
  addi s1, s1, -1
  bnez s1, dump_word
  li a0, 0
  j finish
trap:
  li a1, 't'
  jal ra, putc
  csrr a0, mcause
  jal ra, puthex
  csrr a0, mepc
  jal ra, puthex
  csrr a0, mtval
  jal ra, puthex
  li a0, 3
finish:
  la t0, tohost
1:lw t1, 0(t0)
  lw t2, 4(t0)
  or t1, t1, t2
  bnez t1, 1b
  slli a0, a0, 1
  ori a0, a0, 1
  sw a0, 0(t0)
  sw zero, 4(t0)
2:j 2b
# a0 as 8 hex digits and a newline
puthex:
  mv s2, ra
  li s3, 28
3:srl a1, a0, s3
  andi a1, a1, 15
  addi a1, a1, '0'
  li t3, '9'
  ble a1, t3, 4f
  addi a1, a1, 'a' - '9' - 1
4:jal ra, putc
  addi s3, s3, -4
  bgez s3, 3b
  li a1, '\n'
  jal ra, putc
  mv ra, s2
  ret
# HTIF console: device 1, command 1; the request is complete with the high word
putc:
  la t0, tohost
5:lw t1, 0(t0)
  lw t2, 4(t0)
  or t1, t1, t2
  bnez t1, 5b
  sw a1, 0(t0)
  li t1, 0x01010000
  sw t1, 4(t0)
  ret
.section .tohost, "aw", @progbits
.balign 64
.globl tohost
.type tohost, @object
.size tohost, 8
tohost: .dword 0
.balign 64
.globl fromhost
.type fromhost, @object
.size fromhost, 8
fromhost: .dword 0
)";

    static constexpr const char* kLinkerScript = R"(OUTPUT_ARCH("riscv")
ENTRY(_start)
SECTIONS {
  . = 0x80000000;
  .text : { *(.text.init) *(.text*) }
  . = ALIGN(0x1000);
  .tohost : { *(.tohost) }
  . = ALIGN(0x1000);
  .data : { *(.data*) *(.sdata*) *(.bss*) }
}
)";

    std::mt19937_64 rng_;
    unsigned length_;
    unsigned count_ = 0;
    std::string text_;
};

}  // namespace

RandomProgram random_program(uint64_t seed, unsigned length) { return Generator(seed, length).run(); }

}  // namespace aimc::diff
