#!/usr/bin/env python3
"""make bench: every performance target of GdSweeps measured against its peer, whole processes, alternating, medians.

Rows (docs/benchmarks.md records one run of this script):
  million     configs/million.yaml against ../shared/peers/million_np.py: wall time, peak RSS, bytes on disk, diverged runs
  fine-edge   configs/fine-edge.yaml (100,000 rates in one group): wall time, and the cost per run of each stage at
              10,000 and at 100,000 rates
  per-sample  configs/fine-edge.yaml --per-sample against the core's FMA peak (tests/GdSweeps.Benchmarks/fma_peak.c)
  scale-study configs/scale-study.yaml against the PyTorch-vectorized peer (and the numpy one)
  threads     1 thread against 2 on configs/million.yaml and on configs/fine-edge.yaml --per-sample
  report      report.html of the million-run sweep: its size
  workers     examples/torch (a PyTorch network, a command trainer) against ../shared/peers/torch_loop.py, the same
              runs in one process: the worker form at 1 and 2 threads, the batched example, the per-run form beside
  progress    the progress line's estimate of each phase's end after 10 % of it, against when the phase ended
  scale       configs/ten-million.yaml (the million's grid, ten times the starts) against the million, alternating:
              time and peak memory; the million with refine: true (its peak memory)

ROUNDS=N rounds (default 3) of each alternating pair; ONLY=workers,million (names above, comma-separated) runs those alone; the peers run with Debian's /usr/bin/python3 (python3-numpy,
python3-torch). Prints each target with what was measured, the ratio, and met or MISSED; exits 0 either way (a
benchmark reports, it does not gate).
"""
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CLI = os.path.join(ROOT, ".build/cli/gdsweeps")
PEERS = os.path.abspath(os.environ.get("PEERS", os.path.join(ROOT, "../shared/peers")))
PYTHON = "/usr/bin/python3"
ROUNDS = int(os.environ.get("ROUNDS", "3"))
TMP = tempfile.mkdtemp(prefix="gdsweeps-bench-")
rows = []  # (target, measured, ratio text, met)


def run(args, cwd=ROOT, env=None):
    """Runs a whole process; returns (wall seconds, peak RSS in MB, stderr)."""
    stats = os.path.join(TMP, "time.txt")
    # The disk settled first: the previous process's files (the numpy peer's npz is never synced, a folder just
    # deleted frees its blocks) would otherwise be written back during this one, on the cores it is timed on.
    os.sync()
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats] + args, cwd=cwd, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    with open(stats) as f:
        rss = int(f.read().split()[-1]) / 1024
    return wall, rss, done.stderr


def gd(config, out, *extra):
    shutil.rmtree(out, ignore_errors=True)
    return run([CLI, "run", config, "--out", out, "--yes", *extra])


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def row(target, measured, ratio, met):
    rows.append((target, measured, ratio, met))
    print(f"  {target}: {measured}; {ratio} -> {'met' if met else 'MISSED'}", flush=True)


def stages(stderr):
    """The per-stage table a --verbose run logs: stage -> (seconds, us per run)."""
    return {m[1]: (float(m[2]), float(m[3])) for m in re.finditer(r"^\s+(\S[\w ()]*?)\s+([\d.]+) s\s+([\d.]+) us/run$", stderr, re.M)}


def sample_steps(stderr):
    return int(re.search(r"\((\d+) sample-steps\)", stderr)[1])


def fma_peak():
    exe = os.path.join(TMP, "fma_peak")
    subprocess.run(["gcc", "-O2", "-mavx2", "-mfma", os.path.join(ROOT, "tests/GdSweeps.Benchmarks/fma_peak.c"), "-o", exe], check=True)
    out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"fma_per_s (\S+)", out)[1])


