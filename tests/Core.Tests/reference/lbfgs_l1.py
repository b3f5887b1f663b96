"""Reference minima for the OWL-QN tests (LbfgsTests, LbfgsTrainingTests): L1-regularised problems on breast_cancer.csv.

Features read as float32 (as CsvLoader reads them) and standardised with the population standard deviation (as FeatureScaler
does); the intercept is never penalised.
  lasso:    (1/2n)||y - Xw - b||^2 + 0.01 ||w||_1, y the 0/1 label: scikit-learn's Lasso (coordinate descent, tol 1e-14).
  logistic: mean log-loss + 0.01 ||w||_1: FISTA (accelerated proximal gradient) run to a fixed point, checked against
            scikit-learn's LogisticRegression(penalty='l1', solver='saga') with C = 1 / (0.01 n).
Each prints the minimum and the number of weights exactly zero at it. Run from anywhere: /usr/bin/python3 lbfgs_l1.py (python3-sklearn).
"""
import csv
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso, LogisticRegression

warnings.filterwarnings("ignore", category=ConvergenceWarning)
with open(Path(__file__).resolve().parents[3] / "examples" / "data" / "breast_cancer.csv") as f:
    rows = list(csv.DictReader(f))
features = [c for c in rows[0] if c != "Label"]
X = np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float32).astype(np.float64)
y = np.array([float(r["Label"]) for r in rows])
X = (X - X.mean(0)) / X.std(0)
n, lam = len(y), 0.01

lasso = Lasso(alpha=lam, fit_intercept=True, tol=1e-14, max_iter=10**7).fit(X, y)
r = y - X @ lasso.coef_ - lasso.intercept_
print("lasso", repr(r @ r / (2 * n) + lam * np.abs(lasso.coef_).sum()), "zero weights", int((lasso.coef_ == 0).sum()))


def logistic(w, b):
    z = X @ w + b
    return np.mean(np.logaddexp(0, z) - y * z)


def logistic_gradient(w, b):
    residual = 1 / (1 + np.exp(-(X @ w + b))) - y
    return X.T @ residual / n, residual.mean()


step = 1 / (0.25 * (np.linalg.norm(X, 2) ** 2 / n + 1))
w = np.zeros(X.shape[1]); b = 0.0; vw, vb, t = w.copy(), b, 1.0
for _ in range(200000):
    gw, gb = logistic_gradient(vw, vb)
    zw = vw - step * gw
    w_next = np.sign(zw) * np.maximum(np.abs(zw) - step * lam, 0)
    b_next = vb - step * gb
    t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
    vw = w_next + (t - 1) / t_next * (w_next - w)
    vb = b_next + (t - 1) / t_next * (b_next - b)
    w, b, t = w_next, b_next, t_next
print("logistic (FISTA)", repr(logistic(w, b) + lam * np.abs(w).sum()), "zero weights", int((w == 0).sum()))
saga = LogisticRegression(penalty="l1", solver="saga", C=1 / (lam * n), tol=1e-12, max_iter=200000).fit(X, y)
print("logistic (saga)", repr(logistic(saga.coef_[0], saga.intercept_[0]) + lam * np.abs(saga.coef_[0]).sum()),
      "zero weights", int((saga.coef_[0] == 0).sum()))
