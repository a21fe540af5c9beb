"""The Fashion-MNIST networks: fmnist-mlp and fmnist-cnn.

Both take one image [N, 1, 28, 28] normalized as x = pixel / 255 (so in [0, 1]) and return 10 logits.
Crossbar sizes (rows x cols on a 256x256 crossbar, conv rows = kh * kw * cin):

fmnist-mlp  fc1 784x300 (4 row blocks x 2 column blocks: row AND column splitting), fc2 300x128
            (2 row blocks), fc3 128x10.
fmnist-cnn  conv1 9x16, conv2 144x32, res.conv_a / res.conv_b 288x32 (2 row blocks), conv3 288x64
            (2 row blocks), fc 64x10.
"""
import torch.nn as nn

from hwa import ActClip, AnalogConv2d, AnalogLinear


class FmnistMlp(nn.Module):
    """784-300-128-10 MLP with ReLU; activation clips (DAC ranges) after each hidden ReLU."""

    def __init__(self, opts, hidden=(300, 128)):
        super().__init__()
        self.flatten = nn.Flatten()
        self.in_range = ActClip(opts, 1.0, learn=False, export=False)  # x = pixel / 255 is in [0, 1]
        self.fc1 = AnalogLinear(784, hidden[0], opts, self.in_range)
        self.relu1 = nn.ReLU()
        self.clip1 = ActClip(opts, 4.0)
        self.fc2 = AnalogLinear(hidden[0], hidden[1], opts, self.clip1)
        self.relu2 = nn.ReLU()
        self.clip2 = ActClip(opts, 4.0)
        self.fc3 = AnalogLinear(hidden[1], 10, opts, self.clip2)

    def forward(self, x):
        x = self.in_range(self.flatten(x))
        x = self.clip1(self.relu1(self.fc1(x)))
        x = self.clip2(self.relu2(self.fc2(x)))
        return self.fc3(x)


class ConvBn(nn.Module):
    """3x3 convolution (no bias: the batch norm that follows has one) + batch norm."""

    def __init__(self, cin, cout, opts, in_clip):
        super().__init__()
        self.conv = AnalogConv2d(cin, cout, 3, opts, in_clip, padding=1)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return self.bn(self.conv(x))


class Residual(nn.Module):
    """y = relu(x + bn(conv(relu(bn(conv(x)))))), activation clips after both ReLUs."""

    def __init__(self, ch, opts, in_clip):
        super().__init__()
        self.a = ConvBn(ch, ch, opts, in_clip)
        self.relu_a = nn.ReLU()
        self.clip_a = ActClip(opts, 4.0)
        self.b = ConvBn(ch, ch, opts, self.clip_a)
        self.relu = nn.ReLU()

    def forward(self, x):
        h = self.clip_a(self.relu_a(self.a(x)))
        return self.relu(x + self.b(h))


class FmnistCnn(nn.Module):
    """conv 1->16, pool, conv 16->32, residual block 32, pool, conv 32->64, global average pool, fc 64->10."""

    def __init__(self, opts):
        super().__init__()
        self.in_range = ActClip(opts, 1.0, learn=False, export=False)
        self.conv1 = ConvBn(1, 16, opts, self.in_range)
        self.relu1 = nn.ReLU()
        self.clip1 = ActClip(opts, 4.0)
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = ConvBn(16, 32, opts, self.clip1)
        self.relu2 = nn.ReLU()
        self.clip2 = ActClip(opts, 4.0)
        self.res = Residual(32, opts, self.clip2)
        self.clip3 = ActClip(opts, 4.0)
        self.pool2 = nn.MaxPool2d(2)
        self.conv3 = ConvBn(32, 64, opts, self.clip3)
        self.relu3 = nn.ReLU()
        self.clip4 = ActClip(opts, 4.0)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.fc = AnalogLinear(64, 10, opts, self.clip4)

    def forward(self, x):
        x = self.in_range(x)
        x = self.pool1(self.clip1(self.relu1(self.conv1(x))))
        x = self.clip2(self.relu2(self.conv2(x)))
        x = self.pool2(self.clip3(self.res(x)))
        x = self.clip4(self.relu3(self.conv3(x)))
        return self.fc(self.flatten(self.gap(x)))


NETS = {"fmnist-mlp": FmnistMlp, "fmnist-cnn": FmnistCnn}
