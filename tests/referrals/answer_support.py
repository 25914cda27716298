"""Helpers of the answer-link tests: refer, read the link out of the outbox, answer as the structure."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import current_app

from models import OutboxMessage, Referral, db

LINK = re.compile(r"https?://\S+/answer/\S+")


def refer(client, call, *structures, message="Répit demandé pour le fils."):
    """Refer the call's person to the structures as the logged-in nurse; return the referrals."""
    response = client.post(
        f"/referrals/new?call_id={call.id}",
        data={"structures": [str(s.id) for s in structures], "message": message, "consent_checked": "y"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(Referral).order_by(Referral.id.desc()).limit(len(structures))).all()[::-1]


def outbox_for(referral: Referral) -> OutboxMessage:
    """Return the message queued for a referral's structure."""
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == f"referral:{referral.id}:sent"))


def link_path(referral: Referral) -> str:
    """Return the path of the answer link in a referral's message (as the structure would follow it)."""
    url = LINK.search(outbox_for(referral).body).group(0)
    base = current_app.config["HELPLINE_PUBLIC_URL"].rstrip("/")
    assert url.startswith(base + "/")
    return url[len(base) :]


def form_token(page_html: str) -> str:
    """Return the CSRF token of the answer form shown on a page."""
    return (
        re.search(
            r'name="csrf" type="hidden" value="([0-9a-f]+)"|name="csrf" value="([0-9a-f]+)"|'
            r'id="csrf" name="csrf" type="hidden" value="([0-9a-f]+)"',
            page_html,
        )
        .group(0)
        .rsplit('"', 2)[1]
    )


def answer(structure_client, path: str, **data):
    """Open the answer page, then post its form with the given fields; return the POST response."""
    page = structure_client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)
    return structure_client.post(path, data={"csrf": form_token(page.get_data(as_text=True)), **data})
