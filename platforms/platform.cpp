#include "platform.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "config/config_json.h"
#include "interface/platform.h"
#include "interface/tile.h"
#include "power_monitor.h"
#include "presets.h"

namespace aimc::platform {
namespace {


// Invalid JSON and duplicate keys are errors (config/params.h).
nlohmann::json parse_json(const std::string& text, const std::string& origin) { return parse_config_json(text, origin); }

// Cross-parameter rules, the address map and the memory estimate: all checked before any block is built.
PlatformParams checked(const PlatformParams& params) {
    validate_platform(params);
    check_memory(params);
    return params;
}

// A platform file is a few KiB of JSON; anything this large is a mistake.
constexpr uint64_t kMaxPlatformFileBytes = 16ull << 20;

// The size of `path`, which must be a regular file (not a directory, device or pipe).
uint64_t regular_file_size(const std::string& path, const char* option) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw ConfigError(fmt::format("{} '{}': no such file", option, path));
    if (std::filesystem::is_directory(status)) throw ConfigError(fmt::format("{} '{}': is a directory, not a file", option, path));
    if (!std::filesystem::is_regular_file(status))
        throw ConfigError(fmt::format("{} '{}': not a regular file (a device, pipe or socket)", option, path));
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) throw ConfigError(fmt::format("{} '{}': cannot read its size: {}", option, path, ec.message()));
    return size;
}

}  // namespace

std::vector<BusRange> plan_address_map(const PlatformParams& p) {
    namespace ip = iface::platform;
    return {{"ram", p.ram.base, p.ram.size},
            {"syscon", p.syscon.base, ip::SYSCON_SIZE},
            {"clint", p.clint.base, ip::CLINT_SIZE},
            {"plic", p.plic.base, ip::PLIC_SIZE},
            {"uart0", p.uart0.base, ip::UART0_SIZE},
            {"dma", p.dma.base, ip::DMA_SIZE},
            {"chip", p.chip.base, uint64_t(p.noc.width) * p.noc.height * iface::tile::WINDOW}};
}

// What sets a bus range's size, for error messages: the key and its value, or the device's fixed window.
std::string size_source(const BusRange& r, const PlatformParams& params) {
    if (r.name == "ram") return fmt::format("ram.size = {:#x}", r.size);
    if (r.name == "chip")
        return fmt::format("{} tiles of {} KiB (noc.width x noc.height = {} x {})", uint64_t(params.noc.width) * params.noc.height,
                           iface::tile::WINDOW >> 10, params.noc.width, params.noc.height);
    return fmt::format("its {:#x}-byte window", r.size);
}

void validate_platform(const PlatformParams& params) {
    for (const auto& [key, source] : {std::pair<const char*, uint32_t>{"uart0.irq", params.uart0.irq}, {"dma.irq", params.dma.irq}})
        if (source >= params.plic.num_sources || source >= iface::platform::TILE_IRQ_BASE)
            throw ConfigError(fmt::format("{}: source {} does not exist or is a tile's (plic.num_sources = {}, tiles from {})",
                                          key, source, params.plic.num_sources, iface::platform::TILE_IRQ_BASE));
    if (params.uart0.irq == params.dma.irq)
        throw ConfigError(fmt::format("uart0.irq and dma.irq: both are source {}; each device needs its own", params.dma.irq));
    // The address map, as the bus would refuse it, but before anything is allocated. The one check that
    // every window (RAM included) lies inside the 32-bit host address space.
    const auto map = plan_address_map(params);
    constexpr uint64_t kAddressSpace = 1ull << 32;  // the rv32 host, the DMA and SEND use 32-bit addresses
    for (size_t i = 0; i < map.size(); ++i) {
        const BusRange& r = map[i];
        if (r.base >= kAddressSpace || r.size > kAddressSpace - r.base)
            throw ConfigError(fmt::format("{}.base = {:#x} with {} ends at {:#x}, past the 4 GiB host address space "
                                          "(0xffffffff is the last address)",
                                          r.name, r.base, size_source(r, params), r.base + r.size));
        for (size_t j = 0; j < i; ++j) {
            const BusRange& o = map[j];
            if (r.base < o.base + o.size && o.base < r.base + r.size)
                throw ConfigError(fmt::format("'{}' [{:#x}, {:#x}) overlaps '{}' [{:#x}, {:#x}) ({}.base with {})", r.name,
                                              r.base, r.base + r.size, o.name, o.base, o.base + o.size, r.name,
                                              size_source(r, params)));
        }
    }
    params.noc.validate();
    tile::check_params(params.tile);
}

