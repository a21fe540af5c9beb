#include "dma/dma.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "common/cost_extension.h"
#include "common/log.h"
#include "common/vcd_tracer.h"
#include "interface/dma.h"

namespace aimc::dma {

namespace {

const char* error_name(uint32_t e) {
    return e < std::size(iface::dma::kErrors) ? iface::dma::kErrors[e].meaning : "?";
}

}  // namespace

Dma::Dma(sc_core::sc_module_name name, const DmaParams& params, EnergyLedger& ledger)
    : RegisterTarget(name, "dma", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      initiator("initiator"),
      irq("irq"),
      params_(params),
      ledger_(ledger),
      account_(ledger.open(this->name(), "transfer")),
      cycle_(1.0 / params.clock_hz, sc_core::SC_SEC),
      setup_(cycle_ * static_cast<double>(params.setup_cycles)),
      buffer_(std::max<uint32_t>(params.burst_bytes, sizeof(Descriptor))) {
    if (params.burst_bytes == 0) throw ConfigError(fmt::format("{}.burst_bytes must be at least 1", basename()));
    if (!(params.clock_hz > 0)) throw ConfigError(fmt::format("{}.clock_hz must be positive", basename()));
    if (params.static_power > 0) ledger.add_static_power(this->name(), params.static_power);
    cost_ = new CostExtension;
    tx_.set_extension(cost_);  // owned by tx_ from here on

    auto& r = regs();
    r.at(iface::dma::STATUS).on_read = [this](unsigned) {
        return (busy_ ? iface::dma::STATUS_BUSY.mask() : 0u) | (done_ ? iface::dma::STATUS_DONE.mask() : 0u) |
               (error_ ? iface::dma::STATUS_ERROR.mask() : 0u);
    };
    r.at(iface::dma::CTRL).on_write = [this](unsigned, uint32_t v) {
        regs().at(iface::dma::CTRL).value[0] = v & ~iface::dma::CTRL_START.mask();  // START reads back as 0
        if ((v & iface::dma::CTRL_START.mask()) && !debug_access()) {
            if (busy_) log::warn(this->name(), "START while busy ignored (the chain in progress goes on)");
            else start(access_time());
        }
        irq_changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(iface::dma::IRQ_ACK).on_write = [this](unsigned, uint32_t v) {
        if (debug_access()) return;
        if (v & iface::dma::STATUS_DONE.mask()) done_ = false;
        if (v & iface::dma::STATUS_ERROR.mask()) {
            error_ = false;
            regs().at(iface::dma::ERROR).value[0] = iface::dma::ERR_NONE;
        }
        irq_changed_.notify(sc_core::SC_ZERO_TIME);
    };

    SC_HAS_PROCESS(Dma);
    SC_THREAD(run);
    SC_METHOD(update_irq);
    sensitive << irq_changed_;
}

void Dma::reset() {
    if (busy_) log::warn(name(), "reset while a chain runs: the chain goes on");
    RegisterTarget::reset();
    done_ = error_ = false;
    bytes_total_ = 0;
    irq_changed_.notify(sc_core::SC_ZERO_TIME);
}

void Dma::start(sc_core::sc_time at) {
    busy_ = true;
    chain_ = regs().at(iface::dma::DESC_ADDR).value[0];  // latched: DESC_ADDR may change while the chain runs
    done_ = error_ = false;  // a new chain: the previous outcome is gone
    regs().at(iface::dma::ERROR).value[0] = iface::dma::ERR_NONE;
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    start_event_.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);  // at the writer's local time
}

void Dma::update_irq() {
    const bool enabled = regs().at(iface::dma::CTRL).value[0] & iface::dma::CTRL_IRQ_EN.mask();
    irq.write((done_ || error_) && enabled);
}

void Dma::trace_busy(bool busy) {
    if (!tracer_) return;
    if (busy_signal_ == -2) {
        busy_signal_ = tracer_->add_integer(name(), "busy", 1);
        tracer_->record(busy_signal_, 0, sc_core::SC_ZERO_TIME);
    }
    tracer_->record(busy_signal_, busy ? 1 : 0, sc_core::sc_time_stamp());
}

bool Dma::transfer(tlm::tlm_command cmd, uint64_t addr, uint8_t* data, unsigned len, sc_core::sc_time& delay) {
    tx_.set_command(cmd);
    tx_.set_address(addr);
    tx_.set_data_ptr(data);
    tx_.set_data_length(len);
    tx_.set_streaming_width(len);
    tx_.set_byte_enable_ptr(nullptr);
    tx_.set_byte_enable_length(0);
    tx_.set_dmi_allowed(false);
    tx_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    cost_->energy_j = 0;
    initiator->b_transport(tx_, delay);
    path_energy_ += cost_->energy_j;
    return tx_.is_response_ok();
}

void Dma::count_bytes(uint64_t n) {
    bytes_total_ += n;
    auto& reg = regs().at(iface::dma::BYTES);
    reg.value[0] = static_cast<uint32_t>(bytes_total_);
    reg.value[1] = static_cast<uint32_t>(bytes_total_ >> 32);
}

uint32_t Dma::move(const Descriptor& d, uint64_t& error_addr, uint64_t& bytes) {
    for (uint32_t row = 0; row < d.rows; ++row) {
        const uint64_t src = d.src + uint64_t{row} * d.src_stride;
        const uint64_t dst = d.dst + uint64_t{row} * d.dst_stride;
        for (uint32_t off = 0; off < d.row_bytes;) {
            const unsigned n = std::min(params_.burst_bytes, d.row_bytes - off);
            sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
            const bool read_ok = transfer(tlm::TLM_READ_COMMAND, src + off, buffer_.data(), n, delay);
            const bool write_ok = read_ok && transfer(tlm::TLM_WRITE_COMMAND, dst + off, buffer_.data(), n, delay);
            wait(delay);
            if (!read_ok) {
                error_addr = src + off;
                return iface::dma::ERR_SRC;
            }
            if (!write_ok) {
                error_addr = dst + off;
                return iface::dma::ERR_DST;
            }
            off += n;
            bytes += n;
            count_bytes(n);
        }
    }
    return iface::dma::ERR_NONE;
}

void Dma::run() {
    for (;;) {
        wait(start_event_);
        trace_busy(true);
        uint64_t addr = chain_;
        uint32_t error = iface::dma::ERR_NONE;
        uint64_t error_addr = 0;
        for (;;) {
            const sc_core::sc_time begin = sc_core::sc_time_stamp();
            path_energy_ = 0;
            uint64_t bytes = 0;
            if (addr % 4 != 0) {
                error = iface::dma::ERR_BAD_DESC;
                error_addr = addr;
            } else {
                sc_core::sc_time delay = setup_;
                const bool ok = transfer(tlm::TLM_READ_COMMAND, addr, buffer_.data(), sizeof(Descriptor), delay);
                wait(delay);
                Descriptor d;
                std::memcpy(&d, buffer_.data(), sizeof d);  // little-endian host, little-endian bus
                if (!ok) {
                    error = iface::dma::ERR_DESC_READ;
                    error_addr = addr;
                } else if (d.rows == 0 || d.row_bytes == 0) {
                    error = iface::dma::ERR_BAD_DESC;
                    error_addr = addr;
                } else {
                    error = move(d, error_addr, bytes);
                    addr = d.next;
                }
            }
            // The descriptor's cost, failed ones included.
            const double own = params_.energy_per_byte * static_cast<double>(bytes);
            const double busy_s = (sc_core::sc_time_stamp() - begin).to_seconds();
            ledger_.add(account_, own, busy_s);
            last_ = DescriptorCost{bytes, busy_s, own + path_energy_, path_energy_};
            if (error != iface::dma::ERR_NONE) break;
            ++regs().at(iface::dma::DESC_DONE).value[0];
            if (addr == 0) break;
        }
        finish(error, error_addr);
    }
}

void Dma::finish(uint32_t error, uint64_t error_addr) {
    busy_ = false;
    if (error != iface::dma::ERR_NONE) {
        error_ = true;
        regs().at(iface::dma::ERROR).value[0] = error;
        regs().at(iface::dma::ERROR_ADDR).value[0] = static_cast<uint32_t>(error_addr);
        log::warn(name(), "chain stopped: {} (ERROR {}) at {:#x}", error_name(error), error, error_addr);
    } else {
        done_ = true;
    }
    irq_changed_.notify(sc_core::SC_ZERO_TIME);
    trace_busy(false);
}

}  // namespace aimc::dma
