/* Prints 3 400 characters through the HTIF console (device 1, command 1), as riscv-tests and
 * spike programs do: each request is two stores, the character to tohost's low word, then the
 * command to its high word. The simulator must act on the high-word store only; a request seen
 * half-written would be taken as an exit or dropped. Line i is "line iii " then letters up to 33
 * characters, then '\n' (tests/platform rebuild the same text). */
#include <stdint.h>

#include "aimc/hal/exit.h"

static void htif_putchar(char c) {
  volatile uint32_t* words = (volatile uint32_t*)&tohost;
  while (words[0] | words[1]) {
  }  // the previous request is still pending
  words[0] = (uint8_t)c;
  words[1] = 0x01010000u;  // device 1 (console), command 1 (putchar)
}

int main(void) {
  for (int i = 0; i < 100; ++i) {
    char line[34] = "line ";
    line[5] = (char)('0' + i / 100);
    line[6] = (char)('0' + i / 10 % 10);
    line[7] = (char)('0' + i % 10);
    line[8] = ' ';
    for (int j = 9; j < 33; ++j) line[j] = (char)('A' + (i + j) % 26);
    line[33] = '\n';
    for (int j = 0; j < 34; ++j) htif_putchar(line[j]);
  }
  volatile uint32_t* words = (volatile uint32_t*)&tohost;
  while (words[0] | words[1]) {
  }
  return 0;
}
