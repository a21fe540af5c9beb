// aimc-xbar: MVM latency, energy, TOPS, TOPS/W (with the breakdown per action) and MVM error statistics of
// a crossbar configuration, by name or from a JSON file.
//
//   aimc-xbar <configuration|file.json> [--json] [--seed N] [--time S] [--vectors N] [--cost-only]
//   aimc-xbar --list | <configuration> --dump | --describe
#include "analog/analog_core.h"
#include "analog/mvm_accuracy.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace aimc::analog;

namespace {

int usage(int rc) {
  std::fprintf(rc ? stderr : stdout,
               "usage: aimc-xbar <configuration|file.json> [--json] [--seed N] [--time S] [--vectors N] [--cost-only]\n"
               "       aimc-xbar <configuration|file.json> --dump     print the configuration as JSON\n"
               "       aimc-xbar --list                             named configurations and technologies\n"
               "       aimc-xbar --describe                         every parameter with unit, default, meaning\n");
  return rc;
}

AnalogCoreConfig load(const std::string& what) {
  if (what.size() > 5 && what.substr(what.size() - 5) == ".json") return core_config_from_file(what);
  return core_config_preset(what);
}

}  // namespace

int main(int argc, char** argv) {
  std::string target;
  bool json = false, dump = false, cost_only = false;
  uint64_t seed = 1;
  double time_s = 0.0;
  int vectors = 8;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&](const char* opt) {
        if (i + 1 >= argc) throw std::invalid_argument(std::string(opt) + " needs a value");
        return std::string(argv[++i]);
      };
      if (a == "--json") json = true;
      else if (a == "--dump") dump = true;
      else if (a == "--cost-only") cost_only = true;
      else if (a == "--seed") seed = std::stoull(value("--seed"));
      else if (a == "--time") time_s = std::stod(value("--time"));
      else if (a == "--vectors") vectors = std::stoi(value("--vectors"));
      else if (a == "--help" || a == "-h") return usage(0);
      else if (a == "--list") {
        std::cout << "configurations:";
        for (auto& n : core_config_names()) std::cout << " " << n;
        std::cout << "\ntechnologies:";
        for (auto& n : technology_names()) std::cout << " " << n;
        std::cout << "\nADC models:";
        for (auto& n : adc_model_names()) std::cout << " " << n;
        std::cout << "\n";
        return 0;
      } else if (a == "--describe") {
        AnalogCoreConfig cfg;
        ParamDescriber d;
        cfg.visit(d);
        std::cout << "| parameter | unit | default | description |\n|---|---|---|---|\n";
        for (auto& r : d.rows) std::cout << "| " << r.path << " | " << r.unit << " | " << r.value << " | " << r.description << " |\n";
        return 0;
      } else if (!a.empty() && a[0] == '-') {
        std::fprintf(stderr, "aimc-xbar: unknown option '%s'\n", a.c_str());
        return usage(2);
      } else if (target.empty()) target = a;
      else return usage(2);
    }
    if (target.empty()) return usage(2);
    if (vectors < 1) throw std::invalid_argument("--vectors must be >= 1");
    if (!(time_s >= 0)) throw std::invalid_argument("--time must be >= 0");

    AnalogCoreConfig cfg = load(target);
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
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aimc-xbar: %s\n", e.what());
    return 1;
  }
}
