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
from types import SimpleNamespace

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from datagen import Landmarks, Sizes, generate  # noqa: E402

from helpline import create_app  # noqa: E402
from helpline.auth.passwords import hash_password  # noqa: E402
from helpline.referrals.links import make_token  # noqa: E402
from models import db  # noqa: E402

PASSWORD = "bench-horse-battery"
TARGET_RATIO = 1.5
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _local_phone(e164: str) -> str:
    digits = "0" + e164[3:]
    return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}"


def pages(marks: Landmarks, today: dt.date, answer_token: str = "") -> list[tuple[str, str, str, object]]:
    """Return the measured requests: (name, role, path, form data or None for a GET)."""
    year_start = (today - dt.timedelta(days=365)).isoformat()
    known_caller = f"/calls/new?person_id={marks.frequent_person_id}&caller_phone={_local_phone(marks.carer_phone)}"
    return [
        # The nurse's home holds the calls to return (the callbacks list has no page of its own).
        ("home (nurse worklist, calls to return)", "nurse", "/", None),
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
        ("call page, known caller (context panel)", "nurse", known_caller, None),
        ("case manager's home", "case_manager", "/", None),
        ("team meeting (agenda, weekly review)", "coordinator", "/meeting/", None),
        (
            "structures' scorecard, one year (CSV)",
            "coordinator",
            f"/reports/structure_scorecard.csv?start={year_start}&end={today.isoformat()}",
            None,
        ),
        ("structure's answer page", "structure", f"/answer/{answer_token}", None),
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
        self.marks, self.clients, self.counter = marks, {"structure": self.app.test_client()}, 0
        with self.app.test_request_context():  # the structure's link to its referral
            self.answer_token = make_token(
                SimpleNamespace(id=marks.answer_referral_id, structure_id=marks.answer_structure_id)
            )
        logins = (
            ("nurse", marks.nurse_email),
            ("coordinator", marks.coordinator_email),
            ("case_manager", marks.manager_email),
        )
        for role, email in logins:
            client = self.app.test_client()
            response = client.post("/login", data={"email": email, "password": PASSWORD})
            if response.status_code != 302:
                raise RuntimeError(f"login as {role} failed: {response.status_code}")
            self.clients[role] = client

    def pages(self) -> list[tuple[str, str, str, object]]:
        """Return the pages this app has (the dashboard only once the reports area exists)."""
        return [
            p
            for p in pages(self.marks, dt.date.today(), self.answer_token)
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
    for requests in zip(*(site.pages() for site in sites), strict=True):  # a page's path may name a site's row
        for i in range(warmup + repeat):
            for site, mine, (name, role, path, data) in zip(sites, samples, requests, strict=True):
                elapsed = site.time(role, path, data)
                if i >= warmup:
                    mine.setdefault(name, []).append(elapsed)
    return [{name: round(statistics.median(values), 2) for name, values in mine.items()} for mine in samples]


def slowest_statement(site: Site, role: str, path: str, data) -> dict:
    """Time every SQL statement of one request; return the slowest with the database's plan of it
    (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""
    with site.app.app_context():
        engine = db.engine
    timings: list[tuple[float, str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        started = conn.info["bench_started"].pop()
        if not executemany:
            timings.append((time.perf_counter() - started, statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        total = site.time(role, path, data)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    found = {"request_ms": round(total, 2), "statements": len(timings)}
    found["sql_ms"] = round(sum(t for t, _, _ in timings) * 1000, 2)
    if not timings:
        return found
    elapsed, statement, parameters = max(timings, key=lambda t: t[0])
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
        conn.rollback()
    if engine.dialect.name == "sqlite":  # (id, parent, notused, detail)
        depth = {0: 0}
        plan = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, 0) + 1
            plan.append("  " * (depth[node] - 1) + detail)
    else:
        plan = [row[0] for row in rows]
    found.update(slowest_ms=round(elapsed * 1000, 2), statement=statement, parameters=repr(parameters)[:300])
    found["plan"] = plan
    return found


def explain_missed(sites: list[Site], figures: list[dict[str, float]]) -> dict[str, dict]:
    """For every page of the large site that misses the target, print where its time goes."""
    small, large = figures[0], figures[-1]
    found = {}
    for name, role, path, data in sites[-1].pages():
        if name not in small or large[name] <= TARGET_RATIO * small[name]:
            continue
        found[name] = where = slowest_statement(sites[-1], role, path, data)
        print(
            f"  MISSED {name}: {where['request_ms']:.1f} ms, {where['statements']} statements, "
            f"{where['sql_ms']:.1f} ms of SQL",
            flush=True,
        )
        if "statement" in where:
            print(f"    slowest, {where['slowest_ms']:.1f} ms: {' '.join(where['statement'].split())[:1500]}")
            print(f"    parameters: {where['parameters']}")
            print("    plan:\n" + "\n".join(f"      {line}" for line in where["plan"]), flush=True)
    return found


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
        results = {
            str(database.calls): {"generation_seconds": round(seconds, 1), "pages_ms": pages_ms}
            for database, (_, seconds), pages_ms in zip(databases, filled, figures, strict=True)
        }
        missed = explain_missed(sites, figures)
        if missed:
            results[str(databases[-1].calls)]["missed"] = missed
        return results
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
