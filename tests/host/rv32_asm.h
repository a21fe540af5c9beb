// A tiny RV32IMAC assembler for the core's unit tests and benchmark: instruction encoders plus a
// buffer with labels and branch fix-ups. Encodings were cross-checked against GNU as.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace rv32asm {

enum Reg : uint32_t {
    zero, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5,
    a6, a7, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6
};

namespace enc {
inline uint32_t r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
inline uint32_t i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd, uint32_t op) {
    return (static_cast<uint32_t>(imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
inline uint32_t s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3, uint32_t op) {
    const uint32_t u = static_cast<uint32_t>(imm);
    return (((u >> 5) & 0x7F) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1F) << 7) | op;
}
inline uint32_t b(int32_t off, uint32_t rs2, uint32_t rs1, uint32_t f3) {
    const uint32_t u = static_cast<uint32_t>(off);
    return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3F) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           (((u >> 1) & 0xF) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
inline uint32_t u(uint32_t imm20, uint32_t rd, uint32_t op) { return (imm20 << 12) | (rd << 7) | op; }
inline uint32_t j(int32_t off, uint32_t rd) {
    const uint32_t u = static_cast<uint32_t>(off);
    return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3FF) << 21) | (((u >> 11) & 1) << 20) |
           (((u >> 12) & 0xFF) << 12) | (rd << 7) | 0x6F;
}

