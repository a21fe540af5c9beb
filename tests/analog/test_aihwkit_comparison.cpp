// The device-level core against aihwkit's weight-level statistical models on the same statistics: MVM error
// of a 256x256 Gaussian matrix with Gaussian inputs after programming, 1 hour, 1 day and 1 year.
//
// The reference below re-implements, independently of models/analog, what aihwkit's PCMLikeNoiseModel
// (Nandakumar 2019) and HermesNoiseModel (HERMES fits) do to a weight (src/aihwkit/inference/noise/pcm.py and
// hermes.py): one conductance pair per weight at G = |W| gmax / max|W|, additive programming noise clamped at 0,
// nu = |mu + sigma z|, G (t/t0)^-nu with t = t_inference + t0, accumulated 1/f noise
// |G(t)| Q sqrt(ln((t + t_read) / (2 t_read))), then the MVM of its HERMES MVM notebook: 8-bit inputs
// scaled to the vector's max, 8-bit outputs over +-10 (out_bound of its standard inference preset), and
// global drift compensation from an all-ones calibration input. The core runs the technology's 256x256
// configuration with its periphery errors off (aihwkit's notebook has none) and global compensation.
#include "analog/mvm_accuracy.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>

using namespace aimc::analog;

namespace {

struct WeightModel {
  double gmax, t0, t_read;
  std::function<double(double)> prog, mu, sd, q;  // of gT = G / gmax; prog in uS
};

WeightModel pcm_like() {
  return {25.0, 20.0, 250e-9,
          [](double g) { return 0.26348 + 1.9650 * g - 1.1731 * g * g; },
          [](double g) { return std::clamp(-0.0155 * std::log(std::max(g, 1e-7)) + 0.0244, 0.049, 0.1); },
          [](double g) { return std::clamp(-0.0125 * std::log(std::max(g, 1e-7)) - 0.0059, 0.008, 0.045); },
          [](double g) { return std::min(0.0088 / std::max(std::pow(g, 0.65), 1e-3), 0.2); }};
}

WeightModel hermes(bool tdp) {
  WeightModel m;
  m.gmax = tdp ? 20.7 : 10.35;
  m.t0 = tdp ? 300.0 : 200.0;
  m.t_read = 512e-9;
  if (tdp) m.prog = [](double g) { return 0.16603222 + g * (4.71806468 + g * (-8.48101252 + g * 4.68961419)); };
  else m.prog = [](double g) { return 0.15781817 + g * (2.32443916 + g * (-2.16310839 + g * 0.68841818)); };
  m.mu = [](double g) {
    g = std::max(g, 1e-7);
    return g < 0.0945 ? std::clamp(-0.0387 * std::log(g) - 0.0182, 0.0720, 0.13) : -0.0436 * g * g - 0.0126 * g + 0.0736;
  };
  if (tdp) {
    m.sd = [](double g) {
      g = std::max(g, 1e-7);
      return g < 0.3055 ? std::clamp(-0.0117 * std::log(g) - 0.0057, 0.0091, 0.04) : -0.0118 * g * g + 0.0093 * g + 0.0073;
    };
    m.q = [](double g) {
      return g < 0.16 ? std::clamp(-0.0117 * std::log(std::max(g, 1e-7)) - 0.0069, 0.015, 0.04)
                      : 0.0069 * g * g * g - 0.0280 * g * g + 0.0211 * g + 0.0123;
    };
  } else {
    m.sd = [](double g) {
      g = std::max(g, 1e-7);
      return g < 0.3039 ? std::clamp(-0.0120 * std::log(g) - 0.0023, 0.0124, 0.04) : -0.0165 * g * g + 0.0116 * g + 0.0104;
    };
    m.q = [](double g) {
      return g < 0.1591 ? std::clamp(-0.0078 * std::log(std::max(g, 1e-7)) + 0.0038, 0.0179, 0.04)
                        : 0.0664 * g * g * g - 0.1352 * g * g + 0.0768 * g + 0.0088;
    };
  }
  return m;
}

// MVM error of the weight-level model at t_inference (mean over seeds, 8 vectors each).
double reference_error(const WeightModel& m, double t_inf, int seeds) {
  double total = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    NoiseRng rng(1000 + uint64_t(seed));
    const int n = 256, vecs = 8;
    Eigen::MatrixXd w(n, n), x(n, vecs);
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i) w(i, j) = rng.normal();
    for (int j = 0; j < vecs; ++j)
      for (int i = 0; i < n; ++i) x(i, j) = rng.normal();
    const double wmax = w.cwiseAbs().maxCoeff();
    // Programming, drift exponents, and the conductances at t (pair p = 0: G+, 1: G-).
    Eigen::MatrixXd g_prog[2], g_now[2];
    for (int p = 0; p < 2; ++p) {
      g_prog[p].resize(n, n);
      g_now[p].resize(n, n);
      for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
          const double target = (p == 0 ? std::max(w(i, j), 0.0) : std::max(-w(i, j), 0.0)) / wmax * m.gmax;
          const double gt = target / m.gmax;
          const double gp = std::max(target + m.prog(gt) * rng.normal(), 0.0);
          const double nu = std::fabs(m.mu(gt) + m.sd(gt) * rng.normal());
          const double t = t_inf + m.t0;
          const double gd = t > m.t0 ? gp * std::pow(t / m.t0, -nu) : gp;
          const double sig = m.q(gp / m.gmax) * std::sqrt(std::log((t + m.t_read) / (2 * m.t_read)));
          g_prog[p](i, j) = gp;
          g_now[p](i, j) = std::max(gd + std::fabs(gd) * sig * rng.normal(), 0.0);
        }
    }
    const Eigen::MatrixXd w_prog = (g_prog[0] - g_prog[1]) / m.gmax;  // normalised to max|W| = 1
    const Eigen::MatrixXd w_now = (g_now[0] - g_now[1]) / m.gmax;
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(n);
    const double alpha = (w_prog.transpose() * ones).cwiseAbs().mean() / (w_now.transpose() * ones).cwiseAbs().mean();
    Eigen::MatrixXd y(n, vecs);
    const double step = 20.0 / 254.0;
    for (int v = 0; v < vecs; ++v) {
      const double xmax = x.col(v).cwiseAbs().maxCoeff();
      const Eigen::VectorXd xq = (x.col(v) / xmax * 127.0).array().round().matrix() / 127.0;
      Eigen::VectorXd yn = w_now.transpose() * xq;
      for (int j = 0; j < n; ++j) yn[j] = std::round(std::clamp(yn[j], -10.0, 10.0) / step) * step;
      y.col(v) = yn * alpha * wmax * xmax;
    }
    total += mean_relative_l2(y, w.transpose() * x) / seeds;
  }
  return total;
}

