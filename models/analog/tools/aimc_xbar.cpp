// aimc-xbar: MVM latency, energy, TOPS, TOPS/W (with the breakdown per action) and MVM error statistics of
// a crossbar configuration, by name or from a JSON file, with single parameters overridden by --set.
//
//   aimc-xbar <configuration|file.json> [--set key=value]... [--json] [--seed N] [--time t] [--vectors N] [--cost-only]
//   aimc-xbar --list | [<configuration>] --describe | <configuration> --dump
#include "analog/analog_core.h"
#include "analog/mvm_accuracy.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

using namespace aimc::analog;

namespace {

constexpr int kExitUsage = 2;  // bad command line or configuration

AnalogCoreConfig load(const std::string& what) {
  if (what.size() > 5 && what.substr(what.size() - 5) == ".json") return core_config_from_file(what);
  return core_config_preset(what);
}

void print_list() {
  std::cout << "configurations:";
  for (auto& n : core_config_names()) std::cout << " " << n;
  std::cout << "\ntechnologies:";
  for (auto& n : technology_names()) std::cout << " " << n;
  std::cout << "\nADC models:";
  for (auto& n : adc_model_names()) std::cout << " " << n;
  std::cout << "\n";
}

void print_parameters(AnalogCoreConfig& cfg) {
  std::cout << "| parameter | value | unit | range | description |\n|---|---|---|---|---|\n";
  for (const auto& r : aimc::list_params(cfg))
    std::cout << "| " << r.key << " | " << r.value << " | " << r.info.unit << " | " << aimc::format_param_range(r.info)
              << " | " << r.info.description << " |\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::string target, time_text = "0 s";
  std::vector<std::string> sets;
  bool json = false, dump = false, cost_only = false, list = false, describe = false;
  uint64_t seed = 1;
  int vectors = 8;
  CLI::App app{"aimc-xbar: latency, energy, TOPS/W and accuracy of one analog crossbar configuration"};
  app.add_option("configuration", target, "Configuration name (see --list) or JSON file (*.json)");
  app.add_option("--set", sets, "Override one parameter of the configuration: key=value, e.g. adc.bits=6 (repeatable)");
  app.add_flag("--json", json, "Print the figures as JSON");
  app.add_flag("--dump", dump, "Print the configuration as JSON and exit");
  app.add_flag("--cost-only", cost_only, "Latency and energy only (no programming, no accuracy run)");
  app.add_option("--seed", seed, "Seed of the accuracy run");
  app.add_option("--time", time_text, "Age of the weights at the accuracy run, e.g. 1d, 1h, 25 s (default 0 s)");
  app.add_option("--vectors", vectors, "Input vectors of the accuracy run")->check(CLI::PositiveNumber);
  app.add_flag("--list", list, "Named configurations, technologies and ADC models");
  app.add_flag("--describe", describe, "Every parameter (of the configuration, or the defaults) with value, unit, range");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  try {
    if (list) {
      print_list();
      return 0;
    }
    if (target.empty() && !describe) {
      std::cerr << app.help();
      return kExitUsage;
    }
    AnalogCoreConfig cfg = target.empty() ? AnalogCoreConfig{} : load(target);
    aimc::apply_assignments(cfg, sets);
    if (!sets.empty()) cfg.validate();
    if (describe) {
      print_parameters(cfg);
      return 0;
    }
    double time_s = 0;
    aimc::parse_param_value("--time", aimc::ParamInfo{"--time", "s", "", 0, aimc::kInf, {}}, aimc::ParamRef(&time_s),
                            time_text);
    if (dump) {
      std::cout << core_config_to_json(cfg).dump(2) << "\n";
      return 0;
    }
    const MvmCost cost = AnalogCore::cost(cfg);
    Json out = cost.to_json();
    out["configuration"] = cfg.name;
    out["rows"] = cfg.rows;
    out["cols"] = cfg.cols;
    out["technology"] = cfg.technology.name;
    out["phases"] = cfg.phases;
    out["mac_energy_fj"] = cost.energy_pj_total() * 1e3 / (double(cfg.rows) * cfg.cols);
    AccuracyReport acc;
    if (!cost_only) {
      AnalogCore core(cfg);
      acc = measure_mvm_accuracy(core, seed, vectors, time_s);
      out["mvm_error"] = acc.mvm_error;
      out["equivalent_bits"] = acc.equivalent_bits;
      out["rms_error"] = acc.rms_error;
      out["rms_error_rel_rms"] = acc.rms_error_rel_rms;
      out["joint_fullscale_bits"] = acc.joint_fullscale_bits;
      out["output_gain"] = acc.gain;
      out["adc_saturations"] = acc.adc_saturations;
      out["time_since_programming_s"] = time_s;
      out["seed"] = seed;
      out["program_time_us"] = acc.program.time_ns * 1e-3;
      out["program_energy_nj"] = acc.program.energy_pj * 1e-3;
      out["program_mean_iterations"] = acc.program.mean_iterations;
      out["program_not_converged"] = acc.program.not_converged;
    }
    if (json) {
      std::cout << out.dump(2) << "\n";
      return 0;
    }
    std::printf("crossbar configuration '%s': %dx%d, technology %s, %d phase(s)\n", cfg.name.c_str(), cfg.rows,
                cfg.cols, cfg.technology.name.c_str(), cfg.phases);
    std::printf("  MVM latency   %10.1f ns  (interval %.1f ns; %d read(s) of %.1f ns integration + %.1f ns conversion)\n",
                cost.timing.latency_ns, cost.timing.interval_ns, cost.timing.reads, cost.timing.integration_ns,
                cost.timing.conversion_ns);
    std::printf("  MVM energy    %10.3f nJ  (%.2f fJ/MAC)\n", cost.energy_pj_total() * 1e-3,
                out["mac_energy_fj"].get<double>());
    std::printf("  throughput    %10.3f TOPS\n", cost.tops());
    std::printf("  efficiency    %10.2f TOPS/W\n", cost.tops_per_w());
    std::printf("  %-12s %12s %12s %9s %10s\n", "action", "count", "energy nJ", "share", "power mW");
    for (int a = 0; a < kActionCount; ++a)
      std::printf("  %-12s %12.0f %12.4f %8.1f%% %10.3f\n", action_name(Action(a)), cost.count[a], cost.energy_pj[a] * 1e-3,
                  100.0 * cost.energy_pj[a] / cost.energy_pj_total(), cost.power_mw(Action(a)));
    if (!cost_only) {
      std::printf("MVM error (seed %llu, %dx%d Gaussian matrix, %d Gaussian vectors, %.3g s after programming):\n",
                  (unsigned long long)seed, cfg.rows, cfg.cols, vectors, time_s);
      std::printf("  MVM error       %.4f (mean ||y - y_exact|| / ||y_exact||, Le Gallo 2022/2023 protocol)\n",
                  acc.mvm_error);
      std::printf("  equivalent bits %.2f (fixed-point matrix with the same MVM error)\n", acc.equivalent_bits);
      std::printf("  rms error       %.4f of full scale (%.4f of rms); W+x fixed-point bits at that error %.2f\n",
                  acc.rms_error, acc.rms_error_rel_rms, acc.joint_fullscale_bits);
      std::printf("  output gain     %.4f (least-squares slope of y on y_exact)\n", acc.gain);
      std::printf("  ADC saturations %lld\n", (long long)acc.adc_saturations);
      std::printf("programming: %lld devices, %.2f pulses mean (max %d), %lld not converged, %.1f us, %.1f nJ\n",
                  (long long)acc.program.devices, acc.program.mean_iterations, acc.program.max_iterations_used,
                  (long long)acc.program.not_converged, acc.program.time_ns * 1e-3, acc.program.energy_pj * 1e-3);
    }
    return 0;
  } catch (const std::invalid_argument& e) {  // bad configuration or --set (ConfigError is one)
    std::fprintf(stderr, "aimc-xbar: error: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aimc-xbar: %s\n", e.what());
    return 1;
  }
}
