/* The smallest console image: greet, show who is running, exit 0 by returning from main. */
#include <stdio.h>

#include "aimc/hal/csr.h"

int main(void) {
  printf("Hello from aimc-vp\n");
  printf("misa=0x%08lx mhartid=%lu\n", (unsigned long)aimc_csr_read(misa),
         (unsigned long)aimc_csr_read(mhartid));
  return 0;
}
