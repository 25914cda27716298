"""Labels of the helpline's vocabularies, in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    "no_coordinator_in_entourage": _l("Nobody around to coordinate the answers"),
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


def choices(labels: dict, blank=None) -> list[SelectChoice]:
    """Return WTForms choices from a label mapping, in its order (after a blank choice if given)."""
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in labels.items()]


ALL_LABELS = {
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
}
