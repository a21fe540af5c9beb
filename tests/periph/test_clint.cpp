// CLINT: mtime counts at the timebase, MTIP rises exactly when mtime reaches mtimecmp, MSIP follows the register.
#include <gtest/gtest.h>

#include "aimc/regs/clint.h"
#include "periph/clint.h"
#include "tlm_probe.h"

using namespace sc_core;

TEST(Clint, TimerAndSoftwareInterrupts) {
    aimc::periph::ClintParams p;
    p.timebase_hz = 10e6;  // 100 ns per tick
    p.access_latency = 0;
    aimc::periph::Clint clint("clint", p);
    aimc::test::TlmProbe probe("probe");
    sc_signal<bool> msip("msip"), mtip("mtip");
    clint.msip(msip);
    clint.mtip(mtip);
    probe.socket.bind(clint.socket);

    sc_start(SC_ZERO_TIME);
    EXPECT_FALSE(mtip.read());
    sc_start(1, SC_US);
    EXPECT_EQ(probe.read32(AIMC_CLINT_MTIME_LO), 10u);  // 1 us at 10 MHz
    probe.delay = sc_time(250, SC_NS);                 // an initiator running ahead sees its local time
    EXPECT_EQ(probe.read32(AIMC_CLINT_MTIME_LO), 12u);
    probe.delay = SC_ZERO_TIME;

    probe.write32(AIMC_CLINT_MTIMECMP_HI, 0);
    probe.write32(AIMC_CLINT_MTIMECMP_LO, 15);  // 1.5 us
    sc_start(SC_ZERO_TIME);
    sc_start(SC_ZERO_TIME);
    EXPECT_FALSE(mtip.read());
    sc_start(499, SC_NS);
    EXPECT_FALSE(mtip.read()) << "fired early at " << sc_time_stamp();
    sc_start(2, SC_NS);
    EXPECT_TRUE(mtip.read()) << "not fired at " << sc_time_stamp();
    probe.write32(AIMC_CLINT_MTIMECMP_LO, 0xFFFFFFFF);
    probe.write32(AIMC_CLINT_MTIMECMP_HI, 0xFFFFFFFF);
    sc_start(1, SC_NS);
    EXPECT_FALSE(mtip.read());

    probe.write32(AIMC_CLINT_MSIP, 0xFFFFFFFF);
    sc_start(1, SC_NS);
    EXPECT_TRUE(msip.read());
    EXPECT_EQ(probe.read32(AIMC_CLINT_MSIP), 1u);  // only bit 0 exists
    probe.write32(AIMC_CLINT_MSIP, 0);
    sc_start(1, SC_NS);
    EXPECT_FALSE(msip.read());

    // Writing mtime moves the count; the compare follows the new value.
    probe.write32(AIMC_CLINT_MTIME_LO, 1000);
    EXPECT_EQ(probe.read32(AIMC_CLINT_MTIME_LO), 1000u);
    probe.write32(AIMC_CLINT_MTIMECMP_HI, 0);
    probe.write32(AIMC_CLINT_MTIMECMP_LO, 1002);
    sc_start(150, SC_NS);
    EXPECT_FALSE(mtip.read());
    sc_start(100, SC_NS);
    EXPECT_TRUE(mtip.read());

    // An unmapped offset inside the window is an address error, not a silent zero.
    tlm::tlm_response_status st;
    probe.read32(0x100, &st);
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}
