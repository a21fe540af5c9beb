// Raw speed of the bare RV32 core (no SystemC): MIPS on CPU-bound kernels, run the way the SystemC
// wrapper runs it (one run() call per quantum).
//
//   bench_rv32_core [--quantum N] [--seconds S] [--reps N] [--no-builtin] [--elf FILE]... [--sw-dir DIR]
//
// Built-in kernels are hand-assembled (same instruction mix as GCC -O2 output for rv32imac):
//   mvm   int8 256x256 matrix-vector multiply, four rows per pass (inner loop copied from GCC's
//         code for sw/apps/cpu-bench/mvm.c: 20 instructions, 5 lb + 4 mul per iteration)
//   mix   linked-list walk, insertion sort, bitwise CRC-32 and a call/branch-heavy state machine
// With --elf (or --sw-dir, which picks bench-mvm.elf and bench-mix.elf there if they exist) it also
// runs cross-compiled HTIF firmware images: RAM at 0x80000000, exit through `tohost`.
#include <elf.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "host/rv32_core.h"
#include "host/rv32_asm.h"  // tests/host/rv32_asm.h

using namespace aimc::host;
using namespace rv32asm;
using namespace rv32asm::enc;

namespace {

constexpr uint32_t kRamBase = 0x80000000;
constexpr uint32_t kRamSize = 16u << 20;
constexpr uint32_t kExitReg = 0x10000000;

class BenchBus : public CoreBus {
public:
    Rv32Core* core = nullptr;
    uint32_t exit_code = 0;
    bool exited = false;
    // Devices are sinks (reads 0, writes ignored), as the firmware's finisher/UART stores expect.
    bool load(uint32_t, unsigned, uint32_t& v) override {
        v = 0;
        return true;
    }
    bool store(uint32_t addr, unsigned, uint32_t value) override {
        if (addr == kExitReg) {
            exit_code = value;
            exited = true;
            core->request_stop();
        }
        return true;
    }
    uint64_t mtime() override { return 0; }
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Result {
    double seconds = 0, cpu = 0;
    uint64_t instructions = 0, cycles = 0;
    bool ok = false;
    std::string note;
};

// Runs the core until exit (exit register or HTIF tohost), one run(quantum) call per quantum.
Result run_core(std::vector<uint8_t>& ram, uint32_t entry, uint32_t tohost, uint64_t quantum, double max_seconds) {
    BenchBus bus;
    Rv32Core::Config cfg;
    cfg.reset_pc = entry;
    Rv32Core core(cfg, bus);
    bus.core = &core;
    core.add_dmi(DmiRegion{ram.data(), kRamBase, kRamSize});
    Result r;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    uint64_t calls = 0;
    for (;;) {
        const StopReason s = core.run(quantum);
        ++calls;
        if (tohost) {
            uint32_t v;
            std::memcpy(&v, &ram[tohost - kRamBase], 4);
            if (v) {
                r.ok = v == 1;  // (code << 1) | 1 with code 0
                if (!r.ok) r.note = "firmware exit code " + std::to_string(v >> 1);
                break;
            }
        }
        if (s == StopReason::Requested) {
            if (core.fatal_trap().happened) {
                char buf[128];
                std::snprintf(buf, sizeof buf, "fatal trap cause %u at pc 0x%08x tval 0x%08x", core.fatal_trap().cause,
                              core.fatal_trap().pc, core.fatal_trap().tval);
                r.note = buf;
            } else {
                r.ok = bus.exited && bus.exit_code == 0;
            }
            break;
        }
        if (s != StopReason::Budget) {
            r.note = "unexpected stop";
            break;
        }
        if ((calls & 1023) == 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > max_seconds) {
            r.note = "time limit";
            break;
        }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.cpu = cpu_seconds() - c0;
    r.instructions = core.instret();
    r.cycles = core.cycles();
    return r;
}

void exit_seq(Program& p, Reg code) {
    p(lui(t6, kExitReg >> 12))(sw(code, t6, 0));
}

// ---- mvm: y = W x, W int8 256x256, x int8, repeated `reps` times --------------------------------
std::vector<uint8_t> build_mvm(std::vector<uint8_t>& ram, uint32_t reps) {
    const uint32_t W = kRamBase + 0x100000, X = kRamBase + 0x110000, Y = kRamBase + 0x110400;
    uint32_t seed = 1;
    for (uint32_t i = 0; i < 65536 + 256; ++i) {
        seed = seed * 1664525u + 1013904223u;
        ram[W - kRamBase + i] = static_cast<uint8_t>(seed >> 24);
    }
    Program p(kRamBase);
    p.li(sp, kRamBase + kRamSize - 64);
    p.li(s8, reps);
    p.li(s5, W + 256);  // GCC addresses rows i-1..i+2 from row 1
    p.li(s4, X).li(s0, X + 256).li(s2, Y + 1024);
    p.label("rep");
    p(addi(t5, zero, 0)).li(s1, Y);
    p.label("L27");
    p(addi(t2, t5, 256))(addi(t0, t5, 512))(addi(t6, t5, 768))(add(a2, s5, t5)).c(c_mv(a3, s4))
        .c(c_li(a7, 0)).c(c_li(t1, 0)).c(c_li(t3, 0)).c(c_li(t4, 0)).c(c_swsp(s1, 0));
    p.label("L26");
    p(sub(a5, a2, t2))(add(s1, a5, t5))(add(a0, a5, t0)).c(c_add(a5, t6));
    p(lb(a1, a3, 0))(lb(a6, a2, 0))(lb(s1, s1, 0))(lb(a0, a0, 0))(lb(a5, a5, 0));
    p(mul(s1, s1, a1)).c(c_addi(a3, 1)).c(c_addi(a2, 1))(mul(a6, a6, a1)).c(c_add(t4, s1));
    p(mul(a0, a0, a1)).c(c_add(t3, a6))(mul(a5, a5, a1)).c(c_add(t1, a0)).c(c_add(a7, a5));
    p.bne(a3, s0, "L26");
    p.c(c_lwsp(s1, 0))(addi(t5, t5, 1024))(sw(t4, s1, 0))(sw(t3, s1, 4))(sw(t1, s1, 8))(sw(a7, s1, 12))
        .c(c_addi(s1, 16));
    p.bne(s1, s2, "L27");
    p(addi(s8, s8, -1)).bne(s8, zero, "rep");
    exit_seq(p, zero);
    return p.finish();
}

// ---- mix: list walk, insertion sort, CRC-32, calls + branchy state machine ----------------------
std::vector<uint8_t> build_mix(std::vector<uint8_t>& ram, uint32_t reps) {
    const uint32_t LIST = kRamBase + 0x100000, ARR = kRamBase + 0x101000, TXT = kRamBase + 0x102000;
    // A 64-node list in a shuffled order: node = {next, value}.
    uint32_t seed = 7;
    auto rnd = [&] { return seed = seed * 1664525u + 1013904223u; };
    std::vector<uint32_t> order(64);
    for (uint32_t i = 0; i < 64; ++i) order[i] = i;
    for (uint32_t i = 63; i > 0; --i) std::swap(order[i], order[rnd() % (i + 1)]);
    for (uint32_t k = 0; k < 64; ++k) {
        const uint32_t node = LIST + 8 * order[k];
        const uint32_t next = k + 1 < 64 ? LIST + 8 * order[k + 1] : 0;
        const uint32_t val = rnd() >> 8;
        std::memcpy(&ram[node - kRamBase], &next, 4);
        std::memcpy(&ram[node - kRamBase + 4], &val, 4);
    }
    const uint32_t head = LIST + 8 * order[0];
    for (uint32_t i = 0; i < 96; ++i) ram[TXT - kRamBase + i] = "12,-3.5,e7,+88,x,4e-2,,901"[i % 27];

    Program p(kRamBase);
    p.li(sp, kRamBase + kRamSize - 64).li(s11, reps).li(s10, 0);
    p.label("rep");
    // list walk: sum of values
    p.li(a0, head)(addi(a1, zero, 0));
    p.label("walk").c(c_lw(a2, a0, 4)).c(c_lw(a0, a0, 0)).c(c_add(a1, a2)).c_bnez(a0, "walk");
    p.c(c_add(s10, a1));
    // fill 48 words from the running hash, insertion sort them (signed)
    p.li(s0, ARR)(addi(t0, zero, 48)).c(c_mv(t1, s0))(add(t2, s10, s11));
    p.label("fill")(sw(t2, t1, 0)).li(t3, 0x01000193)(mul(t2, t2, t3))(xori(t2, t2, 0x2A5)).c(c_addi(t1, 4))
        (addi(t0, t0, -1)).bne(t0, zero, "fill");
    p(addi(t0, zero, 1))(addi(t4, zero, 48));
    p.label("outer")(slli(t1, t0, 2)).c(c_add(t1, s0))(lw(a2, t1, 0)).c(c_mv(a3, t1));
    p.label("inner").beq(a3, s0, "place");
    p.label("inner2")(lw(a4, a3, -4)).bge(a2, a4, "place")(sw(a4, a3, 0))(addi(a3, a3, -4)).bne(a3, s0, "inner2");
    p.label("place")(sw(a2, a3, 0))(addi(t0, t0, 1)).blt(t0, t4, "outer");
    // CRC-32 (bitwise, reflected) over the 192 bytes of the sorted array
    p(addi(a0, zero, -1)).c(c_mv(a1, s0))(addi(a5, a1, 192)).li(a4, 0xEDB88320);
    p.label("crcb")(lbu(a2, a1, 0)).c(c_addi(a1, 1)).c(c_xor(a0, a2))(addi(a3, zero, 8));
    p.label("crcbit")(andi(t0, a0, 1)).c(c_srli(a0, 1))(sub(t0, zero, t0))(and_(t0, t0, a4))(xor_(a0, a0, t0))
        .c(c_addi(a3, -1)).c_bnez(a3, "crcbit");
    p.bne(a1, a5, "crcb");
    p(xor_(s10, s10, a0));
    // state machine over the text, one call per character
    p.li(s0, TXT)(addi(s1, s0, 96))(addi(s2, zero, 0))(addi(s3, zero, 0));
    p.label("fsm")(lbu(a0, s0, 0)).jal(ra, "classify")(add(s3, s3, a0)).c(c_addi(s0, 1)).bne(s0, s1, "fsm");
    p(add(s10, s10, s3))(addi(s11, s11, -1)).bne(s11, zero, "rep");
    exit_seq(p, zero);
    // classify(a0 = char) -> a0 = class code; also advances the state in s2.
    p.label("classify")(addi(t0, zero, ','));
    p.beq(a0, t0, "c_sep")(addi(t0, a0, -'0'))(sltiu(t1, t0, 10)).bne(t1, zero, "c_digit");
    p(addi(t0, zero, '.')).beq(a0, t0, "c_dot")(ori(t0, a0, 0x20))(addi(t1, zero, 'e')).beq(t0, t1, "c_exp");
    p(addi(t0, zero, '-')).beq(a0, t0, "c_sign")(addi(t0, zero, '+')).beq(a0, t0, "c_sign");
    p(addi(s2, zero, 4))(addi(a0, zero, 4))(jalr(zero, ra, 0));
    p.label("c_sep")(mv(a0, s2))(addi(s2, zero, 0))(jalr(zero, ra, 0));
    p.label("c_digit")(addi(t0, zero, 4)).beq(s2, t0, "c_keep").c(c_li(a0, 1)).beq(s2, zero, "c_int")
        .c(c_li(a0, 0)).c(c_jr(ra));
    p.label("c_int")(addi(s2, zero, 1)).c(c_li(a0, 1)).c(c_jr(ra));
    p.label("c_dot")(addi(s2, zero, 2)).c(c_li(a0, 2)).c(c_jr(ra));
    p.label("c_exp")(addi(s2, zero, 3)).c(c_li(a0, 3)).c(c_jr(ra));
    p.label("c_sign").c(c_li(a0, 5)).c(c_jr(ra));
    p.label("c_keep").c(c_li(a0, 6)).c(c_jr(ra));
    return p.finish();
}

// ---- ELF images (HTIF) -------------------------------------------------------------------------
bool load_elf(const std::string& path, std::vector<uint8_t>& ram, uint32_t& entry, uint32_t& tohost) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::vector<uint8_t> d((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (d.size() < sizeof(Elf32_Ehdr) || std::memcmp(d.data(), ELFMAG, SELFMAG) != 0) return false;
    Elf32_Ehdr eh;
    std::memcpy(&eh, d.data(), sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_machine != EM_RISCV) return false;
    entry = eh.e_entry;
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf32_Phdr ph;
        std::memcpy(&ph, &d[eh.e_phoff + i * eh.e_phentsize], sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
        if (ph.p_paddr < kRamBase || ph.p_paddr - kRamBase + ph.p_memsz > kRamSize) return false;
        std::memset(&ram[ph.p_paddr - kRamBase], 0, ph.p_memsz);
        std::memcpy(&ram[ph.p_paddr - kRamBase], &d[ph.p_offset], ph.p_filesz);
    }
    tohost = 0;
    for (unsigned i = 0; i < eh.e_shnum; ++i) {
        Elf32_Shdr sh;
        std::memcpy(&sh, &d[eh.e_shoff + i * eh.e_shentsize], sizeof sh);
        if (sh.sh_type != SHT_SYMTAB) continue;
        Elf32_Shdr strtab;
        std::memcpy(&strtab, &d[eh.e_shoff + sh.sh_link * eh.e_shentsize], sizeof strtab);
        for (uint32_t off = 0; off + sizeof(Elf32_Sym) <= sh.sh_size; off += sizeof(Elf32_Sym)) {
            Elf32_Sym sym;
            std::memcpy(&sym, &d[sh.sh_offset + off], sizeof sym);
            if (std::strcmp(reinterpret_cast<const char*>(&d[strtab.sh_offset + sym.st_name]), "tohost") == 0) {
                tohost = sym.st_value;
            }
        }
    }
    return tohost != 0;
}

void report(const char* name, uint64_t quantum, const Result& r) {
    std::printf("%-22s %8llu %12llu %8.3f %8.3f %9.1f %9.1f  %s\n", name, static_cast<unsigned long long>(quantum),
                static_cast<unsigned long long>(r.instructions), r.seconds, r.cpu, r.instructions / r.seconds / 1e6,
                r.instructions / r.cpu / 1e6, r.ok ? "ok" : ("FAILED " + r.note).c_str());
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<uint64_t> quanta = {1000, 100000};
    double seconds = 60;
    std::vector<std::string> elfs;
    uint32_t mvm_reps = 400, mix_reps = 20000;
    bool builtin = true;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "missing value for %s\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--quantum") {
            quanta = {std::strtoull(next().c_str(), nullptr, 0)};
        } else if (a == "--seconds") {
            seconds = std::strtod(next().c_str(), nullptr);
        } else if (a == "--elf") {
            elfs.push_back(next());
        } else if (a == "--sw-dir") {
            const std::string dir = next();
            for (const char* k : {"bench-mvm", "bench-mix"}) {
                const std::string f = dir + "/" + k + ".elf";
                if (std::ifstream(f)) elfs.push_back(f);
            }
        } else if (a == "--no-builtin") {
            builtin = false;
        } else if (a == "--reps") {
            mvm_reps = static_cast<uint32_t>(std::strtoul(next().c_str(), nullptr, 0));
            mix_reps = mvm_reps * 50;
        } else {
            std::fprintf(stderr, "usage: %s [--quantum N] [--seconds S] [--reps N] [--no-builtin] [--elf FILE]... [--sw-dir DIR]\n",
                         argv[0]);
            return 2;
        }
    }
    std::printf("%-22s %8s %12s %8s %8s %9s %9s\n", "kernel", "quantum", "instructions", "wall s", "cpu s",
                "MIPS", "cpu MIPS");
    int failures = 0;
    std::vector<uint8_t> ram(kRamSize);
    for (uint64_t q : quanta) {
        for (const char* k : {"mvm (hand-assembled)", "mix (hand-assembled)"}) {
            if (!builtin) break;
            std::fill(ram.begin(), ram.end(), 0);
            const auto img = k[1] == 'v' ? build_mvm(ram, mvm_reps) : build_mix(ram, mix_reps);
            std::memcpy(ram.data(), img.data(), img.size());
            const Result r = run_core(ram, kRamBase, 0, q, seconds);
            report(k, q, r);
            failures += !r.ok;
        }
        for (const auto& path : elfs) {
            std::fill(ram.begin(), ram.end(), 0);
            uint32_t entry = 0, tohost = 0;
            const std::string name = path.substr(path.find_last_of('/') + 1);
            if (!load_elf(path, ram, entry, tohost)) {
                std::printf("%-22s cannot load (needs an rv32 ELF with RAM at 0x80000000 and `tohost`)\n", name.c_str());
                ++failures;
                continue;
            }
            const Result r = run_core(ram, entry, tohost, q, seconds);
            report(name.c_str(), q, r);
            failures += !r.ok;
        }
    }
    std::printf("(bare core, no SystemC; MIPS = retired instructions / wall time, cpu MIPS = per second of process\n"
                " CPU time, which is what counts on a loaded machine. Target >= 400 MIPS.)\n");
    return failures ? 1 : 0;
}