def million():
    print(f"== million: configs/million.yaml against million_np.py, {ROUNDS} rounds alternating", flush=True)
    tool, peer, rss, peer_rss = [], [], [], []
    for r in range(ROUNDS):
        out = os.path.join(TMP, "million")
        wall, mb, _ = gd("configs/million.yaml", out, "--quiet")
        tool.append(wall)
        rss.append(mb)
        npz = os.path.join(TMP, "million.npz")
        wall, mb, err = run([PYTHON, os.path.join(PEERS, "million_np.py"), npz])
        peer.append(wall)
        peer_rss.append(mb)
        print(f"  round {r + 1}: gdsweeps {tool[-1]:.2f} s ({rss[-1]:.0f} MB), numpy peer {peer[-1]:.2f} s ({peer_rss[-1]:.0f} MB)", flush=True)
    t, p = statistics.median(tool), statistics.median(peer)
    row("million end to end at least 2.5x faster than million_np.py", f"{t:.2f} s against {p:.2f} s (medians)", f"{p / t:.2f}x", p / t >= 2.5)
    row("million peak RSS under 300 MB", f"{max(rss):.0f} MB (highest of {ROUNDS}; peer {max(peer_rss):.0f} MB)", f"{max(rss) / 300:.2f} of the limit", max(rss) < 300)
    size, npz_size = folder_bytes(out), os.path.getsize(npz)
    row("million folder no larger than the peer's npz", f"{size / 1e6:.0f} MB against {npz_size / 1e6:.0f} MB", f"{size / npz_size:.2f} of it", size <= npz_size)
    manifest = open(os.path.join(out, "manifest.json")).read()
    diverged = int(re.search(r'"diverged":\s*(\d+)', manifest)[1])
    peer_diverged = int(re.search(r"(\d+) diverged", err)[1])
    row("million: the same diverged runs as the peer (status diverged <-> loss non-finite or above 1e12)",
        f"{diverged} against {peer_diverged}", "equal" if diverged == peer_diverged else "differ", diverged == peer_diverged)
    html = os.path.getsize(os.path.join(out, "report.html"))
    row("report.html of the million-run sweep under 5 MB", f"{html / 1e6:.2f} MB", f"{html / 5e6:.2f} of the limit", html < 5e6)
    return out


def fine_edge():
    print(f"== fine-edge: configs/fine-edge.yaml (100,000 rates in one group), {ROUNDS} rounds", flush=True)
    walls = []
    for r in range(ROUNDS):
        wall, _, err = gd("configs/fine-edge.yaml", os.path.join(TMP, "fine"), "--verbose")
        walls.append(wall)
    t = statistics.median(walls)
    row("fine-edge end to end under 3 s on this machine", f"{t:.2f} s (median)", f"{t / 3:.2f} of the limit", t < 3)
    big = stages(err)
    ten = "learning_rates={logspace: {from: 1.0e-9, to: 1.0e-6, count: 10000}}"
    _, _, small_err = gd("configs/fine-edge.yaml", os.path.join(TMP, "fine10k"), "--verbose", "--set", ten)
    small = stages(small_err)
    print("  stage          10,000 rates        100,000 rates       per-run ratio", flush=True)
    worst = 0.0
    for stage in big:
        if stage.startswith("total"):
            continue
        (s1, u1), (s2, u2) = small[stage], big[stage]
        ratio = u2 / u1 if u1 > 0 else 0.0
        worst = max(worst, ratio)
        print(f"  {stage:<13} {s1:7.3f} s {u1:8.3f} us/run {s2:7.3f} s {u2:8.3f} us/run {ratio:6.2f}x", flush=True)
    row("fine-edge: each stage's cost per run at 100,000 rates within 1.3x of it at 10,000", f"worst stage {worst:.2f}x", f"{worst:.2f}x", worst <= 1.3)


