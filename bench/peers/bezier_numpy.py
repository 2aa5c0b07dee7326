#!/usr/bin/env python3
"""Peer baseline: training a mode-connecting quadratic Bezier curve between two networks, in numpy.

The same computation as the lab's src/sim/network/bezier-path.ts (Garipov et al. 2018,
"Loss surfaces, mode connectivity, and fast ensembling of DNNs", section 3):

  phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b,   a, b fixed trained networks, c trained;

c starts at (a + b)/2 (the straight line) and follows Adam (beta 0.9, 0.999, eps 1e-8 added
to sqrt(v_hat), step size `--lr` cosine-decayed to 0 over the steps) on the stochastic
gradient of E_{t ~ U(0,1)} [L(phi(t)) + lambda/2 |w|^2]: each step draws one t and one
minibatch of `--batch` training indices (with replacement), and the gradient with respect
to c is 2t(1-t) (grad L_batch(phi(t)) + lambda w), lambda applied to weights only, not biases
(`--weight-decay`, default 0). One network at a time: the curve is one path, nothing batched
over networks. At the end the train loss (mean BCE, full batch, no weight-decay term) is
profiled at `--points` evenly spaced t in [0, 1], ends included, along the curve and along
the straight line a + t (b - a); barrier = the highest loss on a profile minus the higher of
its two ends (>= 0).

Network (as ../../../shared/peers/mlp_numpy.py): 2 inputs -> `depth` hidden layers of
`width` tanh units -> 1 logit; loss: mean binary cross-entropy with logits. Dataset: two
moons with Gaussian noise (`--noise`), `--samples` points, labels 0/1, fixed by `--seed`.
The two end networks a and b are initialised independently (weights N(0, 1/fan_in), biases
0) and trained by plain minibatch SGD (`--train-steps`, `--train-lr`, `--train-batch`); that
part is not timed. The draws of t and of the minibatches come from numpy's generator, not
the lab's Philox stream, so the numbers match the lab's in distribution, not bit for bit.

Prints one JSON line: seconds_train (the curve's training, best of --reps, each rep from
c = (a+b)/2 with the same draws), seconds_profile (the two profiles, best of --reps), steps,
params D, samples N, barrier_curve, barrier_line, dtype (and a few more keys). BLAS runs
on one thread unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are set.
`--check` first prints a line comparing the gradient with respect to c against central
differences of the minibatch objective at fixed t and minibatch (float64; exits 1 when the
error exceeds 1e-6).

Usage: bezier_numpy.py [--width 32] [--depth 2] [--samples 1024] [--noise 0.1]
                       [--steps 3000] [--batch 64] [--lr 0.01] [--points 41]
                       [--train-steps 2000] [--reps 1] [--seed 0]
                       [--dtype float64|float32] [--check]
"""
import argparse, json, math, os, sys, time
# One BLAS thread unless the environment says otherwise: the matrices are small (B x width) and one
# network is stepped at a time, as the single-threaded TypeScript does; threads only add overhead.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
import numpy as np

from two_moons import two_moons as shared_two_moons

ap = argparse.ArgumentParser()
ap.add_argument("--width", type=int, default=32)
ap.add_argument("--depth", type=int, default=2)
ap.add_argument("--samples", type=int, default=1024)
ap.add_argument("--noise", type=float, default=0.1)
ap.add_argument("--steps", type=int, default=3000)        # bezier-path.ts: steps ?? 3000
ap.add_argument("--batch", type=int, default=64)          # bezier-path.ts: batch ?? 64
ap.add_argument("--lr", type=float, default=0.01)         # bezier-path.ts: lr ?? 0.01 (Adam, cosine-decayed)
ap.add_argument("--points", type=int, default=41)         # bezier-path.ts: points ?? 41
ap.add_argument("--weight-decay", type=float, default=0.0)
ap.add_argument("--train-steps", type=int, default=2000)
ap.add_argument("--train-lr", type=float, default=0.5)
ap.add_argument("--train-batch", type=int, default=32)
ap.add_argument("--reps", type=int, default=1)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
ap.add_argument("--check", action="store_true")
args = ap.parse_args()
if args.points < 2:
    sys.exit("--points: at least 2")
