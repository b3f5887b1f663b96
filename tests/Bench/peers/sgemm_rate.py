#!/usr/bin/python3
"""The machine's measured SGEMM rate: numpy float32 matmul GFLOP/s (OpenBLAS,
T threads) at the GEMM shapes of configs A and B, plus a big square one.

  /usr/bin/python3 sgemm_rate.py --threads T [--seconds S] [--clock wall|thread]

Each shape "MxK·KxN" costs 2*M*K*N flops; the rate is the median of 7 timed
repeats of a loop sized to ~S/7 seconds, after warm-up. Forward shapes are
batch x in · in x out; the backward ones (dW = X^T·dY, dX = dY·W^T) are the
transposed products the trainers also run. Prints one JSON line on stdout.
With --clock thread (1 thread only) the loops are timed in the calling thread's
processor time instead of wall time: on a machine shared with other work, time
spent waiting for a core then does not count.
"""

import argparse
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402

# name -> (M, K, N, transpose-A, transpose-B) ; product is op(A)[MxK] . op(B)[KxN]
SHAPES = {
    "A fwd 100x784.784x100": (100, 784, 100, False, False),
    "A dW 784x100.100x100": (784, 100, 100, True, False),
    "A out 100x100.100x10": (100, 100, 10, False, False),
    "B fwd1 128x784.784x256": (128, 784, 256, False, False),
    "B dW1 784x128.128x256": (784, 128, 256, True, False),
    "B fwd2 128x256.256x128": (128, 256, 128, False, False),
    "B dX2 128x128.128x256": (128, 128, 256, False, True),
    "infer A 1000x784.784x100": (1000, 784, 100, False, False),
    "big 2048x2048.2048x2048": (2048, 2048, 2048, False, False),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=1.0, help="approx. time per shape")
    ap.add_argument("--keep-openblas-env", action="store_true")
    ap.add_argument("--clock", choices=("wall", "thread"), default="wall",
                    help="wall time, or the calling thread's processor time (1 thread only: OpenBLAS then runs on it)")
    args = ap.parse_args()
    if args.clock == "thread" and args.threads != 1:
        ap.error("--clock thread times the calling thread alone, so it needs --threads 1")
    clock = time.thread_time if args.clock == "thread" else pc.now
    dropped = pc.reexec_with_env(
        {"OPENBLAS_NUM_THREADS": args.threads, "OMP_NUM_THREADS": args.threads},
        drop=() if args.keep_openblas_env else pc.CORETYPE_VARS,
    )
    import numpy as np

    blas_text, _, _ = pc.blas_info()
    pc.log(f"[blas] {blas_text}; dropped env: {dropped or 'none'}")
    rng = np.random.default_rng(0)
    out = {}
    for name, (m, k, n, ta, tb) in SHAPES.items():
        a = rng.random((k, m) if ta else (m, k), dtype=np.float32)
        b = rng.random((n, k) if tb else (k, n), dtype=np.float32)
        a_op = a.T if ta else a
        b_op = b.T if tb else b
        c = np.empty((m, n), dtype=np.float32)
        flops = 2.0 * m * k * n
        np.matmul(a_op, b_op, out=c)
        # size the inner loop
        reps = 1
        while True:
            t0 = clock()
            for _ in range(reps):
                np.matmul(a_op, b_op, out=c)
            dt = clock() - t0
            if dt > args.seconds / 14 or reps > 1 << 20:
                break
            reps *= 2
        rates = []
        for _ in range(7):
            t0 = clock()
            for _ in range(reps):
                np.matmul(a_op, b_op, out=c)
            rates.append(flops * reps / (clock() - t0) / 1e9)
        out[name] = round(pc.median(rates), 1)
        pc.log(f"[sgemm] {name}: median {out[name]} GFLOP/s (reps {reps}, range {min(rates):.1f}-{max(rates):.1f})")

    pc.emit({
        "what": "numpy float32 matmul GFLOP/s",
        "numpy": np.__version__,
        "threads": args.threads,
        "clock": args.clock,
        "blas": blas_text,
        "gflops": out,
        "openblas_env_dropped": dropped,
    })


if __name__ == "__main__":
    main()
