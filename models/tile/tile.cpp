#include "tile/tile.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>
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

Tile::~Tile() = default;

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
        if (!debug_access()) core_->reseed_noise(v);
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

Tile::Handler Tile::handler(uint32_t opcode) {
    static const std::pair<uint32_t, Handler> table[] = {
        {rg::OP_PROGRAM, &Tile::exec_program}, {rg::OP_MVM, &Tile::exec_mvm},
        {rg::OP_SEND, &Tile::exec_send},       {rg::OP_CALIBRATE, &Tile::exec_calibrate},
        {rg::OP_FENCE, &Tile::exec_fence},     {rg::OP_LDPU, &Tile::exec_ldpu},
    };
    for (const auto& [op, h] : table)
        if (op == opcode) return h;
    return nullptr;
}

void Tile::execute(const Command& cmd) {
    const OpcodeInfo* info = opcode_info(cmd.opcode);  // push() admits known opcodes only
    set_state(info->state);
    sync_core_time();
    std::optional<CommandError> failure;
    try {
        (this->*handler(cmd.opcode))(cmd);
    } catch (const CommandError& e) {
        failure = e;
    } catch (const std::exception& e) {
        // Every argument is checked before the numerics run, so this is a model bug; the run goes on.
        log::error(name(), "{}: unexpected failure: {}", info->name, e.what());
        failure = CommandError(rg::ERR_BAD_SHAPE, cmd.opcode, e.what());
    }
    if (failure) {
        // A failing command costs its decode; no wait() inside the catch blocks (coroutine switch).
        spend(timing_.issue_s());
        raise_error(failure->code, failure->info, fmt::format("{}: {}", info->name, failure->what()),
                    sc_core::sc_time_stamp());
    }
}

void Tile::exec_program(const Command& cmd) {
    const ProgramArgs a(cmd.arg.data());
    const analog::AnalogCoreConfig& cfg = core_->config();
    const uint32_t staged = *staged_bytes_;
    *staged_bytes_ = 0;  // "since the last PROGRAM", whatever its outcome
    check_block("PROGRAM", a.rows, a.row0, a.cols, a.col0, uint32_t(cfg.rows), uint32_t(cfg.cols));
    const uint64_t bytes = uint64_t(a.rows) * a.cols;
    check_range("weight staging", a.staging_offset, bytes, mem_[kWeights]->data.size());
    if (staged < bytes)
        throw CommandError(rg::ERR_WEIGHTS_SHORT, staged,
                           fmt::format("{} bytes staged for a {}x{} block ({} bytes)", staged, a.rows, a.cols, bytes));
    const int wmax = cfg.mapping.weight_max();
    const auto* w8 = reinterpret_cast<const int8_t*>(mem_[kWeights]->data.data() + a.staging_offset);
    Eigen::MatrixXi w(a.rows, a.cols);
    for (uint32_t i = 0; i < a.rows; ++i)
        for (uint32_t j = 0; j < a.cols; ++j) {
            const int v = w8[uint64_t(i) * a.cols + j];
            if (v < -wmax || v > wmax)
                throw CommandError(rg::ERR_WEIGHT_RANGE, uint32_t(uint64_t(i) * a.cols + j),
                                   fmt::format("weight [{}][{}] = {} is outside the {}-bit range [{}, {}]", i, j, v,
                                               cfg.mapping.weight_bits, -wmax, wmax));
            w(i, j) = v;
        }
    const analog::ProgramReport rep = core_->program(w, int(a.row0), int(a.col0));
    if (params_.drift_age > 0) core_->advance_time(params_.drift_age);
    const double t_program = rep.time_ns * 1e-9, t_cal = rep.calibration_time_ns * 1e-9;
    spend(timing_.issue_s() + timing_.sram_s(bytes) + t_program + t_cal);
    post(acct_.program, rep.energy_pj * 1e-12, t_program);
    post(acct_.calibrate, rep.calibration_energy_pj * 1e-12, t_cal);
    post(acct_.sram, double(bytes) * params_.sram_read_pj_per_byte * 1e-12);
    devices_programmed_ += uint64_t(rep.devices);
    program_pulses_ += uint64_t(rep.pulses);
    devices_worn_out_ += uint64_t(rep.worn_out);
    log::debug(name(), "PROGRAM {}x{} at ({}, {}): {} pulses, {:.3f} us", a.rows, a.cols, a.row0, a.col0, rep.pulses,
               (t_program + t_cal) * 1e6);
}

