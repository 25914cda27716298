"""Shared fixtures: an app on a freshly migrated database (SQLite, or PostgreSQL when
TEST_DATABASE_URL / DATABASE_URL names one), a client, and helpers to log in and log calls."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import settings

from helpline import create_app
from models import Base, User, db
from support import PASSWORD, call_form, make_user, migrate, migrated_postgres_database

# Property tests: CI (the CI variable set, as .ci/run does) replays the same examples on every run, so
# it is green or red by the code and never by chance; a developer's run explores new ones and keeps
# failures in .hypothesis/ to replay them; `make fuzz` explores at length. A bug a random run finds
# gets its own @example (or test) so that CI keeps checking it.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", deadline=None, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Create one migrated database for the session: a template SQLite file, or a fresh PG database."""
    if ON_POSTGRES:
        with migrated_postgres_database(SERVER_URL, "helpline_test") as url:
            yield {"kind": "postgresql", "url": url}
    else:
        template = tmp_path_factory.mktemp("db") / "template.db"
        migrate(f"sqlite:///{template}")
        yield {"kind": "sqlite", "template": template}


def _database_url(database, tmp_path: Path) -> str:
    if database["kind"] == "sqlite":
        target = tmp_path / "helpline.db"
        shutil.copyfile(database["template"], target)
        return f"sqlite:///{target}"
    return database["url"]


def _empty_tables() -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


class FreshContextClient(FlaskClient):
    """A test client giving every request its own app context (and so its own `g` and session),
    as in production, even though the test itself holds an app context open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app_config():
    """Extra settings for the app under test (override in a test module)."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_config):
    """Return the app bound to a fresh, migrated database."""
    config = {
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": _database_url(database, tmp_path),
        "TRIAGE_CANDIDATES_DIR": str(tmp_path / "rulesets"),
    }
    config.update(app_config)
    app = create_app(config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        if database["kind"] == "postgresql":
            _empty_tables()
        db.engine.dispose()
        for extension in app.extensions.values():  # engines an area keeps for itself
            if isinstance(extension, sa.engine.Engine):
                extension.dispose()


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """Log the client in as a new user of the given role and return the user."""

    def login(role: str = "nurse", **fields) -> User:
        user = make_user(role, **fields)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def log_call(client):
    """Post the call form and return the response."""

    def post(**overrides):
        return client.post("/calls/new", data=call_form(**overrides))

    return post
