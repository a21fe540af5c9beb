#include "tile/tile.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "common/cost_extension.h"
#include "common/log.h"
#include "common/register_maps.h"
#include "interface/ldpu.h"
#include "interface/tile.h"

namespace aimc::tile {

namespace rg = iface::tile;  // the tile's registers, fields, opcodes and error codes

namespace {

dpu::Ldpu make_ldpu(const dpu::LdpuParams& p) {
    try {
        return dpu::Ldpu(p);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(std::string("tile.ldpu: ") + e.what());
    }
}

sc_core::sc_time seconds(double s) { return sc_core::sc_time(s, sc_core::SC_SEC); }

// The latency of a register access; checks the parameters first (the base is built before them).
sc_core::sc_time register_latency(const TileParams& p) {
    check_params(p);
    return seconds(1.0 / p.clock_hz) * double(p.register_access_cycles);
}

}  // namespace

void check_params(const TileParams& params) {
    TileParams p = params;
    check_ranges(p, "tile.");
    crossbar_config(p, 0);
    make_ldpu(p.ldpu);
}

analog::AnalogCoreConfig crossbar_config(const TileParams& p, unsigned index) {
    try {
        analog::AnalogCoreConfig cfg = p.crossbar;
        cfg.validate();
        cfg.seed = int((uint64_t(p.seed) + index) % 2147483648ull);
        if (!rg::GEOMETRY_ROWS.fits(uint64_t(cfg.rows)) || !rg::GEOMETRY_COLS.fits(uint64_t(cfg.cols)))
            throw std::invalid_argument("the GEOMETRY register holds at most 65535 rows and columns");
        if (!rg::CAPS_ADC_BITS.fits(uint64_t(cfg.adc.bits)) || !rg::CAPS_DAC_BITS.fits(uint64_t(cfg.dac.input_bits)) ||
            !rg::CAPS_PHASES.fits(uint64_t(cfg.phases)))
            throw std::invalid_argument(fmt::format("the CAPS register holds at most 255 ADC bits, DAC bits and phases "
                                                    "(adc {}, dac {}, phases {})",
                                                    cfg.adc.bits, cfg.dac.input_bits, cfg.phases));
        return cfg;
    } catch (const std::exception& e) {
        const std::string what = e.what();
        throw ConfigError(what.rfind("tile.crossbar", 0) == 0 ? what : "tile.crossbar: " + what);
    }
}

Tile::Tile(sc_core::sc_module_name name, const TileParams& params, unsigned index, unsigned x, unsigned y,
           EnergyLedger& ledger)
    : RegisterTarget(name, "tile", register_latency(params)),
      noc("noc"),
      irq("irq"),
      params_(params),  // checked by register_latency
      index_(index),
      x_(x),
      y_(y),
      ledger_(ledger),
      core_(std::make_unique<analog::AnalogCore>(crossbar_config(params_, index))),
      ldpu_(make_ldpu(params_.ldpu)),
      timing_{params_.clock_hz, params_.sram_width_bytes, params_.issue_cycles, params_.mvm_gap_cycles},
      cycle_(seconds(1.0 / params_.clock_hz)) {
    if (!rg::POSITION_INDEX.fits(index) || !rg::POSITION_X.fits(x) || !rg::POSITION_Y.fits(y))
        throw ConfigError(fmt::format("{}: tile {} at ({}, {}) does not fit the POSITION register", basename(), index, x, y));
    for (const auto& c : rg::kCommands)
        if (!handler(c.opcode))
            throw std::logic_error(fmt::format("tile command {} is described but has no handler", c.name));
    const struct {
        MemoryId id;
        const char* what;
        uint32_t base, size;
    } memories[] = {{kLdpuMem, "LDPU memory", rg::LDPU_OFFSET, params_.ldpu_size},
                    {kIn, "input buffer", rg::IN_OFFSET, params_.in_size},
                    {kOut, "output buffer", rg::OUT_OFFSET, params_.out_size},
                    {kWeights, "weight staging", rg::WEIGHTS_OFFSET, params_.weight_size}};
    for (const auto& m : memories) {
        mem_[m.id] = &add_memory(m.what, m.base, m.size);
        mem_[m.id]->on_access = [this, id = m.id](tlm::tlm_generic_payload& tx, uint32_t, sc_core::sc_time& delay) {
            on_memory_access(id, tx, delay);
        };
    }
    setup_registers();

    const std::string me = this->name();  // (the parameter `name` hides sc_object::name)
    acct_.program = ledger_.open(me, "program");
    acct_.mvm_dac = ledger_.open(me, "mvm.dac");
    acct_.mvm_array = ledger_.open(me, "mvm.array");
    acct_.mvm_adc = ledger_.open(me, "mvm.adc");
    acct_.mvm_digital = ledger_.open(me, "mvm.digital");
    acct_.ldpu = ledger_.open(me, "ldpu");
    acct_.sram = ledger_.open(me, "sram");
    acct_.calibrate = ledger_.open(me, "calibrate");
    if (params_.static_power > 0) ledger_.add_static_power(me, params_.static_power);

    SC_HAS_PROCESS(Tile);
    SC_THREAD(run);
    SC_METHOD(admit);
    sensitive << admit_event_;
    dont_initialize();
    SC_METHOD(drive_irq);
    sensitive << irq_event_;
    dont_initialize();
}

Tile::~Tile() {
    // A job still in flight on a worker references the core: wait for it (a deferred one never started).
    if (programming_.valid() && programming_.wait_for(std::chrono::seconds(0)) != std::future_status::deferred)
        programming_.wait();
}

void Tile::trace_to(VcdTracer& vcd) {
    vcd_ = &vcd;
    sig_state_ = vcd.add_integer(name(), "state", 3);
    sig_queue_ = vcd.add_integer(name(), "queue_depth", 8);
    sig_irq_ = vcd.add_integer(name(), "irq", 1);
    sig_mvms_ = vcd.add_integer(name(), "mvm_count", 32);
    for (auto s : {sig_state_, sig_queue_, sig_irq_, sig_mvms_}) vcd.record(s, 0, sc_core::SC_ZERO_TIME);
}

// ---- registers -------------------------------------------------------------------------------------

void Tile::setup_registers() {
    const analog::AnalogCoreConfig& cfg = core_->config();
    auto fixed = [this](uint32_t offset, uint32_t value) { regs().at(offset).on_read = [value](unsigned) { return value; }; };
    // Every value is checked to fit its field when the tile is built (check_params, the mesh size).
    fixed(rg::GEOMETRY, rg::GEOMETRY_ROWS.put(uint32_t(cfg.rows)) | rg::GEOMETRY_COLS.put(uint32_t(cfg.cols)));
    fixed(rg::CAPS, rg::CAPS_ADC_BITS.put(uint32_t(cfg.adc.bits)) | rg::CAPS_DAC_BITS.put(uint32_t(cfg.dac.input_bits)) |
                        rg::CAPS_QUEUE_DEPTH.put(params_.queue_depth) | rg::CAPS_PHASES.put(uint32_t(cfg.phases)));
    fixed(rg::POSITION, rg::POSITION_INDEX.put(index_) | rg::POSITION_X.put(x_) | rg::POSITION_Y.put(y_));
    fixed(rg::IN_SIZE, params_.in_size);
    fixed(rg::OUT_SIZE, params_.out_size);
    fixed(rg::LDPU_SIZE, params_.ldpu_size);
    fixed(rg::WEIGHT_SIZE, params_.weight_size);

    irq_status_ = &reg(rg::IRQ_STATUS);
    irq_enable_ = &reg(rg::IRQ_ENABLE);
    error_ = &reg(rg::ERROR);
    error_info_ = &reg(rg::ERROR_INFO);
    fence_tag_ = &reg(rg::FENCE_TAG);
    staged_bytes_ = &reg(rg::STAGED_BYTES);
    input_bytes_ = &reg(rg::INPUT_BYTES);

    regs().at(rg::STATUS).on_read = [this](unsigned) { return status(); };
    regs().at(rg::IRQ_ENABLE).on_write = [this](unsigned, uint32_t) {
        if (!debug_access()) update_irq(access_time());
    };
    regs().at(rg::IRQ_ACK).on_write = [this](unsigned, uint32_t v) {
        if (debug_access()) return;
        *irq_status_ &= ~v;
        if (v & rg::IRQ_ERROR) *error_ = *error_info_ = 0;
        update_irq(access_time());
    };
    regs().at(rg::CMD_DONE).on_read = [this](unsigned) { return uint32_t(commands_done_); };
    regs().at(rg::CMD_PUSH).on_write = [this](unsigned, uint32_t v) {
        if (!debug_access()) push(rg::CMD_PUSH_OPCODE.get(v));
    };
    regs().at(rg::SATURATIONS).on_read = [this](unsigned) { return uint32_t(saturations_); };
    regs().at(rg::NOISE_STREAM).on_write = [this](unsigned, uint32_t v) {
        if (debug_access()) return;
        settle();  // the stream starts after the draws of a PROGRAM issued before
        core_->reseed_noise(v);
    };

    // 64-bit counters: reading the low word latches the high word, so a low-high pair is consistent.
    auto counter64 = [this](uint32_t offset, unsigned latch, std::function<uint64_t()> value) {
        regs().at(offset).on_read = [this, latch, value](unsigned word) {
            if (word == 1) return hi_latch_[latch];
            const uint64_t v = value();
            if (!debug_access()) hi_latch_[latch] = uint32_t(v >> 32);
            return uint32_t(v);
        };
    };
    counter64(rg::MVM_COUNT, 0, [this] { return mvm_count_; });
    counter64(rg::BUSY_CYCLES, 1, [this] { return uint64_t(std::llround(busy_.to_seconds() * params_.clock_hz)); });
    counter64(rg::ENERGY_PJ, 2, [this] {
        return uint64_t(std::llround((energy_j_ + params_.static_power * access_time().to_seconds()) * 1e12));
    });
}

uint32_t Tile::status() const {
    const size_t queued = std::min<size_t>(queue_.size() + pending_.size(), 255);
    return rg::STATUS_BUSY.put(busy()) | rg::STATUS_ERROR.put(*error_ != 0) | rg::STATUS_QUEUED.put(uint32_t(queued)) |
           rg::STATUS_STATE.put(state_);
}

bool Tile::busy() const { return executing_ || !queue_.empty() || !pending_.empty(); }

void Tile::push(uint32_t opcode) {
    const OpcodeInfo* info = opcode_info(opcode);
    if (!info) {
        raise_error(rg::ERR_BAD_OPCODE, opcode, fmt::format("CMD_PUSH of unknown opcode {}", opcode), access_time());
        return;
    }
    if (opcode == rg::OP_PROGRAM && busy()) {
        raise_error(rg::ERR_BUSY, opcode, "PROGRAM pushed while the tile is not idle (dropped)", access_time());
        return;
    }
    if (queue_.size() + pending_.size() >= params_.queue_depth) {
        raise_error(rg::ERR_QUEUE_FULL, opcode,
                    fmt::format("{} pushed with {} commands queued (dropped)", info->name, params_.queue_depth),
                    access_time());
        return;
    }
    Queued q;
    q.cmd.opcode = opcode;
    for (unsigned i = 0; i < 8; ++i) q.cmd.arg[i] = regs().at(rg::CMD_ARG).value[i];
    q.at = std::max(access_time(), sc_core::sc_time_stamp());
    pending_.push_back(q);
    admit_event_.notify(q.at - sc_core::sc_time_stamp());
}

// Commands enter the queue at their issue time (the initiator's local time of the CMD_PUSH store), so
// the queue, STATUS and the trace change in simulated-time order.
void Tile::admit() {
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    bool any = false;
    while (!pending_.empty() && pending_.front().at <= now) {
        queue_.push_back(pending_.front());
        pending_.pop_front();
        any = true;
    }
    if (any) {
        trace_queue(now);
        push_event_.notify(sc_core::SC_ZERO_TIME);
    }
    if (!pending_.empty()) admit_event_.notify(pending_.front().at - now);
}

// ---- bus side ----------------------------------------------------------------------------------------

// Registers and memories are decoded by the RegisterTarget; this adds a memory access's SRAM time,
// energy and counters (debug accesses never get here).
void Tile::on_memory_access(MemoryId id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const unsigned len = tx.get_data_length();
    delay += cycle_ * double((len + params_.sram_width_bytes - 1) / params_.sram_width_bytes);
    const double joules = len * (tx.is_read() ? params_.sram_read_pj_per_byte : params_.sram_write_pj_per_byte) * 1e-12;
    post(acct_.sram, joules);
    add_cost(tx, joules);
    if (tx.is_write() && id == kIn) {
        *input_bytes_ += len;
        const sc_core::sc_time arrived = sc_core::sc_time_stamp() + delay;
        last_input_ = std::max(last_input_, arrived);
        input_event_.notify(delay);
    } else if (tx.is_write() && id == kWeights) {
        *staged_bytes_ += len;
    }
}

// ---- command processor -------------------------------------------------------------------------------

std::string Tile::waiting_for() const {
    if (armed_bytes_ == 0) return {};
    const size_t behind = queue_.size() + pending_.size();
    return fmt::format("tile {} at ({}, {}) is armed for an MVM and waits for input: {} of the {} bytes it needs have "
                       "arrived in its input buffer (from host or DMA stores or another tile's SEND){}",
                       index_, x_, y_, *input_bytes_, armed_bytes_,
                       behind ? fmt::format("; {} command(s) queued behind it", behind) : "");
}

void Tile::run() {
    for (;;) {
        while (queue_.empty()) wait(push_event_);
        const Command cmd = queue_.front().cmd;
        queue_.pop_front();
        executing_ = true;
        trace_queue(sc_core::sc_time_stamp());
        execute(cmd);
        ++commands_done_;
        executing_ = false;
        set_state(rg::STATE_IDLE);
    }
}

void Tile::sync_core_time() {
    const double now = sc_core::sc_time_stamp().to_seconds();
    core_pending_s_ += now - core_synced_s_;
    core_synced_s_ = now;
    if (core_pending_s_ > 0 && core_pending_s_ >= params_.drift_update_interval) {
        core_->advance_time(core_pending_s_);
        core_pending_s_ = 0;
    }
}

void Tile::settle() const {
    if (programming_.valid()) programming_.wait();  // a deferred job (no workers) runs here
}

void Tile::spend(double s) {
    const sc_core::sc_time t = seconds(s);
    wait(t);
    busy_ += t;
}

// ---- errors, interrupts, trace ---------------------------------------------------------------------

void Tile::raise_error(uint32_t code, uint32_t info, const std::string& message, const sc_core::sc_time& at) {
    ++errors_;
    if (*error_ == rg::ERR_NONE) {
        *error_ = code;
        *error_info_ = info;
    }
    log::warn(name(), "error {} ({}), info {:#x}: {}", code, error_name(code), info, message);
    set_irq_status(rg::IRQ_ERROR, at);
}

void Tile::set_irq_status(uint32_t bits, const sc_core::sc_time& at) {
    *irq_status_ |= bits;
    update_irq(at);
}

void Tile::update_irq(const sc_core::sc_time& at) {
    const bool level = (*irq_status_ & *irq_enable_) != 0;
    if (level == irq_level_) return;
    irq_level_ = level;
    // One process drives the line (register writes come from other processes), at the change's time.
    const sc_core::sc_time now = sc_core::sc_time_stamp();
    irq_event_.notify(at > now ? at - now : sc_core::SC_ZERO_TIME);
    if (vcd_) vcd_->record(sig_irq_, level, at);
}

void Tile::drive_irq() { irq.write(irq_level_); }

void Tile::set_state(uint32_t state) {
    if (state == state_) return;
    state_ = state;
    if (vcd_) vcd_->record(sig_state_, state, sc_core::sc_time_stamp());
}

void Tile::trace_queue(const sc_core::sc_time& at) {
    if (vcd_) vcd_->record(sig_queue_, queue_.size(), at);
}

void Tile::post(EnergyLedger::Account account, double joules, double busy_s) {
    ledger_.add(account, joules, busy_s);
    energy_j_ += joules;
}

}  // namespace aimc::tile
