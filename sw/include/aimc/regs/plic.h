/* Platform-level interrupt controller (SiFive PLIC layout, up to 1023 sources, one context: hart 0 M-mode). */
#ifndef AIMC_REGS_PLIC_H
#define AIMC_REGS_PLIC_H
#include "regmap.h"

#define AIMC_PLIC_MAX_SOURCES 1024 /* source 0 is reserved ("no interrupt"); a platform has plic.num_sources */

#define AIMC_PLIC_REGMAP(X) \
  X(PRIORITY,       0x000000, 4, 1024, RW, 0x00000000, "Priority of source n at 0x4*n (0 = never interrupts; 1..7); PRIORITY[0] is reserved") \
  X(PENDING,        0x001000, 4, 32,   RO, 0x00000000, "Word w, bit b: source 32*w + b is pending") \
  X(ENABLE,         0x002000, 4, 32,   RW, 0x00000000, "Word w, bit b: source 32*w + b may interrupt context 0 (hart 0, M-mode)") \
  X(THRESHOLD,      0x200000, 4, 1,    RW, 0x00000000, "Context 0 priority threshold: only sources with priority > threshold interrupt") \
  X(CLAIM_COMPLETE, 0x200004, 4, 1,    RW, 0x00000000, "Read: claim the highest-priority pending source (0 if none). Write n: complete source n")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_PLIC_##NAME
enum { AIMC_PLIC_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED
#endif
