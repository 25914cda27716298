"""Labels of the case-management vocabularies, in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l, lazy_pgettext

CASE_STATUS_LABELS = {"waiting": _l("Waiting"), "active": lazy_pgettext("case status", "Active"),
                      "closed": _l("Closed")}
CLOSURE_REASON_LABELS = {
    "goals_reached": _l("Goals reached"),
    "residential_care": _l("Moved into residential care"),
    "moved_away": _l("Moved away"),
    "died": _l("Died"),
    "refused": _l("Refused"),
    "other": _l("Other"),
}
DIMENSION_LABELS = {
    "health_medication": _l("Health and medication review"),
    "mobility": _l("Mobility"),
    "daily_living": _l("Activities of daily living"),
    "cognition": _l("Cognition"),
    "social_history": _l("Social history and needs"),
    "domestic_activities": _l("Domestic activities"),
    "financial_administrative": _l("Financial and administrative needs"),
    "social_roles": _l("Social roles"),
    "support_in_place": _l("Formal and informal support in place"),
}
DIFFICULTY_LABELS = {
    "0": _l("0 — no difficulty"),
    "1": _l("1 — some difficulty"),
    "2": _l("2 — major difficulty"),
    "3": _l("3 — cannot do / critical"),
}
PLAN_ITEM_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "in_place": _l("In place"),
    "stopped": _l("Stopped"),
}
RELAY_KIND_LABELS = {"relay": _l("Relayed call"), "emergency": _l("Emergency call")}

CASE_LABELS = {
    "case_status": CASE_STATUS_LABELS,
    "closure_reason": CLOSURE_REASON_LABELS,
    "dimension": DIMENSION_LABELS,
    "difficulty": DIFFICULTY_LABELS,
    "plan_item_status": PLAN_ITEM_STATUS_LABELS,
    "relay_kind": RELAY_KIND_LABELS,
}
