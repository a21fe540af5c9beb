// An analog tile: one crossbar core (models/analog) with its LDPU (models/dpu), SRAM input and output
// buffers, LDPU parameter memory, weight staging, a command queue executed in simulated time, a NoC
// initiator for SENDs and an interrupt line. Registers, commands and window layout:
// models/interface/tile.json; LDPU chain format: models/interface/ldpu.json; the model: docs/models/tile.md.
//
//   socket (target)     window-relative accesses from the NoC: host loads/stores, DMA, other tiles' SENDs;
//                       the registers and memories of the window are a RegisterTarget's, as for every device
//   noc (initiator)     SEND: writes with global bus addresses, in bursts of send_burst_bytes
//   irq                 high while (IRQ_STATUS & IRQ_ENABLE) != 0
//
// Bad commands never stop the simulation: the tile latches an error code, raises its error interrupt,
// skips the command and goes on with the next one.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "analog/analog_core.h"
#include "common/energy_ledger.h"
#include "common/params.h"
#include "common/register_target.h"
#include "common/vcd_tracer.h"
#include "common/worker_pool.h"
#include "dpu/ldpu.h"
#include "tile/ldpu_chain_format.h"
#include "tile/tile_command.h"
#include "tile/tile_timing.h"

namespace aimc::tile {

struct TileParams {
    double clock_hz = 1e9;
    uint32_t in_size = 64 * 1024;
    uint32_t out_size = 64 * 1024;
    uint32_t ldpu_size = 16 * 1024;
    uint32_t weight_size = 64 * 1024;
    uint32_t queue_depth = 16;
    analog::AnalogCoreConfig crossbar = analog::core_config_preset("hermes-core");
    dpu::LdpuParams ldpu;
    uint32_t sram_width_bytes = 32;
    double sram_read_pj_per_byte = 0.3125;
    double sram_write_pj_per_byte = 0.3125;
    uint32_t register_access_cycles = 1;
    uint32_t issue_cycles = 4;
    uint32_t mvm_gap_cycles = 3;
    uint32_t send_burst_bytes = 256;
    double static_power = 2.1e-3;
    uint32_t seed = 1;
    double drift_update_interval = 0.1;
    double drift_age = 0;

    void describe(ParamVisitor& v) {
        v.param("clock_hz", clock_hz, "Hz", "Tile digital clock (command issue, buffers, turnaround; HERMES: 1 GHz)",
                1e6, 10e9);
        // The ranges are the room each memory has in the tile's window (the interface description).
        v.param("in_size", in_size, "bytes", "Input buffer SRAM (window room: 128 KiB)", 1, iface::tile::IN_MAX_SIZE);
        v.param("out_size", out_size, "bytes", "Output buffer SRAM (window room: 256 KiB)", 1, iface::tile::OUT_MAX_SIZE);
        v.param("ldpu_size", ldpu_size, "bytes", "LDPU parameter memory (window room: 64 KiB)", 1,
                iface::tile::LDPU_MAX_SIZE);
        v.param("weight_size", weight_size, "bytes", "Weight staging SRAM (window room: 512 KiB)", 1,
                iface::tile::WEIGHTS_MAX_SIZE);
        v.param("queue_depth", queue_depth, "", "Commands the queue holds besides the one executing", 1, 255);
        // The core's seed is tile.seed + the tile's index, so the crossbar's own seed is not a key here.
        v.child_without("crossbar", crossbar,
                        "Analog core: a configuration name (\"hermes-core\") or {\"preset\": name, overrides...}", {"seed"});
        v.group("ldpu", ldpu, "Local digital processing unit");
        v.param("sram_width_bytes", sram_width_bytes, "bytes", "Bytes a buffer port moves per tile cycle", 1, 4096);
        v.param("sram_read_pj_per_byte", sram_read_pj_per_byte, "pJ",
                "Buffer SRAM read energy per byte (Horowitz 2014: 5 pJ per 32 b at 45 nm, x 0.25 to 14 nm)", 0, 1e6);
        v.param("sram_write_pj_per_byte", sram_write_pj_per_byte, "pJ",
                "Buffer SRAM write energy per byte (assumed equal to a read)", 0, 1e6);
        v.param("register_access_cycles", register_access_cycles, "cycles", "Latency of a register access", 0, 1000);
        v.param("issue_cycles", issue_cycles, "cycles", "Decode a command and read its arguments", 0, 100000);
        v.param("mvm_gap_cycles", mvm_gap_cycles, "cycles",
                "Crossbar turnaround between two MVMs (latch inputs, reset the ADC counters)", 0, 100000);
        v.param("send_burst_bytes", send_burst_bytes, "bytes", "Largest NoC write a SEND issues", 1, 65536);
        v.param("static_power", static_power, "W", "Leakage of buffers, LDPU and control, drawn all the time", 0, 100);
        v.param("seed", seed, "", "Seed of the analog cores; tile i uses seed + i", 0, 2147483647);
        v.param("drift_update_interval", drift_update_interval, "s",
                "Simulated time between updates of the analog core's clock (drift, read noise)", 0, 1e9);
        v.param("drift_age", drift_age, "s",
                "Age the weights have when used: time added to the core's clock once after programming, at the "
                "next MVM or CALIBRATE", 0, 1e10);
    }
};

// Checks every parameter against its declared range, the crossbar configuration and the LDPU's;
// throws ConfigError naming the key ("tile.crossbar: ...", "tile.in_size = ...").
void check_params(const TileParams& params);
// The analog core configuration of tile `index` (seed = params.seed + index); throws ConfigError.
analog::AnalogCoreConfig crossbar_config(const TileParams& params, unsigned index);

class Tile : public RegisterTarget {
public:
    tlm_utils::simple_initiator_socket<Tile> noc;
    sc_core::sc_out<bool> irq;

