// PLIC gateways, priorities, threshold, claim/complete; the UART's output and its THR-empty interrupt through the PLIC.
#include <gtest/gtest.h>

#include "aimc/regs/plic.h"
#include "aimc/regs/uart16550.h"
#include "periph/plic.h"
#include "periph/uart16550.h"
#include "tlm_probe.h"

using namespace sc_core;

struct Driver : sc_module {
    sc_vector<sc_signal<bool>> lines{"line", 40};
    explicit Driver(sc_module_name n) : sc_module(n) {}
};

TEST(PlicUart, InterruptsFlowFromSourcesToTheHart) {
    aimc::periph::PlicParams pp;
    pp.access_latency = 0;
    pp.num_sources = 40;  // two enable/pending words
    aimc::periph::Plic plic("plic", pp);
    aimc::periph::Uart16550Params up;
    up.console = false;
    aimc::periph::Uart16550 uart("uart", up);
    aimc::test::TlmProbe to_plic("to_plic"), to_uart("to_uart");
    Driver drv("drv");
    sc_signal<bool> meip("meip");
    to_plic.socket.bind(plic.socket);
    to_uart.socket.bind(uart.socket);
    for (unsigned n = 0; n < plic.num_sources(); ++n) plic.sources[n](drv.lines[n]);
    uart.irq(drv.lines[10]);  // the UART drives source 10 (the test drives the others)
    plic.meip(meip);
    auto settle = [] { sc_start(1, SC_NS); };

    settle();
    drv.lines[3].write(true);
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_PENDING), 1u << 3);
    EXPECT_FALSE(meip.read()) << "not enabled yet";
    to_plic.write32(AIMC_PLIC_PRIORITY + 4 * 3, 2);
    to_plic.write32(AIMC_PLIC_ENABLE, (1u << 3) | (1u << 5) | (1u << 10));
    settle();
    EXPECT_TRUE(meip.read());
    to_plic.write32(AIMC_PLIC_THRESHOLD, 2);  // priority must exceed the threshold
    settle();
    EXPECT_FALSE(meip.read());
    to_plic.write32(AIMC_PLIC_THRESHOLD, 0);
    drv.lines[5].write(true);
    to_plic.write32(AIMC_PLIC_PRIORITY + 4 * 5, 7);
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 5u);  // highest priority first
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 3u);
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 0u);  // nothing left
    settle();
    EXPECT_FALSE(meip.read());
    drv.lines[5].write(false);
    settle();  // the device lowers its line before the handler completes
    to_plic.write32(AIMC_PLIC_CLAIM_COMPLETE, 5);
    to_plic.write32(AIMC_PLIC_CLAIM_COMPLETE, 3);  // line 3 is still high: pending again
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_PENDING), 1u << 3);
    EXPECT_TRUE(meip.read());
    drv.lines[3].write(false);
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 3u);
    to_plic.write32(AIMC_PLIC_CLAIM_COMPLETE, 3);
    settle();
    EXPECT_FALSE(meip.read());

    // Sources beyond the first word: bit 35 - 32 of word 1.
    drv.lines[35].write(true);
    to_plic.write32(AIMC_PLIC_PRIORITY + 4 * 35, 1);
    to_plic.write32(AIMC_PLIC_ENABLE + 4, 1u << 3);
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_PENDING + 4), 1u << 3);
    EXPECT_TRUE(meip.read());
    drv.lines[35].write(false);
    settle();
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 35u);
    to_plic.write32(AIMC_PLIC_CLAIM_COMPLETE, 35);
    settle();
    EXPECT_FALSE(meip.read());
    to_plic.write32(AIMC_PLIC_ENABLE + 4, 0xFFFFFFFF);  // only sources 32..39 exist
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_ENABLE + 4), 0xFFu);

    // UART: bytes are transmitted at once; LSR says the transmitter is empty.
    EXPECT_EQ(to_uart.read8(AIMC_UART_LSR) & (AIMC_UART_LSR_THRE | AIMC_UART_LSR_TEMT),
              AIMC_UART_LSR_THRE | AIMC_UART_LSR_TEMT);
    for (char c : std::string("ok\n")) to_uart.write8(AIMC_UART_RBR_THR, static_cast<uint8_t>(c));
    EXPECT_EQ(uart.transmitted(), "ok\n");
    // Divisor latch: with DLAB set, offsets 0 and 1 are DLL/DLM and nothing is sent.
    to_uart.write8(AIMC_UART_LCR, AIMC_UART_LCR_DLAB);
    to_uart.write8(AIMC_UART_RBR_THR, 0x12);
    to_uart.write8(AIMC_UART_IER, 0x34);
    EXPECT_EQ(to_uart.read8(AIMC_UART_RBR_THR), 0x12);
    EXPECT_EQ(to_uart.read8(AIMC_UART_IER), 0x34);
    to_uart.write8(AIMC_UART_LCR, 0x03);
    EXPECT_EQ(to_uart.read8(AIMC_UART_IER), 0x00);
    EXPECT_EQ(uart.transmitted(), "ok\n");

    // THR-empty interrupt: raised when enabled, acknowledged by reading IIR, raised again by a write.
    to_plic.write32(AIMC_PLIC_PRIORITY + 4 * 10, 1);
    to_uart.write8(AIMC_UART_IER, AIMC_UART_IER_THRE);
    settle();
    EXPECT_TRUE(meip.read());
    EXPECT_EQ(to_plic.read32(AIMC_PLIC_CLAIM_COMPLETE), 10u);
    EXPECT_EQ(to_uart.read8(AIMC_UART_IIR_FCR) & 0x0F, 0x02);
    settle();
    EXPECT_EQ(to_uart.read8(AIMC_UART_IIR_FCR) & 0x0F, 0x01);
    to_plic.write32(AIMC_PLIC_CLAIM_COMPLETE, 10);
    settle();
    EXPECT_FALSE(meip.read());
    to_uart.write8(AIMC_UART_RBR_THR, '!');
    settle();
    EXPECT_TRUE(meip.read());

    // Wrong access sizes and read-only registers are bus errors.
    EXPECT_EQ(to_uart.write32(AIMC_UART_RBR_THR, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(to_uart.write8(AIMC_UART_LSR, 0), tlm::TLM_COMMAND_ERROR_RESPONSE);
}
