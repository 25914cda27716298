"""Every route of the app, walked with every role, answers as the permission matrix says.

Routes are discovered from app.url_map, so a route added by any area is covered without
editing this test; its URL is built with the ids of existing records.
"""

from __future__ import annotations

import pytest

from helpline import permissions
from tests.security.conftest import ROLES, as_user

# Known public endpoints; any other public endpoint must be a Twilio webhook (signature-checked).
KNOWN_PUBLIC = {
    "auth.login",
    "auth.second_factor",
    "auth.set_language",
    "main.healthz",
    "static",
    # The structure's answer page: its signed link is the credential (tests/referrals).
    "answer.page",
    "answer.answer",
    "answer.details",
    "auth.reset_password",
}  # its signed, time-limited link is the credential
WEBHOOK_PREFIX = "/twilio/"


def _value(name: str, endpoint: str, world, role: str):
    ids = {
        "person_id": world.person.id,
        "call_id": world.call.id,
        "case_id": world.case.id,
        "referral_id": world.referral.id,
        "structure_id": world.structure.id,
        "followup_id": world.followup.id,
        "handoff_id": world.handoff.id,
        "visit_id": world.visit.id,
        "task_id": world.task.id,
        "user_id": world.other.id,
        "phone_call_id": world.phone_call.id,
        "plan_id": world.plan.id,
        "notification_id": world.notices[role].id if role in world.notices else 1,
        "review_item_id": world.review.id,
        "code": "fr",
        "filename": "app.css",
    }
    if name == "item_id":
        return world.plan_item.id if endpoint.startswith("cases.") else world.review.id
    return ids.get(name, 1)


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule, method


def _request(client, app, rule, method, world, role):
    with app.test_request_context():
        values = {name: _value(name, rule.endpoint, world, role) for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values, method=method)
    try:
        return client.open(url, method=method, data={}), None
    except Exception as exc:  # reported as a failure by the callers
        return None, exc


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_matrix_says(app, client, world, role):
    user = world.users[role]
    wrong = []
    for rule, method in _routes(app):
        if permissions.is_public(rule.endpoint):
            continue
        as_user(client, user)
        response, error = _request(client, app, rule, method, world, role)
        allowed = user.has_role(*permissions.roles_for(rule.endpoint))
        status = response.status_code if response is not None else f"raised {type(error).__name__}"
        if error is not None or status >= 500:  # an empty form or a missing record is never a 500
            wrong.append(f"{method} {rule.rule} ({rule.endpoint}): {role} got {status}")
            continue
        if allowed and status == 403:
            wrong.append(f"{method} {rule.rule} ({rule.endpoint}): {role} allowed but got 403")
        if not allowed and status != 403:
            wrong.append(f"{method} {rule.rule} ({rule.endpoint}): {role} forbidden but got {status}")
    assert not wrong, "\n".join(wrong)


def test_every_private_route_sends_anonymous_users_to_the_login(app, client, world):
    wrong = []
    for rule, method in _routes(app):
        if permissions.is_public(rule.endpoint):
            continue
        response, error = _request(client, app, rule, method, world, "anonymous")
        if response is None:
            wrong.append(f"{method} {rule.rule}: raised {error!r}")
        elif response.status_code == 401:
            continue
        elif response.status_code != 302 or "/login" not in response.headers.get("Location", ""):
            wrong.append(f"{method} {rule.rule}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_public_endpoints_are_the_login_pages_health_check_and_signed_webhooks(app):
    public = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules() if permissions.is_public(rule.endpoint)}
    unexpected = {e: r for e, r in public.items() if e not in KNOWN_PUBLIC and not r.startswith(WEBHOOK_PREFIX)}
    assert not unexpected
    assert KNOWN_PUBLIC <= set(public)


def test_every_area_of_the_app_is_in_the_matrix(app):
    areas = {rule.endpoint.split(".", 1)[0] for rule in app.url_map.iter_rules() if "." in rule.endpoint}
    missing = [a for a in areas if a not in permissions.AREA_ROLES and a not in permissions.PUBLIC_BLUEPRINTS]
    assert not missing


def test_admins_see_no_clinical_area_unless_also_coordinator():
    for area in ("calls", "persons", "cases", "referrals", "followups", "meetings"):
        if area in permissions.AREA_ROLES:
            assert "admin" not in permissions.AREA_ROLES[area], area
