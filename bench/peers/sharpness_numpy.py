#!/usr/bin/env python3
"""Peer baseline: one sharpness estimate for a cloud of P independent small MLPs, in numpy.

Network and data as in mlp_numpy.py: 2 inputs -> `depth` hidden layers of `width` tanh
units -> 1 logit; weights N(0, 1/fan_in), biases 0; two moons with Gaussian noise
(`--noise`), `--samples` points, labels 0/1, fixed by `--seed`. Loss L(theta): mean binary
cross-entropy with logits over ALL N training points (full batch), no weight decay.
All arrays carry a leading network axis P; networks are processed `--chunk` at a time so
that memory stays bounded (each cached tensor is chunk x N x width floats).

One estimate, per network (D parameters, H the D x D Hessian of L):
  1. power iteration for the top eigenvalue: v0 = Rademacher / sqrt(D), then `--iterations`
     times u = H v, lambda = v.u (Rayleigh quotient, |v| = 1), v = u / |u|; the residual
     |H v - lambda v| of the last step is kept;
  2. Hutchinson's trace: `--probes` M Rademacher vectors z, trace = mean_m z.Hz, with its
     standard error sd(z.Hz) / sqrt(M).
Every H v is exact: Pearlmutter's R-operator (forward-over-reverse). The primal forward
and backward pass (activations a_l, 1 - a_l^2, sigma(z), delta_l, g_l) does not depend on
v, so it is run once per chunk and cached; each product is then an R-forward pass
(R(s_l) = R(a_{l-1}) W_l + a_{l-1} V_W_l + V_b_l, R(a_l) = (1 - a_l^2) R(s_l), R(a_0) = 0)
and an R-backward pass (R(dz) = sigma(1 - sigma) R(z) / N; H_W_l = a_{l-1}^T R(delta_l) +
R(a_{l-1})^T delta_l; R(g_{l-1}) = R(delta_l) W_l^T + delta_l V_W_l^T;
R(delta_l) = R(g_l) (1 - a_l^2) - 2 g_l a_l R(a_l)).

Cost model (multiply-adds counted as 2 flops, elementwise work ignored), with w_1 = 2*width
the first layer's weights and W' the weights of the other layers (R(a_0) = 0 saves the
terms of layer 1): per network and training point, one product costs 2 * (2 w_1 + 6 W')
flops and the cached primal pass 2 * (2 w_1 + 3 W') flops, so one estimate costs
  flops = P * N * [ (iterations + probes) * 2 (2 w_1 + 6 W') + 2 (2 w_1 + 3 W') ].

Prints one JSON line: best of --reps wall seconds for the whole estimate over all P
networks (random vectors, power iteration and probes; data and networks are built before),
Hessian-vector products per second (networks * products / second), the flop rate by the
model above, and the mean lambda, trace and residual of the cloud.
--check (float64) instead verifies the R-operator against central differences of the
gradient, and the power iteration and Hutchinson's trace against the Hessian built column
by column for small networks; it exits non-zero when a check fails.

numpy's BLAS threads each small matmul; on a small machine shared with other work, runs
with OPENBLAS_NUM_THREADS=1 were an order of magnitude faster than the default (measure both).

Usage: sharpness_numpy.py [--particles 1024] [--width 32] [--depth 2] [--samples 1024]
                          [--noise 0.1] [--iterations 20] [--probes 16] [--reps 3]
                          [--seed 0] [--chunk 64] [--dtype float32|float64] [--check]
"""
import argparse, json, sys, time
import numpy as np

from two_moons import two_moons as shared_two_moons

ap = argparse.ArgumentParser()
ap.add_argument("--particles", type=int, default=1024)
ap.add_argument("--width", type=int, default=32)
ap.add_argument("--depth", type=int, default=2)
ap.add_argument("--samples", type=int, default=1024)
ap.add_argument("--noise", type=float, default=0.1)
ap.add_argument("--iterations", type=int, default=20)
ap.add_argument("--probes", type=int, default=16)
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--chunk", type=int, default=64)
ap.add_argument("--dtype", choices=["float32", "float64"], default="float32")
ap.add_argument("--check", action="store_true")
a = ap.parse_args()
dt = np.float64 if a.check else np.dtype(a.dtype).type
rng = np.random.default_rng(a.seed)


def two_moons(n, noise):
    return shared_two_moons(rng, n, noise, dt)


