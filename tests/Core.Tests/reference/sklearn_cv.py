"""Reference accuracies for LearningTests.CrossValidatedAccuracyIsWithinOnePointOfScikitLearn (solver 'adam') and
LbfgsTrainingTests (solver 'lbfgs').

scikit-learn's MLPClassifier with the architecture the tests use (one hidden layer of 100 ReLU units, the named solver, defaults
otherwise), a StandardScaler fitted inside each fold, shuffled stratified 5-fold cross-validation, averaged over
several fold seeds so the figure does not hang on one split. Run: /usr/bin/python3 sklearn_cv.py [data folder [solver ...]] (python3-sklearn).
"""
import sys
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)
data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "examples" / "data"
solvers = sys.argv[2:] or ["adam", "lbfgs"]
for solver, (name, label) in [(s, d) for s in solvers for d in [("iris", "Species"), ("breast_cancer", "Label"), ("digits", "Label")]]:
    import csv
    with open(data_dir / f"{name}.csv") as f:
        rows = list(csv.DictReader(f))
    features = [c for c in rows[0] if c != label]
    X = np.array([[float(r[c]) for c in features] for r in rows], dtype=np.float32)
    y = np.array([r[label] for r in rows])
    scores = []
    for seed in range(5):
        model = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(100,), activation="relu", solver=solver, random_state=seed))
        scores.extend(cross_val_score(model, X, y, cv=StratifiedKFold(5, shuffle=True, random_state=seed)))
    print(f"{solver} {name}: mean accuracy {np.mean(scores):.4f} (std over folds {np.std(scores):.4f}, {len(scores)} folds)")
