/* A locked PMP entry makes a buffer read-only for M-mode: the read works, the write is a store
 * access fault that the HAL's trap handler reports. With cpu.pmp_entries=0 there is no PMP: the
 * write goes through and the program exits 0. */
#include <stdint.h>
#include <stdio.h>

static volatile uint32_t buffer[16] __attribute__((aligned(64))) = {1, 2, 3};

int main(void) {
  const uint32_t napot = (uint32_t)((uintptr_t)buffer >> 2) | ((64 >> 3) - 1); /* 64 bytes */
  __asm__ volatile("csrw pmpaddr0, %0" : : "r"(napot));
  __asm__ volatile("csrw pmpcfg0, %0" : : "r"(0x99u)); /* L | NAPOT | R */
  uint32_t cfg;
  __asm__ volatile("csrr %0, pmpcfg0" : "=r"(cfg));
  printf("pmp: pmpcfg0 0x%02lx, buffer[2] = %lu, writing 0x%08lx\n", (unsigned long)cfg, (unsigned long)buffer[2],
         (unsigned long)(uintptr_t)&buffer[3]);
  buffer[3] = 4;
  printf("pmp: the write went through\n");
  return buffer[3] == 4 ? 0 : 1;
}
