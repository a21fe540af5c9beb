/* 16550 UART, polled transmit. */
#include "aimc/hal/uart.h"

#include "aimc/hal/clint.h"
#include "aimc/hal/error.h"
#include "aimc/platform.h"
#include "aimc/regs/uart16550.h"

#define UART(reg) AIMC_MMIO8(AIMC_UART0_BASE + AIMC_UART_##reg)

/* The transmitter of every modelled platform is always ready: the deadline is only computed (a
 * CLINT read) when it is not, so the usual path is one LSR read. */
int aimc_uart_putc(char c) {
  if (!(UART(LSR) & AIMC_UART_LSR_THRE)) {
    uint64_t deadline = aimc_mtime() + aimc_us_to_ticks(AIMC_UART_TIMEOUT_US);
    while (!(UART(LSR) & AIMC_UART_LSR_THRE))
      if (aimc_mtime() > deadline) return AIMC_ETIMEDOUT;
  }
  UART(RBR_THR) = (uint8_t)c;
  return 0;
}

int aimc_uart_write(const char *data, size_t len) {
  if (!data && len) return AIMC_EINVAL;
  for (size_t i = 0; i < len; i++) {
    int rc = aimc_uart_putc(data[i]);
    if (rc) return rc;
  }
  return 0;
}

int aimc_uart_puts(const char *s) {
  if (!s) return AIMC_EINVAL;
  for (; *s; s++) {
    int rc = aimc_uart_putc(*s);
    if (rc) return rc;
  }
  return 0;
}

int aimc_uart_put_hex32(uint32_t value) {
  char text[11] = "0x";
  for (int i = 0; i < 8; i++) text[2 + i] = "0123456789abcdef"[(value >> (28 - 4 * i)) & 0xf];
  text[10] = 0;
  return aimc_uart_puts(text);
}

int aimc_uart_getc(void) {
  if (!(UART(LSR) & AIMC_UART_LSR_DR)) return AIMC_EAGAIN;
  return UART(RBR_THR);
}

void aimc_uart_set_tx_irq(bool enable) {
  uint8_t ier = UART(IER);
  UART(IER) = enable ? (uint8_t)(ier | AIMC_UART_IER_THRE) : (uint8_t)(ier & ~AIMC_UART_IER_THRE);
}
