"""Browser fixtures: the real app served on loopback, with CSRF on and real logins, driven by
Playwright in Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from helpline import create_app
from helpline.auth.passwords import hash_password
from models import User, db
from support import migrate, migrated_postgres_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))
PASSWORD = "browser-horse-battery"

MISSING_BROWSER = (
    "Debian's chromium is not installed at /usr/bin/chromium and could not be installed "
    "(`make test` installs it with apt-get)"
)


@pytest.fixture(scope="session", autouse=True)
def browser_installed():
    """Skip the browser tests without Chromium on a developer's machine; fail them in CI (CI set)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{MISSING_BROWSER}: CI must run the browser tests", pytrace=False)
        pytest.skip(f"{MISSING_BROWSER}: browser tests skipped")


class Clock:
    """The date the server believes it is: real time, moved forward by the tests."""

    def __init__(self) -> None:
        self.offset = dt.timedelta()
        self.zone = "Europe/Brussels"  # the live app's TIMEZONE, set when it starts

    def now(self, real_now):
        """Return a local_now() replacement that adds the offset."""

        def shifted():
            return real_now() + self.offset

        return shifted

    def real_today(self) -> dt.date:
        """Return the server's today without the offset: the helpline's time zone, not the machine's."""
        return dt.datetime.now(ZoneInfo(self.zone)).date()


@contextlib.contextmanager
def _migrated_database(tmp_path_factory, name: str):
    """Create a migrated database of the browser tests' own (a SQLite file, or a PG database)."""
    if not ON_POSTGRES:
        path = tmp_path_factory.mktemp(name) / "helpline.db"
        url = f"sqlite:///{path}"
        migrate(url)
        yield url
        return
    with migrated_postgres_database(SERVER_URL, f"helpline_{name}") as url:
        yield url


def _browser_app(database_url: str, tmp_path_factory):
    """Return the app as it runs in production: CSRF on, real logins, the database given."""
    return create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TRIAGE_CANDIDATES_DIR": str(tmp_path_factory.mktemp("rulesets")),
            "RATELIMIT_ENABLED": False,
        }
    )


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        for extension in app.extensions.values():  # engines an area keeps for itself (voice webhook)
            if isinstance(extension, sa.engine.Engine):
                extension.dispose()


@contextlib.contextmanager
def _serve(app):
    """Serve the app on 127.0.0.1 on a free port, in a thread; yield its base URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # the test output shows failures, not every request
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    """Create a migrated database of the browser tests' own (a SQLite file, or a PG database)."""
    with _migrated_database(tmp_path_factory, "browser") as url:
        yield url


@pytest.fixture(scope="session")
def clock():
    """Return the server's clock, which the tests may move forward."""
    return Clock()


@pytest.fixture(scope="session")
def live_app(live_database, clock, tmp_path_factory):
    """Return the app as it runs in production: CSRF on, real logins, its own database."""
    from helpline import formatting
    from helpline.followups import routes as followup_routes
    from helpline.followups import worklist

    app = _browser_app(live_database, tmp_path_factory)
    clock.zone = app.config["TIMEZONE"]
    with pytest.MonkeyPatch.context() as patch:
        # The worklist asks "what is due today?": the scenario moves that day forward.
        for module in (worklist, followup_routes):
            patch.setattr(module, "local_now", clock.now(formatting.local_now))
        yield app
    _dispose(app)


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the app on 127.0.0.1 on a free port, in a thread; return its base URL."""
    with _serve(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """Serve a second app, on a database of its own holding the demo data (`helpline demo load`):
    pages full of realistic content, without disturbing the scenarios' database."""
    from helpline.demo import load_demo_data

    with _migrated_database(tmp_path_factory, "browser_demo") as url:
        app = _browser_app(url, tmp_path_factory)
        with app.app_context():
            load_demo_data()
            db.session.remove()
        try:
            with _serve(app) as base_url:
                yield app, base_url
        finally:
            _dispose(app)


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium headless (Playwright gives it a new, empty profile directory)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def staff(live_app):
    """Create one account per role the scenario needs; return them by role."""
    password_hash = hash_password(PASSWORD)
    with live_app.app_context():
        users = {
            role: User(email=f"{role}@browser.test.invalid", name=name, roles=role, password_hash=password_hash)
            for role, name in (
                ("nurse", "Nina Infirmière"),
                ("coordinator", "Colette Coordinatrice"),
                ("case_manager", "Cédric Gestionnaire"),
            )
        }
        db.session.add_all(users.values())
        db.session.commit()
        result = {role: (user.id, user.email) for role, user in users.items()}
        db.session.remove()
    return result


@pytest.fixture(scope="session")
def open_session(browser, live_server, staff):
    """Return a function that opens a logged-in page for a role (one browser context per role)."""
    contexts = []

    def open_as(role: str, viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server, locale="fr-BE", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.locator("#email").fill(staff[role][1])
        page.locator("#password").fill(PASSWORD)
        page.locator("#password").press("Enter")
        page.wait_for_url(f"{live_server}/")
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def open_demo_session(browser, demo_server):
    """Return a function that opens a page of the demo server logged in as the first demo user of a role."""
    from helpline.demo import DEMO_USERS

    _, base_url = demo_server
    contexts = []

    def open_as(role: str):
        email, _, _, password = next(user for user in DEMO_USERS if user[2] == role)
        # The CSP (script-src 'self') would refuse axe-core's script added to the page: bypassed here only.
        context = browser.new_context(
            base_url=base_url, locale="fr-BE", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("#password").press("Enter")
        page.wait_for_url(f"{base_url}/")
        return page

    yield open_as
    for context in contexts:
        context.close()