def per_sample_and_threads(peak):
    # A ratio of two noisy times: more rounds than the others (this machine's times move by a tenth between runs).
    print(f"== threads: 1 against 2, {ROUNDS + 2} rounds alternating, and --per-sample against the FMA peak", flush=True)
    cores = os.cpu_count() or 1
    for config, extra in (("configs/million.yaml", ["--quiet"]), ("configs/fine-edge.yaml", ["--per-sample"])):
        one, two = [], []
        for r in range(ROUNDS + 2):
            one.append(gd(config, os.path.join(TMP, "t1"), *extra, "--threads", "1")[0])
            wall, _, err = gd(config, os.path.join(TMP, "t2"), *extra, "--threads", "2")
            two.append(wall)
            print(f"  round {r + 1}: {config.split('/')[-1]} {' '.join(extra)}: 1 thread {one[-1]:.2f} s, 2 threads {wall:.2f} s ({one[-1] / wall:.2f}x)", flush=True)
        a, b = statistics.median(one), statistics.median(two)
        name = config.split("/")[-1] + (" --per-sample" if "--per-sample" in extra else "")
        row(f"{name}: 2 threads at least 1.8x one", f"{a:.2f} s against {b:.2f} s", f"{a / b:.2f}x", a / b >= 1.8)
        if "--per-sample" in extra:
            steps = sample_steps(err)
            bound = steps * 3 / (peak * min(2, cores))
            row("fine-edge --per-sample against the FMA peak (3 FMAs a sample-step, 2 cores)",
                f"{b:.2f} s for {steps:.3g} sample-steps; the peak allows {bound:.2f} s", f"{b / bound:.2f}x the bound", b >= bound)


def scale_study():
    print(f"== scale-study: configs/scale-study.yaml against the PyTorch-vectorized peer, {ROUNDS + 2} rounds alternating", flush=True)
    if subprocess.run([PYTHON, "-c", "import numpy, torch"], capture_output=True).returncode != 0:
        row("scale-study at least 20x the PyTorch peer", "python3-numpy/python3-torch missing (apt-get install python3-numpy python3-torch)", "-", False)
        return
    tool, torch, numpy = [], [], []
    for r in range(ROUNDS + 2):
        tool.append(gd("configs/scale-study.yaml", os.path.join(TMP, "scale"), "--quiet")[0])
        torch.append(run([PYTHON, os.path.join(PEERS, "torch_vec.py"), "--mode", "manual", "--reps", "1", "--w0", "0", "--exact-clip", "--out", os.path.join(TMP, "t.npz")])[0])
        numpy.append(run([PYTHON, os.path.join(PEERS, "numpy_vec.py"), "--reps", "1", "--w0", "0", "--exact-clip", "--out", os.path.join(TMP, "n.npz")])[0])
    t, p, n = statistics.median(tool), statistics.median(torch), statistics.median(numpy)
    row("scale-study at least 20x the PyTorch-vectorized peer", f"{t:.3f} s against {p:.3f} s (numpy peer {n:.3f} s)", f"{p / t:.1f}x", p / t >= 20)


def logspace(start, stop, count):
    return ",".join(repr(10 ** (math.log10(start) + i * (math.log10(stop) - math.log10(start)) / (count - 1))) for i in range(count))


