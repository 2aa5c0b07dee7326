"""The two-moons dataset as ../../../shared/peers/mlp_numpy.py draws it, for the lab's own peers.

Two interleaved half circles (upper: (cos t, sin t); lower: (1 - cos t, 0.5 - sin t), t ~ U(0, pi),
each point on either with probability 1/2) plus Gaussian noise of std `noise`; label 1 for the lower.
"""
import numpy as np


def two_moons(rng, n, noise, dtype=np.float64):
    t = rng.uniform(0, np.pi, n)
    upper = rng.random(n) < 0.5
    x = np.where(upper, np.cos(t), 1 - np.cos(t))
    y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
    pts = np.stack([x, y], 1) + noise * rng.standard_normal((n, 2))
    return pts.astype(dtype), (~upper).astype(dtype)
