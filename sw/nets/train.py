#!/usr/bin/python3
"""Trains a Fashion-MNIST network, exports it to ONNX (opset 13) and writes its JSON record.

Run with Debian's interpreter (it has python3-torch and python3-onnx), from any directory:
    /usr/bin/python3 sw/nets/train.py --net fmnist-mlp --epochs 12 --hwa
Writes <out-dir>/<net>.onnx and <out-dir>/<net>.json (see README.md for the committed commands).
"""
import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import idx  # noqa: E402
from hwa import ActClip, AnalogLayer, HwaOptions, analog_layers  # noqa: E402
from nets import NETS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PIXEL_SCALE = 1.0 / 255.0  # x = pixel / 255: the normalization both nets expect

# Operators each exported graph must contain (the compiler lowers them; BN must stay a node).
REQUIRED_OPS = {
    "fmnist-mlp": {"Flatten", "Gemm", "Relu"},
    "fmnist-cnn": {"Conv", "BatchNormalization", "Relu", "MaxPool", "Add", "GlobalAveragePool",
                   "Flatten", "Gemm"},
}
ALLOWED_OPS = {"Conv", "BatchNormalization", "Relu", "Clip", "MaxPool", "Add", "GlobalAveragePool",
               "Flatten", "Gemm", "MatMul", "Constant"}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--net", required=True, choices=sorted(NETS))
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=2e-3, help="peak AdamW learning rate (cosine decay to 0)")
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--train-images", type=int, default=60000, help="use the first N training images")
    p.add_argument("--out-dir", default=HERE)
    p.add_argument("--noise-draws", type=int, default=5,
                   help="programming-noise draws for the hardware-model accuracy estimates")
    hw = p.add_argument_group("hardware-aware training (all off by default)")
    hw.add_argument("--hw-noise", action="store_true", help="inject pcm-hermes-tdp programming noise")
    hw.add_argument("--noise-scale", type=float, default=1.0, help="factor on the injected noise")
    hw.add_argument("--hw-wclip", type=float, default=0.0, metavar="K",
                    help="clip each analog layer's weights to +-K std after every step (0 = off)")
    hw.add_argument("--hw-act-clip", action="store_true",
                    help="learned clip + 8-bit DAC rounding of every analog layer's input")
    hw.add_argument("--hw-adc", action="store_true",
                    help="8-bit ADC full-scale clip and rounding of every 256-row block's column sums")
    hw.add_argument("--hw-adc-penalty", type=float, default=1.0, metavar="L",
                    help="weight of the ADC saturation penalty added to the loss (with --hw-adc)")
    hw.add_argument("--hwa", action="store_true",
                    help="all of them: --hw-noise --hw-wclip 2.5 --hw-act-clip --hw-adc")
    a = p.parse_args(argv)
    if a.hwa:
        a.hw_noise, a.hw_act_clip, a.hw_adc = True, True, True
        a.hw_wclip = a.hw_wclip or 2.5
    for name in ("epochs", "batch", "train_images", "noise_draws"):
        if getattr(a, name) < (0 if name == "noise_draws" else 1):
            p.error(f"--{name.replace('_', '-')} must be positive, got {getattr(a, name)}")
    if not 1 <= a.train_images <= 60000:
        p.error(f"--train-images must be in 1..60000, got {a.train_images}")
    if a.hw_wclip < 0 or a.noise_scale < 0 or a.hw_adc_penalty < 0:
        p.error("--hw-wclip, --noise-scale and --hw-adc-penalty must be >= 0")
    if a.hw_adc and not a.hw_act_clip:
        p.error("--hw-adc needs --hw-act-clip: the ADC full scale is set by the clipped input range")
    return a


def load(split):
    images, labels = idx.load_split(split)
    x = torch.from_numpy(images.astype(np.float32) * PIXEL_SCALE).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


def accuracy(model, x, y, batch=1000):
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
    return correct


