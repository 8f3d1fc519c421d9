"""Four IDX files (the format MNIST, Fashion-MNIST and KMNIST are published in) into one Keras-layout .npz for `--dataset`.

    apt-get install dataset-fashion-mnist        # Debian's Fashion-MNIST: /usr/share/datasets/fashion-mnist/*-ubyte.gz
    python benchmarks/idx_to_npz.py /usr/share/datasets/fashion-mnist fashion_mnist.npz
    kd_experiment --dataset fashion_mnist.npz --n-train 5000 --out benchmarks/results/fashion_mnist

The folder must hold train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
t10k-labels-idx1-ubyte, each gzipped (.gz) or not.
"""
import argparse
import gzip
from pathlib import Path

import numpy as np

IDX_TYPES = {0x08: np.uint8}   # the IDX type codes these data sets use


def read_idx(path: Path) -> np.ndarray:
    "The array in one IDX file (gzipped or not): magic 0x0000TTDD (T: element type, D: number of dimensions), sizes, data."
    raw = (gzip.open if path.suffix == ".gz" else open)(path, "rb").read()
    if raw[:2] != b"\0\0" or raw[2] not in IDX_TYPES: raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, IDX_TYPES[raw[2]], offset=4 + 4 * ndim)
    if data.size != np.prod(shape): raise SystemExit(f"{path}: {data.size} values for the shape {shape}")
    return data.reshape(shape)


def find(folder: Path, stem: str) -> Path:
    "The file `stem` in `folder`, gzipped or not."
    for path in (folder / f"{stem}.gz", folder / stem):
        if path.is_file(): return path
    raise SystemExit(f"{folder}: no {stem}(.gz)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("folder", type=Path)
    p.add_argument("out", type=Path)
    args = p.parse_args(argv)
    arrays = {f"{kind}_{split}": read_idx(find(args.folder, f"{prefix}-{name}"))
              for split, prefix in (("train", "train"), ("test", "t10k"))
              for kind, name in (("x", "images-idx3-ubyte"), ("y", "labels-idx1-ubyte"))}
    np.savez_compressed(args.out, **arrays)
    print(f"{args.out}: " + ", ".join(f"{k} {v.shape} {v.dtype}" for k, v in arrays.items()))


if __name__ == "__main__":
    main()
