"""The person's timeline names the statuses of cases and referrals with their own French words."""

from __future__ import annotations

import pytest
from cases_support import add_case, add_person, add_structure

from models import Referral, db


@pytest.mark.parametrize(
    ("referral_status", "shown"), [("sent", "Envoyée"), ("declined", "Refusée"), ("done", "Réalisée")]
)
def test_the_timeline_shows_a_cases_status_and_a_referrals_in_french(client, login_as, referral_status, shown):
    nurse = login_as("nurse")
    person = add_person(by=nurse)
    case = add_case(person=person)
    referral = Referral(
        person_id=person.id,
        structure=add_structure(),
        category="home_care_coordination",
        created_by_id=nurse.id,
        status=referral_status,
    )
    db.session.add(referral)
    db.session.commit()

    page = client.get(f"/persons/{person.id}").get_data(as_text=True)

    # a case is masculine in French (un dossier actif), a referral feminine (une orientation envoyée)
    assert f'<a href="/cases/{case.id}">Gestion de cas</a> — <span class="detail">Actif</span>' in page
    assert (
        f'<a href="/referrals/{referral.id}">Orientation — Soins Démo</a> — <span class="detail">{shown}</span>' in page
    )
