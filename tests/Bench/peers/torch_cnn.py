#!/usr/bin/python3
"""PyTorch peer for the MLNetNN convolutional-network benchmark (issue 16).

  /usr/bin/python3 torch_cnn.py --config CNN --epochs N [--data DIR] --threads T
                                [--layout torch-threads|blas-threads|both-threads]

The network: 28x28x1 images -> conv 32 3x3 (valid, ReLU) -> max-pool 2 -> conv 64 3x3 (valid, ReLU) -> max-pool 2
-> flatten -> dense 128 (ReLU) -> dropout 0.5 -> dense 10 (softmax fused into the cross-entropy), Adam lr 1e-3, batch 32,
inputs pixel/255. PyTorch runs its convolutions and pooling in its own kernels (oneDNN where the build has it, on torch's
OpenMP threads), so the default layout here is torch-threads, unlike torch_mlp.py's, whose products all go to OpenBLAS.

Prints exactly one JSON line on stdout; diagnostics go to stderr.
"""

import argparse
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402  (stdlib only; numpy/torch come after the re-exec)
from torch_mlp import LAYOUTS, layout_threads  # noqa: E402  (imports nothing numerical)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pc.add_common_args(ap, pc.CNN_CONFIGS)
    ap.add_argument("--layout", choices=LAYOUTS, default="torch-threads")
    return ap.parse_args()


def build(nn, spec):
    """The network of the engine's text form (the tokens this benchmark uses), channels first as torch wants them."""
    layers, channels, side, flat = [], 1, 28, None
    for token in spec.split(","):
        if token.startswith("conv"):
            filters, kernel = (int(v) for v in token[4:].split("x"))
            layers += [nn.Conv2d(channels, filters, kernel), nn.ReLU()]
            channels, side = filters, side - kernel + 1
        elif token.startswith("pool"):
            size = int(token[4:])
            layers.append(nn.MaxPool2d(size))
            side //= size
        elif token == "flatten":
            layers.append(nn.Flatten())
            flat = channels * side * side
        elif token.startswith("dense"):
            units = int(token[5:])
            layers += [nn.Linear(flat, units), nn.ReLU()]
            flat = units
        elif token.startswith("dropout"):
            layers.append(nn.Dropout(float(token[7:])))
        else:
            raise ValueError(f"unknown layer token {token!r}")
    layers.append(nn.Linear(flat, 10))  # logits; softmax is fused into the CE loss
    return nn.Sequential(*layers)


def main():
    args = parse_args()
    torch_t, blas_t, layout_text = layout_threads(args.layout, args.threads)
    dropped = pc.reexec_with_env(
        {"OPENBLAS_NUM_THREADS": blas_t, "OMP_NUM_THREADS": torch_t, "MKL_NUM_THREADS": torch_t},
        drop=() if args.keep_openblas_env else pc.CORETYPE_VARS,
    )

    import numpy as np
    import torch
    import torch.nn as nn

    torch.set_num_threads(torch_t)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)

    blas_text, _, blas_maps = pc.blas_info()
    pc.log(f"[env] dropped for this run: {dropped or 'none'}; torch {torch.__version__}, "
           f"get_num_threads={torch.get_num_threads()}, oneDNN {torch.backends.mkldnn.is_available()}, layout: {layout_text}")
    pc.log(f"[blas] {blas_text}; mapped: {blas_maps}")

    xtr_np, ytr_np, xte_np, yte_np, source = pc.load_data(args.data, args.seed)
    xtr = torch.from_numpy(xtr_np).view(-1, 1, 28, 28)
    ytr = torch.from_numpy(ytr_np)
    xte = torch.from_numpy(xte_np).view(-1, 1, 28, 28)
    yte = torch.from_numpy(yte_np)

    spec, batch = pc.CNN_CONFIGS[args.config]
    model = build(nn, spec)
    pc.log(f"[model] {spec}, batch {batch}: {model}")
    opt = torch.optim.Adam(model.parameters(), lr=pc.LEARNING_RATE)  # betas (0.9,0.999), eps 1e-8
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]

    def accuracy():
        model.eval()
        with torch.no_grad():
            correct = sum((model(xte[i : i + 1000]).argmax(1) == yte[i : i + 1000]).sum().item() for i in range(0, xte.shape[0], 1000))
        model.train()
        return correct / xte.shape[0]

    epoch_seconds, epoch_cpu_seconds, accuracies = [], [], []
    model.train()
    for ep in range(args.epochs):
        t0, c0 = pc.now(), time.process_time()
        perm = torch.randperm(n, generator=gen)  # shuffle every epoch
        total = 0.0
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            xb, yb = xtr.index_select(0, idx), ytr.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        dt = pc.now() - t0
        epoch_seconds.append(dt)
        epoch_cpu_seconds.append(time.process_time() - c0)
        accuracies.append(accuracy())  # outside the timed epoch
        pc.log(f"[train] epoch {ep + 1}/{args.epochs}: {dt:.3f} s ({epoch_cpu_seconds[-1]:.3f} s of processor time), loss {total / n:.4f}, test accuracy {accuracies[-1]:.4f}")

    acc = accuracies[-1]
    chunks = [xte[i : i + 1000] for i in range(0, xte.shape[0], 1000)]
    rates = []
    model.eval()
    with torch.no_grad():
        for _ in range(2):  # warm-up
            for c in chunks:
                torch.softmax(model(c), dim=1)
        for _ in range(args.infer_repeats):
            t0 = pc.now()
            for c in chunks:
                torch.softmax(model(c), dim=1)
            rates.append(xte.shape[0] / (pc.now() - t0))
    infer = pc.median(rates)

    rows = [xte[i : i + 1] for i in range(256)]
    lat = []
    with torch.no_grad():
        for i in range(100):  # warm-up
            torch.softmax(model(rows[i % 256]), dim=1)
        for i in range(args.latency_calls):
            t0 = pc.now()
            torch.softmax(model(rows[i % 256]), dim=1)
            lat.append(pc.now() - t0)
    latency_us = pc.median(lat) * 1e6

    pc.emit({
        "peer": "pytorch",
        "version": torch.__version__,
        "config": args.config,
        "threads": args.threads,
        "layout": layout_text,
        "blas": blas_text,
        "data": source,
        "epoch_seconds": [round(x, 4) for x in epoch_seconds],
        "epoch_cpu_seconds": [round(x, 4) for x in epoch_cpu_seconds],
        "test_accuracy": round(acc, 4),
        "test_accuracy_per_epoch": [round(a, 4) for a in accuracies],
        "infer_rows_per_s": round(infer, 1),
        "latency_us": round(latency_us, 2),
        "peak_rss_mb": round(pc.peak_rss_mb(), 1),
        "openblas_env_dropped": dropped,
    })


if __name__ == "__main__":
    main()
