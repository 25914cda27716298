"""The migration adding the cancellation columns rolls back and applies again, keeping the follow-ups."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from followup_factories import add_followup, add_person, add_referral, today_local

from helpline.followups.cancellation import cancel_followup
from models import FollowUp, db

COLUMNS = {"cancelled_at", "cancelled_by_id", "cancel_reason"}


def _followup_columns() -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns("followup")}


def test_the_cancellation_columns_come_and_go_with_their_migration(app, referrer):
    person = add_person(phone="+32470000041")
    followup = add_followup(person, add_referral(person, referrer), today_local())
    assert cancel_followup(followup, "Refuse les appels", referrer.id)
    db.session.commit()
    followup_id = followup.id
    db.session.remove()  # the migration needs the tables free

    downgrade(revision="0019_followup_cancel")  # undo every later revision, the merge of the heads included
    downgrade(revision="0019_followup_cancel@-1")
    assert not COLUMNS & _followup_columns()
    assert db.session.execute(sa.text("SELECT status FROM followup")).scalars().all() == ["cancelled"]
    db.session.remove()

    upgrade()
    assert COLUMNS <= _followup_columns()
    foreign_keys = sa.inspect(db.engine).get_foreign_keys("followup")
    assert any(
        fk["constrained_columns"] == ["cancelled_by_id"] and fk["referred_table"] == "user" for fk in foreign_keys
    )
    again = db.session.get(FollowUp, followup_id)
    assert (again.status, again.cancel_reason) == ("cancelled", None)
