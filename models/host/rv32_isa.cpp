// RV32IMAC + Zicsr + Zifencei instruction table, decoder and disassembler. See rv32_isa.h.
#include "host/rv32_isa.h"

#include <array>
#include <cstdarg>
#include <cstdio>
#include <vector>

#include "host/rv32_csr_table.h"

namespace aimc::host::isa {
namespace {

// clang-format off
// One row per instruction. Within one major-opcode bucket the first matching row wins, so more
// specific rows (larger masks) come first.
constexpr InsnDef kTable[] = {
    // ---- RV32I ----------------------------------------------------------------------------
    {0x0000007F, 0x00000037, "lui",       Op::Lui,    Cls::Alu,    Fmt::U},
    {0x0000007F, 0x00000017, "auipc",     Op::Auipc,  Cls::Alu,    Fmt::U},
    {0x0000007F, 0x0000006F, "jal",       Op::Jal,    Cls::Jump,   Fmt::J},
    {0x0000707F, 0x00000067, "jalr",      Op::Jalr,   Cls::Jump,   Fmt::Jalr},
    {0x0000707F, 0x00000063, "beq",       Op::Beq,    Cls::Branch, Fmt::B},
    {0x0000707F, 0x00001063, "bne",       Op::Bne,    Cls::Branch, Fmt::B},
    {0x0000707F, 0x00004063, "blt",       Op::Blt,    Cls::Branch, Fmt::B},
    {0x0000707F, 0x00005063, "bge",       Op::Bge,    Cls::Branch, Fmt::B},
    {0x0000707F, 0x00006063, "bltu",      Op::Bltu,   Cls::Branch, Fmt::B},
    {0x0000707F, 0x00007063, "bgeu",      Op::Bgeu,   Cls::Branch, Fmt::B},
    {0x0000707F, 0x00000003, "lb",        Op::Lb,     Cls::Load,   Fmt::Load},
    {0x0000707F, 0x00001003, "lh",        Op::Lh,     Cls::Load,   Fmt::Load},
    {0x0000707F, 0x00002003, "lw",        Op::Lw,     Cls::Load,   Fmt::Load},
    {0x0000707F, 0x00004003, "lbu",       Op::Lbu,    Cls::Load,   Fmt::Load},
    {0x0000707F, 0x00005003, "lhu",       Op::Lhu,    Cls::Load,   Fmt::Load},
    {0x0000707F, 0x00000023, "sb",        Op::Sb,     Cls::Store,  Fmt::S},
    {0x0000707F, 0x00001023, "sh",        Op::Sh,     Cls::Store,  Fmt::S},
    {0x0000707F, 0x00002023, "sw",        Op::Sw,     Cls::Store,  Fmt::S},
    {0x0000707F, 0x00000013, "addi",      Op::Addi,   Cls::Alu,    Fmt::I},
    {0x0000707F, 0x00002013, "slti",      Op::Slti,   Cls::Alu,    Fmt::I},
    {0x0000707F, 0x00003013, "sltiu",     Op::Sltiu,  Cls::Alu,    Fmt::I},
    {0x0000707F, 0x00004013, "xori",      Op::Xori,   Cls::Alu,    Fmt::I},
    {0x0000707F, 0x00006013, "ori",       Op::Ori,    Cls::Alu,    Fmt::I},
    {0x0000707F, 0x00007013, "andi",      Op::Andi,   Cls::Alu,    Fmt::I},
    {0xFE00707F, 0x00001013, "slli",      Op::Slli,   Cls::Alu,    Fmt::Shift},
    {0xFE00707F, 0x00005013, "srli",      Op::Srli,   Cls::Alu,    Fmt::Shift},
    {0xFE00707F, 0x40005013, "srai",      Op::Srai,   Cls::Alu,    Fmt::Shift},
    {0xFE00707F, 0x00000033, "add",       Op::Add,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x40000033, "sub",       Op::Sub,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00001033, "sll",       Op::Sll,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00002033, "slt",       Op::Slt,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00003033, "sltu",      Op::Sltu,   Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00004033, "xor",       Op::Xor,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00005033, "srl",       Op::Srl,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x40005033, "sra",       Op::Sra,    Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00006033, "or",        Op::Or,     Cls::Alu,    Fmt::R},
    {0xFE00707F, 0x00007033, "and",       Op::And,    Cls::Alu,    Fmt::R},
    {0x0000707F, 0x0000000F, "fence",     Op::Fence,  Cls::System, Fmt::Fence},
    {0x0000707F, 0x0000100F, "fence.i",   Op::FenceI, Cls::System, Fmt::None},
    {0xFFFFFFFF, 0x00000073, "ecall",     Op::Ecall,  Cls::System, Fmt::None},
    {0xFFFFFFFF, 0x00100073, "ebreak",    Op::Ebreak, Cls::System, Fmt::None},
    {0xFFFFFFFF, 0x30200073, "mret",      Op::Mret,   Cls::System, Fmt::None},
    {0xFFFFFFFF, 0x10500073, "wfi",       Op::Wfi,    Cls::System, Fmt::None},
    // ---- Zicsr ----------------------------------------------------------------------------
    {0x0000707F, 0x00001073, "csrrw",     Op::Csrrw,  Cls::Csr,    Fmt::Csr},
    {0x0000707F, 0x00002073, "csrrs",     Op::Csrrs,  Cls::Csr,    Fmt::Csr},
    {0x0000707F, 0x00003073, "csrrc",     Op::Csrrc,  Cls::Csr,    Fmt::Csr},
    {0x0000707F, 0x00005073, "csrrwi",    Op::Csrrwi, Cls::Csr,    Fmt::CsrI},
    {0x0000707F, 0x00006073, "csrrsi",    Op::Csrrsi, Cls::Csr,    Fmt::CsrI},
    {0x0000707F, 0x00007073, "csrrci",    Op::Csrrci, Cls::Csr,    Fmt::CsrI},
    // ---- M --------------------------------------------------------------------------------
    {0xFE00707F, 0x02000033, "mul",       Op::Mul,    Cls::Mul,    Fmt::R},
    {0xFE00707F, 0x02001033, "mulh",      Op::Mulh,   Cls::Mul,    Fmt::R},
    {0xFE00707F, 0x02002033, "mulhsu",    Op::Mulhsu, Cls::Mul,    Fmt::R},
    {0xFE00707F, 0x02003033, "mulhu",     Op::Mulhu,  Cls::Mul,    Fmt::R},
    {0xFE00707F, 0x02004033, "div",       Op::Div,    Cls::Div,    Fmt::R},
    {0xFE00707F, 0x02005033, "divu",      Op::Divu,   Cls::Div,    Fmt::R},
    {0xFE00707F, 0x02006033, "rem",       Op::Rem,    Cls::Div,    Fmt::R},
    {0xFE00707F, 0x02007033, "remu",      Op::Remu,   Cls::Div,    Fmt::R},
    // ---- A (aq/rl bits 26:25 ignored) ------------------------------------------------------
    {0xF9F0707F, 0x1000202F, "lr.w",      Op::LrW,      Cls::Amo,  Fmt::Lr},
    {0xF800707F, 0x1800202F, "sc.w",      Op::ScW,      Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x0800202F, "amoswap.w", Op::AmoswapW, Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x0000202F, "amoadd.w",  Op::AmoaddW,  Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x2000202F, "amoxor.w",  Op::AmoxorW,  Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x6000202F, "amoand.w",  Op::AmoandW,  Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x4000202F, "amoor.w",   Op::AmoorW,   Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0x8000202F, "amomin.w",  Op::AmominW,  Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0xA000202F, "amomax.w",  Op::AmomaxW,  Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0xC000202F, "amominu.w", Op::AmominuW, Cls::Amo,  Fmt::Amo},
    {0xF800707F, 0xE000202F, "amomaxu.w", Op::AmomaxuW, Cls::Amo,  Fmt::Amo},
    // ---- RV32C (16-bit; F/D forms are absent, hence illegal) --------------------------------
    // Quadrant 0
    {0xE003, 0x0000, "c.addi4spn", Op::Addi, Cls::Alu,    Fmt::CAddi4spn},  // nzuimm=0: illegal
    {0xE003, 0x4000, "c.lw",       Op::Lw,   Cls::Load,   Fmt::CLw},
    {0xE003, 0xC000, "c.sw",       Op::Sw,   Cls::Store,  Fmt::CSw},
    // Quadrant 1
    {0xE003, 0x0001, "c.addi",     Op::Addi, Cls::Alu,    Fmt::CAddi},      // incl. c.nop / hints
    {0xE003, 0x2001, "c.jal",      Op::Jal,  Cls::Jump,   Fmt::CJal},
    {0xE003, 0x4001, "c.li",       Op::Addi, Cls::Alu,    Fmt::CLi},
    {0xEF83, 0x6101, "c.addi16sp", Op::Addi, Cls::Alu,    Fmt::CAddi16sp},  // nzimm=0: illegal
    {0xE003, 0x6001, "c.lui",      Op::Lui,  Cls::Alu,    Fmt::CLui},       // nzimm=0: illegal
    {0xEC03, 0x8001, "c.srli",     Op::Srli, Cls::Alu,    Fmt::CShift},     // shamt[5]=1: illegal
    {0xEC03, 0x8401, "c.srai",     Op::Srai, Cls::Alu,    Fmt::CShift},
    {0xEC03, 0x8801, "c.andi",     Op::Andi, Cls::Alu,    Fmt::CAndi},
    {0xFC63, 0x8C01, "c.sub",      Op::Sub,  Cls::Alu,    Fmt::CAlu},
    {0xFC63, 0x8C21, "c.xor",      Op::Xor,  Cls::Alu,    Fmt::CAlu},
    {0xFC63, 0x8C41, "c.or",       Op::Or,   Cls::Alu,    Fmt::CAlu},
    {0xFC63, 0x8C61, "c.and",      Op::And,  Cls::Alu,    Fmt::CAlu},
    {0xE003, 0xA001, "c.j",        Op::Jal,  Cls::Jump,   Fmt::CJ},
    {0xE003, 0xC001, "c.beqz",     Op::Beq,  Cls::Branch, Fmt::CBz},
    {0xE003, 0xE001, "c.bnez",     Op::Bne,  Cls::Branch, Fmt::CBz},
    // Quadrant 2
    {0xE003, 0x0002, "c.slli",     Op::Slli,   Cls::Alu,    Fmt::CSlli},    // shamt[5]=1: illegal
    {0xE003, 0x4002, "c.lwsp",     Op::Lw,     Cls::Load,   Fmt::CLwsp},    // rd=0: illegal
    {0xFFFF, 0x9002, "c.ebreak",   Op::Ebreak, Cls::System, Fmt::CEbreak},
    {0xF07F, 0x9002, "c.jalr",     Op::Jalr,   Cls::Jump,   Fmt::CJalr},
    {0xF003, 0x9002, "c.add",      Op::Add,    Cls::Alu,    Fmt::CAdd},
    {0xF07F, 0x8002, "c.jr",       Op::Jalr,   Cls::Jump,   Fmt::CJr},      // rs1=0: illegal
    {0xF003, 0x8002, "c.mv",       Op::Add,    Cls::Alu,    Fmt::CMv},
    {0xE003, 0xC002, "c.swsp",     Op::Sw,     Cls::Store,  Fmt::CSwsp},
};
// clang-format on

constexpr unsigned kNumRows = sizeof(kTable) / sizeof(kTable[0]);

inline uint32_t bits(uint32_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((1u << (hi - lo + 1)) - 1); }
inline int32_t sext(uint32_t v, unsigned width) {
    const uint32_t m = 1u << (width - 1);
    return static_cast<int32_t>((v ^ m) - m);
}

// Buckets: 32 for 32-bit encodings (by opcode bits 6:2), 24 for compressed ones (quadrant, funct3).
struct Buckets {
    std::array<std::vector<const InsnDef*>, 32 + 24> rows;
    Buckets() {
        for (unsigned i = 0; i < kNumRows; ++i) {
            const InsnDef& d = kTable[i];
            if ((d.match & 3) == 3) {
                rows[bits(d.match, 6, 2)].push_back(&d);
            } else {
                rows[32 + bits(d.match, 1, 0) * 8 + bits(d.match, 15, 13)].push_back(&d);
            }
        }
    }
};
const Buckets& buckets() {
    static const Buckets b;
    return b;
}

// Base (32-bit) row of each op, for disassembly of compressed forms.
const InsnDef* base_def(Op op) {
    static const std::array<const InsnDef*, kNumOps> defs = [] {
        std::array<const InsnDef*, kNumOps> a{};
        for (unsigned i = 0; i < kNumRows; ++i) {
            if ((kTable[i].match & 3) == 3 && !a[static_cast<unsigned>(kTable[i].op)]) {
                a[static_cast<unsigned>(kTable[i].op)] = &kTable[i];
            }
        }
        return a;
    }();
    return static_cast<unsigned>(op) < kNumOps ? defs[static_cast<unsigned>(op)] : nullptr;
}

// Extract operands per format; returns false for reserved encodings within a matching row.
bool extract(uint32_t x, const InsnDef& d, Decoded& o) {
    const uint8_t rd = bits(x, 11, 7), rs1 = bits(x, 19, 15), rs2 = bits(x, 24, 20);
    const uint8_t rdp = 8 + bits(x, 4, 2), rs1p = 8 + bits(x, 9, 7);  // compressed x8..x15
    const uint8_t crs2 = bits(x, 6, 2);
    const int32_t ci_imm = sext((bits(x, 12, 12) << 5) | bits(x, 6, 2), 6);
    switch (d.fmt) {
    case Fmt::R:
    case Fmt::Amo:
        o.rd = rd, o.rs1 = rs1, o.rs2 = rs2;
        return true;
    case Fmt::Lr:
        o.rd = rd, o.rs1 = rs1;
        return true;
    case Fmt::I:
    case Fmt::Load:
    case Fmt::Jalr:
        o.rd = rd, o.rs1 = rs1, o.imm = static_cast<int32_t>(x) >> 20;
        return true;
    case Fmt::Shift:
        o.rd = rd, o.rs1 = rs1, o.imm = static_cast<int32_t>(bits(x, 24, 20));
        return true;
    case Fmt::S:
        o.rs1 = rs1, o.rs2 = rs2, o.imm = sext((bits(x, 31, 25) << 5) | bits(x, 11, 7), 12);
        return true;
    case Fmt::B:
        o.rs1 = rs1, o.rs2 = rs2;
        o.imm = sext((bits(x, 31, 31) << 12) | (bits(x, 7, 7) << 11) | (bits(x, 30, 25) << 5) |
                         (bits(x, 11, 8) << 1),
                     13);
        return true;
    case Fmt::U:
        o.rd = rd, o.imm = static_cast<int32_t>(x & 0xFFFFF000u);
        return true;
    case Fmt::J:
        o.rd = rd;
        o.imm = sext((bits(x, 31, 31) << 20) | (bits(x, 19, 12) << 12) | (bits(x, 20, 20) << 11) |
                         (bits(x, 30, 21) << 1),
                     21);
        return true;
    case Fmt::Csr:
        o.rd = rd, o.rs1 = rs1, o.imm = static_cast<int32_t>(bits(x, 31, 20));
        return true;
    case Fmt::CsrI:  // zimm travels in rs1
        o.rd = rd, o.rs1 = rs1, o.imm = static_cast<int32_t>(bits(x, 31, 20));
        return true;
    case Fmt::Fence:
        o.imm = static_cast<int32_t>(bits(x, 31, 20));
        return true;
    case Fmt::None:
    case Fmt::CEbreak:
        return true;
    // ---- compressed ----
    case Fmt::CAddi4spn: {
        const uint32_t imm = (bits(x, 12, 11) << 4) | (bits(x, 10, 7) << 6) | (bits(x, 6, 6) << 2) |
                             (bits(x, 5, 5) << 3);
        o.rd = rdp, o.rs1 = 2, o.imm = static_cast<int32_t>(imm);
        return imm != 0;
    }
    case Fmt::CLw:
    case Fmt::CSw: {
        const uint32_t imm = (bits(x, 12, 10) << 3) | (bits(x, 6, 6) << 2) | (bits(x, 5, 5) << 6);
        o.rs1 = rs1p, o.imm = static_cast<int32_t>(imm);
        if (d.fmt == Fmt::CLw) {
            o.rd = rdp;
        } else {
            o.rs2 = rdp;
        }
        return true;
    }
    case Fmt::CAddi:
        o.rd = rd, o.rs1 = rd, o.imm = ci_imm;
        return true;
    case Fmt::CLi:
        o.rd = rd, o.rs1 = 0, o.imm = ci_imm;
        return true;
    case Fmt::CJal:
    case Fmt::CJ:
        o.rd = d.fmt == Fmt::CJal ? 1 : 0;
        o.imm = sext((bits(x, 12, 12) << 11) | (bits(x, 11, 11) << 4) | (bits(x, 10, 9) << 8) |
                         (bits(x, 8, 8) << 10) | (bits(x, 7, 7) << 6) | (bits(x, 6, 6) << 7) |
                         (bits(x, 5, 3) << 1) | (bits(x, 2, 2) << 5),
                     12);
        return true;
    case Fmt::CAddi16sp:
        o.rd = 2, o.rs1 = 2;
        o.imm = sext((bits(x, 12, 12) << 9) | (bits(x, 6, 6) << 4) | (bits(x, 5, 5) << 6) |
                         (bits(x, 4, 3) << 7) | (bits(x, 2, 2) << 5),
                     10);
        return o.imm != 0;
    case Fmt::CLui:
        o.rd = rd, o.imm = static_cast<int32_t>(static_cast<uint32_t>(ci_imm) << 12);
        return ci_imm != 0;
    case Fmt::CShift:
        o.rd = rs1p, o.rs1 = rs1p, o.imm = static_cast<int32_t>(bits(x, 6, 2));
        return bits(x, 12, 12) == 0;
    case Fmt::CAndi:
        o.rd = rs1p, o.rs1 = rs1p, o.imm = ci_imm;
        return true;
    case Fmt::CAlu:
        o.rd = rs1p, o.rs1 = rs1p, o.rs2 = rdp;
        return true;
    case Fmt::CBz:
        o.rs1 = rs1p, o.rs2 = 0;
        o.imm = sext((bits(x, 12, 12) << 8) | (bits(x, 11, 10) << 3) | (bits(x, 6, 5) << 6) |
                         (bits(x, 4, 3) << 1) | (bits(x, 2, 2) << 5),
                     9);
        return true;
    case Fmt::CSlli:
        o.rd = rd, o.rs1 = rd, o.imm = static_cast<int32_t>(bits(x, 6, 2));
        return bits(x, 12, 12) == 0;
    case Fmt::CLwsp:
        o.rd = rd, o.rs1 = 2;
        o.imm = static_cast<int32_t>((bits(x, 12, 12) << 5) | (bits(x, 6, 4) << 2) | (bits(x, 3, 2) << 6));
        return rd != 0;
    case Fmt::CSwsp:
        o.rs1 = 2, o.rs2 = crs2;
        o.imm = static_cast<int32_t>((bits(x, 12, 9) << 2) | (bits(x, 8, 7) << 6));
        return true;
    case Fmt::CJr:
        o.rd = 0, o.rs1 = rd, o.imm = 0;
        return rd != 0;
    case Fmt::CJalr:
        o.rd = 1, o.rs1 = rd, o.imm = 0;
        return true;
    case Fmt::CMv:
        o.rd = rd, o.rs1 = 0, o.rs2 = crs2;
        return true;
    case Fmt::CAdd:
        o.rd = rd, o.rs1 = rd, o.rs2 = crs2;
        return true;
    }
    return false;
}

constexpr const char* kRegNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2",
                                       "s0",   "s1", "a0", "a1", "a2",  "a3",  "a4", "a5",
                                       "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7",
                                       "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
    char buf[160];
    va_list ap;
    va_start(ap, f);
    std::vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return buf;
}

std::string fence_set(uint32_t v) {
    std::string s;
    if (v & 8) s += 'i';
    if (v & 4) s += 'o';
    if (v & 2) s += 'r';
    if (v & 1) s += 'w';
    return s.empty() ? "0" : s;
}

std::string csr_text(uint32_t n) {
    const char* name = csr_name(n);
    return name ? std::string(name) : fmt("0x%x", n);
}

}  // namespace

