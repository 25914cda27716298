"""Helpers shared by the test modules (import them with `from support import ...`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from hypothesis import HealthCheck, settings

from helpline.auth.passwords import hash_password
from models import User, db

# Hash once: argon2 is slow on purpose.
PASSWORD = "correct-horse-battery"
PASSWORD_HASH = hash_password(PASSWORD)

FUZZ_SCALE = 10  # `make fuzz` (the "fuzz" hypothesis profile) tries ten times more examples


def examples(n: int) -> settings:
    """Return the settings of a property test trying n examples (the profile decides how they are chosen)."""
    scale = FUZZ_SCALE if settings.get_current_profile_name() == "fuzz" else 1
    return settings(
        max_examples=n * scale, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
    )


def make_user(role: str = "nurse", email: str | None = None, **fields) -> User:
    """Create a staff account with the test password."""
    user = User(
        email=email or f"{role}-{uuid.uuid4().hex[:8]}@test.invalid",
        name=fields.pop("name", role.title()),
        roles=role,
        password_hash=PASSWORD_HASH,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def call_form(**overrides) -> dict:
    """Return a valid call form for a new person, with overrides (None removes a field)."""
    data = {
        "direction": "incoming",
        "started_at": (dt.datetime.now() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "12",
        "channel": "phone",
        "caller_phone": "0470 99 99 10",
        "caller_type": "carer",
        "caller_name": "Paul Appelant",
        "caller_relation": "fils",
        "first_name": "Yvonne",
        "last_name": "Testeuse",
        "birth_date": "1940-05-17",
        "postcode": "4020",
        "person_phone": "",
        "lives_alone": "yes",
        "gp_name": "Dr Généraliste",
        "consent": "yes",
        "consent_date": dt.date.today().isoformat(),
        "topics": ["carer_support"],
        "summary": "Fils épuisé, cherche du répit.",
        "route": "external",
        "action": "save",
    }
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def agreement_form(**overrides) -> dict:
    """Return the fields of the person's agreement to case management, ticked, as a case opens."""
    data = {"agrees": "y", "agreement_how": "Par téléphone, avec sa fille", "agreement_on": dt.date.today().isoformat()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def migrate(url: str) -> None:
    """Apply every migration to the database at `url`."""
    from flask_migrate import upgrade

    from helpline import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@contextlib.contextmanager
def migrated_postgres_database(server_url: str, prefix: str):
    """Create a fresh, migrated database on a PostgreSQL server, yield its URL, and drop it."""
    import os

    import sqlalchemy as sa

    from helpline.config import database_url

    server = sa.make_url(database_url(server_url))
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = server.set(database=name).render_as_string(hide_password=False)
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
