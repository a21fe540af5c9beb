#include "stats_report.h"

#include <map>

#include <fmt/format.h>

namespace aimc::platform {

nlohmann::json stats_json(Platform& platform, const RunInfo& run) {
    platform.cpu().flush_energy();
    auto& core = platform.cpu().core();
    const double sim_s = sc_core::sc_time_stamp().to_seconds();
    nlohmann::json j;
    j["platform"] = platform.params().name;
    j["firmware"] = run.firmware;
    const auto& control = platform.control();
    j["exit"] = {{"reason", SimControl::reason_name(control.reason())},
                 {"code", control.exit_code()},
                 {"message", control.message()}};
    j["sim_time_s"] = sim_s;
    j["wall_time_s"] = run.wall_time_s;
    const auto instructions = core.instret();
    j["host"] = {{"instructions", instructions},
                 {"cycles", core.cycles()},
                 {"clock_hz", platform.cpu().clock_hz()},
                 {"mips", run.wall_time_s > 0 ? static_cast<double>(instructions) / run.wall_time_s / 1e6 : 0.0},
                 {"ipc", core.cycles() ? static_cast<double>(instructions) / static_cast<double>(core.cycles()) : 0.0}};
    std::map<std::string, double> by_component, by_action;
    for (const auto& e : platform.ledger().entries()) {
        by_component[e.component] += e.joules;
        by_action[e.action] += e.joules;
    }
    j["energy_j"] = {{"total", platform.ledger().total_j(sim_s)}, {"by_component", by_component}, {"by_action", by_action}};
    return j;
}

std::string text_report(const nlohmann::json& s) {
    std::string out;
    out += fmt::format("aimc-vp report: platform {}, firmware {}\n", s["platform"].get<std::string>(),
                       s["firmware"].get<std::string>());
    out += fmt::format("  exit           {} ({})\n", s["exit"]["code"].get<int>(), s["exit"]["message"].get<std::string>());
    out += fmt::format("  simulated time {:.6f} ms\n", s["sim_time_s"].get<double>() * 1e3);
    out += fmt::format("  wall time      {:.3f} s\n", s["wall_time_s"].get<double>());
    out += fmt::format("  host           {} instructions, {} cycles, {:.1f} MIPS simulated\n",
                       s["host"]["instructions"].get<uint64_t>(), s["host"]["cycles"].get<uint64_t>(),
                       s["host"]["mips"].get<double>());
    out += fmt::format("  energy         {:.3f} uJ\n", s["energy_j"]["total"].get<double>() * 1e6);
    for (const auto& [component, joules] : s["energy_j"]["by_component"].items())
        out += fmt::format("    {:<20} {:.3f} uJ\n", component, joules.get<double>() * 1e6);
    return out;
}

}  // namespace aimc::platform