rng = np.random.default_rng(args.seed)


def two_moons(n, noise):
    return shared_two_moons(rng, n, noise, np.float64)


# ---- the network as one flat parameter vector of D numbers: per layer W (fan_in x fan_out), then b
sizes = [2] + [args.width] * args.depth + [1]
shapes = list(zip(sizes[:-1], sizes[1:]))
offsets, D = [], 0
for i, o in shapes:
    offsets.append(D)
    D += i * o + o


def layers(flat):
    """Views (W, b) of each layer inside the flat vector (parameters or gradient)."""
    return [(flat[s:s + i * o].reshape(i, o), flat[s + i * o:s + i * o + o]) for s, (i, o) in zip(offsets, shapes)]


def init_network():
    p = np.zeros(D)
    for W, _ in layers(p):
        W[...] = rng.standard_normal(W.shape) / np.sqrt(W.shape[0])
    return p


weight_mask = np.zeros(D)
for W, _ in layers(weight_mask):
    W[...] = 1


def bce(z, y):
    """Mean binary cross-entropy with logits z, labels y (stable, as mlp.ts's bce)."""
    return float(np.mean(np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))))


def forward(p, xb):
    acts = [xb]
    for l, (W, b) in enumerate(layers(p)):
        z = acts[-1] @ W + b
        acts.append(np.tanh(z) if l < len(shapes) - 1 else z)
    return acts


def loss_grad(p, xb, yb, g):
    """Mean BCE of the network p on the minibatch; writes its gradient into the flat g."""
    acts = forward(p, xb)
    z = acts[-1][:, 0]
    delta = ((0.5 * (1 + np.tanh(0.5 * z)) - yb) / len(yb))[:, None]   # sigmoid(z) - y, over B
    P, G = layers(p), layers(g)
    for l in range(len(shapes) - 1, -1, -1):
        np.matmul(acts[l].T, delta, out=G[l][0])
        G[l][1][...] = delta.sum(0)
        if l > 0:
            delta = (delta @ P[l][0].T) * (1 - acts[l] ** 2)
    return bce(z, yb)


def train_sgd(p, X, Y):
    """An end network: plain minibatch SGD (with the same weight decay on the weights)."""
    g = np.zeros(D)
    for _ in range(args.train_steps):
        idx = rng.integers(0, len(Y), args.train_batch)
        loss_grad(p, X[idx], Y[idx], g)
        p -= args.train_lr * (g + args.weight_decay * weight_mask * p)
    return p


def bezier_point(a, c, b, t):
    return (1 - t) * (1 - t) * a + 2 * t * (1 - t) * c + t * t * b


def curve_gradient(a, c, b, t, xb, yb, g, mask, lam):
    """bezier-path.ts curveGradient: L_batch(phi(t)) + lambda/2 |w|^2; g = 2t(1-t)(grad L_batch + lambda w)."""
    phi = bezier_point(a, c, b, t)
    loss = loss_grad(phi, xb, yb, g)
    if lam > 0:
        g += lam * mask * phi
        loss += 0.5 * lam * float(np.sum(mask * phi * phi))
    g *= 2 * t * (1 - t)
    return loss


