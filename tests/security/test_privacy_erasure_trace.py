"""Erasure reaches the team meeting's reason and the telephony records' numbers, and a restore of a
backup taken before an erasure applies it again."""

from __future__ import annotations

import shutil

import pytest

from models import Person, PhoneCall, ReviewItem, db
from tests.conftest import ON_POSTGRES
from tests.security.conftest import as_user, make_person


@pytest.fixture
def app_config(tmp_path):
    return {"ERASURE_LEDGER": str(tmp_path / "erasures.log")}


def test_erasure_blanks_the_meeting_reason_and_the_phone_records_number(client, world):
    world.review.reason = "Mme Testeuse refuse l’aide de son fils"
    world.phone_call.call_id = world.call.id
    db.session.commit()
    as_user(client, world.users["coordinator"])
    response = client.post(f"/privacy/persons/{world.person.id}/erase", data={"reason": "Demande du 01/03"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReviewItem, world.review.id).reason is None
    phone_call = db.session.get(PhoneCall, world.phone_call.id)
    assert phone_call.from_number is None and phone_call.call_sid  # the record stays, without the number


@pytest.mark.skipif(
    ON_POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="the PostgreSQL client tools are not installed",
)
def test_a_restore_applies_again_the_erasures_made_after_the_backup(app, client, runner, world, tmp_path):
    person_id, kept_id = world.person.id, make_person(last_name="Gardee").id
    db.session.commit()
    target = tmp_path / "backups" / "before.backup"
    assert runner.invoke(args=["backup", "--output", str(target)]).exit_code == 0
    as_user(client, world.users["coordinator"])
    assert client.post(f"/privacy/persons/{person_id}/erase", data={"reason": "Demande"}).status_code == 302
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"person #{person_id}" in result.output
    db.session.remove()
    person = db.session.get(Person, person_id)
    assert person.pseudonymised_at is not None and person.last_name != "Testeuse"
    assert db.session.get(Person, kept_id).last_name == "Gardee"
    # The ledger outside the database says it too (a restore onto a lost database still knows).
    assert (tmp_path / "erasures.log").read_text().split("\t")[0] == str(person_id)