// RV32I
inline uint32_t lui(Reg rd, uint32_t imm20) { return u(imm20 & 0xFFFFF, rd, 0x37); }
inline uint32_t auipc(Reg rd, uint32_t imm20) { return u(imm20 & 0xFFFFF, rd, 0x17); }
inline uint32_t jal(Reg rd, int32_t off) { return j(off, rd); }
inline uint32_t jalr(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 0, rd, 0x67); }
inline uint32_t beq(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 0); }
inline uint32_t bne(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 1); }
inline uint32_t blt(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 4); }
inline uint32_t bge(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 5); }
inline uint32_t bltu(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 6); }
inline uint32_t bgeu(Reg a, Reg b_, int32_t off) { return b(off, b_, a, 7); }
inline uint32_t lb(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 0, rd, 0x03); }
inline uint32_t lh(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 1, rd, 0x03); }
inline uint32_t lw(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 2, rd, 0x03); }
inline uint32_t lbu(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 4, rd, 0x03); }
inline uint32_t lhu(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 5, rd, 0x03); }
inline uint32_t sb(Reg rs2, Reg rs1, int32_t imm) { return s(imm, rs2, rs1, 0, 0x23); }
inline uint32_t sh(Reg rs2, Reg rs1, int32_t imm) { return s(imm, rs2, rs1, 1, 0x23); }
inline uint32_t sw(Reg rs2, Reg rs1, int32_t imm) { return s(imm, rs2, rs1, 2, 0x23); }
inline uint32_t addi(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 0, rd, 0x13); }
inline uint32_t slti(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 2, rd, 0x13); }
inline uint32_t sltiu(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 3, rd, 0x13); }
inline uint32_t xori(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 4, rd, 0x13); }
inline uint32_t ori(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 6, rd, 0x13); }
inline uint32_t andi(Reg rd, Reg rs1, int32_t imm) { return i(imm, rs1, 7, rd, 0x13); }
inline uint32_t slli(Reg rd, Reg rs1, uint32_t sh) { return r(0, sh, rs1, 1, rd, 0x13); }
inline uint32_t srli(Reg rd, Reg rs1, uint32_t sh) { return r(0, sh, rs1, 5, rd, 0x13); }
inline uint32_t srai(Reg rd, Reg rs1, uint32_t sh) { return r(0x20, sh, rs1, 5, rd, 0x13); }
inline uint32_t add(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 0, rd, 0x33); }
inline uint32_t sub(Reg rd, Reg rs1, Reg rs2) { return r(0x20, rs2, rs1, 0, rd, 0x33); }
inline uint32_t sll(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 1, rd, 0x33); }
inline uint32_t slt(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 2, rd, 0x33); }
inline uint32_t sltu(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 3, rd, 0x33); }
inline uint32_t xor_(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 4, rd, 0x33); }
inline uint32_t srl(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 5, rd, 0x33); }
inline uint32_t sra(Reg rd, Reg rs1, Reg rs2) { return r(0x20, rs2, rs1, 5, rd, 0x33); }
inline uint32_t or_(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 6, rd, 0x33); }
inline uint32_t and_(Reg rd, Reg rs1, Reg rs2) { return r(0, rs2, rs1, 7, rd, 0x33); }
inline uint32_t mv(Reg rd, Reg rs) { return addi(rd, rs, 0); }
inline uint32_t fence() { return 0x0FF0000F; }
inline uint32_t fence_i() { return 0x0000100F; }
inline uint32_t ecall() { return 0x00000073; }
inline uint32_t ebreak() { return 0x00100073; }
inline uint32_t mret() { return 0x30200073; }
inline uint32_t wfi() { return 0x10500073; }
// Zicsr
inline uint32_t csrrw(Reg rd, uint32_t csr, Reg rs1) { return i(static_cast<int32_t>(csr), rs1, 1, rd, 0x73); }
inline uint32_t csrrs(Reg rd, uint32_t csr, Reg rs1) { return i(static_cast<int32_t>(csr), rs1, 2, rd, 0x73); }
inline uint32_t csrrc(Reg rd, uint32_t csr, Reg rs1) { return i(static_cast<int32_t>(csr), rs1, 3, rd, 0x73); }
inline uint32_t csrrwi(Reg rd, uint32_t csr, uint32_t z) { return i(static_cast<int32_t>(csr), static_cast<Reg>(z), 5, rd, 0x73); }
inline uint32_t csrrsi(Reg rd, uint32_t csr, uint32_t z) { return i(static_cast<int32_t>(csr), static_cast<Reg>(z), 6, rd, 0x73); }
inline uint32_t csrrci(Reg rd, uint32_t csr, uint32_t z) { return i(static_cast<int32_t>(csr), static_cast<Reg>(z), 7, rd, 0x73); }
inline uint32_t csrr(Reg rd, uint32_t csr) { return csrrs(rd, csr, zero); }
inline uint32_t csrw(uint32_t csr, Reg rs1) { return csrrw(zero, csr, rs1); }
inline uint32_t csrs(uint32_t csr, Reg rs1) { return csrrs(zero, csr, rs1); }
inline uint32_t csrc(uint32_t csr, Reg rs1) { return csrrc(zero, csr, rs1); }
inline uint32_t csrwi(uint32_t csr, uint32_t z) { return csrrwi(zero, csr, z); }
inline uint32_t csrsi(uint32_t csr, uint32_t z) { return csrrsi(zero, csr, z); }
inline uint32_t csrci(uint32_t csr, uint32_t z) { return csrrci(zero, csr, z); }
// M
inline uint32_t mul(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 0, rd, 0x33); }
inline uint32_t mulh(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 1, rd, 0x33); }
inline uint32_t mulhsu(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 2, rd, 0x33); }
inline uint32_t mulhu(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 3, rd, 0x33); }
inline uint32_t div(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 4, rd, 0x33); }
inline uint32_t divu(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 5, rd, 0x33); }
inline uint32_t rem(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 6, rd, 0x33); }
inline uint32_t remu(Reg rd, Reg rs1, Reg rs2) { return r(1, rs2, rs1, 7, rd, 0x33); }
// A
inline uint32_t amo(uint32_t f5, Reg rd, Reg rs2, Reg rs1) { return r(f5 << 2, rs2, rs1, 2, rd, 0x2F); }
inline uint32_t lr_w(Reg rd, Reg rs1) { return amo(0x02, rd, zero, rs1); }
inline uint32_t sc_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x03, rd, rs2, rs1); }
inline uint32_t amoswap_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x01, rd, rs2, rs1); }
inline uint32_t amoadd_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x00, rd, rs2, rs1); }
inline uint32_t amoxor_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x04, rd, rs2, rs1); }
inline uint32_t amoand_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x0C, rd, rs2, rs1); }
inline uint32_t amoor_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x08, rd, rs2, rs1); }
inline uint32_t amomin_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x10, rd, rs2, rs1); }
inline uint32_t amomax_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x14, rd, rs2, rs1); }
inline uint32_t amominu_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x18, rd, rs2, rs1); }
inline uint32_t amomaxu_w(Reg rd, Reg rs2, Reg rs1) { return amo(0x1C, rd, rs2, rs1); }

