"""Hardware-aware training for the hermes-core crossbar (256x256 PCM, 8-bit DAC and ADC).

Three effects of the chip are modelled during training only; the eval-mode model (the one exported to
ONNX) is a plain float network whose only trace of them is a Clip node per activation clip:

- programming noise: every forward pass in training uses the weights the crossbar would hold after
  program-and-verify of the pcm-hermes-tdp technology (pcm_program below; derivation in README.md);
- weight clipping: after each optimizer step every analog layer's weights are clipped to +-k std of
  that layer (a few outliers would otherwise set the per-channel weight scale and shrink the others);
- DAC / ADC ranges: every activation that feeds an analog layer is clipped to a learned bound a
  (PACT) and, in training, rounded to the 8-bit DAC step a/127; every analog layer's column sums are
  clipped per 256-row block to the ADC full scale (10 rows at full input and full weight) and rounded
  to the 8-bit ADC step.

The model of the chip's numbers (preset values) lives in HERMES_CORE; the sources are cited next to
each value.
"""
import math
from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class CrossbarModel:
    """The numbers of the hermes-core crossbar preset that hardware-aware training needs."""
    # models/analog/core_presets.cpp, "hermes-core".
    rows: int = 256
    cols: int = 256
    devices_per_polarity: int = 2  # mapping.devices_per_polarity (TDP)
    dac_bits: int = 8              # dac.input_bits, signed (sign-magnitude PWM, levels -127..127 used)
    adc_bits: int = 8              # adc.bits, signed codes
    adc_full_scale_rows: float = 10.0  # adc.full_scale_rows
    # models/analog/technology_presets.cpp, "pcm-hermes-tdp": per-device gmax and the programming-noise
    # fit sigma(gT) = poly(gT) * fit_scale in uS, gT = G / gmax (HERMES fit of the device pair's error,
    # split over the pair's two devices by 1/sqrt(2)).
    gmax_us: float = 10.35
    prog_noise_poly: tuple = (0.16603, 4.71806, -8.48101, 4.68961)
    prog_noise_scale: float = 1.0 / math.sqrt(2.0)

    def prog_sigma_us(self, gt):
        """Programming-noise std (uS) of one device programmed to gT = G / gmax (tensor or float)."""
        s = 0.0
        p = 1.0
        for c in self.prog_noise_poly:
            s = s + c * p
            p = p * gt
        if isinstance(s, torch.Tensor):
            return (s * self.prog_noise_scale).clamp(min=0.0)
        return max(s * self.prog_noise_scale, 0.0)


HERMES_CORE = CrossbarModel()


@dataclass
class HwaOptions:
    """Hardware-aware training options; all off by default."""
    prog_noise: bool = False       # inject pcm-hermes-tdp programming noise into weights in training
    noise_scale: float = 1.0       # multiplies the injected noise (1 = the preset's)
    weight_clip_sigma: float = 0.0  # > 0: clip each analog layer's weights to +-k std after each step
    act_clip: bool = False         # learned clip (PACT) + 8-bit DAC rounding of analog-layer inputs
    adc: bool = False              # per-block ADC full-scale clip + 8-bit ADC rounding of column sums
    adc_penalty: float = 1.0       # weight of the ADC saturation penalty in the loss (with adc)
    xbar: CrossbarModel = field(default_factory=CrossbarModel)

    def as_json(self):
        return {
            "prog_noise": self.prog_noise,
            "noise_scale": self.noise_scale,
            "weight_clip_sigma": self.weight_clip_sigma,
            "act_clip": self.act_clip,
            "adc": self.adc,
            "adc_penalty": self.adc_penalty if self.adc else 0.0,
            "crossbar": {
                "preset": "hermes-core", "technology": "pcm-hermes-tdp",
                "rows": self.xbar.rows, "cols": self.xbar.cols,
                "devices_per_polarity": self.xbar.devices_per_polarity,
                "gmax_us_per_device": self.xbar.gmax_us,
                "prog_noise_poly_gt_us": list(self.xbar.prog_noise_poly),
                "prog_noise_scale": self.xbar.prog_noise_scale,
                "dac_bits": self.xbar.dac_bits, "adc_bits": self.xbar.adc_bits,
                "adc_full_scale_rows": self.xbar.adc_full_scale_rows,
            },
        }


