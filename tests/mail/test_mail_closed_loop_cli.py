"""The issue's "Done when", from the command line: upgrade, demo, run-due, follow the link, answer, FHIR."""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from smtp_support import body_of, subject_of

from models import OutboxMessage, Referral, db

LINK = re.compile(r"(https?://\S+?)(/answer/\S+)")


def _task(runner, tmp_path, referral_id):
    out = tmp_path / "bundle.json"
    result = runner.invoke(args=["export", "fhir", "--out", str(out)])
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text())
    return next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Task" and e["resource"]["id"] == f"referral-task-{referral_id}"
    )


def test_demo_referrals_reach_their_structures_and_the_answer_closes_the_loop(app, runner, smtp, tmp_path):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    waiting = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.status == "waiting")).all()
    referrals = db.session.scalars(sa.select(Referral)).all()
    assert referrals and len(waiting) == len(referrals)
    assert all(m.to_address.endswith("@demo.invalid") for m in waiting)

    ran = runner.invoke(args=["jobs", "run-due"])
    assert f"send_mail: {len(waiting)}" in ran.output, ran.output
    assert sorted(m["X-Envelope-To"] for m in smtp.messages) == sorted(m.to_address for m in waiting)
    assert "send_mail: 0" in runner.invoke(args=["jobs", "run-due"]).output
    assert len(smtp.messages) == len(waiting)  # nothing sent twice

    sent = db.session.scalar(sa.select(Referral).where(Referral.status == "sent").order_by(Referral.id))
    received = next(m for m in smtp.messages if re.search(rf"\b{sent.id}\b", subject_of(m)))
    path = LINK.search(body_of(received)).group(2)
    structure = app.test_client()  # a browser with nobody logged in
    page = structure.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="decision"' in html
    assert sent.person.display_name in html
    token = re.search(r'name="csrf"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="csrf"', html)
    csrf = token.group(1) or token.group(2)
    assert _task(runner, tmp_path, sent.id)["status"] == "requested"

    assert structure.post(path, data={"csrf": csrf, "decision": "accepted"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Referral, sent.id).status == "accepted"
    task = _task(runner, tmp_path, sent.id)
    assert task["status"] == "accepted" and task["businessStatus"]["coding"][0]["code"] == "accepted"

    # The link does nothing else: not the same decision again, not another referral, not the app.
    assert structure.post(path, data={"csrf": csrf, "decision": "accepted"}).status_code == 409
    other = db.session.scalar(sa.select(Referral).where(Referral.id != sent.id))
    assert structure.get(f"/referrals/{other.id}").status_code == 302
    assert structure.get("/").status_code == 302
