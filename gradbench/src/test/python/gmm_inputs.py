"""Writes the gmm test inputs in ../resources/gmm/ with GradBench's gmm generator.

GradBench's gmm eval (evals/gmm, python/gradbench/gradbench/evals/gmm/run.py) draws its inputs
from numpy's default_rng(seed) in this order: the n observations (normal), alpha (normal), the k
means (uniform), the k q vectors (normal), the k l vectors (normal). This script draws them in
the same order with the eval's default seed 31337, so the tests see the inputs the eval sends.
The Java tests cannot draw them themselves: they would need numpy's PCG64 and its ziggurat
normal sampler. Run: python3 gmm_inputs.py (numpy 2.x).
"""

import json
import pathlib

import numpy as np


def draw(seed, d, k, n, m, gamma):
    rng = np.random.default_rng(seed=seed)
    x = [rng.normal(size=d).tolist() for _ in range(n)]
    alpha = rng.normal(size=k).tolist()
    mu = [rng.uniform(size=d).tolist() for _ in range(k)]
    q = [rng.normal(size=d).tolist() for _ in range(k)]
    l = [rng.normal(size=d * (d - 1) // 2).tolist() for _ in range(k)]
    return {"d": d, "k": k, "n": n, "x": x, "m": m, "gamma": gamma,
            "alpha": alpha, "mu": mu, "q": q, "l": l}


out = pathlib.Path(__file__).parent.parent / "resources" / "gmm"
# the eval's first default workload (d = 2, k = 5, n = 1000), and d = 10 with its -n 100
for d, k, n in [(2, 5, 1000), (10, 5, 100)]:
    path = out / f"gmm_d{d}_k{k}_n{n}.json"
    path.write_text(json.dumps(draw(31337, d, k, n, 0, 1.0)) + "\n")
    print(path)
