#include "periph/uart16550.h"

#include "interface/uart16550.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/params.h"

namespace aimc::periph {

Uart16550::Uart16550(sc_core::sc_module_name name, const Uart16550Params& params)
    : RegisterTarget(name, "uart16550", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      irq("irq"),
      params_(params) {
    if (!params.output_file.empty()) {
        file_ = std::fopen(params.output_file.c_str(), "wb");
        if (!file_) throw ConfigError(fmt::format("{}.output_file: cannot open '{}' for writing", basename(), params.output_file));
    }
    auto& r = regs();
    r.at(iface::uart16550::RBR_THR).on_write = [this](unsigned, uint32_t v) {
        if (dlab()) dll_ = static_cast<uint8_t>(v);
        else if (!debug_access()) transmit(static_cast<uint8_t>(v));
    };
    r.at(iface::uart16550::RBR_THR).on_read = [this](unsigned) { return dlab() ? uint32_t{dll_} : 0u; };
    r.at(iface::uart16550::IER).on_write = [this](unsigned, uint32_t v) {
        if (dlab()) {
            dlm_ = static_cast<uint8_t>(v);
            return;
        }
        ier_ = static_cast<uint8_t>(v & 0x0F);
        // Enabling the transmitter-empty interrupt while the transmitter is empty raises it.
        thre_pending_ = (v & iface::uart16550::IER_THRE.mask()) != 0;
        irq_changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::uart16550::IER).on_read = [this](unsigned) { return dlab() ? uint32_t{dlm_} : uint32_t{ier_}; };
    r.at(iface::uart16550::IIR_FCR).on_read = [this](unsigned) -> uint32_t {
        const bool thre = thre_pending_ && (ier_ & iface::uart16550::IER_THRE.mask());
        if (thre && !debug_access()) {  // reading IIR acknowledges the transmitter-empty interrupt
            thre_pending_ = false;
            irq_changed_.notify(sc_core::SC_ZERO_TIME);
        }
        return (thre ? 0x02u : 0x01u) | 0xC0u;  // FIFOs enabled
    };

    SC_HAS_PROCESS(Uart16550);
    SC_METHOD(update_irq);
    sensitive << irq_changed_;
}

Uart16550::~Uart16550() {
    if (file_) std::fclose(file_);
}

void Uart16550::reset() {
    RegisterTarget::reset();
    dll_ = dlm_ = ier_ = 0;
    thre_pending_ = false;
    irq_changed_.notify(sc_core::SC_ZERO_TIME);
}

bool Uart16550::dlab() const {
    return const_cast<Uart16550*>(this)->regs().at(iface::uart16550::LCR).value[0] & iface::uart16550::LCR_DLAB.mask();
}

void Uart16550::transmit(uint8_t byte) {
    transmitted_.push_back(static_cast<char>(byte));
    if (params_.console) {
        std::fputc(byte, stdout);
        if (byte == '\n') std::fflush(stdout);
    }
    if (file_) std::fputc(byte, file_);
    // Transmission is instantaneous: the holding register is empty again at once.
    if (ier_ & iface::uart16550::IER_THRE.mask()) {
        thre_pending_ = true;
        irq_changed_.notify(sc_core::SC_ZERO_TIME);
    }
}

std::string Uart16550::finish_output() {
    if (!file_) return "";
    const bool bad = std::ferror(file_) != 0 || std::fflush(file_) != 0;
    const int err = errno;
    if (!bad) return "";
    return fmt::format("{}.output_file: cannot write '{}': {}", basename(), params_.output_file, std::strerror(bad ? err : EIO));
}

void Uart16550::update_irq() {
    irq.write(thre_pending_ && (ier_ & iface::uart16550::IER_THRE.mask()));
}

}  // namespace aimc::periph
