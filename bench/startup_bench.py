"""Start-up cost: `create_app()` and `helpline triage one.json` against importing Flask and SQLAlchemy.

    .venv/bin/python bench/startup_bench.py [--rounds 5]

Each command runs in a fresh interpreter of this virtualenv, in turns, `--rounds` times; the figure
kept is the best wall time and the peak resident memory (ru_maxrss of the child) of each, after an
unmeasured warm-up round that writes every module's bytecode to a private cache. Target:
both within 2x the time and 2x the memory of `python -c "import flask, sqlalchemy, flask_sqlalchemy"`.
Prints a table and exits 1 when a target is missed. The results go in bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIGNETTE = ROOT / "tests" / "fixtures" / "triage" / "vignettes" / "chest-pain.json"
TARGET = 2.0


def _commands(folder: Path) -> dict[str, list[str]]:
    request = json.loads(VIGNETTE.read_text())
    one = folder / "one.json"
    one.write_text(json.dumps(request.get("input", request)))
    python = sys.executable
    return {
        "import flask, sqlalchemy, flask_sqlalchemy": [python, "-c", "import flask, sqlalchemy, flask_sqlalchemy"],
        "create_app()": [python, "-c", "from helpline import create_app; create_app()"],
        "helpline triage one.json": [python, "-c", "from helpline.cli import main; main()", "triage", str(one)],
    }


def _run(command: list[str], env: dict) -> tuple[float, float]:
    """Return (seconds, peak MB) of one run of command in a fresh process."""
    start = time.perf_counter()
    pid = os.posix_spawn(command[0], command, env)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {os.waitstatus_to_exitcode(status)})")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    """Measure and print the figures; return 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        env = {**os.environ, "HELPLINE_INSTANCE_DIR": folder, "PYTHONPATH": str(ROOT)}
        env.pop("DATABASE_URL", None)  # the embedded SQLite file: nothing to reach
        # Bytecode as an installed app has it: pip compiles what it installs, but an editable checkout
        # run with PYTHONDONTWRITEBYTECODE (as here) would recompile the app's ~180 modules on every
        # start and not the libraries'. Every command reads its bytecode from one cache, written by
        # the unmeasured warm-up round.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        commands = _commands(Path(folder))
        devnull = os.open(os.devnull, os.O_WRONLY)
        saved = os.dup(1)
        best: dict[str, tuple[float, float]] = {}
        try:
            os.dup2(devnull, 1)  # the triage decision is not part of the figures
            for command in commands.values():  # the warm-up round writes the bytecode cache
                _run(command, env)
            for _ in range(args.rounds):  # in turns, so the machine's load hits all alike
                for name, command in commands.items():
                    seconds, mb = _run(command, env)
                    old = best.get(name, (float("inf"), 0.0))
                    best[name] = (min(old[0], seconds), max(old[1], mb))
        finally:
            os.dup2(saved, 1)
            os.close(devnull)
    base_s, base_mb = best["import flask, sqlalchemy, flask_sqlalchemy"]
    print(f"{'command':<44} {'best time':>10} {'x base':>7} {'peak MB':>8} {'x base':>7}")
    missed = False
    for name, (seconds, mb) in best.items():
        print(f"{name:<44} {seconds:>9.2f}s {seconds / base_s:>7.2f} {mb:>8.1f} {mb / base_mb:>7.2f}")
        if name != "import flask, sqlalchemy, flask_sqlalchemy":
            missed |= seconds > TARGET * base_s or mb > TARGET * base_mb
    print(
        f"target: within {TARGET:g}x the time and {TARGET:g}x the memory of the import line; "
        + ("MISSED" if missed else "met")
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