def hardware_estimate(model, opts, x, y, draws, full):
    """Accuracy of the torch model of the chip: programming noise (and, if full, DAC/ADC rounding and
    clipping) applied in eval mode; mean and std over `draws` noise draws."""
    saved = (opts.prog_noise, opts.noise_scale, opts.adc)
    opts.prog_noise, opts.noise_scale, opts.adc = True, 1.0, full
    model.eval()
    for m in model.modules():
        if isinstance(m, AnalogLayer) or (full and isinstance(m, ActClip)):
            m.training = True
    layers = {n: m for n, m in model.named_modules() if isinstance(m, AnalogLayer)}
    for m in layers.values():
        m.adc_saturated = m.adc_conversions = 0
    accs = []
    try:
        for _ in range(draws):
            accs.append(accuracy(model, x, y) / len(x))
    finally:
        opts.prog_noise, opts.noise_scale, opts.adc = saved
        model.eval()
    out = {"mean": float(np.mean(accs)), "std": float(np.std(accs)), "draws": draws}
    if full:
        out["adc_saturation"] = {n: m.adc_saturated / max(m.adc_conversions, 1) for n, m in layers.items()}
    for m in layers.values():
        m.adc_penalty = 0.0
    return out


def export_onnx(model, net, path):
    model.eval()
    dummy = torch.zeros(1, 1, 28, 28)
    # PRESERVE (with the model in eval mode) exports inference-mode BatchNormalization nodes; EVAL
    # would let the exporter fold them into the convolutions, which is the compiler's job.
    torch.onnx.export(model, dummy, path, opset_version=13, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE, input_names=["image"],
                      output_names=["logits"])
    import onnx
    return verify_onnx(onnx.load(path), net, path)


