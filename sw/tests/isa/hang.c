/* Never ends: a busy loop (no wfi) for the simulator's --max-time limit. */
#include <stdio.h>

int main(void) {
  printf("hang: spinning forever\n");
  for (;;) __asm__ volatile("" : : : "memory");
}