// RV32C (rd'/rs' arguments are full register numbers x8..x15)
inline uint32_t cr(uint32_t x) {
    if (x < 8 || x > 15) throw std::invalid_argument("compressed form needs one of x8..x15");
    return x - 8;
}
inline uint16_t c_addi4spn(Reg rd, uint32_t uimm) {
    return static_cast<uint16_t>((((uimm >> 4) & 3) << 11) | (((uimm >> 6) & 0xF) << 7) | (((uimm >> 2) & 1) << 6) |
                                 (((uimm >> 3) & 1) << 5) | (cr(rd) << 2));
}
inline uint16_t c_lw(Reg rd, Reg rs1, uint32_t uimm) {
    return static_cast<uint16_t>(0x4000 | (((uimm >> 3) & 7) << 10) | (cr(rs1) << 7) | (((uimm >> 2) & 1) << 6) |
                                 (((uimm >> 6) & 1) << 5) | (cr(rd) << 2));
}
inline uint16_t c_sw(Reg rs2, Reg rs1, uint32_t uimm) {
    return static_cast<uint16_t>(0xC000 | (((uimm >> 3) & 7) << 10) | (cr(rs1) << 7) | (((uimm >> 2) & 1) << 6) |
                                 (((uimm >> 6) & 1) << 5) | (cr(rs2) << 2));
}
inline uint16_t ci(uint32_t f3, uint32_t rd, int32_t imm, uint32_t q) {
    const uint32_t u = static_cast<uint32_t>(imm);
    return static_cast<uint16_t>((f3 << 13) | (((u >> 5) & 1) << 12) | (rd << 7) | ((u & 0x1F) << 2) | q);
}
inline uint16_t c_nop() { return 0x0001; }
inline uint16_t c_addi(Reg rd, int32_t imm) { return ci(0, rd, imm, 1); }
inline uint16_t c_li(Reg rd, int32_t imm) { return ci(2, rd, imm, 1); }
inline uint16_t c_lui(Reg rd, int32_t imm6) { return ci(3, rd, imm6, 1); }  // rd = imm6 << 12
inline uint16_t c_addi16sp(int32_t imm) {
    const uint32_t u = static_cast<uint32_t>(imm);
    return static_cast<uint16_t>(0x6101 | (((u >> 9) & 1) << 12) | (((u >> 4) & 1) << 6) | (((u >> 6) & 1) << 5) |
                                 (((u >> 7) & 3) << 3) | (((u >> 5) & 1) << 2));
}
inline uint16_t c_srli(Reg rd, uint32_t sh) { return static_cast<uint16_t>(0x8001 | (((sh >> 5) & 1) << 12) | (cr(rd) << 7) | ((sh & 0x1F) << 2)); }
inline uint16_t c_srai(Reg rd, uint32_t sh) { return static_cast<uint16_t>(0x8401 | (((sh >> 5) & 1) << 12) | (cr(rd) << 7) | ((sh & 0x1F) << 2)); }
inline uint16_t c_andi(Reg rd, int32_t imm) {
    const uint32_t u = static_cast<uint32_t>(imm);
    return static_cast<uint16_t>(0x8801 | (((u >> 5) & 1) << 12) | (cr(rd) << 7) | ((u & 0x1F) << 2));
}
inline uint16_t c_sub(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x8C01 | (cr(rd) << 7) | (cr(rs2) << 2)); }
inline uint16_t c_xor(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x8C21 | (cr(rd) << 7) | (cr(rs2) << 2)); }
inline uint16_t c_or(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x8C41 | (cr(rd) << 7) | (cr(rs2) << 2)); }
inline uint16_t c_and(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x8C61 | (cr(rd) << 7) | (cr(rs2) << 2)); }
inline uint16_t cj(uint32_t f3, int32_t off) {
    const uint32_t u = static_cast<uint32_t>(off);
    return static_cast<uint16_t>((f3 << 13) | (((u >> 11) & 1) << 12) | (((u >> 4) & 1) << 11) | (((u >> 8) & 3) << 9) |
                                 (((u >> 10) & 1) << 8) | (((u >> 6) & 1) << 7) | (((u >> 7) & 1) << 6) |
                                 (((u >> 1) & 7) << 3) | (((u >> 5) & 1) << 2) | 1);
}
inline uint16_t c_j(int32_t off) { return cj(5, off); }
inline uint16_t c_jal(int32_t off) { return cj(1, off); }
inline uint16_t cb(uint32_t f3, Reg rs1, int32_t off) {
    const uint32_t u = static_cast<uint32_t>(off);
    return static_cast<uint16_t>((f3 << 13) | (((u >> 8) & 1) << 12) | (((u >> 3) & 3) << 10) | (cr(rs1) << 7) |
                                 (((u >> 6) & 3) << 5) | (((u >> 1) & 3) << 3) | (((u >> 5) & 1) << 2) | 1);
}
inline uint16_t c_beqz(Reg rs1, int32_t off) { return cb(6, rs1, off); }
inline uint16_t c_bnez(Reg rs1, int32_t off) { return cb(7, rs1, off); }
inline uint16_t c_slli(Reg rd, uint32_t sh) { return static_cast<uint16_t>(0x0002 | (((sh >> 5) & 1) << 12) | (rd << 7) | ((sh & 0x1F) << 2)); }
inline uint16_t c_lwsp(Reg rd, uint32_t uimm) {
    return static_cast<uint16_t>(0x4002 | (((uimm >> 5) & 1) << 12) | (rd << 7) | (((uimm >> 2) & 7) << 4) | (((uimm >> 6) & 3) << 2));
}
inline uint16_t c_swsp(Reg rs2, uint32_t uimm) {
    return static_cast<uint16_t>(0xC002 | (((uimm >> 2) & 0xF) << 9) | (((uimm >> 6) & 3) << 7) | (rs2 << 2));
}
inline uint16_t c_jr(Reg rs1) { return static_cast<uint16_t>(0x8002 | (rs1 << 7)); }
inline uint16_t c_mv(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x8002 | (rd << 7) | (rs2 << 2)); }
inline uint16_t c_ebreak() { return 0x9002; }
inline uint16_t c_jalr(Reg rs1) { return static_cast<uint16_t>(0x9002 | (rs1 << 7)); }
inline uint16_t c_add(Reg rd, Reg rs2) { return static_cast<uint16_t>(0x9002 | (rd << 7) | (rs2 << 2)); }
}  // namespace enc

