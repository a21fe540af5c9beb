"""Readers for IDX files (the MNIST / Fashion-MNIST format), plain or gzip-compressed.

IDX layout (big-endian): two zero bytes, a type code, the number of dimensions n, then n uint32
dimension sizes, then the data in C order. Every malformed file is an error naming the file and what is
wrong; nothing is truncated or padded silently.
"""
import gzip
import os
import struct
import zlib

import numpy as np

# IDX type code -> numpy dtype (big-endian where it matters).
_TYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

# Debian's dataset-fashion-mnist installs the four original files here.
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class IdxError(ValueError):
    """A malformed or unexpected IDX file."""


def read_idx(path):
    """Returns the array stored in the IDX file at `path` (.gz files are decompressed)."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise IdxError(f"{path}: cannot read: {e}") from e
    if len(data) < 4:
        raise IdxError(f"{path}: {len(data)} bytes, too short for the 4-byte IDX magic")
    zero, code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0:
        raise IdxError(f"{path}: bad IDX magic: first two bytes are 0x{zero:04x}, expected 0x0000")
    if code not in _TYPES:
        raise IdxError(f"{path}: unknown IDX type code 0x{code:02x} (known: "
                       + ", ".join(f"0x{c:02x}" for c in sorted(_TYPES)) + ")")
    if ndim == 0:
        raise IdxError(f"{path}: IDX header declares 0 dimensions")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IdxError(f"{path}: {len(data)} bytes, too short for the {ndim} dimension sizes")
    shape = struct.unpack(">" + "I" * ndim, data[4:header])
    dtype = _TYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) - header != expected:
        raise IdxError(f"{path}: {len(data) - header} data bytes, but shape {list(shape)} of "
                       f"{dtype.name} needs {expected}")
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def load_split(split, directory=FASHION_MNIST_DIR):
    """Returns (images uint8 [N, 28, 28], labels uint8 [N]) of split 'train' or 't10k'."""
    if split not in ("train", "t10k"):
        raise ValueError(f"unknown split '{split}' (expected 'train' or 't10k')")
    img_path = os.path.join(directory, f"{split}-images-idx3-ubyte.gz")
    lbl_path = os.path.join(directory, f"{split}-labels-idx1-ubyte.gz")
    images, labels = read_idx(img_path), read_idx(lbl_path)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise IdxError(f"{img_path}: expected uint8 images [N, rows, cols], got {images.dtype} {list(images.shape)}")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise IdxError(f"{lbl_path}: expected uint8 labels [N], got {labels.dtype} {list(labels.shape)}")
    if images.shape[0] != labels.shape[0]:
        raise IdxError(f"{img_path}: {images.shape[0]} images but {lbl_path} has {labels.shape[0]} labels")
    if labels.size and labels.max() > 9:
        raise IdxError(f"{lbl_path}: label {int(labels.max())} outside 0..9")
    return images, labels
