"""Two gunicorn processes (as `make serve` and deploy/ start them) on one PostgreSQL and one Redis
share the login rate limit: bad logins alternating between them meet a 429."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from redis import Redis

from helpline import create_app
from helpline.config import database_url
from models import db
from support import make_user, migrated_postgres_database

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
PG_SERVER = (
    os.environ.get("TEST_DATABASE_URL")
    or os.environ.get("PG_TEST_URL")
    or "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _reachable() -> str | None:
    """Return why the servers this test needs are missing, or None."""
    try:
        Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no Redis
        return f"no Redis at 127.0.0.1:6379 ({exc})"
    if not PG_SERVER.startswith(("postgres://", "postgresql")):
        return f"no PostgreSQL server named ({PG_SERVER!r})"
    try:
        engine = sa.create_engine(
            database_url(PG_SERVER), poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3}
        )
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        return f"no PostgreSQL at {PG_SERVER} ({exc.orig})"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # straight to loopback, never through an HTTP proxy from the environment
    return session


def _wait_healthy(base: str, process: subprocess.Popen) -> None:
    probe = _session()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if probe.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # still booting
            pass
        time.sleep(0.3)
    raise AssertionError(f"{base} never answered /healthz")


@pytest.fixture
def database():
    """A migrated PostgreSQL database of this test's own, with one nurse in it."""
    missing = _reachable()
    if missing:
        pytest.skip(missing)
    with migrated_postgres_database(PG_SERVER, "helpline_two_nodes") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url(url)})
        with app.app_context():
            make_user("nurse", email="nurse@two-nodes.invalid")
            db.engine.dispose()
        yield url


@pytest.fixture
def two_servers(database, tmp_path):
    """Start two gunicorn processes with the production settings; yield their base URLs."""
    prefix = f"test-two-nodes-{uuid.uuid4().hex}"  # this run's keys only, in the shared Redis
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
        "SECRET_KEY": "two-nodes-" + uuid.uuid4().hex,
        "HELPLINE_INSTANCE_DIR": str(tmp_path),
        "WEB_WORKERS": "1",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "TRUSTED_PROXIES", "TWILIO_TRUSTED_PROXIES"):
        env.pop(name, None)  # the defaults: 10 failures per account per minute
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py")]
    processes, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(
                    [*gunicorn, "--bind", f"127.0.0.1:{port}"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            _wait_healthy(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stderr.close()
        redis = Redis.from_url(REDIS_URL)
        keys = list(redis.scan_iter(f"*{prefix}*"))
        if keys:
            redis.delete(*keys)


def test_two_processes_share_the_login_limit(two_servers):
    browser = _session()
    page = browser.get(f"{two_servers[0]}/login", timeout=10).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answers = []
    for attempt in range(12):
        response = browser.post(
            f"{two_servers[attempt % 2]}/login",
            timeout=10,
            allow_redirects=False,
            data={"csrf_token": token, "email": "nurse@two-nodes.invalid", "password": "not-her-password"},
        )
        answers.append(response.status_code)
    assert answers == [200] * 10 + [429] * 2  # one count: each process alone would have seen 6