// Program buffer with labels. Branch/jump helpers taking a label resolve at finish().
class Program {
public:
    explicit Program(uint32_t base = 0x80000000) : base_(base) {}
    uint32_t base() const { return base_; }
    uint32_t here() const { return base_ + static_cast<uint32_t>(bytes_.size()); }
    const std::vector<uint8_t>& bytes() const { return bytes_; }

    Program& w32(uint32_t v) {
        for (int k = 0; k < 4; ++k) bytes_.push_back(static_cast<uint8_t>(v >> (8 * k)));
        return *this;
    }
    Program& w16(uint16_t v) {
        bytes_.push_back(static_cast<uint8_t>(v));
        bytes_.push_back(static_cast<uint8_t>(v >> 8));
        return *this;
    }
    Program& operator()(uint32_t insn) { return w32(insn); }
    Program& c(uint16_t insn) { return w16(insn); }
    Program& align(uint32_t n) {
        while (here() % n) bytes_.push_back(0);
        return *this;
    }
    Program& label(const std::string& name) {
        labels_[name] = here();
        return *this;
    }
    uint32_t addr(const std::string& name) const {
        auto it = labels_.find(name);
        if (it == labels_.end()) throw std::runtime_error("unknown label " + name);
        return it->second;
    }

    // Label-relative control flow (32-bit forms, and c.j/c.beqz/c.bnez).
    enum class Kind { B, J, CJ, CB };
    Program& branch(uint32_t f3, Reg rs1, Reg rs2, const std::string& l) { return fix(Kind::B, f3, rs1, rs2, l); }
    Program& beq(Reg a, Reg b, const std::string& l) { return branch(0, a, b, l); }
    Program& bne(Reg a, Reg b, const std::string& l) { return branch(1, a, b, l); }
    Program& blt(Reg a, Reg b, const std::string& l) { return branch(4, a, b, l); }
    Program& bge(Reg a, Reg b, const std::string& l) { return branch(5, a, b, l); }
    Program& bltu(Reg a, Reg b, const std::string& l) { return branch(6, a, b, l); }
    Program& bgeu(Reg a, Reg b, const std::string& l) { return branch(7, a, b, l); }
    Program& jal(Reg rd, const std::string& l) { return fix(Kind::J, 0, rd, zero, l); }
    Program& j(const std::string& l) { return jal(zero, l); }
    Program& c_j(const std::string& l) { return fix(Kind::CJ, 5, zero, zero, l); }
    Program& c_jal(const std::string& l) { return fix(Kind::CJ, 1, zero, zero, l); }
    Program& c_beqz(Reg rs1, const std::string& l) { return fix(Kind::CB, 6, rs1, zero, l); }
    Program& c_bnez(Reg rs1, const std::string& l) { return fix(Kind::CB, 7, rs1, zero, l); }
    // rd = 32-bit constant (lui + addi).
    Program& li(Reg rd, uint32_t v) {
        const uint32_t lo = v & 0xFFF;
        const uint32_t hi = (v + 0x800) >> 12;
        if (hi) {
            w32(enc::lui(rd, hi));
            if (lo) w32(enc::addi(rd, rd, static_cast<int32_t>(lo << 20) >> 20));
        } else {
            w32(enc::addi(rd, zero, static_cast<int32_t>(lo << 20) >> 20));
        }
        return *this;
    }
    // rd = address of label (auipc + addi), resolved at finish().
    Program& la(Reg rd, const std::string& l) {
        fixups_.push_back(Fixup{Kind::J, 0xFF, rd, zero, l, static_cast<uint32_t>(bytes_.size())});
        w32(0);
        w32(0);
        return *this;
    }