def workers():
    print(f"== workers: examples/torch against torch_loop.py (the same runs in one process), {ROUNDS} rounds alternating", flush=True)
    if subprocess.run([PYTHON, "-c", "import torch"], capture_output=True).returncode != 0:
        row("workers: the worker form within 1.2x of torch_loop.py", "python3-torch missing (apt-get install python3-torch)", "-", False)
        return
    out = os.path.join(TMP, "worker")
    data = os.path.join(TMP, "torch-data")
    gd("examples/torch/worker.yaml", out, "--quiet", "--threads", "1")
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(os.path.join(out, "data"), data)

    def loop(rates):
        return run([PYTHON, os.path.join(PEERS, "torch_loop.py"), "--script", "examples/torch/train.py", "--data-dir", data,
                    "--rates", rates, "--steps", "150"])[0]

    # The best two processes can do: two loops at once, each over one transform's half of the runs.
    halves = []
    for k, meta in enumerate(sorted(f for f in os.listdir(data) if f.endswith(".json"))):
        half = os.path.join(TMP, f"torch-half-{k}")
        shutil.rmtree(half, ignore_errors=True)
        os.makedirs(half)
        for suffix in (".json", ".csv"):
            shutil.copy(os.path.join(data, meta[:-5] + suffix), half)
        halves.append(half)

    def two_loops(rates):
        start = time.perf_counter()
        both = [subprocess.Popen([PYTHON, os.path.join(PEERS, "torch_loop.py"), "--script", "examples/torch/train.py",
                                  "--data-dir", half, "--rates", rates, "--steps", "150"], cwd=ROOT, stdout=subprocess.DEVNULL)
                for half in halves]
        if any(p.wait() != 0 for p in both):
            sys.exit("bench: torch_loop.py failed")
        return time.perf_counter() - start

    small, large = logspace(0.001, 3, 20), logspace(0.001, 3, 200)
    peer, one, two, big_peer, batched, pair = [], [], [], [], [], []
    for r in range(ROUNDS):
        peer.append(loop(small))
        pair.append(two_loops(small))
        one.append(gd("examples/torch/worker.yaml", out, "--quiet", "--threads", "1")[0])
        two.append(gd("examples/torch/worker.yaml", out, "--quiet", "--threads", "2")[0])
        big_peer.append(loop(large))
        batched.append(gd("examples/torch_batched/batched.yaml", os.path.join(TMP, "batched"), "--quiet", "--threads", "2")[0])
        print(f"  round {r + 1}: 40 runs: loop {peer[-1]:.2f} s (two half-loops at once {pair[-1]:.2f} s), workers {one[-1]:.2f} s at 1 thread, {two[-1]:.2f} s at 2; "
              f"400 runs: loop {big_peer[-1]:.2f} s, batched {batched[-1]:.2f} s", flush=True)
    rates = "learning_rates={logspace: {from: 0.001, to: 3, count: 20}}"
    per_run = gd("examples/torch/torch.yaml", os.path.join(TMP, "per-run"), "--quiet", "--threads", "1", "--set", rates)[0]
    p, a, b = statistics.median(peer), statistics.median(one), statistics.median(two)
    row("workers: examples/torch's 40 runs served at --threads 1 within 1.2x of torch_loop.py",
        f"{a:.2f} s against {p:.2f} s (medians; the per-run form {per_run:.2f} s, once)", f"{a / p:.2f}x the loop", a / p <= 1.2)
    w = statistics.median(pair)
    row("workers: the same at --threads 2 at least 1.35x faster than the loop",
        f"{b:.2f} s against {p:.2f} s; two loops at once, each over half the runs (the most two processes can do here, "
        f"each paying torch's start-up), take {w:.2f} s: {p / w:.2f}x", f"{p / b:.2f}x", p / b >= 1.35)
    q, c = statistics.median(big_peer), statistics.median(batched)
    row("workers: examples/torch_batched (2 x 200 rates, batch: 200) at --threads 2 at least 4x faster than the loop",
        f"{c:.2f} s against {q:.2f} s", f"{q / c:.2f}x", q / c >= 4)


def progress():
    print("== progress: each phase's estimated end after 10 % of it, against its real end (configs/million.yaml)", flush=True)
    out = os.path.join(TMP, "progress")
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, GDSWEEPS_PROGRESS_LOG="1")
    _, _, err = run([CLI, "run", "configs/million.yaml", "--out", out, "--yes"], env=env)
    # Lines: "progress PHASE DONE TOTAL ELAPSED_S LEFT_S" (elapsed since the phase began), one per update.
    lines = [(m[1], int(m[2]), int(m[3]), float(m[4]), float(m[5])) for m in re.finditer(r"^progress (\S+) (\d+) (\d+) ([\d.]+) ([\d.]+)$", err, re.M)]
    worst = 1.0
    for phase in dict.fromkeys(l[0] for l in lines):
        ups = [l for l in lines if l[0] == phase]
        end = ups[-1][3]
        first = next((l for l in ups if l[2] > 0 and l[1] >= 0.1 * l[2] and l[1] < l[2]), None)
        if first is None or end < 0.5:
            print(f"  {phase}: {end:.2f} s, too short to estimate", flush=True)
            continue
        estimate = first[3] + first[4]
        factor = max(estimate / end, end / estimate)
        worst = max(worst, factor)
        print(f"  {phase}: at {100 * first[1] / first[2]:.0f} % estimated {estimate:.2f} s, took {end:.2f} s ({factor:.2f}x)", flush=True)
    row("progress estimate within 2x of the truth after 10 % of each phase", f"worst {worst:.2f}x", f"{worst:.2f}x", worst <= 2)