    // Throws ConfigError naming the key ("tile.crossbar: ...") for bad parameters.
    Tile(sc_core::sc_module_name name, const TileParams& params, unsigned index, unsigned x, unsigned y,
         EnergyLedger& ledger);
    ~Tile() override;
    // Before sc_start: the host threads that run this tile's weight programming (the platform's; none: it
    // runs in the simulation thread). Results are the same either way.
    void set_workers(WorkerPool* workers) { workers_ = workers; }
    // Before sc_start: records state, queue_depth, irq and mvm_count into the platform's trace.
    void trace_to(VcdTracer& vcd);

    // For the chip report.
    unsigned index() const { return index_; }
    uint64_t mvm_count() const { return mvm_count_; }
    uint64_t ops() const { return ops_; }  // 2 x rows x cols per executed MVM vector
    double busy_time_s() const { return busy_.to_seconds(); }
    uint64_t error_count() const { return errors_; }
    uint64_t saturations() const { return saturations_; }
    uint64_t commands_done() const { return commands_done_; }
    double energy_j() const { return energy_j_; }  // dynamic energy this tile posted (no static)
    uint64_t bytes_sent() const { return bytes_sent_; }
    uint64_t devices_programmed() const { return devices_programmed_; }
    uint64_t program_pulses() const { return program_pulses_; }
    uint64_t devices_worn_out() const { return devices_worn_out_; }

    // True once a PROGRAM has completed: MVM and CALIBRATE before that are errors (NOT_PROGRAMMED).
    bool programmed() const { return programmed_; }
    // What the tile waits for when it cannot go on by itself (an armed MVM short of input bytes),
    // for the deadlock report; empty when it does not wait.
    std::string waiting_for() const;

    const TileParams& params() const { return params_; }
    const analog::AnalogCore& core() const {
        settle();
        return *core_;
    }
    const dpu::Ldpu& ldpu() const { return ldpu_; }

private:
    // Window memories (everything but the registers), in the RegisterTarget.
    enum MemoryId { kLdpuMem, kIn, kOut, kWeights, kMemoryCount };
    struct Queued {
        Command cmd;
        sc_core::sc_time at;  // issue time (the initiator's local time of the CMD_PUSH store)
    };
    using Handler = void (Tile::*)(const Command&);

