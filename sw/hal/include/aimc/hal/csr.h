/* Machine-mode CSR access and the architectural bit/cause numbers the HAL and tests use. */
#ifndef AIMC_HAL_CSR_H
#define AIMC_HAL_CSR_H

#include <stdint.h>

/* `csr` is a CSR name or number as the assembler spells it (mstatus, 0x340, ...). Constant
 * values 0..31 use the immediate forms; the "memory" clobber keeps MMIO and CSR accesses ordered. */
#define aimc_csr_read(csr) \
  ({ uint32_t __v; __asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory"); __v; })
#define aimc_csr_write(csr, val) __asm__ volatile("csrw " #csr ", %0" : : "rK"(val) : "memory")
#define aimc_csr_set(csr, bits) __asm__ volatile("csrs " #csr ", %0" : : "rK"(bits) : "memory")
#define aimc_csr_clear(csr, bits) __asm__ volatile("csrc " #csr ", %0" : : "rK"(bits) : "memory")
#define aimc_csr_swap(csr, val) \
  ({ uint32_t __v; __asm__ volatile("csrrw %0, " #csr ", %1" : "=r"(__v) : "rK"(val) : "memory"); __v; })

/* 64-bit counters on rv32: read high, low, high again, and retry if the low word wrapped. */
#define aimc_csr_read64(lo, hi)                                       \
  ({                                                                  \
    uint32_t __h, __l;                                                \
    do {                                                              \
      __h = aimc_csr_read(hi);                                        \
      __l = aimc_csr_read(lo);                                        \
    } while (__h != aimc_csr_read(hi));                               \
    ((uint64_t)__h << 32) | __l;                                      \
  })
static inline uint64_t aimc_mcycle64(void) { return aimc_csr_read64(mcycle, mcycleh); }
static inline uint64_t aimc_minstret64(void) { return aimc_csr_read64(minstret, minstreth); }
static inline uint64_t aimc_time64(void) { return aimc_csr_read64(time, timeh); }

/* mstatus */
#define AIMC_MSTATUS_MIE  (1u << 3)
#define AIMC_MSTATUS_MPIE (1u << 7)
#define AIMC_MSTATUS_MPP  (3u << 11)

/* mie / mip bits, indexed by interrupt cause */
#define AIMC_IRQ_M_SOFT  3u
#define AIMC_IRQ_M_TIMER 7u
#define AIMC_IRQ_M_EXT   11u
#define AIMC_MIP_MSIP (1u << AIMC_IRQ_M_SOFT)
#define AIMC_MIP_MTIP (1u << AIMC_IRQ_M_TIMER)
#define AIMC_MIP_MEIP (1u << AIMC_IRQ_M_EXT)

/* mcause */
#define AIMC_MCAUSE_INTERRUPT (1u << 31)
#define AIMC_EXC_INSN_MISALIGNED  0u
#define AIMC_EXC_INSN_ACCESS      1u
#define AIMC_EXC_ILLEGAL_INSN     2u
#define AIMC_EXC_BREAKPOINT       3u
#define AIMC_EXC_LOAD_MISALIGNED  4u
#define AIMC_EXC_LOAD_ACCESS      5u
#define AIMC_EXC_STORE_MISALIGNED 6u
#define AIMC_EXC_STORE_ACCESS     7u
#define AIMC_EXC_ECALL_M          11u

/* mtvec mode field */
#define AIMC_MTVEC_DIRECT   0u
#define AIMC_MTVEC_VECTORED 1u

/* misa */
#define AIMC_MISA_EXT(letter) (1u << ((letter) - 'A'))
#define AIMC_MISA_MXL_32 (1u << 30)

#endif