double core_error(const std::string& tech, double t, int seeds) {
  double total = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    AnalogCoreConfig cfg = core_config_preset(tech);
    test::ideal_periphery(cfg);
    cfg.drift_compensation.mode = "global";
    cfg.seed = seed;
    AnalogCore core(cfg);
    total += measure_mvm_accuracy(core, uint64_t(seed), 8, t).mvm_error / seeds;
  }
  return total;
}

}  // namespace

// Statistical, seeds 1-3 on both sides: the core's MVM error is within 10 % (relative) of the weight-level
// reference at every time for the three PCM technologies.
TEST(AihwkitComparison, MvmErrorOverTimeMatchesTheWeightLevelModels) {
  const double times[] = {0.0, 3600.0, 86400.0, 365 * 86400.0};
  struct Case {
    const char* tech;
    WeightModel model;
  } cases[] = {{"pcm-nandakumar", pcm_like()}, {"pcm-hermes-tdp", hermes(true)}, {"pcm-hermes-odp", hermes(false)}};
  std::printf("| technology | model | t = 0 | 1 h | 1 day | 1 year |\n|---|---|---|---|---|---|\n");
  for (const Case& c : cases) {
    double ours[4], ref[4];
    for (int k = 0; k < 4; ++k) {
      ours[k] = core_error(c.tech, times[k], 3);
      ref[k] = reference_error(c.model, times[k], 3);
    }
    std::printf("| %s | aimc-vp core | %.1f %% | %.1f %% | %.1f %% | %.1f %% |\n", c.tech, 100 * ours[0], 100 * ours[1],
                100 * ours[2], 100 * ours[3]);
    std::printf("| %s | aihwkit weight model | %.1f %% | %.1f %% | %.1f %% | %.1f %% |\n", c.tech, 100 * ref[0],
                100 * ref[1], 100 * ref[2], 100 * ref[3]);
    for (int k = 0; k < 4; ++k) EXPECT_NEAR(ours[k] / ref[k], 1.0, 0.10) << c.tech << " t = " << times[k];
  }
}
