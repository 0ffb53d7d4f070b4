"""The same model on the GPU: only ``device`` changes.

Skips cleanly (exit status 0) on a machine without CUDA. The fitted model's
attributes are host numpy arrays, so it pickles and predicts anywhere.
"""

import os
import sys
import time

import torch
from sklearn.datasets import make_classification

from skopt_est import MLPClassifier

SMALL = os.environ.get("SKOPT_EST_EXAMPLES_SMALL") == "1"

if not torch.cuda.is_available():
    print("No CUDA device on this machine: skipping the GPU example.")
    sys.exit(0)

X, y = make_classification(n_samples=5000 if SMALL else 50000, n_features=100,
                           n_informative=20, random_state=0)
X = X.astype("float32")  # float32 is the fast path on a GPU
for device in ["cpu", "cuda"]:
    model = MLPClassifier(hidden_layer_sizes=(256, 256), batch_size=512,
                          max_iter=3 if SMALL else 20, tol=0.0, n_iter_no_change=1000,
                          random_state=0, device=device)
    start = time.perf_counter()
    model.fit(X, y)
    print(f"{device:>4}: {time.perf_counter() - start:6.2f} s, "
          f"training accuracy {model.score(X, y):.3f}")
