"""Every page showing a person's identity writes an audit event (a list: one event with the ids
shown); person search is rate-limited per user; coordinators hear of unusual volumes of reads."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import AuditEvent, Notification, db
from tests.security.conftest import as_user


def _disclosed(user) -> set[int]:
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.user_id == user.id, AuditEvent.action.in_(("read", "list")))
    ).all()
    ids = set()
    for event in events:
        ids |= set((event.detail or {}).get("ids") or [])
        if event.person_id:
            ids.add(event.person_id)
    return ids


@pytest.mark.parametrize(
    "role, url",
    [
        ("nurse", "/calls/new?person_id={person}"),
        ("nurse", "/calls/"),
        ("nurse", "POST /persons/search.json"),
        ("nurse", "POST /persons/search"),
        ("nurse", "/followups/"),
        ("nurse", "/referrals/"),
        ("coordinator", "/meeting/"),
        ("coordinator", "/cases/?status=active"),
        ("case_manager", "/cases/{case}/visits/{visit}"),
        ("case_manager", "/cases/{case}/assessments/new"),
    ],
)
def test_pages_showing_a_persons_identity_are_audited(client, world, role, url):
    user = world.users[role]
    as_user(client, user)
    if url.startswith("POST "):
        page = client.post(url[5:], data={"q": "Testeuse"})
    else:
        page = client.get(url.format(person=world.person.id, case=world.case.id, visit=world.visit.id))
    assert page.status_code == 200
    assert world.person.id in _disclosed(user)


def test_a_list_is_one_event_holding_the_ids_shown(client, world):
    as_user(client, world.users["nurse"])
    client.get("/calls/")
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "list")).all()
    assert (
        len(events) == 1 and events[0].detail["ids"] == [world.person.id] and events[0].detail["page"] == "calls.index"
    )


@pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": True, "SEARCH_RATE_LIMIT": "3 per minute"}])
def test_person_search_is_rate_limited_per_user(client, world, app_config):
    as_user(client, world.users["nurse"])
    answers = [client.post("/persons/search.json", data={"q": "Test"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    as_user(client, world.users["coordinator"])  # another user of the same address is not limited
    assert client.post("/persons/search.json", data={"q": "Test"}).status_code == 200


@pytest.mark.parametrize("app_config", [{"READ_ALERT_PER_HOUR": 5}])
def test_coordinators_are_told_of_unusual_volumes_of_reads(client, world, app_config):
    nurse, coordinator = world.users["nurse"], world.users["coordinator"]
    as_user(client, nurse)
    for _ in range(4):
        client.get(f"/persons/{world.person.id}")
    notices = sa.select(Notification).where(Notification.user_id == coordinator.id, Notification.key.like("reads-%"))
    assert db.session.scalars(notices).all() == []
    for _ in range(3):
        client.get(f"/persons/{world.person.id}")
    found = db.session.scalars(notices).all()
    assert len(found) == 1 and nurse.name in found[0].message  # once per user and hour


def test_a_search_keeps_names_out_of_the_url(client, world):
    as_user(client, world.users["nurse"])
    page = client.get("/persons/search").get_data(as_text=True)
    assert 'method="post" role="search"' in page
    found = client.post("/persons/search", data={"q": "Testeuse"}).get_data(as_text=True)
    assert f"/persons/{world.person.id}" in found
