"""Opening hours of the line: the setting's syntax, Brussels time, public holidays, midnight."""

import datetime as dt

import pytest

from helpline.telephony.hours import OpeningHoursError, parse_opening_hours

UTC = dt.UTC


def _at(text: str, moment: dt.datetime) -> bool:
    return parse_opening_hours(text).is_open(moment)


def test_spans_are_read_in_brussels_time_and_closed_on_public_holidays():
    hours = "mon-fri 09:00-12:30,13:30-17:00; sat 09:00-12:00"
    assert _at(hours, dt.datetime(2026, 11, 18, 8, 0, tzinfo=UTC))  # Wednesday 9:00 in Brussels
    assert not _at(hours, dt.datetime(2026, 11, 18, 7, 59, tzinfo=UTC))  # 8:59
    assert not _at(hours, dt.datetime(2026, 11, 18, 12, 0, tzinfo=UTC))  # 13:00, the lunch break
    assert _at(hours, dt.datetime(2026, 11, 21, 10, 0, tzinfo=UTC))  # Saturday 11:00
    assert not _at(hours, dt.datetime(2026, 11, 22, 10, 0, tzinfo=UTC))  # Sunday
    assert not _at(hours, dt.datetime(2026, 11, 11, 10, 0, tzinfo=UTC))  # Armistice, a Wednesday


def test_24_00_keeps_the_line_open_until_midnight():
    always = "mon-sun 00:00-24:00"
    for moment in (
        dt.datetime(2026, 11, 18, 22, 59, 59, tzinfo=UTC),  # 23:59:59 in Brussels
        dt.datetime(2026, 11, 18, 23, 0, tzinfo=UTC),  # midnight: Thursday begins
        dt.datetime(2026, 11, 21, 3, 0, tzinfo=UTC),
    ):
        assert _at(always, moment), moment
    assert not _at(always, dt.datetime(2026, 12, 25, 10, 0, tzinfo=UTC))  # Christmas
    assert not _at("mon-sun 00:00-23:59", dt.datetime(2026, 11, 18, 22, 59, 30, tzinfo=UTC))
    spoken = parse_opening_hours("mon-fri 20:00-24:00").spoken_french()
    assert spoken == "du lundi au vendredi de 20 h à 24 h, sauf les jours fériés"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "no opening hours"),
        ("mon-fri", "days but no hours"),
        ("lun 09:00-17:00", "unknown day"),
        ("fri-mon 09:00-17:00", "runs backwards"),
        ("mon 9h-17h", "not HH:MM-HH:MM"),
        ("mon 09:00-24:30", "not a time of day"),
        ("mon 17:00-09:00", "end before they start"),
    ],
)
def test_an_unclear_setting_is_refused_naming_what_is_wrong(text, message):
    with pytest.raises(OpeningHoursError, match=message):
        parse_opening_hours(text)


def test_the_app_does_not_start_with_unclear_opening_hours(tmp_path):
    from helpline import create_app
    from helpline.config import SettingError

    with pytest.raises(SettingError, match=r"HELPLINE_OPENING_HOURS: .*not HH:MM-HH:MM.*, got 'mon-fri 9-17'"):
        create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                "HELPLINE_OPENING_HOURS": "mon-fri 9-17",
            }
        )