    // Bus side: the SRAM time, energy and counters of an access to a memory.
    void on_memory_access(MemoryId id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
    void setup_registers();
    void push(uint32_t opcode);
    void admit();
    bool busy() const;  // a command executes, waits for input, or is queued
    uint32_t status() const;

    // Command side.
    void run();
    void execute(const Command& cmd);
    void exec_program(const Command& cmd);
    void exec_mvm(const Command& cmd);
    void exec_send(const Command& cmd);
    void exec_calibrate(const Command& cmd);
    void exec_fence(const Command& cmd);
    void exec_ldpu(const Command& cmd);
    static Handler handler(uint32_t opcode);
    struct Chain {
        DecodedChain decoded;
        dpu::LdpuCost cost;  // per vector
    };
    Chain load_chain(uint32_t offset, size_t columns, bool for_mvm);
    void check_operands(const Chain& chain, uint64_t vectors) const;
    void load_operands(const Chain& chain, uint64_t vector, std::vector<Eigen::VectorXi>& out) const;
    dpu::LdpuResult run_chain(const Chain& chain, const Eigen::Ref<const Eigen::VectorXi>& input, uint64_t vector);
    void check_programmed(uint32_t opcode) const;
    void wait_for_input(uint32_t bytes);
    void sync_core_time();
    void spend(double seconds);  // waits, counts busy time
    // Waits (host time) for a programming job of this tile's core still running on a worker thread: done
    // before anything outside the tile's command thread touches the core.
    void settle() const;

    void raise_error(uint32_t code, uint32_t info, const std::string& message, const sc_core::sc_time& at);
    void set_irq_status(uint32_t bits, const sc_core::sc_time& at);
    void update_irq(const sc_core::sc_time& at);
    void drive_irq();
    void set_state(uint32_t state);
    void trace_queue(const sc_core::sc_time& at);
    void post(EnergyLedger::Account account, double joules, double busy_s = 0.0);
    uint32_t& reg(uint32_t offset) { return regs().at(offset).value[0]; }

    TileParams params_;
    unsigned index_, x_, y_;
    EnergyLedger& ledger_;
    std::unique_ptr<analog::AnalogCore> core_;
    WorkerPool* workers_ = nullptr;
    mutable std::future<analog::ProgramReport> programming_;  // the PROGRAM whose numerics are in flight
    dpu::Ldpu ldpu_;
    TileTiming timing_;
    std::array<Memory*, kMemoryCount> mem_{};
    sc_core::sc_time cycle_;

    // Registers kept in the bank, by reference (the bank's storage never moves).
    uint32_t *irq_status_, *irq_enable_, *error_, *error_info_, *fence_tag_, *staged_bytes_, *input_bytes_;
    uint32_t hi_latch_[3] = {};  // high words of MVM_COUNT, BUSY_CYCLES, ENERGY_PJ, latched by the low read

    std::deque<Queued> pending_;  // pushed, issue time not reached yet
    std::deque<Queued> queue_;
    bool executing_ = false;
    bool programmed_ = false;   // a PROGRAM has completed
    uint32_t armed_bytes_ = 0;  // input bytes the armed MVM in wait_for_input needs (0: not waiting)
    uint32_t state_ = 0;
    bool irq_level_ = false;
    sc_core::sc_event admit_event_, push_event_, input_event_, irq_event_;
    sc_core::sc_time last_input_;  // local time the newest input bytes arrived

    // The analog core's clock follows simulated time (drift, read noise).
    double core_synced_s_ = 0, core_pending_s_ = 0;
    // drift_age is added once a run of PROGRAMs ends, so that every block of the tile has that age.
    bool age_pending_ = false;

    uint64_t mvm_count_ = 0, ops_ = 0, errors_ = 0, saturations_ = 0, commands_done_ = 0, bytes_sent_ = 0;
    uint64_t devices_programmed_ = 0, program_pulses_ = 0, devices_worn_out_ = 0;
    sc_core::sc_time busy_;
    double energy_j_ = 0;

    struct Accounts {
        EnergyLedger::Account program, mvm_dac, mvm_array, mvm_adc, mvm_digital, ldpu, sram, calibrate;
    } acct_;

    tlm::tlm_generic_payload send_tx_;
    // Scratch reused by every command.
    Eigen::VectorXi x_in_;
    std::vector<uint8_t> out_scratch_;
    std::vector<Eigen::VectorXi> operand_scratch_;

    VcdTracer* vcd_ = nullptr;
    VcdTracer::Signal sig_state_ = -1, sig_queue_ = -1, sig_irq_ = -1, sig_mvms_ = -1;
};

}  // namespace aimc::tile
