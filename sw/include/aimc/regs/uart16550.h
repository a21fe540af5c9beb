/* 16550-compatible UART, byte registers at stride 1 (as QEMU virt's). Offsets 0 and 1 are DLL/DLM while LCR.DLAB is set. */
#ifndef AIMC_REGS_UART16550_H
#define AIMC_REGS_UART16550_H
#include "regmap.h"

#define AIMC_UART_REGMAP(X) \
  X(RBR_THR, 0x0, 1, 1, RW, 0x00, "Read: receive buffer (no input is modelled: reads 0). Write: transmit a byte to the console. DLL when LCR.DLAB=1") \
  X(IER,     0x1, 1, 1, RW, 0x00, "Interrupt enable: bit 0 received data, bit 1 transmitter empty. DLM when LCR.DLAB=1") \
  X(IIR_FCR, 0x2, 1, 1, RW, 0x01, "Read: interrupt identification (0x01 none, 0x02 THR empty); write: FIFO control (accepted, FIFO always on)") \
  X(LCR,     0x3, 1, 1, RW, 0x00, "Line control; bit 7 is DLAB (divisor latch access)") \
  X(MCR,     0x4, 1, 1, RW, 0x00, "Modem control (stored, no effect)") \
  X(LSR,     0x5, 1, 1, RO, 0x60, "Line status: bit 5 THR empty, bit 6 transmitter empty (always 1: transmission is instantaneous), bit 0 data ready (always 0)") \
  X(MSR,     0x6, 1, 1, RO, 0x00, "Modem status (0)") \
  X(SCR,     0x7, 1, 1, RW, 0x00, "Scratch register")

#define AIMC_REGMAP_PREFIXED(NAME) AIMC_UART_##NAME
enum { AIMC_UART_REGMAP(AIMC_REGMAP_OFFSET_ROW) };
#undef AIMC_REGMAP_PREFIXED

#define AIMC_UART_LSR_DR   0x01u
#define AIMC_UART_LSR_THRE 0x20u
#define AIMC_UART_LSR_TEMT 0x40u
#define AIMC_UART_IER_THRE 0x02u
#define AIMC_UART_LCR_DLAB 0x80u
#endif
