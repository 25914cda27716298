"""The referral lifecycle: sent from a call, answered, done, with its history and follow-ups."""

from __future__ import annotations

import sqlalchemy as sa

from models import AuditEvent, FollowUp, Referral, db


def refer(client, call, *structures, **overrides):
    data = {
        "structures": [str(s.id) for s in structures],
        "message": "Répit demandé pour le fils.",
        "consent_checked": "y",
    }
    data.update(overrides)
    return client.post(f"/referrals/new?call_id={call.id}", data=data)


def test_referral_page_proposes_covering_structures_of_the_call_categories_first(client, directory, external_call):
    page = client.get(f"/referrals/new?call_id={external_call.id}").get_data(as_text=True)

    assert page.index("Répit Local") < page.index("Aidants Région")
    assert "Aidants Lointains" not in page and "Aidants Fermés" not in page and "Transport Démo" not in page
    assert "Fils épuisé, cherche du répit." in page  # the message is prefilled from the call


def test_one_referral_per_chosen_structure_with_history_and_followups(client, directory, external_call):
    response = refer(client, external_call, directory["local"], directory["wide"])

    assert response.status_code == 302
    referrals = db.session.scalars(sa.select(Referral).order_by(Referral.id)).all()
    assert [r.structure.name for r in referrals] == ["Répit Local", "Aidants Région"]
    for referral in referrals:
        assert referral.status == "sent" and referral.consent_checked
        assert referral.call_id == external_call.id and referral.person_id == external_call.person_id
        assert [(e.from_status, e.to_status) for e in referral.events] == [(None, "sent")]
        offsets = db.session.scalars(sa.select(FollowUp.offset_days).where(FollowUp.referral_id == referral.id))
        assert sorted(offsets) == [30, 182]
    audited = db.session.scalars(
        sa.select(AuditEvent.object_id).where(AuditEvent.object_type == "referral", AuditEvent.action == "create")
    ).all()
    assert {r.id for r in referrals} <= set(audited)


def test_referral_without_consent_is_refused_and_keeps_what_was_typed(client, directory, external_call):
    response = refer(client, external_call, directory["local"], consent_checked="", message="Message gardé")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "consent is required" in page or "consentement" in page
    assert "Message gardé" in page
    assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == 0


def _status(client, referral, **data):
    return client.post(f"/referrals/{referral.id}/status", data=data)


def test_whole_lifecycle_is_kept_with_who_and_when(client, directory, external_call):
    refer(client, external_call, directory["local"])
    referral = db.session.scalar(sa.select(Referral))

    assert _status(client, referral, status="accepted").status_code == 302
    response = _status(
        client,
        referral,
        status="done",
        outcome="unsuccessful",
        reason="person_unreachable",
        note="Trois essais sans réponse",
    )
    assert response.status_code == 302

    db.session.refresh(referral)
    assert (referral.status, referral.outcome, referral.reason) == ("done", "unsuccessful", "person_unreachable")
    history = [(e.from_status, e.to_status, e.outcome, e.reason, e.by_id) for e in referral.events]
    nurse_id = external_call.nurse_id
    assert history == [
        (None, "sent", None, None, nurse_id),
        ("sent", "accepted", None, None, nurse_id),
        ("accepted", "done", "unsuccessful", "person_unreachable", nurse_id),
    ]
    assert all(e.at is not None for e in referral.events)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Trois essais sans réponse" in page


def test_declined_needs_a_reason_and_ends_the_referral(client, directory, external_call):
    refer(client, external_call, directory["local"])
    referral = db.session.scalar(sa.select(Referral))

    refused = _status(client, referral, status="declined")
    assert refused.status_code == 422
    assert _status(client, referral, status="declined", reason="no_capacity").status_code == 302
    assert _status(client, referral, status="done", outcome="successful").status_code == 422

    db.session.refresh(referral)
    assert (referral.status, referral.reason) == ("declined", "no_capacity")
    assert len(referral.events) == 2


def test_unsuccessful_outcome_needs_a_reason_and_other_needs_a_note(client, directory, external_call):
    refer(client, external_call, directory["local"])
    referral = db.session.scalar(sa.select(Referral))

    assert _status(client, referral, status="done", outcome="unsuccessful").status_code == 422
    assert _status(client, referral, status="done", outcome="unsuccessful", reason="other").status_code == 422
    assert _status(client, referral, status="done", outcome="successful").status_code == 302
    db.session.refresh(referral)
    assert (referral.status, referral.outcome, referral.reason) == ("done", "successful", None)


def test_referral_sheet_prints_and_downloads_only_the_message(client, directory, external_call):
    refer(client, external_call, directory["local"], message="Mme TESTEUSE, 4020: demande de répit.")
    referral = db.session.scalar(sa.select(Referral))

    printed = client.get(f"/referrals/{referral.id}/sheet")
    download = client.get(f"/referrals/{referral.id}/sheet.txt")

    assert printed.status_code == 200 and "demande de répit" in printed.get_data(as_text=True)
    assert download.headers["Content-Disposition"].startswith("attachment")
    text = download.get_data(as_text=True)
    assert "Répit Local" in text and "demande de répit" in text
    assert "Dr Généraliste" not in text and "épuisé" not in text  # the call's other details stay out
    # ...but the structure can call back: the carer who called is a contact who may be called about her
    assert "- Paul Appelant (fils): 0470 99 99 10" in text
