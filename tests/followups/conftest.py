"""Fixtures of the follow-up tests: a referrer and a referred person with scheduled follow-ups."""

from __future__ import annotations

import pytest
from followup_factories import add_person, add_referral, add_user

from helpline.followups.schedule import schedule_followups
from models import db


@pytest.fixture
def referrer(app):
    """Return the nurse who made the referrals."""
    return add_user("nurse", name="Infirmière Référente")


@pytest.fixture
def referred(referrer):
    """Return a person referred by the referrer, with follow-ups scheduled from a referral."""
    person = add_person(sms=True, by=referrer)
    referral = add_referral(person, referrer)
    schedule_followups(person.id, referral.sent_at.date(), referral_id=referral.id)
    db.session.commit()
    return person, referral
