"""The permission matrix, written once as data and checked before every request.

Each blueprint (an area of work) lists the roles that may use it; an endpoint can narrow or widen
its area's rule. Object-level rules (a case manager sees only the persons of their own cases) are
checked by the area's views on top of this.
"""

from __future__ import annotations

from flask import abort, jsonify, redirect, request, url_for
from flask_login import current_user

ALL_STAFF = frozenset({"nurse", "case_manager", "coordinator", "admin"})
CLINICAL = frozenset({"nurse", "case_manager", "coordinator"})

# Twilio's webhooks: public (each checks X-Twilio-Signature), CSRF-exempt, out of the rate limits.
WEBHOOK_ENDPOINTS = frozenset(
    {
        "telephony.voice",
        "telephony.queue_wait",
        "telephony.queue_leave",
        "telephony.status",
        "telephony.nurse_line",
        "telephony.nurse_bridged",
        "telephony.nurse_after",
        "telephony.voicemail",
        "telephony.conference_events",
        "telephony.case_manager_status",
        "telephony.transfer_no_answer",
        "telephony.followup_bridge",
        "telephony.followup_result",
        "telephony.number_bridge",
        "telephony.number_result",
    }
)
# Endpoints anyone may reach.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "auth.set_language",
        "main.healthz",
        "static",
        "auth.second_factor",
        "auth.reset_password",
        *WEBHOOK_ENDPOINTS,
    }
)
PUBLIC_BLUEPRINTS = frozenset({"answer"})  # the structure's answer page checks its signed link

AREA_ROLES: dict[str, frozenset[str]] = {
    "main": ALL_STAFF,
    "auth": ALL_STAFF,
    "calls": frozenset({"nurse", "coordinator"}),
    "persons": CLINICAL,
    "triage": frozenset({"nurse", "coordinator"}),
    "telephony": frozenset({"nurse", "coordinator"}),
    "followups": frozenset({"nurse", "coordinator"}),
    "admin": frozenset({"admin"}),
    "privacy": frozenset({"coordinator"}),
    "directory": ALL_STAFF,
    "referrals": frozenset({"nurse", "coordinator"}),
    "meetings": frozenset({"coordinator"}),
    "cases": frozenset({"case_manager", "coordinator"}),
    "reports": frozenset({"coordinator"}),
    "mail": frozenset({"coordinator", "admin"}),
}

ENDPOINT_ROLES: dict[str, frozenset[str]] = {
    "triage.rules": frozenset({"coordinator", "admin"}),
    "triage.replay": frozenset({"coordinator"}),
    "telephony.console": frozenset({"coordinator", "admin"}),
    "followups.detail": CLINICAL,  # case managers and referrers read their own (checked in the view)
    "admin.audit": frozenset({"coordinator"}),
    "privacy.consents": CLINICAL,
    **{
        f"directory.{name}": frozenset({"admin", "coordinator"})
        for name in ("new", "edit", "import_file", "import_confirm", "export_file", "stale")
    },
    "meetings.task_done": frozenset({"nurse", "coordinator"}),
    # Nurses and case managers read the agenda items and decisions that concern them (checked in the view).
    "meetings.mine": frozenset({"nurse", "case_manager"}),
    "meetings.detail": CLINICAL,
    "calls.detail": CLINICAL,  # case managers read the calls about their own persons (checked in the view)
    "cases.handoff_new": frozenset({"nurse", "coordinator"}),
    "cases.handoffs": CLINICAL,  # nurses see the handoffs they sent
    "cases.handoff_detail": CLINICAL,  # sender, recipient or coordinator (checked in the view)
    **{
        f"cases.{name}": frozenset({"coordinator"})
        for name in ("waiting", "assign", "open_from_call", "reassign", "reassign_caseload_view", "overdue", "decline")
    },
    "reports.suggest_topics": frozenset({"nurse", "coordinator"}),
    **{
        f"persons.{name}": frozenset({"nurse", "coordinator"})
        for name in ("contact_new", "contact_edit", "flag_new", "flag_lift", "correct")
    },
    # Duplicates found later: merged (undone or confirmed) or recorded as not the same person.
    **{
        f"persons.{name}": frozenset({"nurse", "coordinator"})
        for name in ("merge", "merge_detail", "merge_undo", "merge_confirm", "not_same")
    },
    # Case managers follow the referrals of their cases' service plans (person checked in the view).
    **{f"referrals.{name}": CLINICAL for name in ("detail", "update_status", "sheet", "sheet_text")},
}


def roles_for(endpoint: str) -> frozenset[str]:
    """Return the roles allowed on an endpoint; unknown areas are closed to everyone."""
    if endpoint in ENDPOINT_ROLES:
        return ENDPOINT_ROLES[endpoint]
    area = endpoint.split(".", 1)[0] if "." in endpoint else ""
    return AREA_ROLES.get(area, frozenset())


def is_public(endpoint: str | None) -> bool:
    """Tell whether an endpoint needs no login."""
    if endpoint is None:
        return True  # 404s are answered as such
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS


def can(user, endpoint: str) -> bool:
    """Tell whether a user may use an endpoint."""
    if is_public(endpoint):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_role(*roles_for(endpoint))


def can_current_user(*args: object) -> bool:
    """Tell whether the logged-in user may use an endpoint: `can("cases.assign")` in templates.

    The older `can(user, endpoint)` form is still accepted.
    """
    if len(args) == 2:
        user, endpoint = args
        return can(user, str(endpoint))
    (endpoint,) = args
    return can(current_user, str(endpoint))


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def enforce():
    """Refuse the request unless the current user may use its endpoint (before_request hook)."""
    endpoint = request.endpoint
    if is_public(endpoint):
        return None
    if not current_user.is_authenticated:
        if _wants_json():
            return jsonify(error="login required"), 401
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not can(current_user, endpoint):
        abort(403)
    return None
