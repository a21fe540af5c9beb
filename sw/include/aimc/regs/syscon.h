/* System controller: simulation exit, simulated time and energy counters. */
#ifndef AIMC_REGS_SYSCON_H
#define AIMC_REGS_SYSCON_H
#include "regmap.h"

#define AIMC_SYSCON_REGMAP(X) \
  X(FINISHER,     0x000, 4, 1, WO, 0x00000000, "Exit the simulation: 0x5555 = pass (exit 0), (code << 16) | 0x3333 = fail with exit code (sifive_test compatible)") \
  X(ID,           0x004, 4, 1, RO, 0x41494D43, "Identification: 'AIMC' (0x41494D43)") \
  X(TIME_NS_LO,   0x008, 4, 1, RO, 0x00000000, "Simulated time in ns, low word; reading it latches TIME_NS_HI") \
  X(TIME_NS_HI,   0x00C, 4, 1, RO, 0x00000000, "Simulated time in ns, high word latched by the last TIME_NS_LO read") \
  X(ENERGY_PJ_LO, 0x010, 4, 1, RO, 0x00000000, "Energy spent by the whole platform so far (dynamic + static) in pJ, low word; reading it latches ENERGY_PJ_HI") \
  X(ENERGY_PJ_HI, 0x014, 4, 1, RO, 0x00000000, "Energy in pJ, high word latched by the last ENERGY_PJ_LO read") \
  X(REGION,       0x018, 4, 1, RW, 0x00000000, "Current region (e.g. network layer) id: energy and time from now on are reported under it") \
  X(REGION_NAME,  0x01C, 4, 1, WO, 0x00000000, "Name of the current region for the report: a write appends the word's bytes up to the first NUL (little-endian, so a C string goes 4 bytes a write; at most 63 characters kept); a word whose low byte is NUL clears the name")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_SYSCON_##NAME
enum { AIMC_SYSCON_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED

#define AIMC_SYSCON_FINISHER_PASS 0x5555u
#define AIMC_SYSCON_FINISHER_FAIL 0x3333u
#define AIMC_SYSCON_ID_VALUE 0x41494D43u
#endif