Tile::Chain Tile::load_chain(uint32_t offset, size_t columns, bool for_mvm) {
    Chain c;
    try {
        c.decoded = decode_ldpu_chain(mem_[kLdpuMem]->data.data(), mem_[kLdpuMem]->data.size(), offset, columns, ldpu_);
    } catch (const ChainFormatError& e) {
        throw CommandError(rg::ERR_BAD_CHAIN, offset, e.what());
    }
    if (for_mvm && c.decoded.input_type != iface::ldpu::TYPE_INT32)
        throw CommandError(rg::ERR_BAD_CHAIN, offset,
                           fmt::format("LDPU chain at {:#x}: an MVM chain takes int32 (input_type {}, not {})", offset,
                                       iface::ldpu::TYPE_INT32, c.decoded.input_type));
    c.cost = ldpu_.cost(c.decoded.chain, columns);
    return c;
}

void Tile::check_operands(const Chain& chain, uint64_t vectors) const {
    for (const ChainOperand& o : chain.decoded.operands) {
        const Memory& m = *mem_[o.memory == iface::ldpu::MEM_IN ? kIn : kOut];
        const uint64_t bytes = o.length * ldpu_type_bytes(o.type);
        const uint64_t last = uint64_t(o.offset) + (vectors - 1) * uint64_t(o.stride);
        for (uint64_t at : {uint64_t(o.offset), last})
            if (at + bytes > m.data.size())
                throw CommandError(rg::ERR_BAD_OFFSET, uint32_t(at),
                                   fmt::format("LDPU operand of {} bytes at {:#x} runs past the end of the {}-byte {}",
                                               bytes, at, m.data.size(), m.name));
    }
}

void Tile::load_operands(const Chain& chain, uint64_t vector, std::vector<Eigen::VectorXi>& out) const {
    out.resize(chain.decoded.operands.size());
    for (size_t k = 0; k < out.size(); ++k) {
        const ChainOperand& o = chain.decoded.operands[k];
        const Memory& m = *mem_[o.memory == iface::ldpu::MEM_IN ? kIn : kOut];
        out[k] = load_elements(m.data.data() + o.offset + vector * o.stride, o.type, o.length);
    }
}

dpu::LdpuResult Tile::run_chain(const Chain& chain, const Eigen::Ref<const Eigen::VectorXi>& input, uint64_t vector) {
    load_operands(chain, vector, operand_scratch_);
    try {
        return ldpu_.run_chain(chain.decoded.chain, input, operand_scratch_);
    } catch (const std::exception& e) {  // an operand value the chain's format cannot hold
        throw CommandError(rg::ERR_BAD_CHAIN, chain.decoded.offset, e.what());
    }
}

