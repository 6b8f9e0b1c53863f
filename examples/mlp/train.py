"""A one-hidden-layer network trained by full-batch gradient descent, for GdSweeps (numpy only).

GdSweeps runs this once per run of the sweep, with the run's values as arguments (see mlp.yaml), and reads the JSON
lines it prints: each step's loss, gradient norm and, every --sharpness-every steps, the sharpness (the top eigenvalue
of the loss Hessian, by power iteration on Hessian-vector products). The last line carries the final loss in the
original units of y, mapped back through the fitted transform GdSweeps wrote beside the data.

    y_hat = w2 . tanh(W1 x + b1) + b2,   loss = mean((y_hat - y)^2)   (no 1/2, as PyTorch's mse_loss)
"""
import argparse
import json
import math
import sys

import numpy as np


def parse(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="the transformed data, CSV (GdSweeps' {data})")
    p.add_argument("--meta", required=True, help="the fitted transform's parameters, JSON ({data_meta})")
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--clip", default="none", help="a cap on the gradient norm, or none")
    p.add_argument("--sharpness-every", type=int, default=20)
    p.add_argument("--power-iterations", type=int, default=20)
    return p.parse_args(argv)


class Net:
    """The network's parameters as one flat vector theta = [W1, b1, w2, b2], its loss and gradient."""

    def __init__(self, x, y, hidden, seed):
        rng = np.random.default_rng(seed)
        self.x, self.y, self.hidden = x, y, hidden
        d = x.shape[1]
        w1 = rng.normal(0.0, 1.0 / math.sqrt(d), (hidden, d))
        w2 = rng.normal(0.0, 1.0 / math.sqrt(hidden), hidden)
        self.theta = np.concatenate([w1.ravel(), np.zeros(hidden), w2, [0.0]])

    def unpack(self, theta):
        h, d = self.hidden, self.x.shape[1]
        w1 = theta[: h * d].reshape(h, d)
        return w1, theta[h * d : h * d + h], theta[h * d + h : h * d + 2 * h], theta[-1]

    def predict(self, theta):
        w1, b1, w2, b2 = self.unpack(theta)
        return np.tanh(self.x @ w1.T + b1) @ w2 + b2

    def loss_and_gradient(self, theta):
        w1, b1, w2, b2 = self.unpack(theta)
        a = np.tanh(self.x @ w1.T + b1)
        r = a @ w2 + b2 - self.y
        n = len(self.y)
        dp = 2.0 * r / n
        da = np.outer(dp, w2) * (1.0 - a * a)
        grad = np.concatenate([(da.T @ self.x).ravel(), da.sum(0), a.T @ dp, [dp.sum()]])
        return float(np.mean(r * r)), grad

    def hessian_times(self, theta, v):
        """H v by central differences of the gradient: exact to O(eps^2), and numpy only."""
        eps = 1e-4 * max(1.0, float(np.linalg.norm(theta)))
        return (self.loss_and_gradient(theta + eps * v)[1] - self.loss_and_gradient(theta - eps * v)[1]) / (2.0 * eps)

    def sharpness(self, theta, v, iterations):
        """The top (largest, not largest in size) Hessian eigenvalue and its vector, from warm start v."""
        lam, v = self.power(lambda u: self.hessian_times(theta, u), v, iterations)
        if lam < 0:
            # The largest eigenvalue in size is negative: shift the spectrum by it, so the top one dominates.
            mu, v = self.power(lambda u: self.hessian_times(theta, u) - lam * u, v, 2 * iterations)
            lam = mu + lam
        return lam, v

    @staticmethod
    def power(multiply, v, iterations):
        v = v / np.linalg.norm(v)
        lam = 0.0
        for _ in range(iterations):
            w = multiply(v)
            lam = float(v @ w)
            norm = np.linalg.norm(w)
            if not norm > 0 or not math.isfinite(norm):
                break
            v = w / norm
        return lam, v


def to_original(t, steps):
    """Undoes the target's fitted transform, last step first (the steps are in GdSweeps' {data_meta})."""
    for step in reversed(steps):
        t = t * step["scale"] + step["shift"]
        if step["transform"] == "log1p":
            t = np.expm1(t)
        elif step["transform"] == "log":
            t = np.exp(t)
    return t


def fit(args, report, final):
    """Trains one run: report(line) for each step line (False: stop), final(numbers) at the end."""
    meta = json.load(open(args.meta))
    table = np.genfromtxt(args.data, delimiter=",", names=True)
    x = np.column_stack([table[c["column"]] for c in meta["x"]])
    y, y_raw = table["y"], table["y_raw"]
    clip = None if args.clip == "none" else float(args.clip)
    net = Net(x, y, args.hidden, args.seed)
    theta = net.theta
    direction = np.random.default_rng(args.seed + 1).normal(size=theta.size)
    print(f"training {theta.size} parameters on {len(y)} samples, lr {args.lr}, clip {args.clip}", file=sys.stderr)
    np.seterr(over="ignore", invalid="ignore")
    loss = float("nan")
    for step in range(args.steps + 1):
        loss, grad = net.loss_and_gradient(theta)
        norm = float(np.linalg.norm(grad))
        line = {"step": step, "loss": loss, "grad_norm": norm}
        if step % args.sharpness_every == 0 and math.isfinite(loss):
            line["sharpness"], direction = net.sharpness(theta, direction, args.power_iterations)
        if not report(line):
            return
        if not math.isfinite(loss) or step == args.steps:
            break
        if clip is not None and norm > clip:
            grad = grad * (clip / norm)
        theta = theta - args.lr * grad
    if math.isfinite(loss):
        original = float(np.mean((to_original(net.predict(theta), meta["y"]["steps"]) - y_raw) ** 2))
        final({"loss_original": original if math.isfinite(original) else None})


def main():
    def report(line):
        print(json.dumps(line))
        return True

    fit(parse(), report, lambda numbers: print(json.dumps({"final": numbers})))


if __name__ == "__main__":
    main()
