/*
 * Register maps, written once.
 *
 * Each block's header defines AIMC_<BLOCK>_REGMAP(X): one X(...) row per register,
 *   X(NAME, OFFSET, WIDTH, COUNT, ACCESS, RESET, "description")
 * WIDTH is in bytes (1 or 4), COUNT > 1 makes an array with stride WIDTH, ACCESS is RW, RO or WO.
 * The firmware gets offsets from these rows (AIMC_REGMAP_OFFSETS), the models build their register
 * banks from the same rows, and docs/ tables are generated from them, so the three cannot disagree.
 */
#ifndef AIMC_REGS_REGMAP_H
#define AIMC_REGS_REGMAP_H

#include <stdint.h>

/* Expands a regmap into an enum of byte offsets named <PREFIX>_<NAME>. */
#define AIMC_REGMAP_OFFSET_ROW(NAME, OFFSET, WIDTH, COUNT, ACCESS, RESET, DESC) AIMC_REGMAP_PREFIXED(NAME) = (OFFSET),

/* 32-bit and 8-bit MMIO accessors for firmware. */
#define AIMC_MMIO32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#define AIMC_MMIO8(addr) (*(volatile uint8_t *)(uintptr_t)(addr))

#endif
