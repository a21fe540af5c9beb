/* RV32C: the compressed instructions (isa_rv32c_ops.S) and instruction fetch across a page. */
#include "isa_test.h"

void isa_rv32c_ops(void);
uint32_t isa_page_straddle(void);

int main(void) {
  isa_rv32c_ops();
  uint32_t addr = (uint32_t)(uintptr_t)isa_page_straddle;
  ISA_EQ("32-bit instruction starts 2 bytes before a page end", addr & 0xfffu, 0xffeu);
  ISA_EQ("32-bit instruction across a page boundary", isa_page_straddle(), 0x12345678);
  return isa_finish("isa-rv32c");
}
