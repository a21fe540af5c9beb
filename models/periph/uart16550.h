// 16550-compatible UART: transmitted bytes go to the console (and optionally a file) at once.
// No receive path is modelled; the transmitter-empty interrupt is.
#pragma once

#include <cstdio>
#include <string>

#include "common/params.h"
#include "common/register_target.h"
#include "interface/platform.h"

namespace aimc::periph {

struct Uart16550Params {
    uint64_t base = iface::platform::UART0_BASE;
    uint32_t irq = iface::platform::UART0_IRQ;  // PLIC source
    std::string output_file;  // also copy the output here ("" = console only)
    bool console = true;      // write the output to stdout
    double access_latency = 5e-9;

    void describe(ParamVisitor& v) {
        v.param("base", base, "addr", "Base address on the host bus", 0, 0xFFFFFFFF);
        v.param("irq", irq, "", "PLIC source number of the UART interrupt (below plic.num_sources)", 1, 1023);
        v.param("output_file", output_file, "", "File that receives a copy of the transmitted bytes (empty: none)");
        v.param("console", console, "", "Write transmitted bytes to the simulator's standard output");
        v.param("access_latency", access_latency, "s", "Latency of a register access", 0, 1e-3);
    }
};

class Uart16550 : public RegisterTarget {
public:
    sc_core::sc_out<bool> irq;

    Uart16550(sc_core::sc_module_name name, const Uart16550Params& params);
    ~Uart16550() override;
    void reset() override;

    const std::string& transmitted() const { return transmitted_; }  // everything sent, for tests
    // At the end of a run: flushes output_file; "" if every byte reached it, else what failed.
    std::string finish_output();

private:
    void transmit(uint8_t byte);
    bool dlab() const;
    void update_irq();  // SC_METHOD

    Uart16550Params params_;
    std::FILE* file_ = nullptr;
    std::string transmitted_;
    uint8_t dll_ = 0, dlm_ = 0;
    uint8_t ier_ = 0;  // kept apart from the bank: with DLAB set, offset 1 is DLM instead
    bool thre_pending_ = false;  // transmitter-empty interrupt raised and not yet acknowledged
    sc_core::sc_event irq_changed_;
};

}  // namespace aimc::periph
