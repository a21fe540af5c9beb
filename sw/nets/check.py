#!/usr/bin/python3
"""Checks a committed network against its JSON record, without training.

    /usr/bin/python3 sw/nets/check.py sw/nets/fmnist-mlp.json [--images N]

- the ONNX file's SHA-256 is the recorded one; the ONNX checker (full) and strict shape inference pass;
  opset 13, static shapes, only the expected operators;
- the float accuracy: the network is rebuilt in torch from the ONNX file alone (every initializer is
  loaded by name, every Clip bound read from the graph), evaluated in eval mode on the test images, and
  the count of correct images must equal the recorded one (all 10 000 images; with --images N the first
  N are evaluated and only reported).
Exit status 0 when everything matches, 1 otherwise (each mismatch is printed).
"""
import argparse
import hashlib
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402
from hwa import ActClip, HwaOptions  # noqa: E402
from nets import NETS  # noqa: E402


def onnx_constants(graph):
    import onnx.numpy_helper
    out = {}
    for n in graph.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value":
                    out[n.output[0]] = onnx.numpy_helper.to_array(a.t)
    return out


def rebuild(onnx_model, net, act_clip):
    """The torch network of `net` with every weight and clip bound taken from the ONNX graph."""
    import onnx.numpy_helper
    model = NETS[net](HwaOptions(act_clip=act_clip))
    model.eval()
    state = model.state_dict()
    problems = []
    inits = {i.name: torch.from_numpy(onnx.numpy_helper.to_array(i).copy()) for i in onnx_model.graph.initializer}
    for name, t in state.items():
        if name.endswith("num_batches_tracked") or name.endswith(".bound"):
            continue
        if name not in inits:
            problems.append(f"parameter '{name}' has no initializer in the ONNX file")
        elif tuple(inits[name].shape) != tuple(t.shape):
            problems.append(f"initializer '{name}' has shape {list(inits[name].shape)}, the net expects {list(t.shape)}")
        else:
            state[name] = inits[name]
    consts = onnx_constants(onnx_model.graph)
    clips = {n.name: n for n in onnx_model.graph.node if n.op_type == "Clip"}
    for mname, m in model.named_modules():
        if not (isinstance(m, ActClip) and m.export and act_clip):
            continue
        node = clips.pop("/" + mname.replace(".", "/") + "/Clip", None)
        if node is None:
            problems.append(f"activation clip '{mname}' has no Clip node in the ONNX file")
            continue
        lo, hi = (float(consts[i]) for i in node.input[1:3])
        if lo != 0.0:
            problems.append(f"Clip node '{node.name}' has lower bound {lo}, expected 0")
        state[mname + ".bound"] = torch.tensor(hi)
    problems += [f"unexpected Clip node '{n}'" for n in clips]
    model.load_state_dict(state)
    return model, problems


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("record", help="the JSON record written by train.py")
    p.add_argument("--images", type=int, default=10000, help="test images to evaluate (1..10000)")
    a = p.parse_args(argv)
    if not 1 <= a.images <= 10000:
        p.error(f"--images must be in 1..10000, got {a.images}")
    torch.set_num_threads(1)
    with open(a.record) as f:
        rec = json.load(f)
    onnx_path = os.path.join(os.path.dirname(os.path.abspath(a.record)), rec["onnx"])
    with open(onnx_path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    problems = []
    if sha != rec["onnx_sha256"]:
        problems.append(f"{onnx_path}: SHA-256 {sha} differs from the record's {rec['onnx_sha256']}")
    import onnx
    model_onnx = onnx.load(onnx_path)
    try:
        train.verify_onnx(model_onnx, rec["net"], onnx_path)
    except RuntimeError as e:
        problems.append(str(e))
    model, rebuild_problems = rebuild(model_onnx, rec["net"], rec["hardware_aware"]["act_clip"])
    problems += rebuild_problems
    x, y = train.load("t10k")
    x, y = x[:a.images], y[:a.images]
    correct = train.accuracy(model, x, y)
    print(f"{rec['net']}: {correct} / {len(x)} correct ({correct / len(x):.4f}); "
          f"record: {rec['float_correct']} / {rec['dataset']['test_images']}")
    if a.images == 10000 and correct != rec["float_correct"]:
        problems.append(f"{correct} correct from the ONNX weights, the record says {rec['float_correct']}")
    for s in problems:
        print("MISMATCH:", s)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
