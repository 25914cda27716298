"""Load the inbound voice webhook under gunicorn, against a bare route serving the same TwiML.

Run from the project root:  .venv/bin/python bench/telephony_bench.py [--requests 2000]

Both routes are served by the same gunicorn (same workers, same run). The webhook does the full
work: X-Twilio-Signature check with RequestValidator, an idempotent insert of the PhoneCall, the
opening-hours check and the TwiML. Both routes are warmed up before timing. Clients are threads on
loopback, each request a new connection, bounded by a request count and a time limit. Target: webhook
throughput >= 0.5x bare.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AUTH_TOKEN = "bench-auth-token"
WARM_UP = 200  # calls per route before timing
SETTINGS = {
    "TWILIO_ACCOUNT_SID": "AC" + "b" * 32,
    "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
    "TWILIO_PHONE_NUMBER": "+3225550000",
    "HELPLINE_OPENING_HOURS": "mon-sun 00:00-23:59",
    "SECRET_KEY": "bench-secret",
    "TELEPHONY_PUBLIC_URL": "http://127.0.0.1",
}


def make_app():
    """Return the helpline app plus a bare route answering the same static TwiML (gunicorn entry)."""
    from helpline import create_app
    from helpline.telephony import twiml

    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"]})
    static = twiml.inbound_greeting(
        queue_name="infirmieres",
        wait_url="http://127.0.0.1/twilio/queue/wait",
        action_url="http://127.0.0.1/twilio/queue/leave",
    )

    def bare():
        return app.response_class(static, mimetype="text/xml")

    app.add_url_rule("/bench/bare", "bench_bare", bare, methods=["POST"])
    from helpline import permissions
    from helpline.extensions import csrf

    # The bare baseline route is public for this benchmark process only.
    permissions.PUBLIC_ENDPOINTS = permissions.PUBLIC_ENDPOINTS | {"bench_bare"}
    csrf.exempt(bare)
    return app


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from helpline import create_app
    from models import db

    app = create_app({**SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    log = io.StringIO()
    try:
        with app.app_context(), contextlib.redirect_stderr(log):  # Alembic's INFO lines, unless it fails
            upgrade()
            db.engine.dispose()
    except Exception:
        sys.stderr.write(log.getvalue())
        raise


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def _voice_bodies(port: int, count: int) -> list[tuple[bytes, str]]:
    """Return signed form bodies for ``count`` distinct inbound calls (signed before timing)."""
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    url = f"http://127.0.0.1:{port}/twilio/voice"
    bodies = []
    for i in range(count):
        params = {
            "CallSid": "CA" + uuid.uuid4().hex,
            "From": f"+324700{i % 100000:05d}",
            "To": SETTINGS["TWILIO_PHONE_NUMBER"],
            "CallStatus": "ringing",
            "Direction": "inbound",
        }
        bodies.append((urllib.parse.urlencode(params).encode(), validator.compute_signature(url, params)))
    return bodies


def _load(port: int, path: str, bodies: list[tuple[bytes, str]], clients: int, limit: float) -> dict:
    """Post every body with ``clients`` threads; return throughput, latencies and failures."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    index = iter(range(len(bodies)))
    stop_at = time.monotonic() + limit

    def worker() -> None:
        while time.monotonic() < stop_at:
            with lock:
                i = next(index, None)
            if i is None:
                return
            body, signature = bodies[i]
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request(
                    "POST",
                    path,
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
                )
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            finally:
                conn.close()
            with lock:
                latencies.append(time.perf_counter() - started)
                failures[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {"latencies": ordered, "failures": failures[0], "elapsed": elapsed}


def _combine(results: list[dict]) -> dict:
    """Sum alternating rounds into throughput and latency percentiles."""
    ordered = sorted(x for r in results for x in r["latencies"])
    return {
        "requests": len(ordered),
        "failures": sum(r["failures"] for r in results),
        "rps": len(ordered) / sum(r["elapsed"] for r in results),
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000,
    }


@contextlib.contextmanager
def _database(server: str, tmp: str):
    """Yield a scratch PostgreSQL database (dropped afterwards), or a SQLite file without a server."""
    import sqlalchemy as sa

    from helpline.config import database_url

    if not server:
        yield f"sqlite:///{tmp}/bench.db"
        return
    admin = sa.create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    name = f"telephony_bench_{os.getpid()}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        print("PostgreSQL unreachable: benchmarking on SQLite")
        yield f"sqlite:///{tmp}/bench.db"
        return
    try:
        yield sa.make_url(database_url(server)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    """Run both loads under one gunicorn and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests per route")
    parser.add_argument("--clients", type=int, default=16, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (more than 1: gunicorn's gthread workers)"
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per round at most")
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds per route")
    parser.add_argument(
        "--synchronous-commit",
        action="store_true",
        help="wait for the WAL flush of each inbound record (TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT)",
    )
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to create a scratch database on ('' for SQLite)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, _database(args.postgres, tmp) as url:
        _migrate(url)
        port = _free_port()
        env = {
            **os.environ,
            "BENCH_DATABASE_URL": url,
            "HELPLINE_INSTANCE_DIR": tmp,
            "TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT": "1" if args.synchronous_commit else "0",
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(ROOT / "bench"),
                "--log-level",
                "warning",
                "--pythonpath",
                str(ROOT),
                "telephony_bench:make_app()",
            ],
            env=env,
        )
        try:
            _wait_until_up(port, time.monotonic() + 30)
            bodies = _voice_bodies(port, args.requests)
            # Warm every worker up on both routes (imports, the webhook's database connections and
            # prepared statement) with calls of their own, so that no timed round pays for it.
            warm_up = _voice_bodies(port, WARM_UP)
            _load(port, "/bench/bare", warm_up, args.clients, 10)
            _load(port, "/twilio/voice", warm_up, args.clients, 10)
            # Alternate rounds so that both routes see the same machine load.
            rounds, size = [], max(1, args.requests // args.rounds)
            for start in range(0, args.requests, size):
                chunk = bodies[start : start + size]
                rounds.append(
                    (
                        _load(port, "/bench/bare", chunk, args.clients, args.time_limit),
                        _load(port, "/twilio/voice", chunk, args.clients, args.time_limit),
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored = _count_calls(url)
    bare, voice = _combine([r[0] for r in rounds]), _combine([r[1] for r in rounds])

    ratio = voice["rps"] / bare["rps"]
    kind = "sync" if args.threads == 1 else f"gthread ({args.threads} threads each)"
    if url.startswith("postgresql"):
        commit = "synchronous" if args.synchronous_commit else "without waiting for the WAL flush"
        database = f"PostgreSQL, inbound records committed {commit}"
    else:
        database = "SQLite file"
    print(f"gunicorn {args.workers} {kind} workers, {args.clients} clients, {args.requests} requests/route, {database}")
    print("| route | requests | failures | req/s | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|")
    for name, result in (("bare static TwiML", bare), ("POST /twilio/voice", voice)):
        print(
            f"| {name} | {result['requests']} | {result['failures']} | {result['rps']:.0f} | "
            f"{result['p50_ms']:.1f} | {result['p99_ms']:.1f} |"
        )
    print(
        f"webhook / bare throughput: {ratio:.2f} (target >= 0.5); phone calls stored: {stored} "
        f"({WARM_UP} of them while warming up)"
    )
    ok = ratio >= 0.5 and voice["failures"] == 0 and stored == WARM_UP + voice["requests"]
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


def _count_calls(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM phone_call")).scalar_one()
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
