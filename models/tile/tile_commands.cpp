// The tile's command executors: what PROGRAM, MVM, LDPU, SEND, CALIBRATE and FENCE do to the tile's
// memories, its analog core and LDPU, in simulated time and energy. Each checks its arguments before
// anything runs and throws CommandError for firmware mistakes, which execute() latches (tile.h).
#include "tile/tile.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "common/log.h"
#include "interface/ldpu.h"
#include "interface/tile.h"

namespace aimc::tile {

namespace rg = iface::tile;  // the tile's registers, fields, opcodes and error codes

namespace {
sc_core::sc_time seconds(double s) { return sc_core::sc_time(s, sc_core::SC_SEC); }
}  // namespace

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
    if (age_pending_ && (cmd.opcode == rg::OP_MVM || cmd.opcode == rg::OP_CALIBRATE)) {
        core_->advance_time(params_.drift_age);
        age_pending_ = false;
    }
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
    check_range("weight staging", a.staging_offset, bytes, mem_[kWeights]->size);
    if (staged < bytes)
        throw CommandError(rg::ERR_WEIGHTS_SHORT, staged,
                           fmt::format("{} bytes staged for a {}x{} block ({} bytes)", staged, a.rows, a.cols, bytes));
    const int wmax = cfg.mapping.weight_max();
    const auto* w8 = reinterpret_cast<const int8_t*>(mem_[kWeights]->bytes() + a.staging_offset);
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
    // The numerics (programming draws, then the calibration reads) run on a worker thread while simulated
    // time moves on to a floor of the command's time that needs no draw: other tiles meanwhile take their
    // PROGRAMs and program on other threads. The result is taken at the floor, the rest of the time spent
    // after it. Every thread count (none included) takes these two steps at the same times, so a run is the
    // same whatever its threads.
    const double t_fixed = timing_.issue_s() + timing_.sram_s(bytes);
    // 0.1 % below the floor: the programming time is a sum of group times that may round below the product.
    const sc_core::sc_time ahead =
        seconds(t_fixed + 0.999e-9 * core_->program_time_floor_ns(int(a.rows), int(a.cols)));
    analog::AnalogCore* core = core_.get();
    const int row0 = int(a.row0), col0 = int(a.col0);
    auto job = [core, w = std::move(w), row0, col0] { return core->program(w, row0, col0); };
    programming_ = workers_ ? workers_->submit(std::move(job)) : std::async(std::launch::deferred, std::move(job));
    wait(ahead);
    busy_ += ahead;
    const analog::ProgramReport rep = programming_.get();  // a failure is reported at the floor's time
    programmed_ = true;
    age_pending_ = params_.drift_age > 0;
    const double t_program = rep.time_ns * 1e-9, t_cal = rep.calibration_time_ns * 1e-9;
    const sc_core::sc_time total = seconds(t_fixed + t_program + t_cal);
    if (total < ahead)
        throw std::logic_error(fmt::format("PROGRAM took {} s, less than its floor {} s", total.to_seconds(),
                                           ahead.to_seconds()));
    if (total > ahead) wait(total - ahead);
    busy_ += total - ahead;
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
        c.decoded = decode_ldpu_chain(mem_[kLdpuMem]->bytes(), mem_[kLdpuMem]->size, offset, columns, ldpu_);
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
            if (at + bytes > m.size)
                throw CommandError(rg::ERR_BAD_OFFSET, uint32_t(at),
                                   fmt::format("LDPU operand of {} bytes at {:#x} runs past the end of the {}-byte {}",
                                               bytes, at, m.size, m.name));
    }
}

