#include "analog/mvm_accuracy.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace aimc::analog;

// Seed fact (REFERENCE.md section 3): an MVM on PCM of a 256x256 Gaussian matrix and vector has a precision
// equivalent to ~4-bit fixed point, measured by the published protocol (mean relative L2 error, matched by a
// fixed-point matrix). Fixed seed; tolerance: 3.5 to 5 equivalent bits.
TEST(Calibration, PcmMvmIsAboutFourBitFixedPoint) {
  for (const char* preset : {"pcm-nandakumar", "hermes-core"}) {
    AnalogCore core(core_config_preset(preset));
    const AccuracyReport r = measure_mvm_accuracy(core, 1, 8, 0.0);
    EXPECT_GT(r.equivalent_bits, 3.5) << preset;
    EXPECT_LT(r.equivalent_bits, 5.0) << preset;
    EXPECT_EQ(r.adc_saturations, 0) << preset;
  }
}

TEST(MvmAccuracy, FixedPointReferenceHalvesPerBit) {
  NoiseRng rng(3);
  Eigen::MatrixXd w(64, 64), x(64, 4);
  for (int j = 0; j < 64; ++j)
    for (int i = 0; i < 64; ++i) w(i, j) = rng.normal();
  for (int j = 0; j < 4; ++j)
    for (int i = 0; i < 64; ++i) x(i, j) = rng.normal();
  const double e4 = joint_fixed_point_error(w, x, 4), e8 = joint_fixed_point_error(w, x, 8);
  EXPECT_NEAR(std::log2(e4 / e8), 4.0, 0.5);
  // Published-protocol reference (matrix quantized, vector exact): also halves per bit, and sits below the
  // joint reference at the same b (one quantized operand instead of two).
  const double w4 = weight_fixed_point_error(w, x, 4), w8 = weight_fixed_point_error(w, x, 8);
  EXPECT_NEAR(std::log2(w4 / w8), 4.0, 0.5);
  // Uniform quantization of a Gaussian matrix: eps = (max|W| / (2^(b-1) - 1)) / sqrt(12) / std(W).
  const double step = w.cwiseAbs().maxCoeff() / 7.0;
  EXPECT_NEAR(w4, step / std::sqrt(12.0), 0.15 * step / std::sqrt(12.0));
}

TEST(MvmAccuracy, MeanRelativeL2) {
  Eigen::MatrixXd ref(2, 2), a(2, 2);
  ref << 3, 1, 4, 0;
  a << 3, 1, 5, 1;
  // column 0: |(0, 1)| / 5 = 0.2; column 1: |(0, 1)| / 1 = 1 -> mean 0.6
  EXPECT_NEAR(mean_relative_l2(a, ref), 0.6, 1e-12);
}

TEST(MvmAccuracy, IdealDevicesReachTheConverterLimit) {
  AnalogCoreConfig cfg = core_config_preset("hermes-core");
  cfg.technology = technology_preset("generic");
  cfg.technology.prog_noise = NoiseCurve{"constant", {0.0}, 1.0};
  cfg.technology.read_noise.form = "none";
  cfg.technology.drift = DriftModel{20.0, 0, 0, 0, 0, 0, 0, 0, 0};
  cfg.adc.noise_rows = cfg.adc.gain_std = cfg.adc.offset_std_lsb = cfg.adc.inl_lsb = 0.0;
  cfg.wire_resistance_ohm = 0.0;
  AnalogCore core(cfg);
  const AccuracyReport r = measure_mvm_accuracy(core, 1, 4, 0.0);
  EXPECT_GT(r.equivalent_bits, 5.0);  // limited by 8-bit inputs and the ADC (the matrix is exact here)
  EXPECT_GT(r.joint_fullscale_bits, 6.0);
}

