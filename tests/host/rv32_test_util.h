// Shared fixture of the rv32 core unit tests: a flat DMI RAM, a few bus-only devices, and helpers
// to build and run small programs.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "host/rv32_core.h"
#include "rv32_asm.h"

namespace rv32test {

using namespace aimc::host;
using namespace rv32asm;
using namespace rv32asm::enc;

constexpr uint32_t kRamBase = 0x80000000;
constexpr uint32_t kRamSize = 64 * 1024;
constexpr uint32_t kDevBase = 0x10000000;  // +0: exit (store -> request_stop), +4: irq lines, +8: log
constexpr uint32_t kBusMem = 0x20000000;   // 4 KiB of memory reachable only through the bus
constexpr uint32_t kBusMemSize = 4096;
constexpr uint32_t kHandler = kRamBase + 0x8000;  // where tests put the trap handler

class TestBus : public CoreBus {
public:
    std::vector<uint8_t> ram = std::vector<uint8_t>(kRamSize, 0);
    std::vector<uint8_t> busmem = std::vector<uint8_t>(kBusMemSize, 0);
    Rv32Core* core = nullptr;
    uint64_t mtime_value = 0;
    unsigned mtime_calls = 0;
    struct Access {
        bool write;
        uint32_t addr;
        unsigned size;
        uint32_t value;
        uint64_t cycles_in_run;
        uint64_t instret;
    };
    std::vector<Access> log;

    bool load(uint32_t addr, unsigned size, uint32_t& value) override {
        if (addr - kBusMem < kBusMemSize) {
            value = 0;
            std::memcpy(&value, &busmem[addr - kBusMem], size);
            log.push_back({false, addr, size, value, core->cycles_in_run(), core->instret()});
            return true;
        }
        if (addr - kDevBase < 16) {
            value = 0x5A5A0000u | (addr & 0xF);
            log.push_back({false, addr, size, value, core->cycles_in_run(), core->instret()});
            return true;
        }
        return false;
    }
    bool store(uint32_t addr, unsigned size, uint32_t value) override {
        if (addr - kBusMem < kBusMemSize) {
            std::memcpy(&busmem[addr - kBusMem], &value, size);
            log.push_back({true, addr, size, value, core->cycles_in_run(), core->instret()});
            return true;
        }
        if (addr - kDevBase < 16) {
            log.push_back({true, addr, size, value, core->cycles_in_run(), core->instret()});
            if (addr == kDevBase) core->request_stop();
            if (addr == kDevBase + 4) {
                core->set_irq_lines(kMsip | kMtip | kMeip, false);
                core->set_irq_lines(value, true);
            }
            return true;
        }
        return false;
    }
    uint64_t mtime() override {
        ++mtime_calls;
        return mtime_value;
    }
};

class CoreTest : public ::testing::Test {
protected:
    TestBus bus;
    std::unique_ptr<Rv32Core> core;
    Rv32Core::Config config;

    void SetUp() override { make_core(); }
    void make_core() {
        core = std::make_unique<Rv32Core>(config, bus);
        bus.core = core.get();
        core->add_dmi(DmiRegion{bus.ram.data(), kRamBase, kRamSize});
    }

    // Copy a program into RAM at its base and tell the core.
    void load(Program& p) {
        const auto& b = p.finish();
        const uint32_t off = p.base() - kRamBase;
        ASSERT_LE(off + b.size(), kRamSize);
        std::memcpy(&bus.ram[off], b.data(), b.size());
        core->invalidate_code(p.base(), static_cast<uint32_t>(b.size()));
    }
    void poke32(uint32_t addr, uint32_t v) { std::memcpy(&bus.ram[addr - kRamBase], &v, 4); }
    uint32_t peek32(uint32_t addr) const {
        uint32_t v;
        std::memcpy(&v, &bus.ram[addr - kRamBase], 4);
        return v;
    }
    uint32_t csr(uint16_t n) const {
        uint32_t v = 0;
        EXPECT_TRUE(core->read_csr(n, v)) << std::hex << n;
        return v;
    }

    // Ends a test program: store to the exit register -> run() returns Requested.
    static void exit_seq(Program& p) {
        p(lui(t6, kDevBase >> 12));
        p(sw(zero, t6, 0));
    }
    // A handler at kHandler that copies mcause/mepc/mtval to s2/s3/s4 and exits.
    static void handler(Program& p) {
        p(csrr(s2, csr::mcause))(csrr(s3, csr::mepc))(csrr(s4, csr::mtval));
        exit_seq(p);
    }
    // Program with mtvec = kHandler set up, the body appended by the caller.
    static Program with_handler() {
        Program p(kRamBase);
        p.li(t0, kHandler)(csrw(csr::mtvec, t0));
        return p;
    }
    void load_handler() {
        Program h(kHandler);
        handler(h);
        load(h);
    }
    StopReason run_to_exit(uint64_t budget = 1000000) { return core->run(budget); }
};

}  // namespace rv32test
