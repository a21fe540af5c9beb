#!/usr/bin/python3
"""Generates the compiler's test networks into tests/compiler/models/ (committed; the suite never runs this).

    /usr/bin/python3 tests/compiler/make_test_models.py

Fixed seeds; briefly trained on Fashion-MNIST (Debian's dataset-fashion-mnist) so that accuracies mean
something, small enough to evaluate in the suite:
  mlp.onnx       Flatten, Gemm 784x300 + Relu (4 row blocks x 2 column blocks on 256x256), Gemm 300x10
  cnn.onnx       Conv+BN+Relu, MaxPool, Conv+BN+Relu, Conv+BN, residual Add, Relu, strided Conv,
                 GlobalAveragePool, Flatten, Gemm (with Dropout and Identity to drop)
  ops.onnx       untrained (onnx.helper): Conv, LeakyRelu, AveragePool(pads), Sigmoid, Tanh, Clip,
                 Reshape, MatMul + Add
and the bad inputs: unsupported op, dynamic batch, opset 9, NaN weights, input of the wrong shape for
Fashion-MNIST calibration (mlp.onnx, 5 tiles, is the network too large for the 4-tile tiny platform).
"""
import gzip
import os

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "models")
FMNIST = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(os.path.join(FMNIST, name)) as f:
        data = f.read()
    if data[2] == 8 and data[3] == 3:
        n, h, w = np.frombuffer(data[4:16], dtype=">u4")
        return np.frombuffer(data[16:], dtype=np.uint8).reshape(n, 1, h, w)
    return np.frombuffer(data[8:], dtype=np.uint8)


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 300)
        self.fc2 = torch.nn.Linear(300, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))


class Cnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        c = 12
        self.c1, self.b1 = torch.nn.Conv2d(1, c, 3, padding=1), torch.nn.BatchNorm2d(c)
        self.c2, self.b2 = torch.nn.Conv2d(c, c, 3, padding=1), torch.nn.BatchNorm2d(c)
        self.c3, self.b3 = torch.nn.Conv2d(c, c, 3, padding=1), torch.nn.BatchNorm2d(c)
        self.c4 = torch.nn.Conv2d(c, 24, 3, stride=2, padding=1)
        self.drop = torch.nn.Dropout(0.1)
        self.fc = torch.nn.Linear(24, 10)

    def forward(self, x):
        x = torch.relu(self.b1(self.c1(x)))
        x = torch.nn.functional.max_pool2d(x, 2)
        y = torch.relu(self.b2(self.c2(x)))
        y = self.b3(self.c3(y))
        x = torch.relu(x + y)
        x = torch.relu(self.c4(x))
        x = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(self.drop(x))


def train(model, xs, ys, epochs, seed):
    torch.manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(len(xs))
        for i in range(0, len(xs), 128):
            b = perm[i:i + 128]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xs[b]), ys[b])
            loss.backward()
            opt.step()
    model.eval()


def export(model, name):
    path = os.path.join(OUT, name)
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=["image"],
                      output_names=["logits"], do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    return path


def graph_model(nodes, inits, in_shape, out_shape, name, opset=13, in_dims=None):
    inp = helper.make_tensor_value_info("image", TensorProto.FLOAT, in_dims or in_shape)
    out = helper.make_tensor_value_info("out", TensorProto.FLOAT, out_shape)
    g = helper.make_graph(nodes, name, [inp], [out], [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="make_test_models.py")
    m.ir_version = 8
    return m


def save(m, name, check=True):
    if check:
        onnx.checker.check_model(m)
    onnx.save(m, os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(1)
    np.random.seed(1)
    xs = torch.tensor(idx("train-images-idx3-ubyte.gz")[:20000], dtype=torch.float32) / 255.0
    ys = torch.tensor(idx("train-labels-idx1-ubyte.gz")[:20000], dtype=torch.long)
    mlp = Mlp()
    train(mlp, xs, ys, 2, 2)
    export(mlp, "mlp.onnx")
    cnn = Cnn()
    train(cnn, xs, ys, 2, 3)
    export(cnn, "cnn.onnx")
    torch.set_grad_enabled(False)

    rng = np.random.default_rng(5)
    f = lambda *s: (rng.standard_normal(s) * 0.3).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="conv", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("LeakyRelu", ["c1"], ["l1"], name="leaky", alpha=0.1),
        helper.make_node("AveragePool", ["l1"], ["p1"], name="avg", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Sigmoid", ["p1"], ["s1"], name="sig"),
        helper.make_node("Conv", ["s1", "w2"], ["c2"], name="conv2", kernel_shape=[3, 3]),
        helper.make_node("Tanh", ["c2"], ["t1"], name="tanh"),
        helper.make_node("Identity", ["t1"], ["i1"], name="ident"),
        helper.make_node("Reshape", ["i1", "shape"], ["r1"], name="reshape"),
        helper.make_node("MatMul", ["r1", "w3"], ["m1"], name="matmul"),
        helper.make_node("Add", ["m1", "b3"], ["a1"], name="bias"),
        helper.make_node("Clip", ["a1", "lo", "hi"], ["out"], name="clip"),
    ]
    inits = {"w1": f(6, 1, 3, 3), "b1": f(6), "w2": f(8, 6, 3, 3), "shape": np.array([1, -1], dtype=np.int64),
             "w3": f(8 * 5 * 5, 10), "b3": f(10), "lo": np.array(-1.5, np.float32), "hi": np.array(2.0, np.float32)}
    save(graph_model(nodes, inits, [1, 1, 28, 28], [1, 10], "ops"), "ops.onnx")

    # Bad inputs.
    gemm = lambda k, n: {"w": f(k, n), "b": f(n)}
    flat = [helper.make_node("Flatten", ["image"], ["x"], name="flatten"),
            helper.make_node("Gemm", ["x", "w", "b"], ["out"], name="fc")]
    save(graph_model(flat + [], gemm(784, 10), [1, 1, 28, 28], [1, 10], "dyn", in_dims=["N", 1, 28, 28]),
         "bad_dynamic.onnx")
    save(graph_model(flat, gemm(784, 10), [1, 1, 28, 28], [1, 10], "old", opset=9), "bad_opset.onnx", check=False)
    nan = gemm(784, 10)
    nan["w"][3, 4] = np.nan
    save(graph_model(flat, nan, [1, 1, 28, 28], [1, 10], "nan"), "bad_nan.onnx")
    unsup = [helper.make_node("Flatten", ["image"], ["x"], name="flatten"),
             helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc"),
             helper.make_node("Softmax", ["y"], ["out"], name="probabilities")]
    save(graph_model(unsup, gemm(784, 10), [1, 1, 28, 28], [1, 10], "unsup"), "bad_unsupported.onnx")
    save(graph_model(flat, gemm(1024, 10), [1, 1, 32, 32], [1, 10], "wrong"), "bad_input_shape.onnx")
    print("wrote", sorted(os.listdir(OUT)))


if __name__ == "__main__":
    main()
