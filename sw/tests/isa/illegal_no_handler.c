/*
 * Executes an illegal instruction with mtvec left at its reset value (crt without trap setup),
 * so no handler exists: the platform must report the fatal trap and stop. aimc-vp exits with
 * status 125 naming pc, cause and instruction. (On QEMU the hart just faults in a loop at mtvec.)
 */
#include <stdio.h>

int main(void) {
  printf("illegal-no-handler: executing an illegal instruction with no trap handler\n");
  __asm__ volatile(".option push\n\t.option norvc\n\tunimp\n\t.option pop" : : : "memory");
  printf("illegal-no-handler: still running, the trap was not taken\n");
  return 1;
}