void Tile::load_operands(const Chain& chain, uint64_t vector, std::vector<Eigen::VectorXi>& out) const {
    out.resize(chain.decoded.operands.size());
    for (size_t k = 0; k < out.size(); ++k) {
        const ChainOperand& o = chain.decoded.operands[k];
        Memory& m = *mem_[o.memory == iface::ldpu::MEM_IN ? kIn : kOut];
        out[k] = load_elements(m.bytes() + o.offset + vector * o.stride, o.type, o.length);
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

// An MVM or CALIBRATE reads the crossbar: before any PROGRAM it holds no weights, so its outputs
// would be zeros that look like results.
void Tile::check_programmed(uint32_t opcode) const {
    if (!programmed_)
        throw CommandError(rg::ERR_NOT_PROGRAMMED, opcode, "the crossbar holds no weights yet (no PROGRAM has completed)");
}

void Tile::exec_mvm(const Command& cmd) {
    check_programmed(cmd.opcode);
    const MvmArgs a(cmd.arg.data());
    const analog::AnalogCoreConfig& cfg = core_->config();
    check_block("MVM", a.rows, a.row0, a.cols, a.col0, uint32_t(cfg.rows), uint32_t(cfg.cols));
    check_count("MVM vectors", a.vectors, params_.in_size);
    const int phases = a.phases ? int(a.phases) : cfg.phases;
    if (a.phases > 64) throw CommandError(rg::ERR_BAD_SHAPE, a.phases, fmt::format("phases = {} is not 0..64", a.phases));
    const uint64_t n = a.vectors;
    check_range("input buffer", a.in_offset, n * a.rows, mem_[kIn]->size);
    std::optional<Chain> chain;
    if (a.chain != rg::NO_CHAIN) chain = load_chain(a.chain, a.cols, true);
    const uint64_t out_bytes = chain ? chain->decoded.output_bytes() : uint64_t(a.cols) * 4;
    check_range("output buffer", a.out_offset, n * out_bytes, mem_[kOut]->size);
    if (chain) check_operands(*chain, n);

    wait_for_input(a.armed_bytes);

    // Numerics now; results land in the output buffer when the command completes.
    const int lo = cfg.dac.input_min(), hi = cfg.dac.input_max();
    x_in_.setZero(cfg.rows);
    out_scratch_.resize(n * out_bytes);
    std::array<double, analog::kActionCount> energy_pj{};
    uint64_t sat = 0;
    const auto* in = reinterpret_cast<const int8_t*>(mem_[kIn]->bytes() + a.in_offset);
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

    std::memcpy(mem_[kOut]->bytes() + a.out_offset, out_scratch_.data(), out_scratch_.size());
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
    check_range("output buffer", a.src_offset, n * in_bytes, mem_[kOut]->size);
    check_range("output buffer", a.dst_offset, n * out_bytes, mem_[kOut]->size);
    check_operands(chain, n);

    out_scratch_.resize(n * out_bytes);
    uint64_t sat = 0;
    for (uint64_t v = 0; v < n; ++v) {
        const Eigen::VectorXi x =
            load_elements(mem_[kOut]->bytes() + a.src_offset + v * in_bytes, chain.decoded.input_type, a.columns);
        const dpu::LdpuResult res = run_chain(chain, x, v);
        sat += res.stats.total.saturated + res.stats.total.fp16_overflow;
        store_vector(res.output, out_scratch_.data() + v * out_bytes);
    }
    const double t = timing_.ldpu(chain.cost.latency_s, in_bytes, out_bytes, n);
    spend(t);
    std::memcpy(mem_[kOut]->bytes() + a.dst_offset, out_scratch_.data(), out_scratch_.size());
    post(acct_.ldpu, double(n) * chain.cost.energy_j(), double(n) * chain.cost.latency_s);
    post(acct_.sram,
         double(n) * (in_bytes * params_.sram_read_pj_per_byte + out_bytes * params_.sram_write_pj_per_byte) * 1e-12);
    saturations_ += sat;
}

void Tile::exec_send(const Command& cmd) {
    const SendArgs a(cmd.arg.data());
    if (a.bytes == 0) throw CommandError(rg::ERR_BAD_SHAPE, 0, "SEND of 0 bytes");
    check_range("output buffer", a.out_offset, a.bytes, mem_[kOut]->size);
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
        send_tx_.set_data_ptr(mem_[kOut]->bytes() + a.out_offset + sent);
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

void Tile::exec_calibrate(const Command& cmd) {
    check_programmed(cmd.opcode);
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
    armed_bytes_ = bytes;  // for the deadlock report (waiting_for)
    while (*input_bytes_ < bytes) wait(input_event_);
    armed_bytes_ = 0;
    *input_bytes_ -= bytes;
    if (last_input_ > sc_core::sc_time_stamp()) wait(last_input_ - sc_core::sc_time_stamp());
    set_state(rg::STATE_MVM);
    sync_core_time();
}

}  // namespace aimc::tile