void Tile::exec_mvm(const Command& cmd) {
    const MvmArgs a(cmd.arg.data());
    const analog::AnalogCoreConfig& cfg = core_->config();
    check_block("MVM", a.rows, a.row0, a.cols, a.col0, uint32_t(cfg.rows), uint32_t(cfg.cols));
    check_count("MVM vectors", a.vectors, params_.in_size);
    const int phases = a.phases ? int(a.phases) : cfg.phases;
    if (a.phases > 64) throw CommandError(rg::ERR_BAD_SHAPE, a.phases, fmt::format("phases = {} is not 0..64", a.phases));
    const uint64_t n = a.vectors;
    check_range("input buffer", a.in_offset, n * a.rows, mem_[kIn]->data.size());
    std::optional<Chain> chain;
    if (a.chain != rg::NO_CHAIN) chain = load_chain(a.chain, a.cols, true);
    const uint64_t out_bytes = chain ? chain->decoded.output_bytes() : uint64_t(a.cols) * 4;
    check_range("output buffer", a.out_offset, n * out_bytes, mem_[kOut]->data.size());
    if (chain) check_operands(*chain, n);

    wait_for_input(a.armed_bytes);

    // Numerics now; results land in the output buffer when the command completes.
    const int lo = cfg.dac.input_min(), hi = cfg.dac.input_max();
    x_in_.setZero(cfg.rows);
    out_scratch_.resize(n * out_bytes);
    std::array<double, analog::kActionCount> energy_pj{};
    uint64_t sat = 0;
    const auto* in = reinterpret_cast<const int8_t*>(mem_[kIn]->data.data() + a.in_offset);
    for (uint64_t v = 0; v < n; ++v) {
        for (uint32_t i = 0; i < a.rows; ++i) {
            const int x = in[v * a.rows + i];
            x_in_[a.row0 + i] = std::clamp(x, lo, hi);
            sat += x != x_in_[a.row0 + i];
        }
        const analog::MvmResult r = core_->mvm(x_in_, phases);
        for (int k = 0; k < analog::kActionCount; ++k) energy_pj[k] += r.cost.energy_pj[k];
        sat += uint64_t(r.adc_saturations);
        uint8_t* dst = out_scratch_.data() + v * out_bytes;
        if (chain) {
            const dpu::LdpuResult res = run_chain(*chain, r.y_int.segment(a.col0, a.cols), v);
            sat += res.stats.total.saturated + res.stats.total.fp16_overflow;
            store_vector(res.output, dst);
        } else {
            store_int32(r.y_int.segment(a.col0, a.cols), dst);
        }
    }

    const double ldpu_s = chain ? chain->cost.latency_s : 0.0;
    const TileTiming::Mvm t = timing_.mvm(analog::mvm_timing(cfg, phases), ldpu_s, a.rows, out_bytes, n);
    const sc_core::sc_time total = seconds(t.total_s), drain = seconds(t.drain_s);
    wait(total - drain);
    if (chain) set_state(rg::STATE_LDPU);
    wait(drain);
    busy_ += total;

    std::memcpy(mem_[kOut]->data.data() + a.out_offset, out_scratch_.data(), out_scratch_.size());
    using analog::Action;
    post(acct_.mvm_dac, energy_pj[int(Action::kDac)] * 1e-12);
    post(acct_.mvm_array, energy_pj[int(Action::kArrayRead)] * 1e-12, t.array_busy_s);
    post(acct_.mvm_adc, energy_pj[int(Action::kAdc)] * 1e-12);
    post(acct_.mvm_digital, (energy_pj[int(Action::kShiftAdd)] + energy_pj[int(Action::kStatic)]) * 1e-12);
    if (chain) post(acct_.ldpu, double(n) * chain->cost.energy_j(), double(n) * ldpu_s);
    post(acct_.sram, double(n) * (a.rows * params_.sram_read_pj_per_byte + out_bytes * params_.sram_write_pj_per_byte) *
                         1e-12);
    mvm_count_ += n;
    ops_ += 2 * n * a.rows * a.cols;
    saturations_ += sat;
    if (vcd_) vcd_->record(sig_mvms_, mvm_count_ & 0xFFFFFFFFu, sc_core::sc_time_stamp());
}

