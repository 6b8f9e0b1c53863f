"""The network of examples/mlp in PyTorch, for GdSweeps: a one-hidden-layer tanh network, full-batch GD on mse_loss.

The same protocol as examples/mlp/train.py (JSON lines of step, loss, grad_norm and sharpness; a final line with the
loss in the original units of y), but the gradient and the Hessian-vector products come from autograd (double
backward), exactly rather than by differences. GdSweeps sets OMP_NUM_THREADS=1: it runs --threads of these at once.
"""
import argparse
import csv
import json
import math
import sys

import torch


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


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def sharpness(loss_grads, params, v, iterations):
    """The top Hessian eigenvalue by power iteration on exact Hessian-vector products (a shift when the largest in size is negative)."""

    def hvp(u):
        pieces, start = [], 0
        for p in params:
            pieces.append(u[start : start + p.numel()].view_as(p))
            start += p.numel()
        return flat(torch.autograd.grad(loss_grads, params, grad_outputs=pieces, retain_graph=True)).detach()

    def power(multiply, v, n):
        v = v / v.norm()
        lam = 0.0
        for _ in range(n):
            w = multiply(v)
            lam = float(v @ w)
            if not math.isfinite(float(w.norm())) or float(w.norm()) == 0.0:
                break
            v = w / w.norm()
        return lam, v

    lam, v = power(hvp, v, iterations)
    if lam < 0:
        mu, v = power(lambda u: hvp(u) - lam * u, v, 2 * iterations)
        lam = mu + lam
    return lam, v


def to_original(t, steps):
    for step in reversed(steps):
        t = t * step["scale"] + step["shift"]
        if step["transform"] == "log1p":
            t = torch.expm1(t)
        elif step["transform"] == "log":
            t = torch.exp(t)
    return t


def fit(args, report, final):
    """Trains one run: report(line) for each step line (False: stop), final(numbers) at the end."""
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(args.seed)
    meta = json.load(open(args.meta))
    rows = list(csv.DictReader(open(args.data)))
    x = torch.tensor([[float(r[c["column"]]) for c in meta["x"]] for r in rows])
    y = torch.tensor([float(r["y"]) for r in rows])
    y_raw = torch.tensor([float(r["y_raw"]) for r in rows])
    model = torch.nn.Sequential(torch.nn.Linear(x.shape[1], args.hidden), torch.nn.Tanh(), torch.nn.Linear(args.hidden, 1))
    params = list(model.parameters())
    clip = None if args.clip == "none" else float(args.clip)
    direction = torch.randn(sum(p.numel() for p in params))
    print(f"torch {torch.__version__}: {direction.numel()} parameters, lr {args.lr}, clip {args.clip}", file=sys.stderr)
    loss = float("nan")
    for step in range(args.steps + 1):
        measure = step % args.sharpness_every == 0
        objective = torch.nn.functional.mse_loss(model(x).squeeze(1), y)
        grads = torch.autograd.grad(objective, params, create_graph=measure)
        loss, norm = float(objective), float(flat(grads).norm())
        line = {"step": step, "loss": loss, "grad_norm": norm}
        if measure and math.isfinite(loss):
            line["sharpness"], direction = sharpness(grads, params, direction, args.power_iterations)
        if not report(line):
            return
        if not math.isfinite(loss) or step == args.steps:
            break
        scale = clip / norm if clip is not None and norm > clip else 1.0
        with torch.no_grad():
            for p, g in zip(params, grads):
                p -= args.lr * scale * g
    if math.isfinite(loss):
        with torch.no_grad():
            original = float(torch.mean((to_original(model(x).squeeze(1), meta["y"]["steps"]) - y_raw) ** 2))
        final({"loss_original": original if math.isfinite(original) else None})


def main():
    def report(line):
        print(json.dumps(line), flush=True)
        return True

    fit(parse(), report, lambda numbers: print(json.dumps({"final": numbers}), flush=True))


if __name__ == "__main__":
    main()
