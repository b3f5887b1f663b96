#!/usr/bin/python3
"""PyTorch peer for the MLNetNN MLP benchmark.

  /usr/bin/python3 torch_mlp.py --config A|B --epochs N [--data DIR] --threads T
                                [--layout blas-threads|torch-threads|both-threads]

Layouts (T = --threads):
  blas-threads  (default) torch.set_num_threads(1), OpenBLAS T threads: GEMMs use
                T cores, torch's own element-wise / optimizer kernels run on 1.
  torch-threads torch.set_num_threads(T) (OpenMP), OpenBLAS 1 thread.
  both-threads  torch T threads + OpenBLAS T threads: oversubscribes a T-core box
                (OpenBLAS' spinning pthreads fight torch's OpenMP team).

Prints exactly one JSON line on stdout; diagnostics go to stderr.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402  (stdlib only; numpy/torch come after the re-exec)

LAYOUTS = ("blas-threads", "torch-threads", "both-threads")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pc.add_common_args(ap)
    ap.add_argument("--layout", choices=LAYOUTS, default="blas-threads")
    return ap.parse_args()


def layout_threads(layout, t):
    """(torch/OpenMP threads, OpenBLAS threads, human text)"""
    if layout == "blas-threads":
        return 1, t, f"torch 1 thread + OpenBLAS {t} thread{'s' if t > 1 else ''}"
    if layout == "torch-threads":
        return t, 1, f"torch {t} thread{'s' if t > 1 else ''} + OpenBLAS 1 thread"
    return t, t, f"torch {t} threads + OpenBLAS {t} threads (oversubscribed)" if t > 1 else "torch 1 thread + OpenBLAS 1 thread"


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

    blas_text, blas_raw, blas_maps = pc.blas_info()
    pc.log(f"[env] dropped for this run: {dropped or 'none'}; "
           f"OPENBLAS_CORETYPE now={os.environ.get('OPENBLAS_CORETYPE')!r} "
           f"OPENBLAS_L2_SIZE now={os.environ.get('OPENBLAS_L2_SIZE')!r}")
    pc.log(f"[env] torch {torch.__version__}, get_num_threads={torch.get_num_threads()}, layout: {layout_text}")
    pc.log(f"[blas] {blas_text}")
    pc.log(f"[blas] mapped: {blas_maps}")

    xtr_np, ytr_np, xte_np, yte_np, source = pc.load_data(args.data, args.seed)
    xtr = torch.from_numpy(xtr_np)
    ytr = torch.from_numpy(ytr_np)
    xte = torch.from_numpy(xte_np)
    yte = torch.from_numpy(yte_np)
    assert xtr.dtype == torch.float32

    hidden, act, batch = pc.CONFIGS[args.config]
    layers, fan_in = [], xtr.shape[1]
    for h in hidden:
        layers += [nn.Linear(fan_in, h), nn.Sigmoid() if act == "sigmoid" else nn.ReLU()]
        fan_in = h
    layers.append(nn.Linear(fan_in, 10))  # logits; softmax is fused into the CE loss
    model = nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=pc.LEARNING_RATE)  # betas (0.9,0.999), eps 1e-8
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]

    epoch_seconds = []
    model.train()
    for ep in range(args.epochs):
        t0 = pc.now()
        perm = torch.randperm(n, generator=gen)  # shuffle every epoch
        total = 0.0
        for i in range(0, n, batch):
            idx = perm[i : i + batch]  # gather each mini-batch (like sklearn / a DataLoader)
            xb, yb = xtr.index_select(0, idx), ytr.index_select(0, idx)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        dt = pc.now() - t0
        epoch_seconds.append(dt)
        pc.log(f"[train] epoch {ep + 1}/{args.epochs}: {dt:.3f} s, loss {total / n:.4f}")

    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).double().mean().item()
    pc.log(f"[eval] test accuracy {acc:.4f}")

    # batch inference: 10,000 test rows in batches of 1,000 (probabilities, like predict_proba)
    chunks = [xte[i : i + 1000] for i in range(0, xte.shape[0], 1000)]
    rates = []
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
    pc.log(f"[infer] rows/s per repeat: {[round(r) for r in rates]}")

    # single-row latency
    rows = [xte[i : i + 1] for i in range(256)]
    lat = []
    with torch.no_grad():
        for i in range(300):  # warm-up
            torch.softmax(model(rows[i % 256]), dim=1)
        for i in range(args.latency_calls):
            t0 = pc.now()
            torch.softmax(model(rows[i % 256]), dim=1)
            lat.append(pc.now() - t0)
    latency_us = pc.median(lat) * 1e6
    pc.log(f"[latency] median {latency_us:.1f} us, p90 {sorted(lat)[int(0.9 * len(lat))] * 1e6:.1f} us")

    pc.emit({
        "peer": "pytorch",
        "version": torch.__version__,
        "config": args.config,
        "threads": args.threads,
        "layout": layout_text,
        "blas": blas_text,
        "data": source,
        "epoch_seconds": [round(x, 4) for x in epoch_seconds],
        "test_accuracy": round(acc, 4),
        "infer_rows_per_s": round(infer, 1),
        "latency_us": round(latency_us, 2),
        "peak_rss_mb": round(pc.peak_rss_mb(), 1),
        "openblas_env_dropped": dropped,
    })


if __name__ == "__main__":
    main()