def init(P, width, depth):
    sizes = [2] + [width] * depth + [1]
    Ws = [(rng.standard_normal((P, i, o)) / np.sqrt(i)).astype(dt) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [np.zeros((P, 1, o), dt) for o in sizes[1:]]
    return Ws, bs


def n_params(Ws):
    return sum(w.shape[1] * w.shape[2] + w.shape[2] for w in Ws)


def unpack(v, Ws):
    """Flat (c, D) vectors -> [(V_W (c,i,o), V_b (c,1,o))] per layer (views)."""
    out, off, c = [], 0, v.shape[0]
    for w in Ws:
        i, o = w.shape[1:]
        out.append((v[:, off:off + i * o].reshape(c, i, o), v[:, off + i * o:off + i * o + o].reshape(c, 1, o)))
        off += i * o + o
    return out


def pack(pairs):
    c = pairs[0][0].shape[0]
    return np.concatenate([t.reshape(c, -1) for pair in pairs for t in pair], 1)


def T(x):
    return np.swapaxes(x, -1, -2)


def primal(Ws, bs, X, Y):
    """Forward + backward pass; caches what every Hessian-vector product needs."""
    L, N = len(Ws), X.shape[0]
    acts = [X]                                   # a_0 = X (N, 2), shared by all networks
    for l in range(L):
        s = np.matmul(acts[-1], Ws[l]) + bs[l]
        if l < L - 1:
            acts.append(np.tanh(s))
        else:
            z = s                                # (c, N, 1) logits
    p = 1 / (1 + np.exp(-z))
    delta = [None] * L
    delta[L - 1] = (p - Y[:, None]) / dt(N)      # d(mean BCE)/d logit
    d, e = [None] * L, [None] * L                # 1 - a_l^2, -2 g_l a_l for hidden layers
    for l in range(L - 1, 0, -1):
        g = np.matmul(delta[l], T(Ws[l]))        # gradient w.r.t. a_l
        d[l] = 1 - acts[l] ** 2
        e[l] = -2 * g * acts[l]
        delta[l - 1] = g * d[l]
    return {"acts": acts, "delta": delta, "d": d, "e": e, "s2": p * (1 - p) / dt(N)}


def grad(cache):
    acts, delta = cache["acts"], cache["delta"]
    return pack([(np.matmul(T(acts[l]), delta[l]), delta[l].sum(1, keepdims=True)) for l in range(len(delta))])


def hvp(cache, Ws, v):
    """Exact H v for flat v (c, D), by the R-operator; returns (c, D)."""
    acts, delta, d, e = cache["acts"], cache["delta"], cache["d"], cache["e"]
    L, V = len(Ws), unpack(v, Ws)
    Ra = [None] * L                              # R(a_l); R(a_0) = 0
    for l in range(L):                           # R-forward
        Rs = np.matmul(acts[l], V[l][0]) + V[l][1]
        if l > 0:
            Rs += np.matmul(Ra[l], Ws[l])
        if l < L - 1:
            Ra[l + 1] = d[l + 1] * Rs
        else:
            Rdelta = cache["s2"] * Rs            # R(dz) = sigma (1 - sigma) R(z) / N
    out = [None] * L
    for l in range(L - 1, -1, -1):               # R-backward
        HW = np.matmul(T(acts[l]), Rdelta)
        if l > 0:
            HW += np.matmul(T(Ra[l]), delta[l])
        out[l] = (HW, Rdelta.sum(1, keepdims=True))
        if l > 0:
            Rg = np.matmul(Rdelta, T(Ws[l])) + np.matmul(delta[l], T(V[l][0]))
            Rdelta = Rg * d[l] + e[l] * Ra[l]
    return pack(out)


def rademacher(g, shape):
    return np.where(g.random(shape) < 0.5, dt(-1), dt(1))


def estimate(Ws, bs, X, Y, iterations, probes, chunk, seed):
    """Power iteration + Hutchinson for every network; returns lambda, residual, trace, se (P,)."""
    g = np.random.default_rng([seed, 1])         # same vectors on every rep
    P, D = Ws[0].shape[0], n_params(Ws)
    lam, res, tr, se = (np.empty(P, dt) for _ in range(4))
    for s in range(0, P, chunk):
        Wc, bc = [w[s:s + chunk] for w in Ws], [b[s:s + chunk] for b in bs]
        c = Wc[0].shape[0]
        cache = primal(Wc, bc, X, Y)
        v = rademacher(g, (c, D)) / np.sqrt(dt(D))
        for _ in range(iterations):
            u = hvp(cache, Wc, v)
            l = (v * u).sum(1)
            r = np.linalg.norm(u - l[:, None] * v, axis=1)
            v = u / np.linalg.norm(u, axis=1, keepdims=True)
        lam[s:s + c], res[s:s + c] = l, r
        q = np.empty((probes, c), dt)
        for m in range(probes):
            z = rademacher(g, (c, D))
            q[m] = (z * hvp(cache, Wc, z)).sum(1)
        tr[s:s + c] = q.mean(0)
        se[s:s + c] = q.std(0, ddof=1) / np.sqrt(probes) if probes > 1 else np.nan
    return lam, res, tr, se


def check():
    ok = True
    # 1. R-operator vs central differences of the gradient, 3 networks of the configured size.
    X, Y = two_moons(a.samples, a.noise)
    Ws, bs = init(3, a.width, a.depth)
    D = n_params(Ws)
    theta = pack(list(zip(Ws, bs)))
    v = rng.standard_normal((3, D))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    Hv = hvp(primal(Ws, bs, X, Y), Ws, v)
    eps = 1e-4

    def g_at(t):
        p = unpack(t, Ws)
        return grad(primal([w for w, _ in p], [b for _, b in p], X, Y))
    fd = (g_at(theta + eps * v) - g_at(theta - eps * v)) / (2 * eps)
    rel = np.linalg.norm(Hv - fd, axis=1) / np.linalg.norm(fd, axis=1)
    print(f"R-operator vs central differences (width {a.width}, depth {a.depth}, D {D}, eps {eps}): "
          f"max relative error {rel.max():.3e} (limit 1e-5)")
    ok &= bool(rel.max() <= 1e-5)

    # 2. power iteration and Hutchinson vs the Hessian built column by column, D = 37.
    Ws, bs = init(3, 4, 2)
    D = n_params(Ws)
    cache = primal(Ws, bs, X, Y)
    H = np.stack([hvp(cache, Ws, np.broadcast_to(np.eye(D)[i], (3, D)).copy()) for i in range(D)], 2)
    asym = np.abs(H - T(H)).max() / np.abs(H).max()
    lam, res, tr, se = estimate(Ws, bs, X, Y, 500, a.probes, a.chunk, a.seed)
    print(f"small networks (width 4, depth 2, D {D}): Hessian asymmetry {asym:.1e}")
    for k in range(3):
        ev = np.linalg.eigvalsh((H[k] + H[k].T) / 2)
        top, mag = ev[-1], np.sort(np.abs(ev))
        rho = mag[-2] / mag[-1]                  # power iteration's convergence ratio
        # Rayleigh quotient error after k steps <= (top - min) tan^2(theta_0) rho^(2k), tan^2(theta_0) ~ D
        predicted = (top - ev[0]) / abs(top) * D * rho ** (2 * 500)
        rel_top = (lam[k] - top) / abs(top)
        near = np.abs(ev - lam[k]).min()         # some eigenvalue lies within the residual of lambda
        line = (f"  net {k}: power lambda {lam[k]:.12g}, eigvalsh top {top:.12g}, rel {rel_top:+.2e} (limit +1e-9), "
                f"residual {res[k]:.1e} >= distance to nearest eigenvalue {near:.1e}, ratio |l2/l1| {rho:.4f}")
        ok &= bool(rel_top <= 1e-9) and bool(near <= res[k] * (1 + 1e-9) + 1e-14)
        if np.abs(ev).argmax() != len(ev) - 1:
            line += f"\n         largest |eigenvalue| is {ev[np.abs(ev).argmax()]:.6g}, not the top one: convergence not checked"
        elif abs(rel_top) <= 1e-6:
            line += "\n         converged (|rel| limit 1e-6)"
        elif predicted > 1e-6:
            line += f"\n         not converged, gap too small for 500 iterations (predicted error {predicted:.1e}): not counted"
        else:
            ok = False
            line += f"\n         NOT converged although the gap allows it (predicted error {predicted:.1e})"
        print(line)
        z = (tr[k] - np.trace(H[k])) / se[k]
        ok &= bool(abs(z) <= 5)
        print(f"         Hutchinson trace {tr[k]:.6g} +- {se[k]:.2g} ({a.probes} probes), trace(H) {np.trace(H[k]):.6g}, "
              f"{z:+.2f} standard errors (limit 5)")
    print("check passed" if ok else "check FAILED")
    sys.exit(0 if ok else 1)


if a.check:
    check()

X, Y = two_moons(a.samples, a.noise)
P, N = a.particles, a.samples
Ws, bs = init(P, a.width, a.depth)
D = n_params(Ws)
w1, wrest = 2 * a.width, sum(w.shape[1] * w.shape[2] for w in Ws[1:])
products = a.iterations + a.probes
flops = P * N * (products * 2 * (2 * w1 + 6 * wrest) + 2 * (2 * w1 + 3 * wrest))

best = np.inf
for _ in range(a.reps):
    t0 = time.perf_counter()
    lam, res, tr, se = estimate(Ws, bs, X, Y, a.iterations, a.probes, a.chunk, a.seed)
    best = min(best, time.perf_counter() - t0)

print(json.dumps({"peer": "numpy-sharpness", "seconds_per_estimate": best, "products": products,
                  "params": D, "particles": P, "samples": N, "width": a.width, "depth": a.depth,
                  "hvp_per_s": P * products / best, "flops_per_s": flops / best,
                  "lambda_mean": float(lam.mean()), "trace_mean": float(tr.mean()),
                  "residual_mean": float(res.mean()), "dtype": np.dtype(dt).name}))
