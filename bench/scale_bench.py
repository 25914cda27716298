"""Measure the main pages on a small database and on a national helpline's years of calls.

    .venv/bin/python bench/scale_bench.py                      # 1,000 and 1,000,000 calls, SQLite and PostgreSQL
    .venv/bin/python bench/scale_bench.py --calls 100000 --backends sqlite --repeat 5

Each database is migrated with the real migrations, filled by bench/datagen.py, then every page is
requested in-process with Flask's test client (server-side time only: routing, queries, templates),
warmed up, then timed REPEAT times; the median counts. Target: at the large size no page is more
than 1.5 times slower than at the small one. Writes bench/results.json and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from datagen import Landmarks, Sizes, generate  # noqa: E402

from helpline import create_app  # noqa: E402
from helpline.auth.passwords import hash_password  # noqa: E402
from models import db  # noqa: E402

PASSWORD = "bench-horse-battery"
TARGET_RATIO = 1.5
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _local_phone(e164: str) -> str:
    digits = "0" + e164[3:]
    return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"


def pages(marks: Landmarks, today: dt.date) -> list[tuple[str, str, str, object]]:
    """Return the measured requests: (name, role, path, form data or None for a GET)."""
    year_start = (today - dt.timedelta(days=365)).isoformat()
    return [
        ("home (nurse worklist)", "nurse", "/", None),
        ("person search by name", "nurse", f"/persons/search?q={marks.frequent_name}", None),
        ("person search by phone", "nurse", f"/persons/search?q={_local_phone(marks.frequent_phone)}", None),
        ("person page (frequent caller)", "nurse", f"/persons/{marks.frequent_person_id}", None),
        # Filters chosen so that both databases fill a whole page (50 calls): same rendering work.
        (
            "calls list: caller type + last year",
            "nurse",
            f"/calls/?caller_type=carer&date_from={year_start}&date_to={today.isoformat()}",
            None,
        ),
        ("calls list: topic + caller type", "nurse", "/calls/?caller_type=carer&topic=care", None),
        ("dashboard, one year", "coordinator", f"/reports/?start={year_start}&end={today.isoformat()}", None),
        ("log a call (submit, triage, save)", "nurse", "/calls/new", "CALL"),
    ]


def call_form(n: int) -> dict:
    """Return a new call about a new (synthetic) person, for the save → redirect measure."""
    now = dt.datetime.now()
    return {
        "direction": "incoming",
        "started_at": now.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "9",
        "channel": "phone",
        "caller_phone": f"0470 99 {n // 100 % 100:02d} {n % 100:02d}",
        "caller_type": "carer",
        "caller_name": "Paul Appelant",
        "caller_relation": "fils",
        "first_name": "Benchine",
        "last_name": f"Mesurée{uuid.uuid4().hex[:8]}",
        "birth_date": "1940-05-17",
        "postcode": "4020",
        "lives_alone": "yes",
        "consent": "yes",
        "consent_date": dt.date.today().isoformat(),
        "topics": ["carer_support"],
        "summary": "Fils épuisé, cherche du répit.",
        "route": "external",
        "confirm_new_person": "y",
        "action": "save",
    }


def _time(client, path: str, data, n: int) -> float:
    start = time.perf_counter()
    if data is None:
        response = client.get(path)
        expected = 200
    else:
        response = client.post(path, data=call_form(n))
        expected = 302
    elapsed = time.perf_counter() - start
    if response.status_code != expected:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.get_data(as_text=True)[:500]}")
    return elapsed


class Site:
    """The app on one benchmark database, with a logged-in client per role."""

    def __init__(self, url: str, marks: Landmarks):
        self.app = create_app(
            {
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SQLALCHEMY_DATABASE_URI": url,
                "RATELIMIT_ENABLED": False,
                "TRIAGE_CANDIDATES_DIR": tempfile.mkdtemp(prefix="bench-rules-"),
            }
        )
        self.marks, self.clients, self.counter = marks, {}, 0
        for role, email in (("nurse", marks.nurse_email), ("coordinator", marks.coordinator_email)):
            client = self.app.test_client()
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            if response.status_code != 302:
                raise RuntimeError(f"login as {role} failed: {response.status_code}")
            self.clients[role] = client

    def pages(self) -> list[tuple[str, str, str, object]]:
        """Return the pages this app has (the dashboard only once the reports area exists)."""
        return [
            p
            for p in pages(self.marks, dt.date.today())
            if not p[2].startswith("/reports") or "reports.index" in self.app.view_functions
        ]

    def time(self, role: str, path: str, data) -> float:
        """Return the milliseconds one request takes."""
        self.counter += 1
        return _time(self.clients[role], path, data, self.counter) * 1000

    def close(self) -> None:
        """Release the database connections."""
        with self.app.app_context():
            db.engine.dispose()


def measure(sites: list[Site], repeat: int, warmup: int = 2) -> list[dict[str, float]]:
    """Return the median milliseconds of every page on every site, rounds interleaved across sites
    so that load on the machine hits every database alike."""
    samples: list[dict[str, list[float]]] = [{} for _ in sites]
    for name, role, path, data in sites[0].pages():
        for i in range(warmup + repeat):
            for site, mine in zip(sites, samples, strict=True):
                elapsed = site.time(role, path, data)
                if i >= warmup:
                    mine.setdefault(name, []).append(elapsed)
    return [{name: round(statistics.median(values), 2) for name, values in mine.items()} for mine in samples]


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


class Database:
    """A benchmark database created for one run and dropped after it."""

    def __init__(self, backend: str, calls: int, workdir: Path):
        self.backend, self.calls = backend, calls
        if backend == "sqlite":
            self.path = workdir / f"bench_{calls}.db"
            self.path.unlink(missing_ok=True)
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"helpline_bench_{calls}_{os.getpid()}"
            self.admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            with self.admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}"'))
                conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            self.url = sa.make_url(PG_SERVER).set(database=self.name).render_as_string(hide_password=False)

    def drop(self) -> None:
        """Remove the database."""
        if self.backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        else:
            with self.admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            self.admin.dispose()


def postgres_available() -> bool:
    """Tell whether the PostgreSQL server of the benchmark answers."""
    try:
        engine = sa.create_engine(PG_SERVER, poolclass=sa.pool.NullPool)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


def fill(database: Database, password_hash: str) -> tuple[Landmarks, float]:
    """Migrate and fill one database; return its landmarks and the seconds it took."""
    started = time.perf_counter()
    _migrate(database.url)
    engine = sa.create_engine(database.url, poolclass=sa.pool.NullPool)
    marks = generate(engine, Sizes.scaled(database.calls), password_hash=password_hash)
    engine.dispose()
    generated = time.perf_counter() - started
    print(f"  {database.backend} {database.calls:>9,} calls: generated in {generated:.0f} s", flush=True)
    return marks, generated


def run_backend(backend: str, sizes: tuple[int, ...], repeat: int, workdir: Path, password_hash: str) -> dict:
    """Create and fill one database per size, measure them side by side, drop them."""
    databases = [Database(backend, calls, workdir) for calls in sizes]
    sites = []
    try:
        filled = [fill(database, password_hash) for database in databases]
        sites = [Site(database.url, marks) for database, (marks, _) in zip(databases, filled, strict=True)]
        figures = measure(sites, repeat)
        return {
            str(database.calls): {"generation_seconds": round(seconds, 1), "pages_ms": pages_ms}
            for database, (_, seconds), pages_ms in zip(databases, filled, figures, strict=True)
        }
    finally:
        for site in sites:
            site.close()
        for database in databases:
            database.drop()


def table(results: dict, small: int, large: int) -> str:
    """Return the results as a Markdown table."""
    lines = [
        f"| backend | page | {small:,} calls (ms) | {large:,} calls (ms) | ratio | target ≤ {TARGET_RATIO} |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for backend, sizes in results["backends"].items():
        small_pages, large_pages = sizes[str(small)]["pages_ms"], sizes[str(large)]["pages_ms"]
        for name, ms in small_pages.items():
            big = large_pages.get(name)
            ratio = big / ms if big else float("nan")
            lines.append(
                f"| {backend} | {name} | {ms:.1f} | {big:.1f} | {ratio:.2f} | "
                f"{'ok' if ratio <= TARGET_RATIO else 'MISSED'} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the scale benchmark; exit 1 when a page misses the target."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1_000_000, help="calls in the large database")
    parser.add_argument("--small", type=int, default=1_000, help="calls in the small database")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    if "postgresql" in backends and not postgres_available():
        print(f"PostgreSQL does not answer at {PG_SERVER}: measuring SQLite only", file=sys.stderr)
        backends.remove("postgresql")
    password_hash = hash_password(PASSWORD)
    results = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "repeat": args.repeat,
        "sizes": {str(n): Sizes.scaled(n).__dict__ for n in (args.small, args.calls)},
        "target_ratio": TARGET_RATIO,
        "backends": {},
    }
    with tempfile.TemporaryDirectory(prefix="helpline-bench-", dir=os.environ.get("BENCH_DIR")) as tmp:
        for backend in backends:
            results["backends"][backend] = run_backend(
                backend, (args.small, args.calls), args.repeat, Path(tmp), password_hash
            )
            print(table({"backends": {backend: results["backends"][backend]}}, args.small, args.calls), flush=True)
    text = table(results, args.small, args.calls)
    Path(args.output).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print("\n" + text)
    return 1 if "MISSED" in text else 0


if __name__ == "__main__":
    sys.exit(main())
