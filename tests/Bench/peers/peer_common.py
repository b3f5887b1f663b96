"""Shared helpers for the peer benchmark scripts (torch_mlp.py, sklearn_mlp.py, sgemm_rate.py).

This module must stay importable *before* numpy/torch are loaded: the thread
layout of OpenBLAS/OpenMP is fixed through environment variables that those
libraries read only when they are loaded, so `reexec_with_env` re-executes the
current script with the right environment first.

Nothing here prints to stdout: stdout carries exactly one JSON line per run.
"""

import gzip
import json
import os
import resource
import struct
import sys
import time

SENTINEL = "MLNETNN_PEER_REEXEC"
# Set on some machines so that *older* OpenBLAS builds pick a safe kernel;
# they slow a current OpenBLAS down, so the peer command drops them (only for
# its own process) unless --keep-openblas-env is given.
CORETYPE_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")

CONFIGS = {
    # name: (hidden sizes, activation, batch size)
    "A": ((100,), "sigmoid", 100),
    "B": ((256, 128), "relu", 128),
}
# The convolutional network (torch_cnn.py): layers in the engine's text form, and the batch size.
CNN_CONFIGS = {
    "CNN": ("conv32x3,pool2,conv64x3,pool2,flatten,dense128,dropout0.5", 32),
}
LEARNING_RATE = 1e-3

IDX_NAMES = {
    "train_x": "train-images-idx3-ubyte",
    "train_y": "train-labels-idx1-ubyte",
    "test_x": "t10k-images-idx3-ubyte",
    "test_y": "t10k-labels-idx1-ubyte",
}
DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def add_common_args(parser, configs=CONFIGS):
    parser.add_argument("--config", choices=sorted(configs), default=sorted(configs)[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument(
        "--data",
        default=None,
        help="directory with the 4 Fashion-MNIST IDX files (.gz or raw); "
        "omitted or missing -> synthetic data of the same shape (fixed seed)",
    )
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep-openblas-env",
        action="store_true",
        help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE if set (default: drop them for this run)",
    )
    parser.add_argument("--infer-repeats", type=int, default=9)
    parser.add_argument("--latency-calls", type=int, default=2000)


def reexec_with_env(wanted, drop=()):
    """Re-exec this script once so that `wanted` env vars are set (and `drop`
    ones removed) before any numerical library is imported. Returns a dict of
    the dropped variables' original values (as seen by the first process)."""
    if os.environ.get(SENTINEL):
        dropped = json.loads(os.environ.get(SENTINEL + "_DROPPED", "{}"))
        return dropped
    env = dict(os.environ)
    dropped = {k: env.pop(k) for k in drop if k in env}
    env.update({k: str(v) for k, v in wanted.items()})
    env[SENTINEL] = "1"
    env[SENTINEL + "_DROPPED"] = json.dumps(dropped)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable] + sys.argv, env)
    raise RuntimeError("unreachable")


# --------------------------------------------------------------------------- data

def _open_idx(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as fh:
                return fh.read(), path
    # also accept the dotted spelling some mirrors use (train-images.idx3-ubyte)
    alt = stem.replace("-idx", ".idx")
    for name in (alt, alt + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as fh:
                return fh.read(), path
    return None, None


def _parse_idx(buf):
    import numpy as np

    zero, dtype_code, ndim = struct.unpack(">HBB", buf[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError("not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, buf[4 : 4 + 4 * ndim])
    data = np.frombuffer(buf, dtype=np.uint8, offset=4 + 4 * ndim)
    return data.reshape(dims)


def idx_dir_complete(directory):
    if not directory or not os.path.isdir(directory):
        return False
    for stem in IDX_NAMES.values():
        cands = [stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"]
        if not any(os.path.exists(os.path.join(directory, c)) for c in cands):
            return False
    return True


def load_data(directory, seed=0):
    """Returns (Xtr float32 [60000,784] in [0,1], ytr int64, Xte, yte, source)
    where source is "fashion-mnist" or "synthetic"."""
    import numpy as np

    if idx_dir_complete(directory):
        arrays = {}
        for key, stem in IDX_NAMES.items():
            buf, path = _open_idx(directory, stem)
            arrays[key] = _parse_idx(buf)
            log(f"[data] {key}: {path} shape={arrays[key].shape}")
        def scale(a):  # uint8 -> float32 pixel/255, one allocation
            a = a.reshape(a.shape[0], -1)
            out = np.empty(a.shape, dtype=np.float32)
            np.divide(a, np.float32(255), out=out, dtype=np.float32)
            return out

        xtr = scale(arrays["train_x"])
        xte = scale(arrays["test_x"])
        return (
            np.ascontiguousarray(xtr, dtype=np.float32),
            arrays["train_y"].astype(np.int64),
            np.ascontiguousarray(xte, dtype=np.float32),
            arrays["test_y"].astype(np.int64),
            "fashion-mnist",
        )

    log(
        f"[data] WARNING: data dir {directory!r} missing or incomplete -> "
        f"SYNTHETIC data (60000+10000 x 784, 10 classes, seed {seed})"
    )
    rng = np.random.default_rng(12345 + seed)
    n_tr, n_te, d, k = 60000, 10000, 784, 10
    common = rng.random(d, dtype=np.float32)
    protos = 0.9 * common + 0.1 * rng.random((k, d), dtype=np.float32)  # overlapping classes

    def make(n):
        y = rng.integers(0, k, size=n)
        x = protos[y] + rng.normal(0.0, 0.5, size=(n, d)).astype(np.float32)
        x = np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)  # quantise like pixels
        return np.ascontiguousarray(x.astype(np.float32) / np.float32(255)), y.astype(np.int64)

    xtr, ytr = make(n_tr)
    xte, yte = make(n_te)
    return xtr, ytr, xte, yte, "synthetic"


# --------------------------------------------------------------------------- BLAS facts

def blas_info():
    """(human text, raw threadpoolctl info list, blas-related mapped files)"""
    maps = []
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                p = line.split()[-1] if len(line.split()) >= 6 else ""
                b = os.path.basename(p)
                if b.startswith("lib") and any(s in b for s in ("blas", "lapack", "mkl", "blis", "omp")) and p not in maps:
                    maps.append(p)
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info

        info = threadpool_info()
    except Exception as exc:  # threadpoolctl missing: fall back to /proc/self/maps
        log(f"[blas] threadpoolctl unavailable ({exc}); falling back to /proc/self/maps")
        return "unknown (" + ", ".join(os.path.basename(m) for m in maps) + ")", [], maps
    parts = []
    for lib in info:
        if lib.get("user_api") != "blas":
            continue
        name = {"openblas": "OpenBLAS", "mkl": "MKL", "blis": "BLIS"}.get(lib.get("internal_api"), lib.get("internal_api"))
        parts.append(
            f"{name} {lib.get('version')} {lib.get('threading_layer')}, core {lib.get('architecture')}, "
            f"{lib.get('num_threads')} threads"
        )
    return "; ".join(parts) or "no BLAS found by threadpoolctl", info, maps


def peak_rss_mb():
    # Linux: ru_maxrss is in KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])


def now():
    return time.perf_counter()


def emit(result):
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
