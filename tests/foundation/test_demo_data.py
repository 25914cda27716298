"""`helpline demo load`: every role has a login, and each area has something to show."""

import sqlalchemy as sa

from helpline.demo import DEMO_USERS
from models import Call, Case, FollowUp, Referral, ReviewItem, Structure, User, db


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_load_fills_every_area_once_and_prints_the_logins(runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    for email, _name, _roles, password in DEMO_USERS:
        assert email in result.output and password in result.output
    assert {u.roles for u in db.session.scalars(sa.select(User))} >= {"nurse", "case_manager", "coordinator", "admin"}
    counts = {m.__name__: _count(m) for m in (Call, Structure, Referral, FollowUp, Case, ReviewItem)}
    assert all(counts.values()), counts
    again = runner.invoke(args=["demo", "load"])
    assert "already present" in again.output and _count(Call) == counts["Call"]

    # The nurse sees the referral's one-month follow-up due on her home page.
    email, _name, _roles, password = DEMO_USERS[0]
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    due = db.session.scalars(sa.select(FollowUp).where(FollowUp.offset_days == 30).order_by(FollowUp.due_date)).first()
    person = due.person
    home = client.get("/").get_data(as_text=True)
    assert person.last_name.upper() in home