    // Resolve label references; returns the image.
    const std::vector<uint8_t>& finish() {
        for (const Fixup& f : fixups_) {
            const uint32_t at = base_ + f.offset;
            const int32_t off = static_cast<int32_t>(addr(f.label) - at);
            if (f.f3 == 0xFF) {  // la
                const uint32_t hi = (static_cast<uint32_t>(off) + 0x800) >> 12;
                const int32_t lo = off - static_cast<int32_t>(hi << 12);
                put32(f.offset, enc::auipc(f.rs1, hi));
                put32(f.offset + 4, enc::addi(f.rs1, f.rs1, lo));
                continue;
            }
            switch (f.kind) {
            case Kind::B: put32(f.offset, enc::b(off, f.rs2, f.rs1, f.f3)); break;
            case Kind::J: put32(f.offset, enc::jal(f.rs1, off)); break;
            case Kind::CJ: put16(f.offset, enc::cj(f.f3, off)); break;
            case Kind::CB: put16(f.offset, enc::cb(f.f3, f.rs1, off)); break;
            }
        }
        fixups_.clear();
        return bytes_;
    }

private:
    struct Fixup {
        Kind kind;
        uint32_t f3;
        Reg rs1, rs2;
        std::string label;
        uint32_t offset;
    };
    Program& fix(Kind k, uint32_t f3, Reg rs1, Reg rs2, const std::string& l) {
        fixups_.push_back(Fixup{k, f3, rs1, rs2, l, static_cast<uint32_t>(bytes_.size())});
        if (k == Kind::CJ || k == Kind::CB) {
            w16(0);
        } else {
            w32(0);
        }
        return *this;
    }
    void put32(uint32_t off, uint32_t v) { std::memcpy(&bytes_[off], &v, 4); }
    void put16(uint32_t off, uint16_t v) { std::memcpy(&bytes_[off], &v, 2); }

    uint32_t base_;
    std::vector<uint8_t> bytes_;
    std::map<std::string, uint32_t> labels_;
    std::vector<Fixup> fixups_;
};

}  // namespace rv32asm
