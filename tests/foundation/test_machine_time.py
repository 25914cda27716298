"""<time datetime="..."> gets the machine-readable form of what the page shows in words."""

import datetime as dt

from helpline.formatting import machine_time


def test_machine_time_gives_iso_dates_and_local_times_with_their_offset(app):
    with app.app_context():
        winter = dt.datetime(2026, 1, 15, 13, 32, 50, tzinfo=dt.UTC)
        assert machine_time(winter) == "2026-01-15T14:32+01:00"  # Brussels, the helpline's time zone
        assert machine_time(dt.date(2025, 4, 2)) == "2025-04-02"
        assert machine_time(None) == ""
