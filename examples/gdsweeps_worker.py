"""The worker side of GdSweeps' serving trainers (trainer: {serve: true}): one file, standard library only.

A worker is started once and trains many runs: GdSweeps writes each run's definition (the JSON of {run_json}) as one
line on its stdin and reads the protocol's lines back, then an end line per run. This module is that loop:

    from gdsweeps_worker import runs

    for run in runs():                         # one run at a time, until GdSweeps closes stdin
        for step in range(run["steps"] + 1):
            ...
            if not run.report(step=step, loss=loss, grad_norm=norm):
                break                          # GdSweeps said stop (the run diverged)
        run.final(loss_original=...)
                                               # the next iteration writes this run's end line

An exception in the loop's body ends the worker (GdSweeps fails that run with the traceback's tail and starts a new
worker). serve(train) instead calls train(run) for each run and ends a run that raises with the error, keeping the
worker. With trainer.batch: N, batches() (or serve(train, batched=True)) gives a list of runs of one group at a time;
each run's report() tags its line with its run.
"""
import json
import queue
import sys
import threading
import traceback

__all__ = ["runs", "batches", "serve", "Run"]


class Run(dict):
    """One run's definition (run.json's keys: learning_rate, steps, seed, clip, params, data, device, ...) and its
    reporting."""

    def __init__(self, definition, out, batch=None):
        super().__init__(definition)
        self.out = out
        self.batch = batch  # the runs sent with this one; None when it came alone
        self.stopped = False
        self.done = False

    @property
    def id(self):
        return self["run_id"]

    def report(self, step, loss, **numbers):
        """Writes a step line (step, loss; grad_norm, sharpness, declared metrics); False once GdSweeps said stop."""
        if self.stopped:
            return False
        self.out.write(self, dict({"step": step, "loss": loss}, **numbers))
        return True

    def final(self, **numbers):
        """Writes the final line (loss_original, declared metrics)."""
        if not self.stopped:
            self.done = True
            self.out.write(self, {"final": numbers})

    def end(self, error=None):
        line = {"end": self.id}
        if error is not None:
            line["error"] = error
        self.done = True
        self.out.write(None, line)


class _Out:
    """Protocol lines on their way to stdout. A run alone has each line sent at once; a batch's lines go a round at a
    time (once every run still reporting has written one, or one writes a second), one write instead of one a line."""

    def __init__(self):
        self.lines = []
        self.round = set()

    def write(self, run, line):
        if run is None or run.batch is None:
            self.lines.append(json.dumps(line) + "\n")
            self.flush()
            return
        if run.id in self.round:
            self.flush()
        self.lines.append(json.dumps(dict(line, run=run.id)) + "\n")
        self.round.add(run.id)
        if all(r.id in self.round or r.done or r.stopped for r in run.batch):
            self.flush()

    def flush(self):
        if self.lines:
            sys.stdout.write("".join(self.lines))
            sys.stdout.flush()
            self.lines.clear()
        self.round.clear()


class _Inbox:
    """Reads stdin on a thread of its own, so that a stop for a run in hand arrives while it trains."""

    def __init__(self):
        self.queue = queue.Queue()
        self.live = {}
        self.out = _Out()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in sys.stdin:
            if not line.strip():
                continue
            message = json.loads(line)
            if "stop" in message:
                run = self.live.get(message["stop"])
                if run is not None:
                    run.stopped = True
            else:
                self.queue.put(message)
        self.queue.put(None)

    def each(self, batched):
        while True:
            message = self.queue.get()
            if message is None:
                return
            if batched:
                served = [Run(d, self.out) for d in message["batch"]]
                for run in served:
                    run.batch = served
            else:
                served = [Run(message, self.out)]
            self.live = {run.id: run for run in served}
            yield served
            self.out.flush()
            self.live = {}


def runs():
    """Each run GdSweeps sends, one at a time; a run ends when the loop's body does."""
    for (run,) in _Inbox().each(batched=False):
        yield run
        run.end()


def batches():
    """Each batch GdSweeps sends (trainer.batch: N): a list of runs of one group; they end when the loop's body does."""
    for served in _Inbox().each(batched=True):
        yield served
        for run in served:
            run.end()


def serve(train, batched=False):
    """Calls train(run) (train(list of runs) when batched) for each that GdSweeps sends; one that raises ends with the
    error (its traceback on stderr, in the run's log) and the worker goes on."""
    for served in _Inbox().each(batched):
        try:
            train(served if batched else served[0])
            error = None
        except Exception as e:  # the run's failure, not the worker's
            traceback.print_exc()
            error = f"{type(e).__name__}: {e}"
        for run in served:
            run.end(error)
