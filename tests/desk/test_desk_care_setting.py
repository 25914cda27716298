"""The call page's context panel tells where a known person is today (her care setting)."""

import datetime as dt

from desk_support import add_person
from lxml import html

from models import CareSetting, db
from support import call_form, make_user


def _choose(client, person):
    """Choose a person on the call page as the 'Choose' button does."""
    data = call_form(
        action=f"use:{person.id}", first_name="", last_name="", birth_date="", postcode="", gp_name="", consent=""
    )
    return html.fromstring(client.post("/calls/new", data=data).get_data(as_text=True))


def test_the_context_panel_shows_the_persons_current_care_setting(client, login_as):
    login_as("nurse")
    manager = make_user("case_manager")
    person = add_person()
    today = dt.date.today()
    db.session.add_all(
        [
            CareSetting(
                person_id=person.id,
                kind="home",
                started_on=today - dt.timedelta(days=40),
                ended_on=today - dt.timedelta(days=3),
                recorded_by_id=manager.id,
            ),
            CareSetting(
                person_id=person.id, kind="hospital", started_on=today - dt.timedelta(days=3), recorded_by_id=manager.id
            ),
        ]
    )
    db.session.commit()

    panel = _choose(client, person).get_element_by_id("context-panel")

    (setting,) = panel.xpath(".//p[@id='context-setting']")
    text = setting.text_content()
    assert "Lieu de séjour :" in text and "Hôpital" in text
    assert (today - dt.timedelta(days=3)).strftime("%d/%m/%Y") in text


def test_nothing_is_said_when_no_setting_is_recorded(client, login_as):
    login_as("nurse")
    panel = _choose(client, add_person()).get_element_by_id("context-panel")
    assert panel.xpath(".//p[@id='context-setting']") == []
