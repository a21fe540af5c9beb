/* picolibc stdio on the UART: stdin/stdout/stderr share one unbuffered stream. */
#include <stdio.h>

#include "aimc/hal/uart.h"

static int console_put(char c, FILE *file) {
  (void)file;
  return aimc_uart_putc(c) == 0 ? (unsigned char)c : EOF;
}

static int console_get(FILE *file) {
  (void)file;
  int c = aimc_uart_getc();
  return c < 0 ? EOF : c;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, NULL, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