def scale():
    print(f"== scale: configs/ten-million.yaml against configs/million.yaml, {ROUNDS} rounds alternating; the refined million", flush=True)
    one, ten, one_rss, ten_rss, refined = [], [], [], [], []
    for r in range(ROUNDS):
        wall, mb, _ = gd("configs/million.yaml", os.path.join(TMP, "million"), "--quiet")
        one.append(wall)
        one_rss.append(mb)
        wall, mb, _ = gd("configs/ten-million.yaml", os.path.join(TMP, "ten-million"), "--quiet")
        ten.append(wall)
        ten_rss.append(mb)
        shutil.rmtree(os.path.join(TMP, "ten-million"), ignore_errors=True)  # 6.7 GB
        refined.append(gd("configs/million.yaml", os.path.join(TMP, "refined"), "--quiet", "--set", "refine=true")[1])
        print(f"  round {r + 1}: million {one[-1]:.2f} s ({one_rss[-1]:.0f} MB), ten million {ten[-1]:.2f} s ({ten_rss[-1]:.0f} MB), refined million {refined[-1]:.0f} MB", flush=True)
    t1, t10 = statistics.median(one), statistics.median(ten)
    m1, m10 = statistics.median(one_rss), statistics.median(ten_rss)
    row("ten-million within 10.5x the million's time", f"{t10:.2f} s against {t1:.2f} s (medians)", f"{t10 / t1:.2f}x", t10 / t1 <= 10.5)
    row("ten-million within 1.1x the million's peak memory", f"{m10:.0f} MB against {m1:.0f} MB (medians)", f"{m10 / m1:.2f}x", m10 / m1 <= 1.1)
    row("the refined million (refine: true) under 300 MB", f"{max(refined):.0f} MB (highest of {ROUNDS})", f"{max(refined) / 300:.2f} of the limit", max(refined) < 300)


def main():
    if not os.access(CLI, os.X_OK):
        sys.exit("bench: build the command first (make build)")
    for peer in ("million_np.py", "torch_vec.py", "numpy_vec.py", "torch_loop.py"):
        if not os.path.exists(os.path.join(PEERS, peer)):
            sys.exit(f"bench: peer {peer} not found in {PEERS} (set PEERS)")
    print(f"gdsweeps {subprocess.run([CLI, '--version'], capture_output=True, text=True).stdout.strip()}, {os.cpu_count()} cores, {ROUNDS} rounds; load {os.getloadavg()[0]:.2f}", flush=True)
    peak = fma_peak()
    print(f"FMA peak of one core: {peak:.3g} double FMAs/s", flush=True)
    sections = {"million": million, "fine-edge": fine_edge, "scale-study": scale_study,
                "threads": lambda: per_sample_and_threads(peak), "workers": workers, "progress": progress, "scale": scale}
    only = [s for s in os.environ.get("ONLY", "").split(",") if s]
    if unknown := [s for s in only if s not in sections]:
        sys.exit(f"bench: ONLY names {', '.join(unknown)}; the sections are {', '.join(sections)}")
    try:
        for name, section in sections.items():
            if not only or name in only:
                section()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("\n| target | measured | ratio | |\n|---|---|---|---|")
    for target, measured, ratio, met in rows:
        print(f"| {target} | {measured} | {ratio} | {'met' if met else '**missed**'} |")
    print(f"\n{sum(1 for r in rows if r[3])} of {len(rows)} targets met; load at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
