"""Reference minimum for LbfgsTests and LbfgsTrainingTests: L2-regularised logistic regression on breast_cancer.csv.

Features read as float32 (as CsvLoader reads them), standardised with the population standard deviation (as FeatureScaler does),
objective mean log-loss + (lambda/2)||w||^2 with lambda = 0.01 and the bias unpenalised, minimised in float64 by scipy's L-BFGS-B
to its tightest tolerances and then polished by Newton's method as an independent check (both print the same minimum,
0.0995913759325593). Run from the repository root: /usr/bin/python3 tests/Core.Tests/reference/lbfgs_logistic.py (python3-scipy).
"""
import csv
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
rows = list(csv.DictReader(open(Path(__file__).resolve().parents[3] / "examples" / "data" / "breast_cancer.csv")))
feats = [c for c in rows[0] if c != "Label"]
X = np.array([[float(r[c]) for c in feats] for r in rows], dtype=np.float32).astype(np.float64)
y = np.array([float(r["Label"]) for r in rows])
X = (X - X.mean(0)) / X.std(0)
lam = 0.01
def f(t):
    w, b = t[:-1], t[-1]
    z = X @ w + b
    loss = np.mean(np.logaddexp(0, z) - y * z) + 0.5 * lam * w @ w
    p = 1 / (1 + np.exp(-z))
    g = np.append(X.T @ (p - y) / len(y) + lam * w, np.mean(p - y))
    return loss, g
r = minimize(f, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", options={"gtol": 1e-12, "ftol": 1e-16, "maxiter": 100000, "maxfun": 100000})
print(r.message, r.nit, repr(r.fun), np.abs(r.jac).max())
# Newton from there as an independent check
t = r.x.copy()
for _ in range(20):
    w, b = t[:-1], t[-1]
    z = X @ w + b; p = 1/(1+np.exp(-z)); s = p*(1-p)
    Xa = np.hstack([X, np.ones((len(y),1))])
    H = Xa.T @ (Xa * s[:,None]) / len(y); H[:-1,:-1] += lam*np.eye(X.shape[1])
    t = t - np.linalg.solve(H, f(t)[1])
print("newton", repr(f(t)[0]), np.abs(f(t)[1]).max())
