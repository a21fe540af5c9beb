// The aimc-vp platform: the host subsystem (CPU, bus, RAM, UART, CLINT, PLIC, syscon, DMA) and the
// accelerator chip (tiles on a NoC), assembled from a typed platform description loaded from a
// preset or a JSON platform file.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "common/energy_ledger.h"
#include "common/params.h"
#include "common/sim_control.h"
#include "chip.h"
#include "dma/dma.h"
#include "memory_estimate.h"
#include "host/cpu.h"
#include "common/worker_pool.h"
#include "host/elf_loader.h"
#include "mem/bus.h"
#include "mem/ram.h"
#include "periph/clint.h"
#include "periph/plic.h"
#include "periph/syscon.h"
#include "periph/uart16550.h"

namespace aimc::platform {

struct PlatformParams {
    std::string name = "custom";
    std::string description;
    host::CpuParams cpu;
    mem::BusParams bus;
    mem::RamParams ram;
    periph::SysconParams syscon;
    periph::ClintParams clint;
    periph::PlicParams plic;
    periph::Uart16550Params uart0;
    dma::DmaParams dma;
    ChipParams chip;
    noc::NocParams noc;
    tile::TileParams tile;
    double trace_power_interval = 1e-6;
    SimParams sim;

    void describe(ParamVisitor& v) {
        v.param("name", name, "", "Name of the platform");
        v.param("description", description, "", "One line about it");
        v.group("cpu", cpu, "Host RISC-V core (RV32IMAC, M-mode)");
        v.group("bus", bus, "Host bus");
        v.group("ram", ram, "Host RAM");
        v.group("syscon", syscon, "System controller");
        v.group("clint", clint, "Core-local interruptor");
        v.group("plic", plic, "Platform-level interrupt controller");
        v.group("uart0", uart0, "16550 UART");
        v.group("dma", dma, "DMA engine");
        v.group("chip", chip, "Accelerator chip: where its tiles sit on the host bus");
        v.group("noc", noc, "2D-mesh network-on-chip (its size is the number of tiles)");
        v.group("tile", tile, "Analog tile (every tile of the chip alike)");
        v.param("trace_power_interval", trace_power_interval, "s", "With --vcd: how often chip power is sampled", 1e-9, 1);
        v.group("sim", sim, "Simulator: host resources a run may take");
    }
};

// One target on the host bus, as the platform maps it.
struct BusRange {
    std::string name;
    uint64_t base = 0;
    uint64_t size = 0;
};
// The host bus's address map of a platform, computed from its parameters (nothing is built).
std::vector<BusRange> plan_address_map(const PlatformParams& params);
// Every check that needs no block built: cross-parameter rules, the address map (no overlaps, all
// below 4 GiB), the tile's, crossbar's and NoC's parameters. Throws ConfigError naming the key.
void validate_platform(const PlatformParams& params);

// Preset names, and their platform description text (JSON), compiled into the binary.
std::vector<std::string> preset_names();
const std::string& default_preset();
// Resolves `spec` (a preset name or a path to a JSON platform file) into parameters.
PlatformParams load_platform(const std::string& spec);

class PowerMonitor;

class Platform : public sc_core::sc_module {
public:
    // `tracer` (optional, owned from here on): the run's VCD; the platform hands it to its blocks.
    // Validates the parameters and checks the memory estimate (check_memory) before building anything.
    Platform(sc_core::sc_module_name name, const PlatformParams& params, std::unique_ptr<VcdTracer> tracer = nullptr);
    ~Platform() override;

    // Before sc_start: loads an ELF into RAM, points the CPU at its entry, arms HTIF if it has `tohost`.
    void load_firmware(const host::ElfImage& elf);
    // Before sc_start: copies a raw file into RAM at `addr` (`--load file@addr`).
    void load_blob(const std::string& path, uint64_t addr);

    const PlatformParams& params() const { return params_; }
    SimControl& control() { return control_; }
    EnergyLedger& ledger() { return ledger_; }
    host::Cpu& cpu() { return cpu_; }
    mem::Bus& bus() { return bus_; }
    periph::Uart16550& uart0() { return uart0_; }
    Chip& chip() { return chip_; }
    VcdTracer* tracer() { return tracer_.get(); }  // nullptr without --vcd


    // The address map, one line per target.
    std::string address_map() const;

    // A second initiator on the host bus for the loader and debuggers: it sees what the CPU sees.
    tlm_utils::simple_initiator_socket<Platform> debug_socket;

private:
    bool inside_ram(uint64_t addr, uint64_t len) const;  // [addr, addr + len) lies in RAM
    PlatformParams params_;
    std::unique_ptr<VcdTracer> tracer_;
    SimControl control_;
    EnergyLedger ledger_;
    host::Cpu cpu_;
    mem::Bus bus_;
    mem::Ram ram_;
    periph::Syscon syscon_;
    periph::Clint clint_;
    periph::Plic plic_;
    periph::Uart16550 uart0_;
    dma::Dma dma_;
    WorkerPool workers_;  // before chip_: the tiles wait for their jobs when destroyed
    Chip chip_;
    sc_core::sc_signal<bool> msip_, mtip_, meip_;
    sc_core::sc_vector<sc_core::sc_signal<bool>> plic_sources_;
    // Tile IRQ lines beyond the PLIC's sources end here (firmware polls those tiles).
    sc_core::sc_vector<sc_core::sc_signal<bool>> unrouted_irqs_;
    std::unique_ptr<PowerMonitor> power_monitor_;
    std::unique_ptr<host::ElfImage> elf_;
};

}  // namespace aimc::platform
