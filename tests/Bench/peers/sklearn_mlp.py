#!/usr/bin/python3
"""scikit-learn peer for the MLNetNN MLP benchmark.

  /usr/bin/python3 sklearn_mlp.py --config A|B --epochs N [--data DIR] --threads T

MLPClassifier(solver='adam', learning_rate_init=1e-3, alpha=0, shuffle=True),
trained one epoch per partial_fit() call: partial_fit keeps the Adam state
(moments and step count) across calls and reshuffles the data on every call,
so the loop equals one long fit() while each epoch can be timed. (fit() with
warm_start=True, max_iter=1 would rebuild the Adam optimizer every epoch.)
OpenBLAS runs T threads (OPENBLAS_NUM_THREADS set before numpy loads, and
threadpoolctl limits as a check). Data stays float32 (checked on coefs_).

Prints exactly one JSON line on stdout; diagnostics go to stderr.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_common as pc  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    pc.add_common_args(ap)
    args = ap.parse_args()
    t = args.threads
    dropped = pc.reexec_with_env(
        {"OPENBLAS_NUM_THREADS": t, "OMP_NUM_THREADS": t},
        drop=() if args.keep_openblas_env else pc.CORETYPE_VARS,
    )

    import warnings

    import numpy as np
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from threadpoolctl import threadpool_limits

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    limiter = threadpool_limits(limits=t, user_api="blas")  # noqa: F841 (kept for the whole run)

    blas_text, blas_raw, blas_maps = pc.blas_info()
    pc.log(f"[env] dropped for this run: {dropped or 'none'}; "
           f"OPENBLAS_CORETYPE now={os.environ.get('OPENBLAS_CORETYPE')!r} "
           f"OPENBLAS_L2_SIZE now={os.environ.get('OPENBLAS_L2_SIZE')!r}")
    pc.log(f"[env] sklearn {sklearn.__version__}, numpy {np.__version__}")
    pc.log(f"[blas] {blas_text}")
    pc.log(f"[blas] mapped: {blas_maps}")

    xtr, ytr, xte, yte, source = pc.load_data(args.data, args.seed)
    hidden, act, batch = pc.CONFIGS[args.config]
    clf = MLPClassifier(
        hidden_layer_sizes=hidden,
        activation="logistic" if act == "sigmoid" else "relu",
        solver="adam",
        learning_rate_init=pc.LEARNING_RATE,
        batch_size=batch,
        alpha=0.0,
        shuffle=True,
        random_state=args.seed,
        max_iter=1,
        tol=0.0,
        n_iter_no_change=10**9,
        early_stopping=False,
    )
    classes = np.arange(10)

    epoch_seconds = []
    for ep in range(args.epochs):
        t0 = pc.now()
        if ep == 0:
            clf.partial_fit(xtr, ytr, classes=classes)
        else:
            clf.partial_fit(xtr, ytr)
        dt = pc.now() - t0
        epoch_seconds.append(dt)
        pc.log(f"[train] epoch {ep + 1}/{args.epochs}: {dt:.3f} s, loss {clf.loss_:.4f}")
    dtypes = sorted({str(c.dtype) for c in clf.coefs_ + clf.intercepts_})
    pc.log(f"[train] parameter dtypes: {dtypes}, n_iter_={clf.n_iter_}")
    if dtypes != ["float32"]:
        pc.log("[train] WARNING: sklearn did not keep float32 parameters")

    acc = float((clf.predict(xte) == yte).mean())
    pc.log(f"[eval] test accuracy {acc:.4f}")

    chunks = [xte[i : i + 1000] for i in range(0, xte.shape[0], 1000)]
    rates = []
    for _ in range(2):  # warm-up
        for c in chunks:
            clf.predict_proba(c)
    for _ in range(args.infer_repeats):
        t0 = pc.now()
        for c in chunks:
            clf.predict_proba(c)
        rates.append(xte.shape[0] / (pc.now() - t0))
    infer = pc.median(rates)
    pc.log(f"[infer] rows/s per repeat: {[round(r) for r in rates]}")

    rows = [xte[i : i + 1] for i in range(256)]  # 1x784 float32 arrays
    lat = []
    for i in range(300):  # warm-up
        clf.predict_proba(rows[i % 256])
    for i in range(args.latency_calls):
        t0 = pc.now()
        clf.predict_proba(rows[i % 256])
        lat.append(pc.now() - t0)
    latency_us = pc.median(lat) * 1e6
    pc.log(f"[latency] median {latency_us:.1f} us, p90 {sorted(lat)[int(0.9 * len(lat))] * 1e6:.1f} us")

    pc.emit({
        "peer": "sklearn",
        "version": sklearn.__version__,
        "config": args.config,
        "threads": t,
        "layout": f"numpy/OpenBLAS {t} thread{'s' if t > 1 else ''} (sklearn MLP is single-threaded Python around BLAS)",
        "blas": blas_text,
        "data": source,
        "epoch_seconds": [round(x, 4) for x in epoch_seconds],
        "test_accuracy": round(acc, 4),
        "infer_rows_per_s": round(infer, 1),
        "latency_us": round(latency_us, 2),
        "peak_rss_mb": round(pc.peak_rss_mb(), 1),
        "param_dtype": dtypes[0] if len(dtypes) == 1 else dtypes,
        "openblas_env_dropped": dropped,
    })


if __name__ == "__main__":
    main()
