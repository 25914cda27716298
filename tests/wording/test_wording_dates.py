"""Dates are written the Belgian way in French and the British way in English: 31/12/2026, four-digit
years, never 12/31/26; a due date is a day, never a time of day (« 01:00 ») in a timeline."""

import datetime as dt
import html
import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from helpline.formatting import format_local
from models import Call, FollowUp, db

DUE = dt.date(2026, 12, 31)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_local_filter_writes_day_month_and_a_four_digit_year_in_both_languages(app, lang):
    with app.test_request_context(), force_locale(lang):
        assert format_local(DUE) == "31/12/2026"
        assert format_local(dt.date(2027, 1, 5)) == "05/01/2027"
        # 12:05 UTC is 13:05 in Brussels in winter, 14:05 in summer.
        assert format_local(dt.datetime(2026, 12, 31, 12, 5, tzinfo=dt.UTC)) == "31/12/2026 13:05"
        assert format_local(dt.datetime(2026, 7, 1, 12, 5, tzinfo=dt.UTC)) == "01/07/2026 14:05"
        assert format_local(None) == ""


def test_long_dates_are_belgian_french_and_british_english(app):
    with app.test_request_context():
        with force_locale("fr"):
            assert format_local(DUE, "long") == "31 décembre 2026"
        with force_locale("en"):
            assert format_local(DUE, "long") == "31 December 2026"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_persons_timeline_shows_the_due_date_as_a_day_and_the_call_as_a_moment(client, login_as, log_call, lang):
    login_as("nurse")
    assert log_call(started_at="2026-12-02T09:30").status_code == 302
    call = db.session.scalar(sa.select(Call))
    db.session.add(FollowUp(person_id=call.person_id, offset_days=30, due_date=DUE, status="pending"))
    db.session.commit()
    client.post(f"/language/{lang}")
    page = html.unescape(client.get(f"/persons/{call.person_id}").get_data(as_text=True))
    followup = re.search(r'<li class="entry followup"><time datetime="2026-12-31">([^<]*)</time>', page)
    assert followup and followup[1] == "31/12/2026"  # no « 01:00 », no 12/31/26
    assert re.search(r'<li class="entry call"><time datetime="2026-12-02T09:30[^"]*">02/12/2026 09:30</time>', page)
    assert "17/05/1940" in page  # the birth date