// Published four-phase precision (Le Gallo et al., Nat. Electron. 6, 680 (2023): every MVM measurement there was
// made in the four-phase mode; against a digital engine with 8-bit inputs/outputs and N-bit weights, "the
// precision achieved with ODP is close to 3-bit weights. With TDP, a precision between 3-bit and 4-bit weights").
// Nothing in the model was tuned to these figures. Fixed seeds 1-3, 8 Gaussian vectors each, t = 0 (t0 after
// programming). Tolerance 0.25 bit: the sources give neither the matrix distribution nor the measurement time,
// and the published reference quantizes the inputs and outputs, ours does not. TDP (hermes-core, four phases)
// must lie in [3, 4] within it, and ODP below TDP by 0.5 bit within it. ODP's own figure (close to 3 bits) is
// not met: the model gives 3.68 (docs/models/analog-calibration.md lists it as a failed prediction).
TEST(Calibration, FourPhasePrecisionMatchesTheChip) {
  auto bits = [](const char* preset) {
    double b = 0;
    for (int seed = 1; seed <= 3; ++seed) {
      AnalogCoreConfig cfg = core_config_preset(preset);
      cfg.seed = seed;
      cfg.phases = 4;
      AnalogCore core(cfg);
      b += measure_mvm_accuracy(core, uint64_t(seed), 8).equivalent_bits / 3;
    }
    return b;
  };
  const double tdp = bits("hermes-core"), odp = bits("pcm-hermes-odp");
  std::printf("[ accuracy ] four-phase equivalent bits: TDP %.2f (published 3-4), ODP %.2f (published ~3)\n", tdp, odp);
  EXPECT_GT(tdp, 3.0 - 0.25);
  EXPECT_LT(tdp, 4.0 + 0.25);
  EXPECT_NEAR(tdp - odp, 0.5, 0.25);
}

// Which periphery errors the four phases cancel. Seeds 1-3, 8 vectors each, one term on at a time on top of the
// devices: the calibrated column gain spread (odd in the input) does not cancel, so one- and four-phase errors
// stay within 0.001; the output noise (averaged over four conversions) and the column offset residue (even,
// cancelled by the alternating polarity) each give the one-phase mode a higher error.
TEST(MvmAccuracy, FourPhasesCancelTheEvenPeripheryErrors) {
  auto advantage = [](double gain_std, double offset_std, double noise_rows) {
    double d = 0;
    for (int seed = 1; seed <= 3; ++seed) {
      AnalogCoreConfig cfg = core_config_preset("hermes-core");
      cfg.seed = seed;
      cfg.adc.gain_std = gain_std;
      cfg.adc.offset_std_lsb = offset_std;
      cfg.adc.noise_rows = noise_rows;
      cfg.adc.inl_lsb = 0.0;
      AnalogCore one(cfg);
      cfg.phases = 4;
      AnalogCore four(cfg);
      d += (measure_mvm_accuracy(one, uint64_t(seed), 8).mvm_error -
            measure_mvm_accuracy(four, uint64_t(seed), 8).mvm_error) / 3;
    }
    return d;
  };
  const double gain = advantage(0.0709, 0, 0), offset = advantage(0, 2.0, 0), noise = advantage(0, 0, 0.04);
  std::printf("[ accuracy ] one- minus four-phase error: gain spread %.4f, offset %.4f, output noise %.4f\n", gain,
              offset, noise);
  EXPECT_LT(std::fabs(gain), 0.001);
  EXPECT_GT(offset, 0.001);
  EXPECT_GT(noise, 0.003);
}

// The four-phase advantage comes from the periphery: alternating the input polarity cancels what the ADC adds
// evenly (offset residue, the INL bow) and four conversions average its output noise, while the 1/f read noise
// is common to the phases. Statistical, seeds 1-3, 8 vectors each: with the HERMES periphery the four-phase
// MVM error is lower; without periphery errors the advantage shrinks below a quarter of it.
TEST(MvmAccuracy, FourPhaseAdvantageComesFromThePeriphery) {
  auto advantage = [](bool periphery) {
    double d = 0;
    for (int seed = 1; seed <= 3; ++seed) {
      AnalogCoreConfig cfg = core_config_preset("hermes-core");
      cfg.seed = seed;
      if (!periphery) test::ideal_periphery(cfg);
      AnalogCore one(cfg);
      cfg.phases = 4;
      AnalogCore four(cfg);
      d += (measure_mvm_accuracy(one, uint64_t(seed), 8).mvm_error -
            measure_mvm_accuracy(four, uint64_t(seed), 8).mvm_error) / 3;
    }
    return d;
  };
  const double on = advantage(true), off = advantage(false);
  std::printf("[ accuracy ] one- minus four-phase MVM error: %.4f with the periphery errors, %.4f without\n", on, off);
  EXPECT_GT(on, 0.004);
  EXPECT_LT(std::fabs(off), 0.25 * on);
}
