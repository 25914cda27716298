"""The voice webhook keeps recording calls when the database dropped its connection meanwhile."""
import pytest
import sqlalchemy as sa

from models import PhoneCall, db


def test_voice_webhook_records_the_call_after_the_server_dropped_its_connection(app, inbound_call):
    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("needs a database server that can drop a client's connection (PostgreSQL)")
    first = inbound_call("+32470000301")
    engine = app.extensions["telephony_webhook_engine"]
    with engine.connect() as connection:
        pids = [connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()]
    with db.engine.connect() as admin:
        for pid in pids:  # what a database restart does to the pooled connection
            admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    second = inbound_call("+32470000302")
    assert first is not None and second is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 2
