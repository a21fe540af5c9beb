/* Fatal trap report on the UART (console images). Uses the raw driver: stdio may be what broke. A
 * UART that times out cannot report anything, so its results are not looked at: the exit code still
 * tells (AIMC_EXIT_TRAP). */
#include "aimc/hal/trap.h"
#include "aimc/hal/uart.h"

static const char *exception_name(uint32_t cause) {
  switch (cause) {
    case AIMC_EXC_INSN_MISALIGNED: return "instruction address misaligned";
    case AIMC_EXC_INSN_ACCESS: return "instruction access fault";
    case AIMC_EXC_ILLEGAL_INSN: return "illegal instruction";
    case AIMC_EXC_BREAKPOINT: return "breakpoint";
    case AIMC_EXC_LOAD_MISALIGNED: return "load address misaligned";
    case AIMC_EXC_LOAD_ACCESS: return "load access fault";
    case AIMC_EXC_STORE_MISALIGNED: return "store address misaligned";
    case AIMC_EXC_STORE_ACCESS: return "store access fault";
    case AIMC_EXC_ECALL_M: return "environment call from M-mode";
    default: return "exception";
  }
}

void aimc_trap_report(const aimc_trap_frame *frame) {
  bool irq = frame->mcause & AIMC_MCAUSE_INTERRUPT;
  aimc_uart_puts(irq ? "\nFATAL: unhandled interrupt" : "\nFATAL: unhandled ");
  if (!irq) aimc_uart_puts(exception_name(frame->mcause));
  aimc_uart_puts(": mcause=");
  aimc_uart_put_hex32(frame->mcause);
  aimc_uart_puts(" mepc=");
  aimc_uart_put_hex32(frame->mepc);
  aimc_uart_puts(" mtval=");
  aimc_uart_put_hex32(frame->mtval);
  aimc_uart_puts("\n");
}
