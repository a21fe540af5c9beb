#include "stats_report.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace aimc::platform {
namespace {

double safe_div(double a, double b) { return b > 0 ? a / b : 0.0; }

// The parts a region's energy is split into, in report order: the chip's blocks, the host, static power,
// and "other" for the rest (MVM digital periphery, SRAM, DMA, programming, calibration).
constexpr const char* kParts[] = {"dac", "array", "adc", "ldpu", "noc", "host", "static", "other"};

const char* part_of_action(const std::string& action) {
    static const std::map<std::string, const char*> parts = {
        {"mvm.dac", "dac"}, {"mvm.array", "array"}, {"mvm.adc", "adc"}, {"ldpu", "ldpu"},
        {"link", "noc"},    {"router", "noc"},      {"instruction", "host"}};
    const auto it = parts.find(action);
    return it == parts.end() ? "other" : it->second;
}

}  // namespace

nlohmann::json stats_json(Platform& platform, const RunInfo& run) {
    platform.cpu().flush_energy();
    auto& core = platform.cpu().core();
    auto& ledger = platform.ledger();
    auto& chip = platform.chip();
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
                 {"mips", safe_div(static_cast<double>(instructions), run.wall_time_s) / 1e6},
                 {"ipc", safe_div(static_cast<double>(instructions), static_cast<double>(core.cycles()))}};

    // Energy: dynamic per (component, action) from the ledger, plus static power over the run.
    std::map<std::string, double> by_component, by_action;
    for (const auto& e : ledger.entries()) {
        by_component[e.component] += e.joules;
        by_action[e.action] += e.joules;
    }
    for (const auto& [component, watts] : ledger.static_power()) {
        by_component[component] += watts * sim_s;
        by_action["static"] += watts * sim_s;
    }
    const double total_j = ledger.total_j(sim_s);
    j["energy_j"] = {{"total", total_j}, {"dynamic", ledger.dynamic_j()}, {"static", ledger.static_w() * sim_s},
                     {"by_component", by_component}, {"by_action", by_action}};

    const auto ops = chip.ops();
    j["ops"] = ops;
    j["tops"] = safe_div(static_cast<double>(ops), sim_s) / 1e12;
    j["tops_per_w"] = safe_div(static_cast<double>(ops), total_j) / 1e12;

    auto& tiles = j["tiles"] = nlohmann::json::array();
    for (unsigned t = 0; t < chip.tile_count(); ++t) {
        auto& tile = chip.tile(t);
        tiles.push_back({{"index", t},
                         {"name", tile.name()},
                         {"mvms", tile.mvm_count()},
                         {"ops", tile.ops()},
                         {"busy_s", tile.busy_time_s()},
                         {"utilization", safe_div(tile.busy_time_s(), sim_s)},
                         {"energy_j", by_component[tile.name()]},
                         {"errors", tile.error_count()},
                         {"saturations", tile.saturations()}});
    }

    const auto noc = chip.noc().network().report();
    auto& links = j["noc"]["links"] = nlohmann::json::array();
    for (const auto& l : noc.links)
        links.push_back({{"name", l.name},
                         {"bytes", l.stats.bytes},
                         {"flits", l.stats.flits},
                         {"transfers", l.stats.transfers},
                         {"busy_s", l.busy_s},
                         {"utilization", safe_div(l.busy_s, sim_s)},
                         {"peak_wait_s", l.peak_wait_s},
                         {"total_wait_s", l.total_wait_s},
                         {"energy_j", l.energy_j}});
    j["noc"]["transfers"] = noc.transfers;
    j["noc"]["bytes"] = noc.bytes;
    j["noc"]["mean_latency_s"] = noc.mean_latency_s;
    j["noc"]["peak_wait_s"] = noc.peak_wait_s;

    // Per region (layer): its share of every account, grouped into parts and by action, and the tiles
    // that posted energy while it was current.
    std::set<std::string> tile_names;
    for (unsigned t = 0; t < chip.tile_count(); ++t) tile_names.insert(chip.tile(t).name());
    auto& regions = j["regions"] = nlohmann::json::array();
    for (const auto& [id, r] : ledger.regions(sim_s)) {
        if (r.time_s <= 0 && r.dynamic_j <= 0) continue;
        const double energy = r.dynamic_j + ledger.static_w() * r.time_s;
        std::map<std::string, double> parts, actions;
        for (const char* part : kParts) parts[part] = 0.0;
        std::set<std::string> active_tiles;
        for (std::size_t a = 0; a < r.joules.size(); ++a) {
            const auto& e = ledger.entries()[a];
            parts[part_of_action(e.action)] += r.joules[a];
            actions[e.action] += r.joules[a];
            if (r.posts[a] > 0 && tile_names.count(e.component)) active_tiles.insert(e.component);
        }
        parts["static"] = ledger.static_w() * r.time_s;
        if (parts["static"] > 0) actions["static"] = parts["static"];
        regions.push_back({{"id", id},
                           {"name", ledger.region_name(id)},
                           {"time_s", r.time_s},
                           {"energy_j", energy},
                           {"energy_by_part_j", parts},
                           {"energy_by_action_j", actions},
                           {"tiles", active_tiles.size()},
                           {"mvms", r.mvms},
                           {"ops", r.ops},
                           {"tops", safe_div(static_cast<double>(r.ops), r.time_s) / 1e12},
                           {"tops_per_w", safe_div(static_cast<double>(r.ops), energy) / 1e12},
                           {"wall_time_s", r.wall_s}});
    }
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
    out += fmt::format("  chip           {} ops: {:.4g} TOPS, {:.4g} TOPS/W over the whole run\n", s["ops"].get<uint64_t>(),
                       s["tops"].get<double>(), s["tops_per_w"].get<double>());
    out += fmt::format("  energy         {:.3f} uJ ({:.3f} uJ dynamic, {:.3f} uJ static)\n",
                       s["energy_j"]["total"].get<double>() * 1e6, s["energy_j"]["dynamic"].get<double>() * 1e6,
                       s["energy_j"]["static"].get<double>() * 1e6);
    // The largest consumers by component kind ("tile", "noc", "cpu", ...), then by action.
    std::map<std::string, double> kinds;
    for (const auto& [component, joules] : s["energy_j"]["by_component"].items()) {
        std::string kind = component.substr(component.rfind('.') + 1);
        kind = kind.substr(0, kind.find('_'));
        kinds[kind] += joules.get<double>();
    }
    for (const auto& [kind, joules] : kinds) out += fmt::format("    {:<18} {:>12.3f} uJ\n", kind, joules * 1e6);
    out += "    by action:";
    for (const auto& [action, joules] : s["energy_j"]["by_action"].items())
        if (joules.get<double>() > 0) out += fmt::format(" {} {:.3f} uJ;", action, joules.get<double>() * 1e6);
    out += "\n";

    const auto& tiles = s["tiles"];
    if (!tiles.empty()) {
        double util = 0, util_max = 0;
        uint64_t mvms = 0, errors = 0;
        for (const auto& t : tiles) {
            util += t["utilization"].get<double>();
            util_max = std::max(util_max, t["utilization"].get<double>());
            mvms += t["mvms"].get<uint64_t>();
            errors += t["errors"].get<uint64_t>();
        }
        out += fmt::format("  tiles          {} tiles, {} MVMs, utilization mean {:.1f} % / max {:.1f} %, {} errors\n",
                           tiles.size(), mvms, 100 * util / static_cast<double>(tiles.size()), 100 * util_max, errors);
    }
    const auto& links = s["noc"]["links"];
    if (!links.empty()) {
        const auto busiest = std::max_element(links.begin(), links.end(), [](const auto& a, const auto& b) {
            return a["utilization"].template get<double>() < b["utilization"].template get<double>();
        });
        out += fmt::format("  noc            {} transfers, {} bytes, mean latency {:.1f} ns; busiest link {} at {:.1f} %\n",
                           s["noc"]["transfers"].get<uint64_t>(), s["noc"]["bytes"].get<uint64_t>(),
                           s["noc"]["mean_latency_s"].get<double>() * 1e9, (*busiest)["name"].get<std::string>(),
                           100 * (*busiest)["utilization"].get<double>());
    }
    const auto& regions = s["regions"];
    if (regions.size() > 1 || (regions.size() == 1 && regions[0]["id"].get<uint32_t>() != 0)) {
        out += "  regions (firmware-marked layers):\n";
        out += fmt::format("    {:>6} {:<24} {:>5} {:>9} {:>12} {:>12} {:>14} {:>10} {:>10}\n", "id", "name", "tiles",
                           "MVMs", "time us", "energy uJ", "ops", "TOPS", "TOPS/W");
        for (const auto& r : regions)
            out += fmt::format("    {:>6} {:<24} {:>5} {:>9} {:>12.3f} {:>12.3f} {:>14} {:>10.3f} {:>10.3f}\n",
                               r["id"].get<uint32_t>(), r["name"].get<std::string>(), r["tiles"].get<uint64_t>(),
                               r["mvms"].get<uint64_t>(), r["time_s"].get<double>() * 1e6,
                               r["energy_j"].get<double>() * 1e6, r["ops"].get<uint64_t>(), r["tops"].get<double>(),
                               r["tops_per_w"].get<double>());
        out += "  region energy by part, uJ (other: MVM digital periphery, SRAM, DMA, programming, calibration):\n";
        out += fmt::format("    {:>6} {:<24}", "id", "name");
        for (const char* part : kParts) out += fmt::format(" {:>11}", part);
        out += "\n";
        for (const auto& r : regions) {
            out += fmt::format("    {:>6} {:<24}", r["id"].get<uint32_t>(), r["name"].get<std::string>());
            for (const char* part : kParts) out += fmt::format(" {:>11.3f}", r["energy_by_part_j"][part].get<double>() * 1e6);
            out += "\n";
        }
    }
    return out;
}

}  // namespace aimc::platform
