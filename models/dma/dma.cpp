#include "dma/dma.h"

#include <algorithm>
#include <cstring>

#include "aimc/regs/dma.h"
#include "common/cost_extension.h"
#include "common/log.h"
#include "common/vcd_tracer.h"

namespace aimc::dma {

namespace {

uint32_t le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

const char* error_name(uint32_t e) {
    switch (e) {
        case AIMC_DMA_ERR_DESC_READ: return "descriptor read failed";
        case AIMC_DMA_ERR_SRC: return "source read failed";
        case AIMC_DMA_ERR_DST: return "destination write failed";
        case AIMC_DMA_ERR_BAD_DESC: return "bad descriptor";
    }
    return "?";
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
      buffer_(std::max<uint32_t>(params.burst_bytes, sizeof(aimc_dma_desc))) {
    if (params.burst_bytes == 0) throw ConfigError(fmt::format("{}.burst_bytes must be at least 1", basename()));
    if (!(params.clock_hz > 0)) throw ConfigError(fmt::format("{}.clock_hz must be positive", basename()));
    if (params.static_power > 0) ledger.add_static_power(this->name(), params.static_power);
    cost_ = new CostExtension;
    tx_.set_extension(cost_);  // owned by tx_ from here on

    auto& r = regs();
    r.at(AIMC_DMA_STATUS).on_read = [this](unsigned) {
        return (busy_ ? AIMC_DMA_STATUS_BUSY : 0u) | (done_ ? AIMC_DMA_STATUS_DONE : 0u) |
               (error_ ? AIMC_DMA_STATUS_ERROR : 0u);
    };
    r.at(AIMC_DMA_CTRL).on_write = [this](unsigned, uint32_t v) {
        regs().at(AIMC_DMA_CTRL).value[0] = v & ~AIMC_DMA_CTRL_START;  // START reads back as 0
        if ((v & AIMC_DMA_CTRL_START) && !debug_access()) {
            if (busy_) log::warn(this->name(), "START while busy ignored (the chain in progress goes on)");
            else start(access_time());
        }
        irq_changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(AIMC_DMA_IRQ_ACK).on_write = [this](unsigned, uint32_t v) {
        if (debug_access()) return;
        if (v & AIMC_DMA_STATUS_DONE) done_ = false;
        if (v & AIMC_DMA_STATUS_ERROR) {
            error_ = false;
            regs().at(AIMC_DMA_ERROR).value[0] = AIMC_DMA_ERR_NONE;
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
    chain_ = regs().at(AIMC_DMA_DESC_ADDR).value[0];  // latched: DESC_ADDR may change while the chain runs
    done_ = error_ = false;  // a new chain: the previous outcome is gone
    regs().at(AIMC_DMA_ERROR).value[0] = AIMC_DMA_ERR_NONE;
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    start_event_.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);  // at the writer's local time
}

void Dma::update_irq() {
    const bool enabled = regs().at(AIMC_DMA_CTRL).value[0] & AIMC_DMA_CTRL_IRQ_EN;
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
    auto& reg = regs().at(AIMC_DMA_BYTES);
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
                return AIMC_DMA_ERR_SRC;
            }
            if (!write_ok) {
                error_addr = dst + off;
                return AIMC_DMA_ERR_DST;
            }
            off += n;
            bytes += n;
            count_bytes(n);
        }
    }
    return AIMC_DMA_ERR_NONE;
}

void Dma::run() {
    for (;;) {
        wait(start_event_);
        trace_busy(true);
        uint64_t addr = chain_;
        uint32_t error = AIMC_DMA_ERR_NONE;
        uint64_t error_addr = 0;
        for (;;) {
            const sc_core::sc_time begin = sc_core::sc_time_stamp();
            path_energy_ = 0;
            uint64_t bytes = 0;
            if (addr % 4 != 0) {
                error = AIMC_DMA_ERR_BAD_DESC;
                error_addr = addr;
            } else {
                sc_core::sc_time delay = setup_;
                const bool ok = transfer(tlm::TLM_READ_COMMAND, addr, buffer_.data(), sizeof(aimc_dma_desc), delay);
                wait(delay);
                const uint8_t* p = buffer_.data();
                const Descriptor d{le32(p), le32(p + 4), le32(p + 8), le32(p + 12),
                                   le32(p + 16), le32(p + 20), le32(p + 24), le32(p + 28)};
                if (!ok) {
                    error = AIMC_DMA_ERR_DESC_READ;
                    error_addr = addr;
                } else if (d.rows == 0 || d.row_bytes == 0) {
                    error = AIMC_DMA_ERR_BAD_DESC;
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
            if (error != AIMC_DMA_ERR_NONE) break;
            ++regs().at(AIMC_DMA_DESC_DONE).value[0];
            if (addr == 0) break;
        }
        finish(error, error_addr);
    }
}

void Dma::finish(uint32_t error, uint64_t error_addr) {
    busy_ = false;
    if (error != AIMC_DMA_ERR_NONE) {
        error_ = true;
        regs().at(AIMC_DMA_ERROR).value[0] = error;
        regs().at(AIMC_DMA_ERROR_ADDR).value[0] = static_cast<uint32_t>(error_addr);
        log::warn(name(), "chain stopped: {} (ERROR {}) at {:#x}", error_name(error), error, error_addr);
    } else {
        done_ = true;
    }
    irq_changed_.notify(sc_core::SC_ZERO_TIME);
    trace_busy(false);
}

}  // namespace aimc::dma