const char* reg_name(unsigned r) { return r < 32 ? kRegNames[r] : "?"; }

const char* csr_name(uint32_t n) {
    const CsrDef* d = find_csr(n);
    return d ? d->name : nullptr;
}

bool decode(uint32_t x, Decoded& o) {
    o = Decoded{};
    const bool compressed = (x & 3) != 3;
    o.length = compressed ? 2 : 4;
    if (compressed) x &= 0xFFFF;
    if (!compressed && (x & 0x1C) == 0x1C) return false;  // 48/64-bit+ encodings: unsupported
    const unsigned bucket = compressed ? 32 + (x & 3) * 8 + bits(x, 15, 13) : bits(x, 6, 2);
    for (const InsnDef* d : buckets().rows[bucket]) {
        if ((x & d->mask) != d->match) continue;
        Decoded t;
        t.op = d->op, t.cls = d->cls, t.length = o.length, t.def = d;
        if (!extract(x, *d, t)) return false;  // reserved encoding of a matching row
        o = t;
        return true;
    }
    return false;
}

bool is_block_end(Op op) {
    switch (op) {
    case Op::Jal: case Op::Jalr:
    case Op::Beq: case Op::Bne: case Op::Blt: case Op::Bge: case Op::Bltu: case Op::Bgeu:
    case Op::Csrrw: case Op::Csrrs: case Op::Csrrc: case Op::Csrrwi: case Op::Csrrsi: case Op::Csrrci:
    case Op::Ecall: case Op::Ebreak: case Op::Mret: case Op::Wfi: case Op::FenceI:
    case Op::Illegal: case Op::FetchFault: case Op::PageEnd: case Op::Undecoded:
    case Op::BeqNear: case Op::BneNear: case Op::BltNear: case Op::BgeNear: case Op::BltuNear:
    case Op::BgeuNear: case Op::JalNear: case Op::QuantumStop:
        return true;
    default:
        return false;
    }
}

