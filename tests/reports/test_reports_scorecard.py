"""The structures' scorecard: sent, answered, days to answer, accepted, declined by reason, done."""

from __future__ import annotations

import csv
import datetime as dt
import io

from reports_support import add_person, add_referral, add_structure, add_user, local

from helpline.reports.indicators_structures import structure_scorecard
from helpline.reports.period import Period
from helpline.reports.tables import MASK, SECONDARY_MASK, to_csv
from models import ReferralEvent, db
from models.vocabulary import STRUCTURE_DECLINE_REASONS

PERIOD = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 17))


def _answered(referral, to_status, days, **fields):
    referral.events.append(
        ReferralEvent(
            from_status="sent", to_status=to_status, via="link", at=referral.sent_at + dt.timedelta(days=days)
        )
    )
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = to_status


def test_scorecard_counts_each_structure_answers_and_masks_small_counts(app):
    nurse, person = add_user(), add_person()
    busy, full = add_structure("Aidants Région"), add_structure("Répit Complet")
    sent = local(2024, 3, 5)
    for i in range(6):
        referral = add_referral(person, busy, nurse, sent)
        if i < 5:
            _answered(referral, "accepted", days=1 + i)
    done = add_referral(person, busy, nurse, sent)
    _answered(done, "accepted", days=2)
    done.status, done.outcome = "done", "successful"
    declined = add_referral(person, full, nurse, sent)
    _answered(declined, "declined", days=1, reason="no_capacity")
    add_referral(person, full, nurse, local(2024, 4, 1))  # outside the period
    db.session.commit()

    table = structure_scorecard(PERIOD)
    rows = {row[0]: row for row in table.rows}
    assert rows["Aidants Région"][1:5] == [7, 6, 2.5, 6]  # delays 1-5 and 2 days
    assert rows["Aidants Région"][-1] == 1
    no_capacity = 5 + STRUCTURE_DECLINE_REASONS.index("no_capacity")
    assert rows["Répit Complet"][1:3] == [1, 1] and rows["Répit Complet"][no_capacity] == 1
    masked = {row[0]: row for row in csv.reader(io.StringIO(to_csv(table)))}
    # One masked cell in the column: the next smallest is masked too.
    assert masked["Répit Complet"][1] == MASK and masked["Aidants Région"][1] == SECONDARY_MASK


def test_coordinator_sees_the_scorecard_on_the_dashboard(app, client, login_as):
    login_as("coordinator")
    page = client.get("/reports/", query_string={"start": "2024-03-04", "end": "2024-03-17", "lang": "en"})
    assert page.status_code == 200 and "scorecard" in page.get_data(as_text=True)
