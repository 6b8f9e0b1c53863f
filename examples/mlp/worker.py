"""examples/mlp/train.py as a worker (trainer.serve: true): Python and numpy start once, then every run GdSweeps sends
is trained by train.fit, exactly as the per-run form trains it, its lines written through examples/gdsweeps_worker.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import train  # noqa: E402  (after the path to the helper)
from gdsweeps_worker import runs  # noqa: E402


def arguments(run):
    """The per-run form's command line (mlp.yaml's), from the run's JSON."""
    clip = "none" if run["clip"] is None else repr(run["clip"]["threshold"])
    return ["--data", run["data"]["csv"], "--meta", run["data"]["meta"], "--lr", repr(run["learning_rate"]),
            "--steps", str(run["steps"]), "--seed", str(run["seed"]), "--clip", clip,
            "--hidden", str(run["params"]["hidden"]), "--sharpness-every", "20"]


for run in runs():
    train.fit(train.parse(arguments(run)), lambda line: run.report(**line), lambda numbers: run.final(**numbers))
