/* Core-local interruptor (SiFive CLINT layout, one hart): software and timer interrupts. */
#ifndef AIMC_REGS_CLINT_H
#define AIMC_REGS_CLINT_H
#include "regmap.h"

#define AIMC_CLINT_REGMAP(X) \
  X(MSIP,        0x0000, 4, 1, RW, 0x00000000, "Bit 0 drives the hart's machine software interrupt (mip.MSIP)") \
  X(MTIMECMP_LO, 0x4000, 4, 1, RW, 0xFFFFFFFF, "Timer compare, low word: mip.MTIP is set while mtime >= mtimecmp") \
  X(MTIMECMP_HI, 0x4004, 4, 1, RW, 0xFFFFFFFF, "Timer compare, high word") \
  X(MTIME_LO,    0xBFF8, 4, 1, RW, 0x00000000, "Timer, low word: counts at the timebase frequency (platform parameter clint.timebase_hz)") \
  X(MTIME_HI,    0xBFFC, 4, 1, RW, 0x00000000, "Timer, high word")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_CLINT_##NAME
enum { AIMC_CLINT_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED
#endif
