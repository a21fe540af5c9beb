// Bus decoding, unmapped accesses, DMI through the bus, RAM write observers, and the syscon's exit and counters.
#include <gtest/gtest.h>

#include "aimc/regs/syscon.h"
#include "mem/bus.h"
#include "mem/ram.h"
#include "periph/syscon.h"
#include "tlm_probe.h"

using namespace sc_core;

TEST(BusRamSyscon, DecodeDmiObserversAndExit) {
    aimc::mem::RamParams rp;
    rp.base = 0x80000000;
    rp.size = 64 * 1024;
    aimc::mem::Ram ram("ram", rp);
    aimc::mem::Bus bus("bus", aimc::mem::BusParams{});
    aimc::SimControl control;
    aimc::EnergyLedger ledger;
    const auto acct = ledger.open("test", "work");
    ledger.add(acct, 3.5e-12);
    aimc::periph::Syscon syscon("syscon", aimc::periph::SysconParams{}, control, ledger, nullptr);
    aimc::test::TlmProbe cpu("cpu");
    cpu.socket.bind(bus.target);
    bus.map(ram.socket, rp.base, rp.size, "ram");
    bus.map(syscon.socket, 0x100000, 0x1000, "syscon");
    aimc::mem::Ram other("other", rp);
    EXPECT_THROW(bus.map(other.socket, 0x80008000, 0x100, "other"), aimc::ConfigError);
    aimc::test::TlmProbe other_user("other_user");  // the refused target still needs an initiator to elaborate
    other_user.socket.bind(other.socket);

    std::vector<std::pair<uint64_t, unsigned>> writes;
    ram.add_write_observer([&](uint64_t a, unsigned n) { writes.emplace_back(a, n); });

    sc_start(SC_ZERO_TIME);
    EXPECT_EQ(cpu.write32(0x80000010, 0xDEADBEEF), tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(cpu.read32(0x80000010), 0xDEADBEEFu);
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].first, 0x80000010u);
    EXPECT_GT(cpu.delay, SC_ZERO_TIME) << "bus and RAM latency are annotated";

    tlm::tlm_response_status st;
    cpu.read32(0x40000000, &st);
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    cpu.read32(0x8000FFFE, &st);  // straddles the end of RAM
    EXPECT_EQ(st, tlm::TLM_ADDRESS_ERROR_RESPONSE);

    tlm::tlm_generic_payload tx;
    tlm::tlm_dmi dmi;
    tx.set_address(0x80000000);
    ASSERT_TRUE(cpu.socket->get_direct_mem_ptr(tx, dmi));
    EXPECT_EQ(dmi.get_start_address(), 0x80000000u);
    EXPECT_EQ(dmi.get_end_address(), 0x8000FFFFu);
    uint32_t through_dmi = 0;
    std::memcpy(&through_dmi, dmi.get_dmi_ptr() + 0x10, 4);
    EXPECT_EQ(through_dmi, 0xDEADBEEFu);

    EXPECT_EQ(cpu.read32(0x100000 + AIMC_SYSCON_ID), AIMC_SYSCON_ID_VALUE);
    EXPECT_EQ(cpu.read32(0x100000 + AIMC_SYSCON_ENERGY_PJ_LO), 4u);  // 3.5 pJ rounds to 4
    sc_start(2, SC_US);
    cpu.delay = SC_ZERO_TIME;
    EXPECT_EQ(cpu.read32(0x100000 + AIMC_SYSCON_TIME_NS_LO), 2001u);  // 2 us + the bus's 1 ns
    EXPECT_EQ(cpu.read32(0x100000 + AIMC_SYSCON_TIME_NS_HI), 0u);

    EXPECT_FALSE(control.finished());
    cpu.write32(0x100000 + AIMC_SYSCON_FINISHER, 0x1234);  // not a command: ignored with a warning
    EXPECT_FALSE(control.finished());
    cpu.write32(0x100000 + AIMC_SYSCON_FINISHER, (7u << 16) | AIMC_SYSCON_FINISHER_FAIL);
    EXPECT_TRUE(control.finished());
    EXPECT_EQ(control.exit_code(), 7);
    cpu.write32(0x100000 + AIMC_SYSCON_FINISHER, AIMC_SYSCON_FINISHER_PASS);  // the first exit stands
    EXPECT_EQ(control.exit_code(), 7);
}