void Tile::exec_ldpu(const Command& cmd) {
    const LdpuArgs a(cmd.arg.data());
    check_count("LDPU columns", a.columns, ldpu_.params().max_columns);
    check_count("LDPU vectors", a.vectors, params_.out_size);
    const Chain chain = load_chain(a.chain, a.columns, false);
    const uint64_t n = a.vectors;
    const uint64_t in_bytes = uint64_t(a.columns) * ldpu_type_bytes(chain.decoded.input_type);
    const uint64_t out_bytes = chain.decoded.output_bytes();
    check_range("output buffer", a.src_offset, n * in_bytes, mem_[kOut]->data.size());
    check_range("output buffer", a.dst_offset, n * out_bytes, mem_[kOut]->data.size());
    check_operands(chain, n);

    out_scratch_.resize(n * out_bytes);
    uint64_t sat = 0;
    for (uint64_t v = 0; v < n; ++v) {
        const Eigen::VectorXi x =
            load_elements(mem_[kOut]->data.data() + a.src_offset + v * in_bytes, chain.decoded.input_type, a.columns);
        const dpu::LdpuResult res = run_chain(chain, x, v);
        sat += res.stats.total.saturated + res.stats.total.fp16_overflow;
        store_vector(res.output, out_scratch_.data() + v * out_bytes);
    }
    const double t = timing_.ldpu(chain.cost.latency_s, in_bytes, out_bytes, n);
    spend(t);
    std::memcpy(mem_[kOut]->data.data() + a.dst_offset, out_scratch_.data(), out_scratch_.size());
    post(acct_.ldpu, double(n) * chain.cost.energy_j(), double(n) * chain.cost.latency_s);
    post(acct_.sram,
         double(n) * (in_bytes * params_.sram_read_pj_per_byte + out_bytes * params_.sram_write_pj_per_byte) * 1e-12);
    saturations_ += sat;
}

void Tile::exec_send(const Command& cmd) {
    const SendArgs a(cmd.arg.data());
    if (a.bytes == 0) throw CommandError(rg::ERR_BAD_SHAPE, 0, "SEND of 0 bytes");
    check_range("output buffer", a.out_offset, a.bytes, mem_[kOut]->data.size());
    // Bursts go out back to back; each reads its bytes from the output buffer, then crosses the NoC
    // (which adds its latency to the local time). The tile is busy until the last one is delivered.
    sc_core::sc_time local = seconds(timing_.issue_s());
    uint32_t sent = 0;
    std::optional<uint64_t> failed;
    while (sent < a.bytes) {
        const uint32_t len = std::min(params_.send_burst_bytes, a.bytes - sent);
        const uint64_t address = uint64_t(a.address) + sent;
        local += cycle_ * double((len + params_.sram_width_bytes - 1) / params_.sram_width_bytes);
        send_tx_.set_command(tlm::TLM_WRITE_COMMAND);
        send_tx_.set_address(address);
        send_tx_.set_data_ptr(mem_[kOut]->data.data() + a.out_offset + sent);
        send_tx_.set_data_length(len);
        send_tx_.set_streaming_width(len);
        send_tx_.set_byte_enable_ptr(nullptr);
        send_tx_.set_dmi_allowed(false);
        send_tx_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        noc->b_transport(send_tx_, local);
        sent += len;
        if (send_tx_.is_response_error()) {
            failed = address;
            break;
        }
    }
    wait(local);
    busy_ += local;
    post(acct_.sram, double(sent) * params_.sram_read_pj_per_byte * 1e-12);
    if (failed) {
        raise_error(rg::ERR_SEND_FAILED, uint32_t(*failed),
                    fmt::format("SEND: the write of {} bytes to {:#x} failed ({})", send_tx_.get_data_length(), *failed,
                                send_tx_.get_response_string()),
                    sc_core::sc_time_stamp());
        return;
    }
    bytes_sent_ += sent;
}

void Tile::exec_calibrate(const Command&) {
    const analog::CalibrationReport rep = core_->calibrate();
    const double t = rep.time_ns * 1e-9;
    spend(timing_.issue_s() + t);
    post(acct_.calibrate, rep.energy_pj * 1e-12, t);
}

void Tile::exec_fence(const Command& cmd) {
    spend(timing_.issue_s());
    *fence_tag_ = iface::tile::FenceArgs(cmd.arg.data()).tag;
    set_irq_status(rg::IRQ_FENCE, sc_core::sc_time_stamp());
}

void Tile::wait_for_input(uint32_t bytes) {
    if (bytes == 0) return;
    set_state(rg::STATE_WAIT_INPUT);
    while (*input_bytes_ < bytes) wait(input_event_);
    *input_bytes_ -= bytes;
    if (last_input_ > sc_core::sc_time_stamp()) wait(last_input_ - sc_core::sc_time_stamp());
    set_state(rg::STATE_MVM);
    sync_core_time();
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
