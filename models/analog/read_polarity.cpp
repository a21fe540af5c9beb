#include "analog/read_polarity.h"

#include "analog/noise_rng.h"

namespace aimc::analog {

bool read_polarity_enabled(const DeviceTechnology& t) {
  return t.read_polarity_mean != 0.0 || t.read_polarity_std != 0.0;
}

void build_read_polarity(const CrossbarArray& a, double now_s, uint64_t seed, std::vector<ReadPolarityMatrices>& out) {
  const DeviceTechnology& t = a.technology();
  NoiseRng rng(seed);
  out.resize(a.slices());
  for (int s = 0; s < a.slices(); ++s) {
    ReadPolarityMatrices& m = out[s];
    m.pos.setZero(a.rows(), a.cols());
    m.neg.setZero(a.rows(), a.cols());
    for (int p = 0; p < 2; ++p)
      for (int k = 0; k < a.devices_per_polarity(); ++k)
        for (int i = 0; i < a.rows(); ++i)
          for (int j = 0; j < a.cols(); ++j) {
            const double f = t.read_polarity_mean + t.read_polarity_std * rng.normal();
            const double g = a.conductance(a.index(s, p, k, i, j), now_s);
            if (p == 0) m.neg(i, j) += f * g;  // G+ read with V+ when the input is negative
            else m.pos(i, j) -= f * g;         // G- read with V+ when the input is positive
          }
  }
}

}  // namespace aimc::analog
