"""Benchmark fit_topics against bare scikit-learn TF-IDF + NMF on the same synthetic notes.

Usage: python bench/topics_bench.py [--notes 100000] [--topics 8] [--repeat 3] [--no-tracemalloc]
Exits 1 when the best fit_topics time exceeds 1.3x the best bare time (best of --repeat runs,
which resists load from other processes; medians are printed too).

Each measurement runs in a fresh subprocess that imports the same modules and generates the same
seeded notes before the clock starts; the RSS high-water mark is then reset (/proc/self/clear_refs),
so "peak RSS" is the process peak during the fit and "RSS grow" is that peak minus the RSS at start.
A separate, untimed subprocess per variant measures the tracemalloc peak (numpy buffers included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "topics")]

VARIANTS = ("fit_topics", "bare")
TARGET = 1.3  # fit_topics may take at most 1.3x the bare scikit-learn time


def _status_mb(field: str) -> float:
    """Return a memory field of /proc/self/status (VmRSS, VmHWM) in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak_rss() -> bool:
    """Reset the RSS high-water mark (Linux >= 4.0) so the peak covers the fit only."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _run_ours(notes: list[str], topics: int, seed: int, stages: dict[str, float]) -> dict:
    """Fit with fit_topics, timing each step through the progress callback."""
    from topics_synth import KNOWN_NAMES

    from helpline.reports.topicmodel import fit_topics

    last = time.perf_counter()

    def on_step(step: str, done: int, total: int) -> None:
        nonlocal last
        if done == total:
            now = time.perf_counter()
            stages[step] = round(now - last, 3)
            last = now

    result = fit_topics(notes, n_topics=topics, seed=seed, names=KNOWN_NAMES, progress=on_step)
    return {"n_iter": result.params["n_iter"], "vocab": result.params["vocabulary_size"]}


def _run_bare(notes: list[str], topics: int, seed: int, stages: dict[str, float]) -> dict:
    """Fit a bare TfidfVectorizer + NMF on raw text with the same numeric settings."""
    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    from helpline.reports.topicmodel import corpus_limits

    t0 = time.perf_counter()
    min_df, max_df = corpus_limits(len(notes))
    vectorizer = TfidfVectorizer(min_df=min_df, max_df=max_df, max_features=20000, sublinear_tf=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(notes)
    t1 = time.perf_counter()
    nmf = NMF(n_components=topics, init="nndsvda", random_state=seed, max_iter=400, tol=1e-4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        doc_topic = nmf.fit_transform(matrix)
    t2 = time.perf_counter()
    doc_topic.argmax(axis=1)
    vocab = vectorizer.get_feature_names_out()
    [[vocab[j] for j in np.argsort(-row)[:10]] for row in nmf.components_]
    stages.update(vectorise=round(t1 - t0, 3), factorise=round(t2 - t1, 3), assign=round(time.perf_counter() - t2, 3))
    return {"n_iter": int(nmf.n_iter_), "vocab": len(vocab)}


def worker(variant: str, n_notes: int, topics: int, seed: int, trace: bool) -> None:
    """Run one variant once and print its measurements as one JSON line."""
    import sklearn.decomposition  # noqa: F401
    from topics_synth import make_notes

    import helpline.reports.topicmodel  # noqa: F401  same imports in both variants

    notes, _ = make_notes(n_notes, seed=seed)
    reset = _reset_peak_rss()
    rss_before = _status_mb("VmRSS")
    if trace:
        tracemalloc.start()
    stages: dict[str, float] = {}
    start = time.perf_counter()
    extra = (_run_ours if variant == "fit_topics" else _run_bare)(notes, topics, seed, stages)
    seconds = time.perf_counter() - start
    peak = _status_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "variant": variant,
        "seconds": round(seconds, 3),
        "stages": stages,
        **extra,
        "rss_before_mb": round(rss_before, 1),
        "peak_rss_mb": round(peak, 1),
        "peak_reset": reset,
    }
    if trace:
        out["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    print(json.dumps(out))


def _spawn(variant: str, args: argparse.Namespace, trace: bool) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        variant,
        "--notes",
        str(args.notes),
        "--topics",
        str(args.topics),
        "--seed",
        str(args.seed),
    ] + (["--trace"] if trace else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{variant} worker failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    """Parse arguments, run the workers alternately and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the untimed tracemalloc runs")
    parser.add_argument("--worker", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.notes, args.topics, args.seed, args.trace)
        return
    runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
    for i in range(args.repeat):
        for variant in VARIANTS if i % 2 == 0 else VARIANTS[::-1]:
            runs[variant].append(_spawn(variant, args, trace=False))
    traced = {v: None if args.no_tracemalloc else _spawn(v, args, trace=True) for v in VARIANTS}
    import sklearn

    print(
        f"notes={args.notes} topics={args.topics} repeat={args.repeat} cpus={os.cpu_count()} "
        f"python={platform.python_version()} sklearn={sklearn.__version__}"
    )
    head = (
        f"{'variant':<11} {'median s':>9} {'min s':>7} {'NMF it':>6} {'vocab':>6} {'peak RSS':>9} "
        f"{'RSS grow':>9} {'tracemal':>9}  stages (median s)"
    )
    print(head + "\n" + "-" * len(head))
    medians, best = {}, {}
    for variant, results in runs.items():
        medians[variant] = statistics.median(r["seconds"] for r in results)
        best[variant] = min(r["seconds"] for r in results)
        stage_names = results[0]["stages"]
        stages = " ".join(f"{s} {statistics.median(r['stages'][s] for r in results):.2f}" for s in stage_names)
        peak = statistics.median(r["peak_rss_mb"] for r in results)
        grow = statistics.median(r["peak_rss_mb"] - r["rss_before_mb"] for r in results)
        trace = f"{traced[variant]['tracemalloc_peak_mb']:.0f} MB" if traced[variant] else "-"
        print(
            f"{variant:<11} {medians[variant]:>9.2f} {best[variant]:>7.2f} "
            f"{results[0]['n_iter']:>6} {results[0]['vocab']:>6} {peak:>6.0f} MB {grow:>6.0f} MB {trace:>9}  {stages}"
        )
    ratio = best["fit_topics"] / best["bare"]
    print(
        f"\nfit_topics / bare, best of {args.repeat} = {ratio:.2f}x (median: "
        f"{medians['fit_topics'] / medians['bare']:.2f}x; target <= {TARGET:.2f}x): "
        f"{'OK' if ratio <= TARGET else 'OVER TARGET'}"
    )
    if ratio > TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
