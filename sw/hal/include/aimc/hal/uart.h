/*
 * 16550 UART driver (polled transmit). Linking the console part of the HAL also routes
 * stdout/stderr (printf, puts) to this UART; no input is modelled.
 */
#ifndef AIMC_HAL_UART_H
#define AIMC_HAL_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Simulated time the transmitter may stay full before a write gives up (a byte at 9600 baud takes ~1 ms). */
#define AIMC_UART_TIMEOUT_US 10000u

/* Transmit: each waits for room in the transmitter, AIMC_ETIMEDOUT after AIMC_UART_TIMEOUT_US
 * (what was sent before stays sent); AIMC_EINVAL for a NULL buffer. */
int aimc_uart_putc(char c);
int aimc_uart_write(const char *data, size_t len);
int aimc_uart_puts(const char *s); /* no newline added */
int aimc_uart_put_hex32(uint32_t value); /* "0x" and 8 digits, without printf */
/* The next received byte (0..255), or AIMC_EAGAIN when none is waiting. */
int aimc_uart_getc(void);
/* The "transmitter empty" interrupt (IER bit 1): with an empty THR it is pending at once. */
void aimc_uart_set_tx_irq(bool enable);

#ifdef __cplusplus
}
#endif
#endif
