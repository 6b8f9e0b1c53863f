"""examples/torch/train.py's network, one group's runs trained together (trainer.batch: N).

GdSweeps sends a worker up to N runs that share everything but the learning rate and the seed. Their parameters are
stacked along a leading run dimension (W1: runs x hidden x d, ...), so one step of every run is one pass of a few
tensor operations instead of one pass per run: the runs stay independent (the loss summed over runs has each run's
gradient in its own slice, and a block-diagonal Hessian), and each is initialized exactly as the per-run form's
torch.nn.Linear layers under its own seed. A run is reported, stopped and ended on its own; one that diverges or is
told to stop leaves the stack, and the others go on.
"""
import csv
import ctypes
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from gdsweeps_worker import batches  # noqa: E402  (after the path to the helper)

SHARPNESS_EVERY = 20
POWER_ITERATIONS = 20


def initial(seed, d, hidden):
    """The per-run form's initial parameters and power-iteration start, drawn in its order from its seed."""
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(d, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1))
    params = [p.detach().clone() for p in model.parameters()]
    return params, torch.randn(sum(p.numel() for p in params))


def keep_memory():
    """A stack of 200 runs makes tensors of megabytes, which glibc maps and unmaps at every operation by default: a
    page fault per 4 KiB each time, more than the arithmetic costs. Keeping freed memory for reuse removes that."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 1 << 30)  # M_MMAP_THRESHOLD: allocate from the heap, not by mmap
        libc.mallopt(-1, 1 << 30)  # M_TRIM_THRESHOLD: do not give freed heap back to the kernel
    except (OSError, AttributeError):
        pass  # not glibc: only slower


def predict(params, x):
    """Each run's predictions (runs x samples): params are stacked (runs x ...), the data shared. Products and sums
    by broadcasting, which this PyTorch does faster than batched matrix products at these sizes, backward too."""
    w1, b1, w2, b2 = params
    hidden = torch.tanh((x[None, :, None, :] * w1[:, None, :, :]).sum(-1) + b1[:, None, :])
    return (hidden * w2).sum(-1) + b2


def loss_per_run(params, x, y):
    """Each run's mse_loss."""
    return torch.mean((predict(params, x) - y) ** 2, dim=1)


def flat(tensors):
    """Each run's parameters (or gradients) as one row, in the order of model.parameters()."""
    return torch.cat([t.reshape(t.shape[0], -1) for t in tensors], dim=1)


def pieces(u, params):
    out, start = [], 0
    for p in params:
        size = p[0].numel()
        out.append(u[:, start : start + size].reshape(p.shape))
        start += size
    return out


def power(multiply, v, iterations, active):
    """train.py's power iteration, row by row: a row whose product is zero or not finite keeps its last estimate."""
    v = v / v.norm(dim=1, keepdim=True)
    lam = torch.zeros(v.shape[0])
    for _ in range(iterations):
        w = multiply(v)
        lam = torch.where(active, (v * w).sum(dim=1), lam)
        norm = w.norm(dim=1)
        active = active & torch.isfinite(norm) & (norm != 0)
        v = torch.where(active[:, None], w / norm[:, None], v)
    return lam, v


def sharpness(grads, params, v, x, y):
    """The top Hessian eigenvalue of each run by power iteration on exact Hessian-vector products, warm-started from
    v; a run whose largest eigenvalue in size is negative goes on with the spectrum shifted by it, those runs alone."""

    def hvp(grads, params):
        return lambda u: flat(torch.autograd.grad(grads, params, grad_outputs=pieces(u, params), retain_graph=True)).detach()

    lam, v = power(hvp(grads, params), v, POWER_ITERATIONS, torch.ones(v.shape[0], dtype=torch.bool))
    rows = (lam < 0).nonzero()[:, 0]
    if len(rows) > 0:
        # Their own stack: the shifted iterations cost what those runs cost, not the whole batch.
        some = [p[rows].detach().requires_grad_() for p in params]
        their = torch.autograd.grad(loss_per_run(some, x, y).sum(), some, create_graph=True)
        shift = lam[rows, None]
        product = hvp(their, some)
        mu, shifted = power(lambda u: product(u) - shift * u, v[rows], 2 * POWER_ITERATIONS, torch.ones(len(rows), dtype=torch.bool))
        lam, v = lam.clone(), v.clone()
        lam[rows] = mu + lam[rows]
        v[rows] = shifted
    return lam, v


def to_original(t, steps):
    for step in reversed(steps):
        t = t * step["scale"] + step["shift"]
        if step["transform"] == "log1p":
            t = torch.expm1(t)
        elif step["transform"] == "log":
            t = torch.exp(t)
    return t


def train(runs):
    """Trains one group's runs together; each reports its own lines."""
    torch.set_default_dtype(torch.float64)
    first = runs[0]
    meta = json.load(open(first["data"]["meta"]))
    rows = list(csv.DictReader(open(first["data"]["csv"])))
    x = torch.tensor([[float(r[c["column"]]) for c in meta["x"]] for r in rows])
    y = torch.tensor([float(r["y"]) for r in rows])
    y_raw = torch.tensor([float(r["y_raw"]) for r in rows])
    hidden, steps = int(first["params"]["hidden"]), int(first["steps"])
    clip = None if first["clip"] is None else float(first["clip"]["threshold"])
    starts = [initial(int(run["seed"]), x.shape[1], hidden) for run in runs]
    params = [torch.stack([s[0][k] for s in starts]) for k in range(4)]
    direction = torch.stack([s[1] for s in starts])
    lr = torch.tensor([float(run["learning_rate"]) for run in runs])
    live = list(runs)  # the runs still in the stack, in its row order
    print(f"torch {torch.__version__}: {len(runs)} runs of {direction.shape[1]} parameters together", file=sys.stderr)
    for step in range(steps + 1):
        measure = step % SHARPNESS_EVERY == 0
        params = [p.detach().requires_grad_() for p in params]
        losses = loss_per_run(params, x, y)
        grads = torch.autograd.grad(losses.sum(), params, create_graph=measure)
        norms = flat(grads).norm(dim=1).detach()
        if measure:
            lam, v = sharpness(grads, params, direction, x, y)
        keep = []
        for i, run in enumerate(live):
            loss, norm = float(losses[i]), float(norms[i])
            line = {"step": step, "loss": loss, "grad_norm": norm}
            if measure and math.isfinite(loss):
                line["sharpness"] = float(lam[i])
                direction[i] = v[i]
            if run.report(**line) and math.isfinite(loss) and step < steps:
                keep.append(i)
        if step == steps:
            break
        if not keep:
            return
        scale = torch.ones(len(live)) if clip is None else torch.where(norms > clip, clip / norms, torch.ones(len(live)))
        with torch.no_grad():
            params = [p - (lr * scale).reshape(-1, *[1] * (p.dim() - 1)) * g for p, g in zip(params, grads)]
        if len(keep) < len(live):
            index = torch.tensor(keep)
            params = [p[index] for p in params]
            direction, lr = direction[index], lr[index]
            live = [live[i] for i in keep]
    with torch.no_grad():
        original = torch.mean((to_original(predict(params, x), meta["y"]["steps"]) - y_raw) ** 2, dim=1)
    for i, run in enumerate(live):
        if math.isfinite(float(losses[i])):
            value = float(original[i])
            run.final(loss_original=value if math.isfinite(value) else None)


keep_memory()
for group in batches():
    train(group)
