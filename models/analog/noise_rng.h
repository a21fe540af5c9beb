// The random source of one array: xoshiro256++ with a ziggurat normal generator.
//
// Why not <random>: std::normal_distribution is several times slower and its output differs between
// standard libraries; this generator is bit-identical everywhere for the same seed, and the fast path
// of the ziggurat (one 64-bit draw, a table lookup, a multiply and a compare, ~99 % of draws) makes
// drawing one Gaussian per column per read cheap next to the column sums themselves.
#pragma once

#include <cstdint>

namespace aimc::analog {

// Ziggurat tables (256 layers), built once at start-up in noise_rng.cpp.
struct ZigguratTables {
  ZigguratTables();
  double x[257];
  double f[257];
};
extern const ZigguratTables kZiggurat;

class NoiseRng {
 public:
  explicit NoiseRng(uint64_t seed = 1) { reseed(seed); }
  void reseed(uint64_t seed);

  // xoshiro256++ (Blackman & Vigna 2019).
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next_u64() >> 11) * 0x1.0p-53; }
  // Standard normal, ziggurat with 256 layers (Marsaglia & Tsang 2000, Doornik 2005 variant).
  double normal() {
    const uint64_t bits = next_u64();
    const int layer = int(bits & 0xff);
    // Bits 11..63 give a uniform in (-1, 1), independent of the layer bits 0..7.
    const double u = double(int64_t(bits >> 11) - (int64_t(1) << 52)) * 0x1.0p-52;
    const double x = u * kZiggurat.x[layer];
    if (x < kZiggurat.x[layer + 1] && x > -kZiggurat.x[layer + 1]) return x;
    // The rare rest (about 1 % of draws) out of line, on a copy of the state handed back: the generator's
    // address never leaves this function, so a caller's hot loop can keep the state in registers.
    const Slow r = normal_slow(state(), layer, x);
    set_state(r.state);
    return r.value;
  }
  void fill_normal(double* out, int n) {
    NoiseRng g = *this;  // a local copy kept in registers, handed back
    for (int i = 0; i < n; ++i) out[i] = g.normal();
    *this = g;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  struct State {
    uint64_t s[4];
  };
  struct Slow {
    double value;
    State state;
  };
  explicit NoiseRng(const State& st) { set_state(st); }  // no seeding: the state is given
  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}}; }
  void set_state(const State& st) {
    for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
  }
  static Slow normal_slow(State st, int layer, double x);
  double normal_rejection(int layer, double x);  // the slow path itself, on this generator
  uint64_t s_[4];
};

}  // namespace aimc::analog
