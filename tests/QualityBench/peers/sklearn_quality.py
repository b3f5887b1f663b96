#!/usr/bin/python3
"""scikit-learn's side of the model-quality benchmark (tests/QualityBench, issue 13 item 6).

Reads one CSV data set, makes the shuffled 5-fold split (StratifiedKFold for classification, KFold for regression,
shuffle=True, random_state=0), and cross-validates the requested scikit-learn MLP settings on it:

  defaults  MLPClassifier() / MLPRegressor() behind a StandardScaler (max_iter 200, adam)
  adam      the same with max_iter=1000; for regression the target is standardised too (TransformedTargetRegressor)
  lbfgs     solver="lbfgs"; for regression the target is standardised too

Every model gets random_state=0 (or 0..N-1 with --seeds N, each fold's score then the mean over the seeds), so the figures
repeat exactly. The scaler is fitted on the training fold only (it is
part of the pipeline). Prints exactly one JSON line on stdout: the folds' test-row indices (MLNetNN trains on the same
folds) and, per model, each fold's score (accuracy or R²), fit seconds, iterations and ConvergenceWarnings.
"""

import argparse
import json
import os
import sys
import time
import warnings

# Set on some machines so that older OpenBLAS builds pick a safe kernel; they slow a current OpenBLAS down (see
# tests/Bench/peers/README.md). Dropped before numpy loads.
for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(name, None)

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.compose import TransformedTargetRegressor  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import accuracy_score, r2_score  # noqa: E402
from sklearn.model_selection import KFold, StratifiedKFold  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

MODELS = ("defaults", "adam", "lbfgs")


def load(path, label):
    """The CSV's feature columns as float64 and its label column (strings for classification, floats for regression)."""
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\r\n").split(",")
    if label not in header:
        sys.exit(f"{path}: no column named {label!r} (columns: {', '.join(header)})")
    at = header.index(label)
    raw = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=str, encoding="utf-8")
    features = np.delete(raw, at, axis=1).astype(np.float64)
    return features, raw[:, at]


def model(name, task, seed):
    classify = task == "classification"
    mlp = MLPClassifier if classify else MLPRegressor
    if name == "defaults":
        return make_pipeline(StandardScaler(), mlp(random_state=seed))
    settings = {"adam": dict(max_iter=1000), "lbfgs": dict(solver="lbfgs")}[name]
    pipeline = make_pipeline(StandardScaler(), mlp(random_state=seed, **settings))
    return pipeline if classify else TransformedTargetRegressor(regressor=pipeline, transformer=StandardScaler())


def iterations(fitted):
    pipeline = getattr(fitted, "regressor_", fitted)
    return int(pipeline[-1].n_iter_)


def blas():
    try:
        from threadpoolctl import threadpool_info

        infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            return ", ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads)" for i in infos)
    except ImportError:
        pass
    # threadpoolctl sees only the BLAS libraries it knows (OpenBLAS, MKL, BLIS); Debian's default is the netlib reference
    # BLAS behind the libblas.so.3 alternative, single-threaded and many times slower, which the fit times then reflect.
    library = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    return f"{library} (not a BLAS threadpoolctl knows: the reference BLAS unless OpenBLAS is installed)"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", required=True, help="CSV with a header row")
    parser.add_argument("--label", required=True, help="the label column's name")
    parser.add_argument("--task", required=True, choices=("classification", "regression"))
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated subset of {','.join(MODELS)}, or 'none' for the folds only")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="random_state of the fold split")
    parser.add_argument("--seeds", type=int, default=1, help="train every fold with random_state 0..N-1 and average its scores")
    args = parser.parse_args()
    names = [] if args.models == "none" else [m.strip() for m in args.models.split(",") if m.strip()]
    for name in names:
        if name not in MODELS:
            sys.exit(f"unknown model {name!r}; choose from {', '.join(MODELS)}")

    x, labels = load(args.file, args.label)
    classify = args.task == "classification"
    y = labels if classify else labels.astype(np.float64)
    splitter = (StratifiedKFold if classify else KFold)(n_splits=args.folds, shuffle=True, random_state=args.seed)
    folds = list(splitter.split(x, y))

    results = {}
    for name in names:
        scores, seconds, iters, warned = [], [], [], 0
        for train, test in folds:
            fold_scores = []
            for seed in range(args.seeds):
                estimator = model(name, args.task, seed)
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", ConvergenceWarning)
                    start = time.perf_counter()
                    estimator.fit(x[train], y[train])
                    seconds.append(time.perf_counter() - start)
                warned += any(issubclass(w.category, ConvergenceWarning) for w in caught)
                predicted = estimator.predict(x[test])
                fold_scores.append(float(accuracy_score(y[test], predicted) if classify else r2_score(y[test], predicted)))
                iters.append(iterations(estimator))
            scores.append(float(np.mean(fold_scores)))
        # scores: one per fold (the mean over the seeds); the rest: one per fit, fold by fold.
        results[name] = {"scores": scores, "fit_seconds": seconds, "iterations": iters, "convergence_warnings": warned}

    print(json.dumps({
        "peer": "sklearn",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "blas": blas(),
        "splitter": f"{splitter.__class__.__name__}(n_splits={args.folds}, shuffle=True, random_state={args.seed})",
        "seeds": args.seeds,
        "folds": [test.tolist() for _, test in folds],
        "models": results,
    }))


if __name__ == "__main__":
    main()
