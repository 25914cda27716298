"""The referrals list, its filters and the flag on referrals left without an answer."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Referral, ReferralEvent, User, db, utcnow


@pytest.fixture
def app_config():
    return {"REFERRAL_ANSWER_DAYS": 5}


def make_referral(call, structure, user, days_ago: int, status: str = "sent") -> Referral:
    sent = utcnow() - dt.timedelta(days=days_ago)
    referral = Referral(
        call_id=call.id,
        person_id=call.person_id,
        structure_id=structure.id,
        category=structure.category,
        message="m",
        consent_checked=True,
        status=status,
        created_by_id=user.id,
        sent_at=sent,
        status_changed_at=sent,
    )
    referral.events.append(ReferralEvent(to_status="sent", by_id=user.id, at=sent))
    db.session.add(referral)
    db.session.commit()
    return referral


def rows(page: str) -> int:
    return page.count('<tr class="referral')


def test_referrals_without_answer_after_the_configured_days_are_flagged(client, directory, external_call):
    nurse = external_call.nurse_user
    make_referral(external_call, directory["local"], nurse, days_ago=6)
    make_referral(external_call, directory["wide"], nurse, days_ago=4)
    make_referral(external_call, directory["transport"], nurse, days_ago=30, status="accepted")

    page = client.get("/referrals/").get_data(as_text=True)
    overdue = client.get("/referrals/?overdue=1").get_data(as_text=True)

    assert rows(page) == 3 and page.count('<tr class="referral overdue">') == 1
    assert rows(overdue) == 1 and "Répit Local" in overdue
    home = client.get("/").get_data(as_text=True)
    assert "/referrals/?overdue=1" in home


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=accepted", {"Transport Démo"}),
        ("category=carer_support", {"Répit Local", "Aidants Région"}),
        ("older_than=5", {"Répit Local", "Transport Démo"}),
    ],
)
def test_referrals_list_filters_by_status_category_and_age(client, directory, external_call, query, expected):
    nurse = external_call.nurse_user
    make_referral(external_call, directory["local"], nurse, days_ago=6)
    make_referral(external_call, directory["wide"], nurse, days_ago=1)
    make_referral(external_call, directory["transport"], nurse, days_ago=30, status="accepted")

    page = client.get(f"/referrals/?{query}").get_data(as_text=True)

    names = {name for name in ("Répit Local", "Aidants Région", "Transport Démo") if f"<td>{name}</td>" in page}
    assert names == expected


def test_referrals_list_filters_by_structure(client, directory, external_call):
    nurse = external_call.nurse_user
    make_referral(external_call, directory["local"], nurse, days_ago=1)
    make_referral(external_call, directory["wide"], nurse, days_ago=1)

    page = client.get(f"/referrals/?structure={directory['wide'].id}").get_data(as_text=True)

    assert rows(page) == 1 and "<td>Aidants Région</td>" in page


def test_a_nurse_sees_her_own_referrals_and_a_coordinator_everyones(client, directory, external_call, login_as):
    other = User(email="autre@test.invalid", name="Autre Infirmière", roles="nurse", password_hash="-")
    db.session.add(other)
    db.session.commit()
    make_referral(external_call, directory["local"], external_call.nurse_user, days_ago=1)
    make_referral(external_call, directory["wide"], other, days_ago=1)

    assert rows(client.get("/referrals/").get_data(as_text=True)) == 1
    assert rows(client.get("/referrals/?nurse=all").get_data(as_text=True)) == 2
    client.post("/logout")
    login_as("coordinator")
    assert rows(client.get("/referrals/").get_data(as_text=True)) == 2
    assert rows(client.get(f"/referrals/?nurse={other.id}").get_data(as_text=True)) == 1


def test_call_page_offers_to_refer_an_external_call_to_nearby_structures(client, directory, external_call):
    page = client.get(f"/calls/{external_call.id}").get_data(as_text=True)

    assert f"/referrals/new?call_id={external_call.id}" in page
    assert "Répit Local" in page and "Transport Démo" not in page


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_referrals_are_closed_to_roles_without_clinical_follow_up(client, login_as, role):
    login_as(role)
    assert client.get("/referrals/").status_code == 403
