/* One misaligned load and one misaligned store in RAM: exits 0 when both are performed correctly
 * (cpu.misaligned = emulate); with the default (trap) the HAL's trap handler reports the trap. */
#include <stdint.h>
#include <stdio.h>

static volatile uint32_t words[3] __attribute__((aligned(16))) = {0x11223344, 0x55667788, 0x99aabbcc};

int main(void) {
  uintptr_t at = (uintptr_t)words + 1;
  uint32_t value;
  __asm__ volatile("lw %0, 0(%1)" : "=r"(value) : "r"(at) : "memory");
  __asm__ volatile("sw %0, 0(%1)" : : "r"(0xdeadbeefu), "r"((uintptr_t)words + 6) : "memory");
  int ok = value == 0x88112233u && words[1] == 0xbeef7788u && words[2] == 0x99aadead;
  printf("misaligned: lw 0x%08lx, words 0x%08lx 0x%08lx: %s\n", (unsigned long)value, (unsigned long)words[1],
         (unsigned long)words[2], ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