def train_curve(a, b, X, Y, mask, lam):
    """bezier-path.ts bezierPath's loop: c from (a+b)/2, Adam on the curve objective, one t and minibatch per step."""
    draws = np.random.default_rng([args.seed, 0x42455A49])   # the curve's own stream ('BEZI'), same each rep
    steps, lr = args.steps, args.lr
    c = 0.5 * (a + b)
    m, v, g = np.zeros_like(a), np.zeros_like(a), np.zeros_like(a)
    tail = max(1, steps // 10)
    tail_sum = 0.0
    for k in range(steps):
        t = 1.0 - draws.random()                              # U(0, 1], t = 0 never drawn
        idx = draws.integers(0, len(Y), args.batch)           # with replacement
        loss = curve_gradient(a, c, b, t, X[idx], Y[idx], g, mask, lam)
        if k >= steps - tail:
            tail_sum += loss
        rate = lr * 0.5 * (1 + math.cos(math.pi * k / steps))   # a Python float: keeps --dtype
        c1, c2 = 1 - 0.9 ** (k + 1), 1 - 0.999 ** (k + 1)
        m *= 0.9; m += 0.1 * g
        v *= 0.999; v += 0.001 * g * g
        c -= rate * (m / c1) / (np.sqrt(v / c2) + 1e-8)
    return c, (tail_sum / min(tail, steps) if steps > 0 else None)   # null in the JSON, not NaN


def profile(X, Y, at):
    """Full-batch train loss at `points` evenly spaced t in [0, 1]; returns (losses, barrier)."""
    K = args.points
    losses = [bce(forward(at(k / (K - 1)), X)[-1][:, 0], Y) for k in range(K)]
    return losses, max(0.0, max(losses) - max(losses[0], losses[-1]))


# ---- data and the two end networks (not timed; float64)
X64, Y64 = two_moons(args.samples, args.noise)
a64, b64 = init_network(), init_network()
train_sgd(a64, X64, Y64)
train_sgd(b64, X64, Y64)

if args.check:
    # float64: gradient w.r.t. c at fixed t and minibatch vs central differences of the same objective
    crng = np.random.default_rng([args.seed, 1])
    idx = crng.integers(0, args.samples, args.batch)
    xb, yb = X64[idx], Y64[idx]
    c0 = 0.5 * (a64 + b64) + 0.1 * crng.standard_normal(D)   # off the line, so phi(t) is a third network
    h, g, scratch, worst = 1e-5, np.zeros(D), np.zeros(D), 0.0
    for lam in sorted({args.weight_decay, 1e-3}):
        for t in (0.3, 0.8):
            curve_gradient(a64, c0, b64, t, xb, yb, g, weight_mask, lam)
            fd = np.empty(D)
            for d in range(D):
                cp, cm = c0.copy(), c0.copy()
                cp[d] += h
                cm[d] -= h
                fd[d] = (curve_gradient(a64, cp, b64, t, xb, yb, scratch, weight_mask, lam)
                         - curve_gradient(a64, cm, b64, t, xb, yb, scratch, weight_mask, lam)) / (2 * h)
            # relative to the gradient's largest component (per-coordinate ratios of ~0 components are noise)
            worst = max(worst, float(np.max(np.abs(g - fd)) / np.max(np.abs(fd))))
    print(json.dumps({"check": "grad_c_vs_central_differences", "max_rel_err": worst, "ok": worst < 1e-6}))
    if not worst < 1e-6:
        sys.exit(1)

# ---- the timed part, in --dtype
dt = np.dtype(args.dtype)
X, Y, a, b, mask = (v.astype(dt) for v in (X64, Y64, a64, b64, weight_mask))
best_train = best_profile = float("inf")
for _ in range(args.reps):
    t0 = time.perf_counter()
    c, final_objective = train_curve(a, b, X, Y, mask, args.weight_decay)
    t1 = time.perf_counter()
    curve_losses, barrier_curve = profile(X, Y, lambda t: bezier_point(a, c, b, t))
    line_losses, barrier_line = profile(X, Y, lambda t: a + t * (b - a))
    t2 = time.perf_counter()
    best_train, best_profile = min(best_train, t1 - t0), min(best_profile, t2 - t1)

print(json.dumps({"peer": "numpy-bezier", "seconds_train": best_train, "seconds_profile": best_profile,
                  "steps": args.steps, "params": D, "samples": args.samples,
                  "barrier_curve": barrier_curve, "barrier_line": barrier_line, "dtype": args.dtype,
                  "width": args.width, "depth": args.depth, "batch": args.batch, "points": args.points,
                  "end_losses": [curve_losses[0], curve_losses[-1]], "final_objective": final_objective}))
