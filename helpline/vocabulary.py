"""Labels of the helpline's vocabularies, in the user's language, keyed by the codes of models.vocabulary.

The codes themselves are written once in `models/vocabulary.py` (the triage contract's words come
from `triage_rules.vocabulary`); a test checks that every code has a label here and no label lacks
a code. Templates show a label with `labels(kind, code)`.
"""

from __future__ import annotations

from types import MappingProxyType

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import SelectChoice

TOPIC_LABELS = {
    "care": _l("Care"),
    "home_help": _l("Home help"),
    "hospital_discharge": _l("Hospital discharge"),
    "rights": _l("Rights"),
    "administrative": _l("Administrative"),
    "financial": _l("Financial"),
    "housing": _l("Housing"),
    "transport": _l("Transport"),
    "carer_support": _l("Carer support"),
    "mental_health": _l("Mental health"),
    "palliative": _l("Palliative care"),
    "isolation": _l("Isolation"),
    "medical_question": _l("Medical question"),
    "information": _l("Information"),
}
RED_FLAG_LABELS = {
    "chest_pain": _l("Chest pain"),
    "breathing_difficulty": _l("Breathing difficulty"),
    "stroke_signs": _l("Signs of stroke"),
    "suicidal_ideation": _l("Suicidal ideation"),
    "fall_cannot_get_up": _l("Fall, cannot get up"),
    "abuse_or_violence": _l("Abuse or violence"),
    "severe_bleeding": _l("Severe bleeding"),
    "acute_confusion": _l("Acute confusion"),
}
CRITERION_LABELS = {
    "autonomy_problem": _l("Functional or decisional autonomy problem"),
    "medical_problem": _l("Problem in the medical field"),
    "support_inadequate": _l("Help and care insufficient or unsuited"),
    "no_coordinator_in_entourage": _l("No one close to the person can coordinate the answers"),
}
RUPTURE_LABELS = {
    "unplanned_hospitalisation": _l("Unplanned hospitalisation"),
    "institution_request": _l("Request for an institution"),
    "carer_loss": _l("Loss of the carer"),
    "home_change": _l("Change of home"),
    "gp_change": _l("Change of GP"),
}
PRISMA7_QUESTIONS = (
    _l("Are you more than 85 years old?"),
    _l("Are you a man?"),
    _l("In general, do any health problems require you to limit your activities?"),
    _l("Do you need someone to help you on a regular basis?"),
    _l("In general, do any health problems require you to stay at home?"),
    _l("If you need help, can you count on someone close to you?"),
    _l("Do you regularly use a cane, walker or wheelchair to move about?"),
)
ROUTE_LABELS = {
    "emergency": _l("Emergency (112)"),
    "relay": _l("Relay to the case manager"),
    "case_management": _l("Case management"),
    "external": _l("External structure"),
    "information": _l("Answered on the line"),
}
PRIORITY_LABELS = {"immediate": _l("Immediate"), "high": _l("High"), "routine": _l("Routine")}
CATEGORY_LABELS = {
    "home_care_coordination": _l("Home-care coordination centre"),
    "social_service": _l("Social service"),
    "housing_service": _l("Housing service"),
    "transport_service": _l("Transport service"),
    "carer_support": _l("Carer support"),
    "mental_health_service": _l("Mental health service"),
    "palliative_care": _l("Palliative care"),
    "social_link": _l("Social link"),
    "general_practitioner": _l("General practitioner"),
}
CALLER_TYPE_LABELS = {"patient": _l("Patient"), "carer": _l("Carer"), "professional": _l("Professional")}
CONTACT_KIND_LABELS = {"carer": _l("Carer"), "professional": _l("Professional")}
FLAG_LABELS = {
    "legal_guardian": _l("Legal guardian to be called"),
    "safeguarding": _l("Safeguarding concern"),
    "aggressive_caller": _l("Aggressive caller"),
    "hard_of_hearing": _l("Hard of hearing: speak slowly and clearly"),
    "interpreter": _l("Needs an interpreter"),
    "other": _l("Other"),
}
PROFESSIONAL_ROLE_LABELS = {
    "gp": _l("GP"),
    "nurse": _l("Nurse"),
    "social_worker": _l("Social worker"),
    "hospital": _l("Hospital"),
    "pharmacist": _l("Pharmacist"),
    "other": _l("Other"),
}
DIRECTION_LABELS = {"incoming": _l("Incoming"), "outgoing": _l("Outgoing")}
CHANNEL_LABELS = {"phone": _l("Phone"), "email": _l("E-mail"), "in_person": _l("In person")}
ROLE_LABELS = {
    "nurse": _l("Nurse"),
    "case_manager": _l("Case manager"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}


CONSENT_PURPOSE_LABELS = {
    "referral": _l("Referral to a structure"),
    "case_management": _l("Case management"),
    "sms": _l("Text messages (SMS)"),
}
STRUCTURE_STATUS_LABELS = {
    "active": lazy_pgettext("structure status", "Active"),
    "temporarily_closed": _l("Temporarily closed"),
    "inactive": _l("Inactive"),
}
REFERRAL_STATUS_LABELS = {
    "sent": _l("Sent"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "done": _l("Done"),
}
REFERRAL_OUTCOME_LABELS = {"successful": _l("Successful"), "unsuccessful": _l("Not successful")}
REFERRAL_REASON_LABELS = {
    "no_capacity": _l("No capacity"),
    "not_eligible": _l("Not eligible"),
    "outside_territory": _l("Outside the territory"),
    "not_its_service": _l("Not this structure's service"),
    "person_refused": _l("Person refused"),
    "person_unreachable": _l("Could not reach the person"),
    "structure_unreachable": _l("Could not reach the structure"),
    "no_longer_needed": _l("No longer needed"),
    "other": _l("Other"),
}
FOLLOWUP_STATUS_LABELS = {
    "pending": _l("Waiting"),
    "claimed": _l("In progress"),
    "done": _l("Completed"),
    "unreachable": _l("Unreachable"),
    "cancelled": _l("Cancelled"),
    "merged": _l("Checked in another follow-up call"),
}
CALLBACK_REASON_LABELS = {
    "abandoned": _l("Hung up while waiting"),
    "after_hours": _l("Called after hours"),
    "voicemail": _l("Left a voicemail"),
}
CALLBACK_STATUS_LABELS = {"pending": _l("To call back"), "done": _l("Called back"), "unreachable": _l("Unreachable")}
CASE_STATUS_LABELS = {
    "waiting": _l("Waiting"),
    "active": lazy_pgettext("case status", "Active"),
    "closed": _l("Closed"),
}
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
CASE_MANAGER_PROFILE_LABELS = {"nurse": _l("Nurse"), "social_worker": _l("Social worker")}
CASE_EVENT_KIND_LABELS = {"reassigned": _l("Case reassigned"), "reopened": _l("Case reopened")}
RELAY_KIND_LABELS = {"relay": _l("Relayed call"), "emergency": _l("Emergency call")}
CARE_SETTING_LABELS = {
    "home": lazy_pgettext("care setting", "Home"),
    "hospital": _l("Hospital"),
    "rehabilitation": _l("Rehabilitation"),
    "temporary_stay": _l("Temporary stay"),
    "institution": _l("Institution"),
}
DUE_KIND_LABELS = {
    "reassessment": _l("Reassessment"),
    "plan_review": _l("Plan review"),
}
FOLLOWED_REASON_LABELS = {
    "relay": _l("Call relayed to the case manager"),
    "rupture": _l("Rupture in the care pathway"),
    "reassessment_overdue": _l("Reassessment overdue"),
    "plan_item_overdue": _l("Plan item overdue"),
    "plan_review_overdue": _l("Plan review overdue"),
    "unmet_need": _l("Follow-up call found an unmet need"),
}


def choices(labels: dict, blank=None) -> list[SelectChoice]:
    """Return WTForms choices from a label mapping, in its order (after a blank choice if given)."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in labels.items()]


# What the audit trail records, in words (the stored codes are the filter's values, never shown).
AUDIT_ACTION_LABELS = {
    "read": lazy_pgettext("audit action", "Opened"),
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "export": _l("Exported"),
    "print": _l("Printed"),
    "import": _l("Imported"),
    "login": _l("Logged in"),
    "login_failed": _l("Login refused"),
    "logout": _l("Logged out"),
    "denied": _l("Access refused"),
    "claim": _l("Taken from the worklist"),
    "release": _l("Given back"),
    "cancel": _l("Cancelled"),
    "notify": _l("Notified"),
    "call": _l("Phoned"),
    "call_result": _l("Phone call result"),
    "answer": _l("Phone call answered"),
    "transfer": _l("Phone call transferred"),
    "validate": _l("Validated"),
    "close": lazy_pgettext("audit action", "Closed"),
    "attempt": _l("Call-back attempt"),
    "unreachable": _l("Marked unreachable"),
}
AUDIT_OBJECT_LABELS = {
    "person": _l("Person"),
    "call": _l("Call"),
    "referral": _l("Referral"),
    "case": _l("Case"),
    "followup": _l("Follow-up"),
    "handoff": _l("Handoff"),
    "user": _l("Account"),
    "consent": _l("Consent"),
    "visit": _l("Visit"),
    "task": _l("Task"),
    "assessment": _l("Assessment"),
    "service_plan": _l("Service plan"),
    "structure": _l("Structure"),
    "indicator": _l("Indicator"),
    "phone_call": _l("Phone call"),
    "callback": _l("Call to return"),
    "review_item": _l("Team meeting item"),
    "relay": _l("Relay"),
    "meeting": _l("Team meeting"),
    "meeting_decision": _l("Team decision"),
    "case_note": _l("Progress note"),
    "care_setting": _l("Care setting"),
    "plan_review": _l("Plan review"),
}


# Read-only: a new vocabulary gets its labels written here, not added at start-up.
ALL_LABELS = MappingProxyType(
    {
        "topic": TOPIC_LABELS,
        "red_flag": RED_FLAG_LABELS,
        "criterion": CRITERION_LABELS,
        "rupture": RUPTURE_LABELS,
        "route": ROUTE_LABELS,
        "priority": PRIORITY_LABELS,
        "category": CATEGORY_LABELS,
        "caller_type": CALLER_TYPE_LABELS,
        "professional_role": PROFESSIONAL_ROLE_LABELS,
        "direction": DIRECTION_LABELS,
        "channel": CHANNEL_LABELS,
        "role": ROLE_LABELS,
        "contact_kind": CONTACT_KIND_LABELS,
        "consent_purpose": CONSENT_PURPOSE_LABELS,
        "audit_action": AUDIT_ACTION_LABELS,
        "audit_object": AUDIT_OBJECT_LABELS,
        "structure_status": STRUCTURE_STATUS_LABELS,
        "referral_status": REFERRAL_STATUS_LABELS,
        "referral_outcome": REFERRAL_OUTCOME_LABELS,
        "referral_reason": REFERRAL_REASON_LABELS,
        "followup_status": FOLLOWUP_STATUS_LABELS,
        "callback_reason": CALLBACK_REASON_LABELS,
        "callback_status": CALLBACK_STATUS_LABELS,
        "case_status": CASE_STATUS_LABELS,
        "closure_reason": CLOSURE_REASON_LABELS,
        "dimension": DIMENSION_LABELS,
        "difficulty": DIFFICULTY_LABELS,
        "plan_item_status": PLAN_ITEM_STATUS_LABELS,
        "relay_kind": RELAY_KIND_LABELS,
        "case_manager_profile": CASE_MANAGER_PROFILE_LABELS,
        "case_event": CASE_EVENT_KIND_LABELS,
        "care_setting": CARE_SETTING_LABELS,
        "person_flag": FLAG_LABELS,
        "followed_reason": FOLLOWED_REASON_LABELS,
        "due_kind": DUE_KIND_LABELS,
    }
)
