/*
 * The firmware of the gdb tests and of docs/debugging.md: a "driver" that fills a buffer, the
 * syscon identified, a few lines on the UART, and an exit code that says whether the buffer
 * holds what it should (42) or not (43), so a debugger that changes memory changes the result
 * (1: the UART did not take the first line).
 */
#include <stdint.h>
#include <stdio.h>

#include "aimc/hal/syscon.h"
#include "aimc/hal/uart.h"

#define DEMO_WORDS 16
#define DEMO_SEED 3u
#define DEMO_EXPECTED (DEMO_SEED * DEMO_WORDS * (DEMO_WORDS + 1) / 2) /* 408 */

volatile uint32_t demo_buffer[DEMO_WORDS];
volatile uint32_t demo_checksum;

/* The "driver": writes the buffer word by word, the way a driver fills a device buffer. */
__attribute__((noinline)) uint32_t demo_fill(volatile uint32_t *buffer, unsigned words, uint32_t seed) {
  uint32_t sum = 0;
  for (unsigned i = 0; i < words; i++) {
    buffer[i] = seed * (i + 1);
    sum += buffer[i];
  }
  return sum;
}

int main(void) {
  if (aimc_uart_puts("gdb-demo: start\n") != 0) return 1; /* no console: nothing to show a debugger */
  if (!aimc_syscon_present() && aimc_uart_puts("gdb-demo: no aimc-vp syscon\n") != 0) return 1;
  demo_checksum = demo_fill(demo_buffer, DEMO_WORDS, DEMO_SEED);
  printf("gdb-demo: checksum %lu (expected %u)\n", (unsigned long)demo_checksum, DEMO_EXPECTED);
  return demo_checksum == DEMO_EXPECTED ? 42 : 43;
}