def pcm_program(w, wmax, xbar=HERMES_CORE, scale=1.0):
    """Weights the crossbar holds after programming `w` with per-output-channel scale `wmax`.

    Mirrors models/analog: a weight w maps to a differential pair; its polarity's devices are each
    programmed to G = |w| / wmax * gmax, the other polarity's to 0 (gmin = 0); each device ends at
    max(0, G + sigma(G / gmax) * N(0, 1)) (program_verify.cpp, converged devices). The held weight is
    (sum G+ - sum G-) / (devices * gmax) * wmax.
    """
    gt = (w.abs() / wmax).clamp(max=1.0)
    g_on = gt * xbar.gmax_us
    sig_on = xbar.prog_sigma_us(gt) * scale
    sig_off = xbar.prog_sigma_us(0.0) * scale
    on = torch.zeros_like(w)
    off = torch.zeros_like(w)
    for _ in range(xbar.devices_per_polarity):
        on = on + (g_on + sig_on * torch.randn_like(w)).clamp(min=0.0)
        off = off + (sig_off * torch.randn_like(w)).clamp(min=0.0)
    sign = torch.where(w >= 0, 1.0, -1.0)
    return sign * (on - off) / (xbar.devices_per_polarity * xbar.gmax_us) * wmax


def fake_round(x, step):
    """x rounded to multiples of step, with a straight-through gradient."""
    return x + (torch.round(x / step) * step - x).detach()


class ActClip(nn.Module):
    """Clip of an activation that feeds analog layers: the DAC's input range.

    `bound` is learned (PACT: the gradient reaches it from clipped elements). In training with
    act_clip the clipped value is also rounded to the 8-bit DAC step bound / 127. In eval mode only
    the clip remains, exported as an ONNX Clip with constant bounds.
    A fixed bound (learn=False) with export=False marks an input whose range the normalization already
    guarantees (the image in [0, 1]): no node is exported, training still rounds it to the DAC step.
    """

    def __init__(self, opts, init_bound, learn=True, export=True):
        super().__init__()
        self.opts = opts
        self.export = export
        self.bound = nn.Parameter(torch.tensor(float(init_bound)), requires_grad=learn)
        self.calibrated = not learn

    def range(self):
        return self.bound.detach().abs()

    def forward(self, x):
        if not self.opts.act_clip:
            return x
        if self.training:
            if not self.calibrated:
                # Start from the activations the initial network produces (99.9th percentile).
                with torch.no_grad():
                    self.bound.fill_(float(torch.quantile(x.detach().flatten()[:1 << 20].float(), 0.999)))
                self.calibrated = True
            a = self.bound.abs()
            y = torch.minimum(torch.maximum(x, -a), a)
            return fake_round(y, a / (2 ** (self.opts.xbar.dac_bits - 1) - 1))
        if not self.export:
            return x
        a = float(self.bound.detach().abs())
        return F.hardtanh(x, 0.0, a)  # every clip point follows a ReLU; exports as Clip, no Cast


