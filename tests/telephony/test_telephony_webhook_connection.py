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


def _webhook_connection_setting(app, name: str) -> str:
    engine = app.extensions["telephony_webhook_engine"]
    with engine.connect() as connection:
        return connection.execute(sa.text(f"SHOW {name}")).scalar_one()


@pytest.mark.parametrize("synchronous", [False, True], ids=["default", "synchronous"])
def test_inbound_records_skip_the_wal_flush_wait_unless_asked(app, inbound_call, synchronous):
    if db.engine.url.get_backend_name() != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    app.config["TELEPHONY_INBOUND_SYNCHRONOUS_COMMIT"] = synchronous  # read when the first call comes in
    inbound_call("+32470000303")
    assert _webhook_connection_setting(app, "synchronous_commit") == ("on" if synchronous else "off")
    with db.engine.connect() as connection:  # the rest of the app keeps the server's default
        assert connection.execute(sa.text("SHOW synchronous_commit")).scalar_one() == "on"


def test_a_lost_inbound_record_is_created_again_by_the_final_status_callback(twilio_post):
    sid = "CA" + "7" * 32  # its voice webhook's record never reached the disk
    response = twilio_post(
        "/twilio/status",
        {
            "CallSid": sid,
            "CallStatus": "completed",
            "CallDuration": "600",
            "From": "+32470000304",
            "To": "+3225550000",
            "Direction": "inbound",
        },
    )
    assert response.status_code == 200
    record = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == sid))
    assert (record.from_number, record.status, record.duration_seconds) == ("+32470000304", "completed", 600)
    started, ended = (moment.replace(tzinfo=None) for moment in (record.started_at, record.ended_at))
    assert abs((ended - started).total_seconds() - 600) < 5
