// RV32IMAC + Zicsr + Zifencei instruction table, decoder and disassembler.
//
// One row per instruction (mask, match, mnemonic, handler op, timing class, operand format), in
// the style of riscv-opcodes / gem5. decode() walks the rows of the instruction's major-opcode
// bucket (first match wins, rows ordered most specific first) and extracts the operands according
// to the row's format; compressed rows expand to the handler op of their 32-bit equivalent.
// The interpreter (rv32_core.cpp) pays this cost once per instruction address thanks to its
// decode cache. Internal header: not part of the core's public interface.
#pragma once

#include <cstdint>
#include <string>

namespace aimc::host::isa {

// Handler ids: one per executable operation; the interpreter's dispatch table is indexed by them.
// X-macro so that the enum and the interpreter's label table cannot get out of step.
#define AIMC_RV32_OPS(X)                                                                         \
    /* RV32I */                                                                                  \
    X(Lui) X(Auipc) X(Jal) X(Jalr) X(Beq) X(Bne) X(Blt) X(Bge) X(Bltu) X(Bgeu)                   \
    X(Lb) X(Lh) X(Lw) X(Lbu) X(Lhu) X(Sb) X(Sh) X(Sw)                                            \
    X(Addi) X(Slti) X(Sltiu) X(Xori) X(Ori) X(Andi) X(Slli) X(Srli) X(Srai)                      \
    X(Add) X(Sub) X(Sll) X(Slt) X(Sltu) X(Xor) X(Srl) X(Sra) X(Or) X(And)                        \
    X(Fence) X(FenceI) X(Ecall) X(Ebreak) X(Mret) X(Wfi)                                         \
    /* Zicsr */                                                                                  \
    X(Csrrw) X(Csrrs) X(Csrrc) X(Csrrwi) X(Csrrsi) X(Csrrci)                                     \
    /* M */                                                                                      \
    X(Mul) X(Mulh) X(Mulhsu) X(Mulhu) X(Div) X(Divu) X(Rem) X(Remu)                              \
    /* A */                                                                                      \
    X(LrW) X(ScW) X(AmoswapW) X(AmoaddW) X(AmoxorW) X(AmoandW) X(AmoorW) X(AmominW) X(AmomaxW)   \
    X(AmominuW) X(AmomaxuW)                                                                      \
    /* Internal pseudo-ops of the decode cache: */                                               \
    X(Illegal)    /* undecodable encoding: illegal-instruction trap, imm = raw bits */           \
    X(FetchFault) /* the instruction cannot be fetched: access-fault trap, imm = address */      \
    X(PageEnd)    /* sentinel after the last halfword of a decode page: go on with the next */   \
    /* branches and jal whose target is on the same decode page: imm = entry byte offset */      \
    X(BeqNear) X(BneNear) X(BltNear) X(BgeNear) X(BltuNear) X(BgeuNear) X(JalNear)             \
    X(QuantumStop) /* handler temporarily patched over the entry where the quantum ends */     \
    X(Undecoded)  /* decode-cache entry not filled yet */

enum class Op : uint8_t {
#define AIMC_RV32_OP_ENUM(name) name,
    AIMC_RV32_OPS(AIMC_RV32_OP_ENUM)
#undef AIMC_RV32_OP_ENUM
    Count
};
constexpr unsigned kNumOps = static_cast<unsigned>(Op::Count);

// Timing class: selects the CycleTable entry charged for the instruction.
enum class Cls : uint8_t { Alu, Load, Store, Branch, Jump, Mul, Div, Csr, Amo, System, None, Count };

// Operand layout. 32-bit formats first, then the compressed ones (which also say how to expand).
enum class Fmt : uint8_t {
    R, I, Shift, Load, S, B, U, J, Jalr, Csr, CsrI, Amo, Lr, Fence, None,
    CAddi4spn, CLw, CSw, CAddi, CJal, CLi, CAddi16sp, CLui, CShift, CAndi, CAlu, CJ, CBz,
    CSlli, CLwsp, CJr, CMv, CJalr, CAdd, CSwsp, CEbreak,
};

struct InsnDef {
    uint32_t mask;
    uint32_t match;
    const char* mnemonic;
    Op op;
    Cls cls;
    Fmt fmt;
};

// A decoded instruction. Register numbers are architectural (0..31); imm is sign-extended (csr
// number for Zicsr, shift amount for shifts, zimm in rs1 for the immediate CSR forms).
struct Decoded {
    Op op = Op::Illegal;
    Cls cls = Cls::None;
    uint8_t rd = 0, rs1 = 0, rs2 = 0;
    uint8_t length = 4;  // 2 or 4
    int32_t imm = 0;
    const InsnDef* def = nullptr;  // matching row (compressed row for RVC encodings)
};

// Length of the instruction whose low halfword is `low16`: 2 or 4 (longer encodings are illegal
// and reported as 4).
inline unsigned insn_length(uint32_t low16) { return (low16 & 3) == 3 ? 4 : 2; }

// Decode `bits` (a 16-bit encoding zero-extended, or a 32-bit one). Returns false for an illegal
// or unsupported encoding (out.op = Op::Illegal, out.length still set).
bool decode(uint32_t bits, Decoded& out);

// True if an op ends a decode-cache block (control flow, CSR access, system, trap-raising).
bool is_block_end(Op op);

// Human-readable name of an op (for diagnostics).
const char* op_name(Op op);

// objdump-style text: "addi a0, a0, 1", "lw a5, 12(sp)", "beq a0, a1, 0x80000010", "csrr a0,
// mstatus". Compressed encodings are shown as their 32-bit expansion, as objdump -d does.
std::string disassemble(uint32_t bits, uint32_t pc);

// ABI name of integer register `r` ("zero", "ra", ... "t6").
const char* reg_name(unsigned r);
// Name of a CSR ("mstatus") or nullptr if unknown.
const char* csr_name(uint32_t number);

}  // namespace aimc::host::isa