std::vector<std::string> preset_names() {
    std::vector<std::string> names;
    for (const auto& p : presets()) names.push_back(p.name);
    return names;
}

const std::string& default_preset() {
    static const std::string name = "tiny";
    return name;
}

PlatformParams load_platform(const std::string& spec) {
    PlatformParams params;
    for (const auto& p : presets()) {
        if (spec == p.name) {
            apply_json(params, parse_json(p.json, "preset '" + spec + "'"), "preset '" + spec + "'");
            return params;
        }
    }
    std::error_code ec;
    std::ifstream in;
    if (std::filesystem::exists(spec, ec)) {
        const uint64_t size = regular_file_size(spec, "--platform");
        if (size > kMaxPlatformFileBytes)
            throw ConfigError(fmt::format("--platform '{}': {} bytes; a platform file larger than {} MiB is refused", spec,
                                          size, kMaxPlatformFileBytes >> 20));
        in.open(spec);
    }
    if (!in.is_open() || !in) {
        std::string names;
        for (const auto& n : preset_names()) names += (names.empty() ? "" : ", ") + n;
        throw ConfigError(fmt::format("platform '{}' is neither a preset ({}) nor a readable file", spec, names));
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    apply_json(params, parse_json(text, spec), spec);
    return params;
}

Platform::Platform(sc_core::sc_module_name name, const PlatformParams& params, std::unique_ptr<VcdTracer> tracer)
    : sc_module(name),
      debug_socket("debug_socket"),
      params_(checked(params)),
      tracer_(std::move(tracer)),
      cpu_("cpu", params.cpu, control_, ledger_),
      bus_("bus", params.bus),
      ram_("ram", params.ram),
      syscon_("syscon", params.syscon, control_, ledger_, [this] { cpu_.flush_energy(); }),
      clint_("clint", params.clint),
      plic_("plic", params.plic),
      uart0_("uart0", params.uart0),
      dma_("dma", params.dma, ledger_),
      workers_(program_threads(params)),
      chip_("chip", params.chip, params.noc, params.tile, ledger_),
      msip_("msip"),
      mtip_("mtip"),
      meip_("meip"),
      plic_sources_("plic_source", params.plic.num_sources),
      unrouted_irqs_("unrouted_irq", chip_.tile_count()) {
    cpu_.socket.bind(bus_.target);
    debug_socket.bind(bus_.target);
    bus_.map(ram_.socket, params.ram.base, params.ram.size, "ram");
    bus_.map(syscon_.socket, params.syscon.base, iface::platform::SYSCON_SIZE, "syscon");
    bus_.map(clint_.socket, params.clint.base, iface::platform::CLINT_SIZE, "clint");
    bus_.map(plic_.socket, params.plic.base, iface::platform::PLIC_SIZE, "plic");
    bus_.map(uart0_.socket, params.uart0.base, iface::platform::UART0_SIZE, "uart0");
    bus_.map(dma_.socket, params.dma.base, iface::platform::DMA_SIZE, "dma");
    bus_.map(chip_.host_port(), params.chip.base, chip_.window_size(), "chip");
    dma_.initiator.bind(bus_.target);
    chip_.memory_port().bind(bus_.target);

    clint_.msip.bind(msip_);
    clint_.mtip.bind(mtip_);
    plic_.meip.bind(meip_);
    cpu_.msip.bind(msip_);
    cpu_.mtip.bind(mtip_);
    cpu_.meip.bind(meip_);
    for (unsigned n = 0; n < plic_.num_sources(); ++n) plic_.sources[n].bind(plic_sources_[n]);
    uart0_.irq.bind(plic_sources_[params.uart0.irq]);
    dma_.irq.bind(plic_sources_[params.dma.irq]);
    for (unsigned t = 0; t < chip_.tile_count(); ++t) chip_.tile(t).set_workers(&workers_);
    for (unsigned t = 0; t < chip_.tile_count(); ++t) {
        const unsigned source = iface::platform::TILE_IRQ_BASE + t;
        chip_.tile(t).irq.bind(source < plic_.num_sources() ? plic_sources_[source] : unrouted_irqs_[t]);
    }
    ledger_.set_progress_source([this] { return EnergyLedger::Progress{chip_.ops(), chip_.mvms()}; });
    if (auto* tracer = tracer_.get()) {
        // Registration order fixes the VCD identifiers: the CPU, the tiles, the NoC's links, the DMA, power.
        cpu_.trace_to(*tracer);
        chip_.trace_to(*tracer);
        dma_.trace_to(*tracer);
        power_monitor_ = std::make_unique<PowerMonitor>("power", *tracer, ledger_,
                                                        sc_core::sc_time(params.trace_power_interval, sc_core::SC_SEC),
                                                        [this] { cpu_.flush_energy(); });
    }

    cpu_.add_dmi_window(params.ram.base);
    cpu_.set_time_source([this](const sc_core::sc_time& t) { return clint_.mtime_at(t); });
    ram_.add_write_observer([this](uint64_t addr, unsigned len) {
        cpu_.core().invalidate_code(static_cast<uint32_t>(addr), len);
    });
}

Platform::~Platform() = default;

void Platform::load_firmware(const host::ElfImage& elf) {
    // Only RAM takes program bytes: a segment aimed at a device or at nothing is an error.
    elf.load([this](uint32_t addr, const uint8_t* data, uint32_t len) { return ram_.preload(addr, data, len); },
             [this](uint32_t addr, uint32_t len) { return inside_ram(addr, len); });
    elf_ = std::make_unique<host::ElfImage>(elf);
    cpu_.core().set_pc(elf.entry());
    cpu_.set_symbolizer([this](uint32_t pc) { return elf_->symbolize(pc); });
    if (const auto tohost = elf.symbol("tohost")) cpu_.set_htif(*tohost, elf.symbol("fromhost"));
}

bool Platform::inside_ram(uint64_t addr, uint64_t len) const {
    const auto& ram = params_.ram;
    return addr >= ram.base && addr - ram.base <= ram.size && len <= ram.size - (addr - ram.base);
}

void Platform::load_blob(const std::string& path, uint64_t addr) {
    // Checked before reading: a directory or a device such as /dev/zero would fail late or read
    // until memory runs out; a file that cannot fit in RAM is refused by its size.
    const uint64_t size = regular_file_size(path, "--load");
    if (!inside_ram(addr, size))
        throw ConfigError(fmt::format("--load {}@{:#x}: [{:#x}, {:#x}) ({} bytes) is not inside RAM [{:#x}, {:#x})", path,
                                      addr, addr, addr + size, size, params_.ram.base, params_.ram.base + params_.ram.size));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("--load: cannot open '{}'", path));
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) return;
    if (!ram_.preload(addr, bytes.data(), bytes.size()))
        throw ConfigError(fmt::format("--load {}@{:#x}: [{:#x}, {:#x}) is not inside RAM", path, addr, addr,
                                      addr + bytes.size()));
}

std::string Platform::address_map() const {
    std::string out;
    for (const auto& r : bus_.ranges())
        out += fmt::format("  {:#010x} - {:#010x}  {}\n", r.base, r.base + r.size - 1, r.name);
    return out;
}

}  // namespace aimc::platform