class AnalogLayer:
    """Common part of AnalogLinear / AnalogConv2d: weight noise, weight clip and the ADC model.

    The crossbar matrix has rows = the layer's inputs (Linear: in_features; Conv: kh * kw * cin in
    that order, patches x kernel) and cols = output channels; the per-output-channel weight scale is
    the channel's largest |w| (what a per-channel quantizer maps to the largest cell value).
    """

    def _setup(self, opts, in_clip):
        self.opts = opts
        self.in_clip = in_clip  # ActClip whose bound is the DAC full scale of this layer's input
        self.adc_penalty = 0.0  # summed over blocks by adc(); the training loop reads and resets it
        self.adc_saturated = 0  # conversions that hit the full scale, and all conversions
        self.adc_conversions = 0

    def channel_max(self, w):
        return w.detach().abs().flatten(1).amax(dim=1).clamp(min=1e-12)

    def train_weight(self):
        w = self.weight
        if not (self.training and self.opts.prog_noise):
            return w
        wmax = self.channel_max(w).view(-1, *([1] * (w.dim() - 1)))
        noisy = pcm_program(w.detach(), wmax, self.opts.xbar, self.opts.noise_scale)
        return w + (noisy - w.detach())  # straight-through: gradient of the clean weight

    def clip_weights(self):
        k = self.opts.weight_clip_sigma
        if k > 0:
            with torch.no_grad():
                lim = k * self.weight.std()
                self.weight.clamp_(-lim, lim)

    def adc(self, y, wmax):
        """Clips and rounds one block's column sums to the ADC (channel dim 1).

        Also adds this block's saturation penalty, mean(relu(|y| / full scale - 1)), to
        self.adc_penalty: without it the network learns to rely on saturation (clipped per block,
        before the bias), which its float graph cannot express (see README.md)."""
        # The bound is not detached: a larger DAC range lowers the column sums relative to the ADC
        # full scale (at the cost of DAC resolution), a trade-off training should see.
        a = self.in_clip.bound.abs()
        fs = (self.opts.xbar.adc_full_scale_rows * a * wmax).view(1, -1, *([1] * (y.dim() - 2)))
        over = y.abs() / fs - 1.0
        self.adc_penalty = self.adc_penalty + F.relu(over).mean()
        self.adc_saturated += int((over > 0).sum())
        self.adc_conversions += over.numel()
        y = torch.minimum(torch.maximum(y, -fs), fs)
        return fake_round(y, 2 * fs / 2 ** self.opts.xbar.adc_bits)

    def use_adc(self):
        return self.training and self.opts.adc


class AnalogLinear(nn.Linear, AnalogLayer):
    def __init__(self, cin, cout, opts, in_clip, bias=True):
        nn.Linear.__init__(self, cin, cout, bias=bias)
        self._setup(opts, in_clip)

    def forward(self, x):
        w = self.train_weight()
        if not self.use_adc():
            return F.linear(x, w, self.bias)
        wmax = self.channel_max(self.weight)
        rows = self.opts.xbar.rows
        y = sum(self.adc(F.linear(x[:, r:r + rows], w[:, r:r + rows]), wmax)
                for r in range(0, self.in_features, rows))
        return y + self.bias if self.bias is not None else y


class AnalogConv2d(nn.Conv2d, AnalogLayer):
    def __init__(self, cin, cout, k, opts, in_clip, stride=1, padding=0, bias=False):
        nn.Conv2d.__init__(self, cin, cout, k, stride=stride, padding=padding, bias=bias)
        self._setup(opts, in_clip)
        kh, kw = self.kernel_size
        n_rows = kh * kw * cin
        # Row r of the crossbar matrix is (i, j, c) with r = (i * kw + j) * cin + c; block b holds rows
        # [256 b, 256 (b + 1)). A mask per block selects its kernel entries, so a block's partial sum
        # is a convolution with the masked kernel.
        r = torch.arange(n_rows).view(kh, kw, cin).permute(2, 0, 1)  # [cin, kh, kw] -> row index
        self.register_buffer("block_of", (r // opts.xbar.rows).unsqueeze(0), persistent=False)
        self.n_blocks = (n_rows + opts.xbar.rows - 1) // opts.xbar.rows

    def forward(self, x):
        w = self.train_weight()
        if not self.use_adc():
            return self._conv_forward(x, w, self.bias)
        wmax = self.channel_max(self.weight)
        y = sum(self.adc(self._conv_forward(x, w * (self.block_of == b), None), wmax)
                for b in range(self.n_blocks))
        return y + self.bias.view(1, -1, 1, 1) if self.bias is not None else y


def analog_layers(model):
    return [m for m in model.modules() if isinstance(m, AnalogLayer)]
