/* RV32A: every AMO (old value returned, memory updated) and LR/SC reservations. */
#include "isa_test.h"

static volatile uint32_t cell;

/* Run `op` on `cell` holding `before` with operand `src`: check the returned old value and the
 * new memory value. */
#define AMO(op, before, src, after)                                                        \
  do {                                                                                     \
    cell = (uint32_t)(before);                                                             \
    uint32_t old_;                                                                         \
    __asm__ volatile(op " %0, %1, (%2)" : "=r"(old_) : "r"((uint32_t)(src)), "r"(&cell) : "memory"); \
    ISA_EQ(op " old", old_, (uint32_t)(before));                                           \
    ISA_EQ(op " new", cell, (uint32_t)(after));                                            \
  } while (0)

static void test_amo(void) {
  AMO("amoswap.w", 0x11, 0x22, 0x22);
  AMO("amoadd.w", 5, 0xffffffff, 4);
  AMO("amoand.w", 0xff00ff00, 0x0ff00ff0, 0x0f000f00);
  AMO("amoor.w", 0xff00ff00, 0x0ff00ff0, 0xfff0fff0);
  AMO("amoxor.w", 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0);
  AMO("amomin.w", -5, 3, -5);
  AMO("amomin.w", 3, -5, -5);
  AMO("amomax.w", -5, 3, 3);
  AMO("amomax.w", 0x80000000, 0x7fffffff, 0x7fffffff);
  AMO("amominu.w", 0xffffffff, 1, 1);
  AMO("amominu.w", 1, 0xffffffff, 1);
  AMO("amomaxu.w", 1, 0xffffffff, 0xffffffff);
  AMO("amomaxu.w", 0x80000000, 0x7fffffff, 0x80000000);
  AMO("amoadd.w.aq", 1, 2, 3);
  AMO("amoadd.w.rl", 1, 2, 3);
  AMO("amoswap.w.aqrl", 1, 2, 2);

  cell = 10;
  __asm__ volatile("amoadd.w x0, %0, (%1)" : : "r"(5), "r"(&cell) : "memory");
  ISA_EQ("amoadd.w rd=x0", cell, 15);
}

static void test_lr_sc(void) {
  uint32_t value, fail;
  cell = 0x1234;
  __asm__ volatile("lr.w %0, (%2)\n\t"
                   "sc.w %1, %3, (%2)"
                   : "=&r"(value), "=&r"(fail) : "r"(&cell), "r"(0x5678) : "memory");
  ISA_EQ("lr.w value", value, 0x1234);
  ISA_EQ("sc.w after lr.w succeeds", fail, 0);
  ISA_EQ("sc.w stored", cell, 0x5678);

  /* Any sc.w gives up the reservation, so a second one fails and stores nothing. */
  __asm__ volatile("sc.w %0, %1, (%2)" : "=&r"(fail) : "r"(0x9abc), "r"(&cell) : "memory");
  ISA_EQ("second sc.w fails", fail != 0, 1);
  ISA_EQ("failed sc.w stores nothing", cell, 0x5678);

  __asm__ volatile("lr.w.aq %0, (%2)\n\t"
                   "sc.w.rl %1, %3, (%2)"
                   : "=&r"(value), "=&r"(fail) : "r"(&cell), "r"(0x1111) : "memory");
  ISA_EQ("lr.w.aq/sc.w.rl", fail, 0);
  ISA_EQ("sc.w.rl stored", cell, 0x1111);

  /* The usual retry loop: atomic increment. */
  cell = 41;
  __asm__ volatile("1: lr.w %0, (%1)\n\t"
                   "addi %0, %0, 1\n\t"
                   "sc.w %0, %0, (%1)\n\t"
                   "bnez %0, 1b"
                   : "=&r"(value) : "r"(&cell) : "memory");
  ISA_EQ("lr/sc increment loop", cell, 42);
}

int main(void) {
  test_amo();
  test_lr_sc();
  return isa_finish("isa-rv32a");
}
