/* 16550 UART, polled transmit. */
#include "aimc/hal/uart.h"

#include "aimc/hal/error.h"

#include "aimc/platform.h"
#include "aimc/regs/uart16550.h"

#define UART(reg) AIMC_MMIO8(AIMC_UART0_BASE + AIMC_UART_##reg)

void aimc_uart_putc(char c) {
  while (!(UART(LSR) & AIMC_UART_LSR_THRE)) {
  }
  UART(RBR_THR) = (uint8_t)c;
}

void aimc_uart_write(const char *data, size_t len) {
  for (size_t i = 0; i < len; i++) aimc_uart_putc(data[i]);
}

void aimc_uart_puts(const char *s) {
  while (*s) aimc_uart_putc(*s++);
}

void aimc_uart_put_hex32(uint32_t value) {
  aimc_uart_puts("0x");
  for (int shift = 28; shift >= 0; shift -= 4) aimc_uart_putc("0123456789abcdef"[(value >> shift) & 0xf]);
}

int aimc_uart_getc(void) {
  if (!(UART(LSR) & AIMC_UART_LSR_DR)) return AIMC_EAGAIN;
  return UART(RBR_THR);
}

void aimc_uart_set_tx_irq(bool enable) {
  uint8_t ier = UART(IER);
  UART(IER) = enable ? (uint8_t)(ier | AIMC_UART_IER_THRE) : (uint8_t)(ier & ~AIMC_UART_IER_THRE);
}
