// Fuzz harness: the RV32IMAC decoder and disassembler (models/host/rv32_isa.h), and the interpreter
// running what it decodes (rv32_core.h, flat RAM, no SystemC).
//
// Input: a mode byte, then little-endian instruction bytes.
//   mode bit 0 clear: every 32-bit word (and each of its halfwords as a 16-bit encoding) is decoded
//     and disassembled. Properties: decode() never throws; the length is insn_length() of the low
//     halfword; a legal encoding matches its table row (mask/match), names registers 0..31 and a
//     real op, and disassembles to its mnemonic's text, never ".insn"; an illegal one disassembles
//     to ".insn"/"unimp"; a 16-bit encoding decodes the same whatever the upper halfword.
//   mode bit 0 set: the bytes are a program at 0x80000000 in RAM (the program's size in whole 4 KiB pages), run for a bounded number
//     of cycles (traps go to mtvec = the program's start). Properties: x0 reads 0, instret never
//     exceeds the cycle count, the run stops at its budget or a stop reason.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "host/rv32_core.h"
#include "host/rv32_isa.h"

namespace {

using namespace aimc::host;

void check_one(uint32_t bits, uint32_t pc) {
    isa::Decoded d;
    const bool ok = isa::decode(bits, d);
    const unsigned len = isa::insn_length(bits & 0xFFFF);
    FUZZ_CHECK(d.length == len, "0x%08x: length %u, insn_length says %u", bits, d.length, len);
    const std::string text = isa::disassemble(bits, pc);
    FUZZ_CHECK(!text.empty(), "0x%08x: empty disassembly", bits);
    if (!ok) {
        FUZZ_CHECK(d.op == isa::Op::Illegal, "0x%08x: decode() false but op %s", bits, isa::op_name(d.op));
        FUZZ_CHECK(text.rfind(".insn", 0) == 0 || text == "unimp", "0x%08x: illegal but disassembled as '%s'", bits,
                   text.c_str());
        return;
    }
    FUZZ_CHECK(static_cast<unsigned>(d.op) < static_cast<unsigned>(isa::Op::Illegal), "0x%08x: op %s", bits,
               isa::op_name(d.op));
    FUZZ_CHECK(d.rd < 32 && d.rs1 < 32 && d.rs2 < 32, "0x%08x: register out of range", bits);
    FUZZ_CHECK(d.def != nullptr, "0x%08x: no table row", bits);
    const uint32_t enc = len == 2 ? (bits & 0xFFFF) : bits;
    FUZZ_CHECK((enc & d.def->mask) == d.def->match, "0x%08x: row '%s' does not match it", bits, d.def->mnemonic);
    FUZZ_CHECK(text.rfind(".insn", 0) != 0, "0x%08x: legal (%s) but disassembled as '%s'", bits, d.def->mnemonic,
               text.c_str());
    if (len == 2 && (bits >> 16) != 0) {
        isa::Decoded low;
        isa::decode(bits & 0xFFFF, low);
        FUZZ_CHECK(low.op == d.op && low.rd == d.rd && low.rs1 == d.rs1 && low.rs2 == d.rs2 && low.imm == d.imm,
                   "0x%08x: a 16-bit encoding decodes differently with upper bits set", bits);
    }
}

class FlatBus : public CoreBus {
public:
    bool load(uint32_t, unsigned, uint32_t& value) override {
        value = 0;
        return false;  // everything outside the DMI RAM is a bus error
    }
    bool store(uint32_t, unsigned, uint32_t) override { return false; }
    uint64_t mtime() override { return 0; }
};

void run_program(const uint8_t* data, size_t size) {
    // RAM: the program rounded up to whole 4 KiB pages (at most 16 KiB), so runs stay cheap.
    constexpr uint32_t kBase = 0x80000000u;
    const uint32_t kRam = static_cast<uint32_t>(std::min<size_t>((size + 4096) & ~size_t{4095}, 16 << 10));
    std::vector<uint8_t> ram(kRam, 0);
    std::memcpy(ram.data(), data, std::min<size_t>(size, kRam));
    FlatBus bus;
    Rv32Core core(Rv32Core::Config{}, bus);
    core.add_dmi(DmiRegion{ram.data(), kBase, kRam});
    core.reset();
    core.write_csr(0x305, kBase);  // mtvec: traps restart the program
    for (int round = 0; round < 4; ++round) {
        const uint64_t before = core.cycles();
        const StopReason why = core.run(2000);
        FUZZ_CHECK(core.reg(0) == 0, "x0 = 0x%08x", core.reg(0));
        FUZZ_CHECK(core.instret() <= core.cycles(), "instret %llu > cycles %llu",
                   static_cast<unsigned long long>(core.instret()), static_cast<unsigned long long>(core.cycles()));
        FUZZ_CHECK(core.cycles() >= before, "the cycle count went back");
        if (why == StopReason::Wfi) core.set_irq_lines(0x80, true);  // a timer interrupt ends the sleep
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t mode = data[0];
    ++data, --size;
    if (mode & 1) {
        run_program(data, size);
        return 0;
    }
    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint32_t w;
        std::memcpy(&w, data + i, 4);
        const uint32_t pc = 0x80000000u + static_cast<uint32_t>(i);
        check_one(w, pc);
        check_one(w & 0xFFFF, pc);
        check_one(w >> 16, pc + 2);
    }
    return 0;
}
