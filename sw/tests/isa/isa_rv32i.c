/* RV32I base integer instructions (32-bit encodings only; isa-rv32c covers the compressed ones). */
#include <stddef.h>

#include "isa_test.h"

/* Keep the assembler from substituting compressed encodings. */
#define NORVC ".option push\n\t.option norvc\n\t"
#define END ".option pop\n\t"

#define RR(op, a, b)                                                                         \
  ({                                                                                         \
    uint32_t r_;                                                                             \
    __asm__ volatile(NORVC op " %0, %1, %2\n\t" END : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
    r_;                                                                                      \
  })
#define RI(op, a, imm)                                                                       \
  ({                                                                                         \
    uint32_t r_;                                                                             \
    __asm__ volatile(NORVC op " %0, %1, %2\n\t" END : "=r"(r_) : "r"((uint32_t)(a)), "i"(imm)); \
    r_;                                                                                      \
  })
/* 1 if the branch is taken. */
#define BR(op, a, b)                                                                         \
  ({                                                                                         \
    uint32_t t_;                                                                             \
    __asm__ volatile(NORVC "li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:\n\t" END           \
                     : "=&r"(t_) : "r"((uint32_t)(a)), "r"((uint32_t)(b)));                  \
    t_;                                                                                      \
  })
#define LOAD(op, base, off)                                                                  \
  ({                                                                                         \
    uint32_t r_;                                                                             \
    __asm__ volatile(NORVC op " %0, %2(%1)\n\t" END : "=r"(r_) : "r"(base), "i"(off) : "memory"); \
    r_;                                                                                      \
  })
#define STORE(op, value, base, off) \
  __asm__ volatile(NORVC op " %0, %2(%1)\n\t" END : : "r"((uint32_t)(value)), "r"(base), "i"(off) : "memory")

static void test_alu(void) {
  ISA_EQ("add", RR("add", 1, 1), 2);
  ISA_EQ("add overflow", RR("add", 0x7fffffff, 1), 0x80000000);
  ISA_EQ("add wrap", RR("add", 0xffffffff, 1), 0);
  ISA_EQ("add negative", RR("add", -3, -5), -8);
  ISA_EQ("sub", RR("sub", 5, 7), -2);
  ISA_EQ("sub wrap", RR("sub", 0, 1), 0xffffffff);
  ISA_EQ("sub overflow", RR("sub", 0x80000000, 1), 0x7fffffff);
  ISA_EQ("and", RR("and", 0xff00ff00, 0x0f0f0f0f), 0x0f000f00);
  ISA_EQ("or", RR("or", 0xff00ff00, 0x0f0f0f0f), 0xff0fff0f);
  ISA_EQ("xor", RR("xor", 0xff00ff00, 0x0f0f0f0f), 0xf00ff00f);
  ISA_EQ("sll", RR("sll", 0x12345678, 4), 0x23456780);
  ISA_EQ("sll 31", RR("sll", 1, 31), 0x80000000);
  ISA_EQ("sll uses rs2[4:0]", RR("sll", 1, 33), 2);
  ISA_EQ("srl", RR("srl", 0xf0000000, 4), 0x0f000000);
  ISA_EQ("srl 31", RR("srl", 0x80000000, 31), 1);
  ISA_EQ("srl uses rs2[4:0]", RR("srl", 0x80000000, 33), 0x40000000);
  ISA_EQ("sra negative", RR("sra", 0xf0000000, 4), 0xff000000);
  ISA_EQ("sra positive", RR("sra", 0x70000000, 4), 0x07000000);
  ISA_EQ("sra 31", RR("sra", 0x80000000, 31), 0xffffffff);
  ISA_EQ("sra uses rs2[4:0]", RR("sra", 0x80000000, 32), 0x80000000);
  ISA_EQ("slt -1<0", RR("slt", -1, 0), 1);
  ISA_EQ("slt 0<-1", RR("slt", 0, -1), 0);
  ISA_EQ("slt equal", RR("slt", 5, 5), 0);
  ISA_EQ("slt min<max", RR("slt", 0x80000000, 0x7fffffff), 1);
  ISA_EQ("sltu max<0", RR("sltu", 0xffffffff, 0), 0);
  ISA_EQ("sltu 0<max", RR("sltu", 0, 0xffffffff), 1);
  ISA_EQ("sltu equal", RR("sltu", 5, 5), 0);

  ISA_EQ("addi -1", RI("addi", 0, -1), 0xffffffff);
  ISA_EQ("addi 2047", RI("addi", 1, 2047), 2048);
  ISA_EQ("addi -2048", RI("addi", 0, -2048), 0xfffff800);
  ISA_EQ("slti", RI("slti", -5, -4), 1);
  ISA_EQ("slti not", RI("slti", -4, -5), 0);
  ISA_EQ("sltiu sign-extended imm", RI("sltiu", 0xfffffffe, -1), 1);
  ISA_EQ("sltiu seqz", RI("sltiu", 0, 1), 1);
  ISA_EQ("sltiu seqz not", RI("sltiu", 7, 1), 0);
  ISA_EQ("andi sign-extended imm", RI("andi", 0xffffffff, -2048), 0xfffff800);
  ISA_EQ("andi", RI("andi", 0x12345678, 0x0ff), 0x78);
  ISA_EQ("ori", RI("ori", 0x12340000, 0x7ff), 0x123407ff);
  ISA_EQ("xori not", RI("xori", 0x12345678, -1), 0xedcba987);
  ISA_EQ("slli 31", RI("slli", 1, 31), 0x80000000);
  ISA_EQ("slli 0", RI("slli", 0x12345678, 0), 0x12345678);
  ISA_EQ("srli 31", RI("srli", 0x80000000, 31), 1);
  ISA_EQ("srai 31", RI("srai", 0x80000000, 31), 0xffffffff);
  ISA_EQ("srai 4", RI("srai", 0x87654321, 4), 0xf8765432);

  uint32_t r;
  __asm__ volatile(NORVC "lui %0, 0x12345\n\t" END : "=r"(r));
  ISA_EQ("lui", r, 0x12345000);
  __asm__ volatile(NORVC "lui %0, 0xfffff\n\t" END : "=r"(r));
  ISA_EQ("lui top", r, 0xfffff000);

  /* Writes to x0 are discarded. */
  __asm__ volatile(NORVC "addi x0, x0, 5\n\tlui x0, 1\n\tadd %0, x0, x0\n\t" END : "=r"(r));
  ISA_EQ("x0 stays 0", r, 0);
}

static void test_upper_pc(void) {
  uint32_t pc, abs;
  __asm__ volatile(NORVC "1: auipc %0, 0\n\t" ISA_LABEL_ADDR("%1", "1b") END : "=&r"(pc), "=&r"(abs));
  ISA_EQ("auipc 0", pc, abs);
  __asm__ volatile(NORVC "1: auipc %0, 1\n\t" ISA_LABEL_ADDR("%1", "1b") END : "=&r"(pc), "=&r"(abs));
  ISA_EQ("auipc 1", pc, abs + 0x1000);
  __asm__ volatile(NORVC "1: auipc %0, 0xfffff\n\t" ISA_LABEL_ADDR("%1", "1b") END : "=&r"(pc), "=&r"(abs));
  ISA_EQ("auipc -1", pc, abs - 0x1000);
}

static void test_jumps(void) {
  uint32_t link, skipped, at;
  __asm__ volatile(NORVC "li %1, 0\n\t"
                   "1: jal %0, 2f\n\t"
                   "li %1, 1\n"
                   "2:\n\t" ISA_LABEL_ADDR("%2", "1b") END
                   : "=&r"(link), "=&r"(skipped), "=&r"(at));
  ISA_EQ("jal link", link, at + 4);
  ISA_EQ("jal skips", skipped, 0);

  /* Backward jal: jump over the landing pad first. */
  __asm__ volatile(NORVC "li %1, 0\n\t"
                   "j 2f\n"
                   "1: li %1, 1\n\t"
                   "j 3f\n"
                   "2: jal %0, 1b\n"
                   "3:\n\t" END
                   : "=&r"(link), "=&r"(skipped));
  ISA_EQ("jal backward", skipped, 1);

  uint32_t target;
  __asm__ volatile(NORVC ISA_LABEL_ADDR("%2", "2f")
                   "li %1, 0\n"
                   "1: jalr %0, 1(%2)\n\t" /* target + 1: jalr clears bit 0 */
                   "li %1, 1\n"
                   "2:\n\t" ISA_LABEL_ADDR("%3", "1b") END
                   : "=&r"(link), "=&r"(skipped), "=&r"(target), "=&r"(at));
  ISA_EQ("jalr link", link, at + 4);
  ISA_EQ("jalr clears bit 0", skipped, 0);

  __asm__ volatile(NORVC ISA_LABEL_ADDR("%0", "2f")
                   "li %1, 0\n"
                   "1: jalr %0, 0(%0)\n\t" /* rd == rs1: the target uses the old value */
                   "li %1, 1\n"
                   "2:\n\t" ISA_LABEL_ADDR("%2", "1b") END
                   : "=&r"(link), "=&r"(skipped), "=&r"(at));
  ISA_EQ("jalr rd=rs1 link", link, at + 4);
  ISA_EQ("jalr rd=rs1 target", skipped, 0);
}

static void test_branches(void) {
  ISA_EQ("beq taken", BR("beq", 7, 7), 1);
  ISA_EQ("beq not", BR("beq", 7, 8), 0);
  ISA_EQ("bne taken", BR("bne", 7, 8), 1);
  ISA_EQ("bne not", BR("bne", 7, 7), 0);
  ISA_EQ("blt taken", BR("blt", -1, 0), 1);
  ISA_EQ("blt not", BR("blt", 0, -1), 0);
  ISA_EQ("blt equal", BR("blt", 3, 3), 0);
  ISA_EQ("bge taken", BR("bge", 0, -1), 1);
  ISA_EQ("bge equal", BR("bge", 3, 3), 1);
  ISA_EQ("bge not", BR("bge", 0x80000000, 0x7fffffff), 0);
  ISA_EQ("bltu taken", BR("bltu", 0, 0xffffffff), 1);
  ISA_EQ("bltu not", BR("bltu", 0xffffffff, 0), 0);
  ISA_EQ("bgeu taken", BR("bgeu", 0xffffffff, 0), 1);
  ISA_EQ("bgeu equal", BR("bgeu", 9, 9), 1);
  ISA_EQ("bgeu not", BR("bgeu", 0, 1), 0);

  uint32_t n;
  __asm__ volatile(NORVC "li %0, 0\n\tli t0, 5\n"
                   "1: addi %0, %0, 1\n\t"
                   "addi t0, t0, -1\n\t"
                   "bne t0, x0, 1b\n\t" END
                   : "=&r"(n) : : "t0");
  ISA_EQ("backward branch loop", n, 5);
}

static const uint8_t load_data[8] __attribute__((aligned(8))) = {0x80, 0x7f, 0xff, 0x01, 0x34, 0x12, 0xcd, 0xab};

static void test_loads_stores(void) {
  const uint8_t *p = load_data;
  ISA_EQ("lb sign", LOAD("lb", p, 0), 0xffffff80);
  ISA_EQ("lb positive", LOAD("lb", p, 1), 0x7f);
  ISA_EQ("lb -1", LOAD("lb", p, 2), 0xffffffff);
  ISA_EQ("lbu", LOAD("lbu", p, 0), 0x80);
  ISA_EQ("lbu ff", LOAD("lbu", p, 2), 0xff);
  ISA_EQ("lh", LOAD("lh", p, 0), 0x7f80);
  ISA_EQ("lh offset 2", LOAD("lh", p, 2), 0x01ff);
  ISA_EQ("lh sign", LOAD("lh", p, 6), 0xffffabcd);
  ISA_EQ("lhu", LOAD("lhu", p, 6), 0xabcd);
  ISA_EQ("lw", LOAD("lw", p, 0), 0x01ff7f80);
  ISA_EQ("lw offset 4", LOAD("lw", p, 4), 0xabcd1234);
  ISA_EQ("lw negative offset", LOAD("lw", p + 8, -4), 0xabcd1234);

  static volatile uint32_t words[2];
  volatile uint32_t *w = words;
  words[0] = 0x11223344;
  words[1] = 0x55667788;
  STORE("sb", 0xaa, w, 1);
  ISA_EQ("sb", words[0], 0x1122aa44);
  STORE("sb", 0x1bb, w, 3);
  ISA_EQ("sb low byte only", words[0], 0xbb22aa44);
  STORE("sh", 0xbeef, w, 4);
  ISA_EQ("sh", words[1], 0x5566beef);
  STORE("sh", 0x1cafe, w, 6);
  ISA_EQ("sh low half only", words[1], 0xcafebeef);
  STORE("sw", 0x01020304, w + 2, -8);
  ISA_EQ("sw negative offset", words[0], 0x01020304);
  ISA_EQ("sw neighbour intact", words[1], 0xcafebeef);
}

/* Code written as data runs after fence.i (also exercises a decode cache being invalidated). */
static uint32_t code_buffer[4] __attribute__((aligned(16)));

static uint32_t encode_li_a0(int imm) { return ((uint32_t)imm << 20) | (10u << 7) | 0x13u; } /* addi a0, x0, imm */

static void test_fences(void) {
  __asm__ volatile("fence\n\tfence rw, rw\n\tfence iorw, iorw\n\tfence r, w\n\t" : : : "memory");
  typedef uint32_t (*fn)(void);
  fn f = (fn)(uintptr_t)code_buffer;
  code_buffer[0] = encode_li_a0(42);
  code_buffer[1] = 0x00008067u; /* ret */
  __asm__ volatile("fence.i" : : : "memory");
  ISA_EQ("fence.i new code", f(), 42);
  code_buffer[0] = encode_li_a0(7);
  __asm__ volatile("fence.i" : : : "memory");
  ISA_EQ("fence.i rewritten code", f(), 7);
}

int main(void) {
  test_alu();
  test_upper_pc();
  test_jumps();
  test_branches();
  test_loads_stores();
  test_fences();
  return isa_finish("isa-rv32i");
}
