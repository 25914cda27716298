"""The closed loop in a browser: the structure answers through its mail's link, without an account."""

from __future__ import annotations

import re

import sqlalchemy as sa
from browser_steps import fill_new_person_call, navigate, save_call, unlabelled_fields

from models import OutboxMessage, Referral, Structure, db

FULL, OPEN = "Répit Complet Synthétique", "Aidants Disponibles Synthétique"


def _add_structures(app) -> None:
    with app.app_context():
        for index, name in enumerate((FULL, OPEN), start=1):
            structure = Structure(
                name=name,
                category="carer_support",
                description="",
                services=[],
                email=f"boucle{index}@demo.invalid",
                status="active",
            )
            structure.postcodes = ["4020"]
            db.session.add(structure)
        db.session.commit()
        db.session.remove()


def _mail_link(app, structure_name: str) -> tuple[int, str]:
    """Return the referral to a structure and the path of the link its message carries."""
    with app.app_context():
        referral = db.session.scalar(
            sa.select(Referral).join(Structure).where(Structure.name == structure_name).order_by(Referral.id.desc())
        )
        key = f"referral:{referral.id}:sent"
        body = db.session.scalar(sa.select(OutboxMessage.body).where(OutboxMessage.key == key))
        referral_id = referral.id
        db.session.remove()
    return referral_id, re.search(r"https?://[^/\s]+(/answer/\S+)", body).group(1)


def _structure_opens(browser, live_server, path: str):
    """Open a link in a fresh browser context: no cookie, no login, as the structure's inbox would."""
    context = browser.new_context(base_url=live_server, locale="fr-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(path)
    return context, page


def _answer(page, decision: str, **fields) -> None:
    page.select_option("#decision", decision)
    for name, value in fields.items():
        if page.locator(f"select#{name}").count():
            page.select_option(f"#{name}", value)
        else:
            page.fill(f"#{name}", value)
    navigate(page, page.locator("form.answer-form button[type=submit]"))


def _refer(nurse, call_id: int, structure_name: str) -> None:
    nurse.goto(f"/referrals/new?call_id={call_id}")
    nurse.get_by_label(structure_name).check()
    navigate(nurse, nurse.locator("form[method=post] button[type=submit].primary"))
    assert re.search(rf"/calls/{call_id}$", nurse.url), nurse.locator("main").inner_text()[:800]


def test_structure_declines_by_its_link_and_the_next_one_accepts_and_closes(
    open_session, browser, live_server, live_app
):
    from helpline.formatting import local_now

    _add_structures(live_app)
    nurse = open_session("nurse")
    nurse.goto("/calls/new")
    fill_new_person_call(nurse, first_name="Berthe", last_name="Bouclée", phone="0470 99 55 03")
    nurse.wait_for_selector('#proposal [data-route="external"]')
    call_id = save_call(nurse)
    _refer(nurse, call_id, FULL)

    # The first structure opens its mail's link in a fresh browser and declines: no capacity.
    first_id, path = _mail_link(live_app, FULL)
    context, structure = _structure_opens(browser, live_server, path)
    try:
        assert "BOUCL" in structure.locator(".answer-person").inner_text().upper()
        assert unlabelled_fields(structure) == []
        _answer(structure, "declined", reason="no_capacity", wait_time="3 mois")
        assert structure.locator(".answer-thanks").count() == 1
        structure.goto(path)
        assert structure.locator(".answer-refused").count() == 1  # closed: the link shows nothing more
    finally:
        context.close()

    # The nurse sees the decline, who gave it, and the capacity when she refers elsewhere.
    nurse.goto(f"/referrals/{first_id}")
    assert "Refus" in nurse.locator(".referral-status").inner_text()
    assert "via le lien" in nurse.locator(".history").inner_text()
    nurse.goto(f"/referrals/new?call_id={call_id}")
    assert "0 place" in nurse.locator("main").inner_text()
    _refer(nurse, call_id, OPEN)

    # The second structure accepts, then confirms the first contact and the end.
    second_id, path = _mail_link(live_app, OPEN)
    context, structure = _structure_opens(browser, live_server, path)
    try:
        _answer(structure, "accepted")
        assert "Accept" in structure.locator(".answer-status").inner_text()
        _answer(structure, "contacted")
        _answer(structure, "done", outcome="successful")
        assert structure.locator(".answer-thanks").count() == 1
    finally:
        context.close()
    nurse.goto(f"/referrals/{second_id}")
    assert "Réussie" in nurse.locator(".referral-status").inner_text()

    # The coordinator's scorecard shows both structures.
    coordinator = open_session("coordinator")
    with live_app.app_context():
        today = local_now().date().isoformat()
    coordinator.goto(f"/reports/?start={today}&end={today}")
    text = coordinator.locator("main").inner_text()
    assert FULL in text and OPEN in text