def verify_onnx(m, net, path):
    """Checks an exported graph (checker, shapes, operators); returns (opset, operator counts)."""
    import onnx
    if [o.version for o in m.opset_import if o.domain in ("", "ai.onnx")] != [13]:
        raise RuntimeError(f"{path}: opset {[(o.domain, o.version) for o in m.opset_import]}, expected 13")
    onnx.checker.check_model(m, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(m, strict_mode=True)
    ops = sorted({n.op_type for n in m.graph.node})
    custom = [n.op_type for n in m.graph.node if n.domain not in ("", "ai.onnx")]
    if custom:
        raise RuntimeError(f"{path}: custom-domain operators in the export: {custom}")
    missing = REQUIRED_OPS[net] - set(ops)
    if missing:
        raise RuntimeError(f"{path}: operators {sorted(missing)} missing from the export (has {ops})")
    extra = set(ops) - ALLOWED_OPS
    if extra:
        raise RuntimeError(f"{path}: unexpected operators {sorted(extra)} in the export")
    for v in list(inferred.graph.input) + list(inferred.graph.output) + list(inferred.graph.value_info):
        dims = v.type.tensor_type.shape.dim
        if any(not d.HasField("dim_value") for d in dims):
            raise RuntimeError(f"{path}: tensor '{v.name}' has a dynamic shape")
    bn = [n for n in m.graph.node if n.op_type == "BatchNormalization"]
    if any(len(n.output) != 1 for n in bn):
        raise RuntimeError(f"{path}: BatchNormalization exported in training mode")
    counts = {op: sum(n.op_type == op for n in m.graph.node) for op in ops}
    return m.opset_import[0].version, counts


def crossbar_table(model, rows, cols):
    out = []
    for name, m in model.named_modules():
        if isinstance(m, AnalogLayer):
            r = m.weight[0].numel()
            c = m.weight.shape[0]
            out.append({"layer": name, "rows": r, "cols": c,
                        "row_blocks": -(-r // rows), "col_blocks": -(-c // cols)})
    return out


def main(argv):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)

    opts = HwaOptions(prog_noise=args.hw_noise, noise_scale=args.noise_scale,
                      weight_clip_sigma=args.hw_wclip, act_clip=args.hw_act_clip, adc=args.hw_adc,
                      adc_penalty=args.hw_adc_penalty)
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    xtr, ytr = xtr[:args.train_images], ytr[:args.train_images]
    model = NETS[args.net](opts)

    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    no_decay = [p for n, p in model.named_parameters() if p.dim() <= 1 and p.requires_grad]
    optim = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                               {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = -(-len(xtr) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(optim, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch,
                                                pct_start=0.15, anneal_strategy="cos")
    gen = torch.Generator().manual_seed(args.seed)
    layers = analog_layers(model)

    t_wall, t_cpu = time.time(), time.process_time()
    history = []
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        total, n = 0.0, 0
        for i in range(0, len(xtr), args.batch):
            sel = perm[i:i + args.batch]
            loss = F.cross_entropy(model(xtr[sel]), ytr[sel])
            if opts.adc and opts.adc_penalty > 0:
                loss = loss + opts.adc_penalty * sum(m.adc_penalty for m in layers)
            for m in layers:
                m.adc_penalty = 0.0
            optim.zero_grad(set_to_none=True)
            loss.backward()
            optim.step()
            sched.step()
            for m in layers:
                m.clip_weights()
            total += float(loss) * len(sel)
            n += len(sel)
        model.eval()
        acc = accuracy(model, xte, yte) / len(xte)
        history.append({"epoch": epoch + 1, "train_loss": round(total / n, 5), "test_accuracy": acc,
                        "elapsed_s": round(time.time() - t_wall, 1)})
        print(f"epoch {epoch + 1}/{args.epochs}: loss {total / n:.4f} test {acc:.4f} "
              f"({time.time() - t_wall:.0f} s)", flush=True)
    train_wall, train_cpu = time.time() - t_wall, time.process_time() - t_cpu

    model.eval()
    correct = accuracy(model, xte, yte)
    print(f"float accuracy (eval mode, 10000 test images): {correct / len(xte):.4f}", flush=True)
    estimates = {}
    if args.noise_draws:
        estimates["prog_noise"] = hardware_estimate(model, opts, xte, yte, args.noise_draws, full=False)
        if args.hw_act_clip:
            estimates["prog_noise_dac_adc"] = hardware_estimate(model, opts, xte, yte, args.noise_draws, full=True)
        for k, v in estimates.items():
            print(f"hardware-model estimate {k}: {v['mean']:.4f} +- {v['std']:.4f}", flush=True)

    os.makedirs(args.out_dir, exist_ok=True)
    onnx_path = os.path.join(args.out_dir, f"{args.net}.onnx")
    opset, op_counts = export_onnx(model, args.net, onnx_path)
    with open(onnx_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()

    clips = {n: float(m.range()) for n, m in model.named_modules()
             if isinstance(m, ActClip) and m.export and args.hw_act_clip}
    record = {
        "net": args.net,
        "onnx": os.path.basename(onnx_path),
        "onnx_sha256": sha,
        "opset": opset,
        "operators": op_counts,
        "input": {"name": "image", "shape": [1, 1, 28, 28], "layout": "NCHW", "dtype": "float32",
                  "normalization": "x = (pixel / 255 - mean) / std", "mean": 0.0, "std": 1.0,
                  "pixel_scale": PIXEL_SCALE, "range": [0.0, 1.0]},
        "output": {"name": "logits", "shape": [1, 10], "classes": list(idx.FASHION_MNIST_CLASSES)},
        "dataset": {"name": "Fashion-MNIST", "source": idx.FASHION_MNIST_DIR,
                    "train_images": len(xtr), "test_images": len(xte)},
        "float_accuracy": correct / len(xte),
        "float_correct": correct,
        "accuracy_definition": "eval-mode torch model (the graph exported to ONNX), all 10000 test images, top-1",
        "hardware_model_estimates": estimates,
        "hardware_model_note": "torch model of the chip in hwa.py (programming noise at t = 0; with DAC/ADC: "
                               "8-bit rounding and clipping); an estimate, not the reference evaluator",
        "activation_clips": clips,
        "crossbar_blocks": crossbar_table(model, opts.xbar.rows, opts.xbar.cols),
        "seed": args.seed,
        "epochs": args.epochs,
        "batch": args.batch,
        "optimizer": {"name": "AdamW", "lr_peak": args.lr, "schedule": "one-cycle cosine, 15 % warm-up",
                      "weight_decay": args.weight_decay},
        "hardware_aware": opts.as_json(),
        "training_time_s": round(train_wall, 1),
        "training_cpu_time_s": round(train_cpu, 1),
        "threads": torch.get_num_threads(),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "history": history,
        "command": "/usr/bin/python3 sw/nets/train.py " + " ".join(argv),
        "software": {"python": platform.python_version(), "torch": torch.__version__,
                     "numpy": np.__version__, "onnx": __import__("onnx").__version__},
    }
    json_path = os.path.join(args.out_dir, f"{args.net}.json")
    with open(json_path, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(f"wrote {onnx_path} and {json_path}; training {train_wall:.0f} s wall, {train_cpu:.0f} s CPU")


if __name__ == "__main__":
    main(sys.argv[1:])
