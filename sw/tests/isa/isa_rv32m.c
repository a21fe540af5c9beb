/* RV32M: multiply (all four halves) and divide/remainder including the division-by-zero and
 * overflow results the spec defines instead of trapping. */
#include "isa_test.h"

#define RR(op, a, b)                                                                          \
  ({                                                                                          \
    uint32_t r_;                                                                              \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"((uint32_t)(a)), "r"((uint32_t)(b))); \
    r_;                                                                                       \
  })

static void test_multiply(void) {
  ISA_EQ("mul", RR("mul", 3, 7), 21);
  ISA_EQ("mul negative", RR("mul", -3, 7), -21);
  ISA_EQ("mul low word", RR("mul", 0x12345678, 0x9abcdef0), 0x242d2080);
  ISA_EQ("mul -1*-1", RR("mul", 0xffffffff, 0xffffffff), 1);
  ISA_EQ("mul min*-1", RR("mul", 0x80000000, 0xffffffff), 0x80000000);
  ISA_EQ("mulh", RR("mulh", 0x12345678, 0x9abcdef0), 0xf8cc93d6);
  ISA_EQ("mulh min*min", RR("mulh", 0x80000000, 0x80000000), 0x40000000);
  ISA_EQ("mulh -1*-1", RR("mulh", 0xffffffff, 0xffffffff), 0);
  ISA_EQ("mulh max*-1", RR("mulh", 0x7fffffff, 0xffffffff), 0xffffffff);
  ISA_EQ("mulhsu", RR("mulhsu", 0x12345678, 0x9abcdef0), 0x0b00ea4e);
  ISA_EQ("mulhsu min*2^31", RR("mulhsu", 0x80000000, 0x80000000), 0xc0000000);
  ISA_EQ("mulhsu -1*max", RR("mulhsu", 0xffffffff, 0xffffffff), 0xffffffff);
  ISA_EQ("mulhsu max*max", RR("mulhsu", 0x7fffffff, 0xffffffff), 0x7ffffffe);
  ISA_EQ("mulhu", RR("mulhu", 0x12345678, 0x9abcdef0), 0x0b00ea4e);
  ISA_EQ("mulhu max*max", RR("mulhu", 0xffffffff, 0xffffffff), 0xfffffffe);
  ISA_EQ("mulhu max*2", RR("mulhu", 0xffffffff, 2), 1);
  ISA_EQ("mulhu 2^31*max", RR("mulhu", 0x80000000, 0xffffffff), 0x7fffffff);
}

static void test_divide(void) {
  ISA_EQ("div", RR("div", 20, 6), 3);
  ISA_EQ("div -/+", RR("div", -20, 6), -3);
  ISA_EQ("div +/-", RR("div", 20, -6), -3);
  ISA_EQ("div -/-", RR("div", -20, -6), 3);
  ISA_EQ("div by zero", RR("div", 20, 0), 0xffffffff);
  ISA_EQ("div negative by zero", RR("div", -20, 0), 0xffffffff);
  ISA_EQ("div overflow", RR("div", 0x80000000, -1), 0x80000000);
  ISA_EQ("divu", RR("divu", 20, 6), 3);
  ISA_EQ("divu large", RR("divu", 0xffffffff, 2), 0x7fffffff);
  ISA_EQ("divu by zero", RR("divu", 20, 0), 0xffffffff);
  ISA_EQ("rem", RR("rem", 20, 6), 2);
  ISA_EQ("rem -/+", RR("rem", -20, 6), -2);
  ISA_EQ("rem +/-", RR("rem", 20, -6), 2);
  ISA_EQ("rem by zero", RR("rem", -20, 0), -20);
  ISA_EQ("rem overflow", RR("rem", 0x80000000, -1), 0);
  ISA_EQ("remu", RR("remu", 20, 6), 2);
  ISA_EQ("remu large", RR("remu", 0xffffffff, 10), 5);
  ISA_EQ("remu by zero", RR("remu", 0xfffffff0, 0), 0xfffffff0);
}

int main(void) {
  test_multiply();
  test_divide();
  return isa_finish("isa-rv32m");
}
