#include "analog/noise_rng.h"

#include <cmath>

namespace aimc::analog {
namespace {
constexpr double kR = 3.6541528853610088;  // start of the tail
constexpr double kV = 0.00492867323399;    // area of each layer
}  // namespace

// Layer i spans [0, x[i]] x [f[i], f[i+1]]; x[0] = V / f(R) is the virtual width of the base strip.
ZigguratTables::ZigguratTables() {
  auto pdf = [](double v) { return std::exp(-0.5 * v * v); };
  x[0] = kV / pdf(kR);
  x[1] = kR;
  for (int i = 1; i < 256; ++i) {
    const double fi = pdf(x[i]) + kV / x[i];
    x[i + 1] = fi >= 1.0 ? 0.0 : std::sqrt(-2.0 * std::log(fi));
  }
  x[256] = 0.0;
  for (int i = 0; i < 257; ++i) f[i] = pdf(x[i]);
  f[256] = 1.0;
}
const ZigguratTables kZiggurat;

namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

void NoiseRng::reseed(uint64_t seed) {
  uint64_t st = seed;
  for (auto& s : s_) s = splitmix64(st);
}

NoiseRng::Slow NoiseRng::normal_slow(State st, int layer, double x) {
  NoiseRng g(st);
  const double v = g.normal_rejection(layer, x);
  return {v, g.state()};
}

double NoiseRng::normal_rejection(int layer, double x) {
  for (;;) {
    if (layer == 0) {
      // Tail beyond R (Marsaglia 1964).
      double a, b;
      do {
        a = -std::log(1.0 - uniform()) / kR;
        b = -std::log(1.0 - uniform());
      } while (2.0 * b < a * a);
      return x < 0 ? -(kR + a) : kR + a;
    }
    const double y = kZiggurat.f[layer] + (kZiggurat.f[layer + 1] - kZiggurat.f[layer]) * uniform();
    if (y < std::exp(-0.5 * x * x)) return x;
    const uint64_t bits = next_u64();
    layer = int(bits & 0xff);
    const double u = double(int64_t(bits >> 11) - (int64_t(1) << 52)) * 0x1.0p-52;
    x = u * kZiggurat.x[layer];
    if (std::fabs(x) < kZiggurat.x[layer + 1]) return x;
  }
}

}  // namespace aimc::analog