const char* op_name(Op op) {
    if (op == Op::Illegal) return "<illegal>";
    if (op == Op::FetchFault) return "<fetch-fault>";
    if (op == Op::PageEnd) return "<page-end>";
    if (op == Op::Undecoded) return "<undecoded>";
    if (op == Op::QuantumStop) return "<quantum-stop>";
    if (op >= Op::BeqNear && op <= Op::JalNear) {
        static const char* near[] = {"beq", "bne", "blt", "bge", "bltu", "bgeu", "jal"};
        return near[static_cast<unsigned>(op) - static_cast<unsigned>(Op::BeqNear)];
    }
    const InsnDef* d = base_def(op);
    return d ? d->mnemonic : "?";
}

std::string disassemble(uint32_t x, uint32_t pc) {
    Decoded d;
    if (!decode(x, d)) {
        if ((x & 3) != 3 && (x & 0xFFFF) == 0) return "unimp";
        if (x == 0xC0001073) return "unimp";
        return (x & 3) != 3 ? fmt(".insn 0x%04x", x & 0xFFFF) : fmt(".insn 0x%08x", x);
    }
    const InsnDef* b = base_def(d.op);
    const char* mn = b->mnemonic;
    const char *rd = reg_name(d.rd), *rs1 = reg_name(d.rs1), *rs2 = reg_name(d.rs2);
    const int32_t imm = d.imm;
    const uint32_t target = pc + static_cast<uint32_t>(imm);
    switch (d.op) {
    case Op::Addi:
        if (d.rd == 0 && d.rs1 == 0 && imm == 0) return "nop";
        if (d.rs1 == 0) return fmt("li %s, %d", rd, imm);
        if (imm == 0) return fmt("mv %s, %s", rd, rs1);
        break;
    case Op::Xori:
        if (imm == -1) return fmt("not %s, %s", rd, rs1);
        break;
    case Op::Sltiu:
        if (imm == 1) return fmt("seqz %s, %s", rd, rs1);
        break;
    case Op::Sub:
        if (d.rs1 == 0) return fmt("neg %s, %s", rd, rs2);
        break;
    case Op::Sltu:
        if (d.rs1 == 0) return fmt("snez %s, %s", rd, rs2);
        break;
    case Op::Slt:
        if (d.rs2 == 0) return fmt("sltz %s, %s", rd, rs1);
        if (d.rs1 == 0) return fmt("sgtz %s, %s", rd, rs2);
        break;
    case Op::Add:
        if (d.rs1 == 0) return fmt("mv %s, %s", rd, rs2);  // c.mv expansion
        break;
    case Op::Beq:
    case Op::Bne:
    case Op::Blt:
    case Op::Bge: {
        static const char* z1[] = {"beqz", "bnez", "bltz", "bgez"};  // rs2 = zero
        static const char* z0[] = {"beqz", "bnez", "bgtz", "blez"};  // rs1 = zero
        const unsigned k = static_cast<unsigned>(d.op) - static_cast<unsigned>(Op::Beq);
        if (d.rs2 == 0) return fmt("%s %s, 0x%x", z1[k], rs1, target);
        if (d.rs1 == 0 && k >= 2) return fmt("%s %s, 0x%x", z0[k], rs2, target);
        break;
    }
    case Op::Jal:
        if (d.rd == 0) return fmt("j 0x%x", target);
        if (d.rd == 1) return fmt("jal 0x%x", target);
        return fmt("jal %s, 0x%x", rd, target);
    case Op::Jalr:
        if (d.rd == 0 && d.rs1 == 1 && imm == 0) return "ret";
        if (d.rd == 0 && imm == 0) return fmt("jr %s", rs1);
        if (d.rd == 0) return fmt("jr %d(%s)", imm, rs1);
        if (d.rd == 1 && imm == 0) return fmt("jalr %s", rs1);
        return fmt("jalr %s, %d(%s)", rd, imm, rs1);
    case Op::Csrrs:
        if (d.rs1 == 0) {
            switch (imm) {
            case 0xC00: return fmt("rdcycle %s", rd);
            case 0xC01: return fmt("rdtime %s", rd);
            case 0xC02: return fmt("rdinstret %s", rd);
            case 0xC80: return fmt("rdcycleh %s", rd);
            case 0xC81: return fmt("rdtimeh %s", rd);
            case 0xC82: return fmt("rdinstreth %s", rd);
            default: return fmt("csrr %s, %s", rd, csr_text(imm).c_str());
            }
        }
        if (d.rd == 0) return fmt("csrs %s, %s", csr_text(imm).c_str(), rs1);
        break;
    case Op::Csrrw:
        if (d.rd == 0) return fmt("csrw %s, %s", csr_text(imm).c_str(), rs1);
        break;
    case Op::Csrrc:
        if (d.rd == 0) return fmt("csrc %s, %s", csr_text(imm).c_str(), rs1);
        break;
    case Op::Csrrwi:
    case Op::Csrrsi:
    case Op::Csrrci:
        if (d.rd == 0) {
            static const char* n[] = {"csrwi", "csrsi", "csrci"};
            return fmt("%s %s, %u", n[static_cast<unsigned>(d.op) - static_cast<unsigned>(Op::Csrrwi)],
                       csr_text(imm).c_str(), d.rs1);
        }
        break;
    case Op::Fence: {
        const uint32_t pred = (imm >> 4) & 15, succ = imm & 15, fm = (imm >> 8) & 15;
        if (fm == 8 && pred == 3 && succ == 3) return "fence.tso";
        if (pred == 15 && succ == 15) return "fence";
        return fmt("fence %s, %s", fence_set(pred).c_str(), fence_set(succ).c_str());
    }
    default:
        break;
    }
    switch (b->fmt) {
    case Fmt::R: return fmt("%s %s, %s, %s", mn, rd, rs1, rs2);
    case Fmt::I: return fmt("%s %s, %s, %d", mn, rd, rs1, imm);
    case Fmt::Shift: return fmt("%s %s, %s, 0x%x", mn, rd, rs1, imm);
    case Fmt::Load: return fmt("%s %s, %d(%s)", mn, rd, imm, rs1);
    case Fmt::S: return fmt("%s %s, %d(%s)", mn, rs2, imm, rs1);
    case Fmt::B: return fmt("%s %s, %s, 0x%x", mn, rs1, rs2, target);
    case Fmt::U: return fmt("%s %s, 0x%x", mn, rd, static_cast<uint32_t>(imm) >> 12);
    case Fmt::Csr: return fmt("%s %s, %s, %s", mn, rd, csr_text(imm).c_str(), rs1);
    case Fmt::CsrI: return fmt("%s %s, %s, %u", mn, rd, csr_text(imm).c_str(), d.rs1);
    case Fmt::Amo:
    case Fmt::Lr: {
        const char* order = (x >> 25 & 3) == 3 ? ".aqrl" : (x >> 26 & 1) ? ".aq" : (x >> 25 & 1) ? ".rl" : "";
        if (b->fmt == Fmt::Lr) return fmt("%s%s %s, (%s)", mn, order, rd, rs1);
        return fmt("%s%s %s, %s, (%s)", mn, order, rd, rs2, rs1);
    }
    default: return mn;
    }
}

}  // namespace aimc::host::isa
