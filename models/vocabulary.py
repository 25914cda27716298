"""The codes the helpline stores: one place for every vocabulary the app reads.

The triage contract's words (topics, red flags, criteria, rupture events, routes, priorities,
categories, caller types, professional roles) come from `triage_rules.vocabulary`, which reads
them from the request schema; the app's own codes (directions, channels, roles, statuses) are
written here. Labels in the user's language are in `helpline/vocabulary.py`, keyed by these codes.
"""

from triage_rules.vocabulary import (
    CALLER_TYPES,
    CATEGORIES,
    PRIORITIES,
    PROFESSIONAL_ROLES,
    RED_FLAGS,
    ROUTES,
    RUPTURE_EVENTS,
    TOPICS,
)
from triage_rules.vocabulary import (
    CNSA_CRITERIA as CRITERIA,
)

# Calls
DIRECTIONS = ("incoming", "outgoing")
CHANNELS = ("phone", "email", "in_person")

# Staff and persons
ROLES = ("nurse", "case_manager", "coordinator", "admin")
CONSENT_PURPOSES = ("referral", "case_management", "sms")
CONTACT_KINDS = ("carer", "professional")  # who is around the person
# What every nurse must know before talking about the person (person flags).
FLAG_KINDS = ("legal_guardian", "safeguarding", "aggressive_caller", "hard_of_hearing", "interpreter", "other")

# Directory
STRUCTURE_STATUSES = ("active", "inactive", "temporarily_closed")

# Referrals
REFERRAL_STATUSES = ("sent", "accepted", "declined", "done")
# Which status may follow which: a referral ends declined or done.
NEXT_STATUSES = {"sent": ("accepted", "declined", "done"), "accepted": ("done",), "declined": (), "done": ()}
REFERRAL_OUTCOMES = ("successful", "unsuccessful")
UNSUCCESSFUL_REASONS = (
    "person_refused",
    "no_capacity",
    "person_unreachable",
    "structure_unreachable",
    "no_longer_needed",
    "other",
)
DECLINE_REASONS = ("no_capacity", "not_eligible", "outside_territory", "not_its_service", "person_refused", "other")
# What a structure may give through its answer link (the nurse's form offers every DECLINE_REASONS).
STRUCTURE_DECLINE_REASONS = ("no_capacity", "outside_territory", "not_its_service", "other")

# Team meeting
REVIEW_STATUSES = ("pending", "validated", "reoriented")

# Case management
CASE_STATUSES = ("waiting", "active", "closed")
CLOSURE_REASONS = ("goals_reached", "residential_care", "moved_away", "died", "refused", "other")
ASSESSMENT_DIMENSIONS = (
    "health_medication",
    "mobility",
    "daily_living",
    "cognition",
    "social_history",
    "domestic_activities",
    "financial_administrative",
    "social_roles",
    "support_in_place",
)
PLAN_ITEM_STATUSES = ("planned", "in_progress", "in_place", "stopped")
CASE_MANAGER_PROFILES = ("nurse", "social_worker")  # seed 002: a housing situation can go to a social worker
CASE_EVENT_KINDS = ("reassigned", "reopened")
# Where the person is for a time (care setting), recorded on her case with its dates.
CARE_SETTINGS = ("home", "hospital", "rehabilitation", "temporary_stay", "institution")
RELAY_KINDS = ("relay", "emergency")  # why a call was passed on to the case manager
# Why an active case is on the team meeting's agenda this week, in the order they are shown.
FOLLOWED_REASONS = (
    "relay",
    "rupture",
    "reassessment_overdue",
    "plan_item_overdue",
    "plan_review_overdue",
    "unmet_need",
)

# What falls due on an active case (its reassessment, its plan's review with the person).
DUE_KINDS = ("reassessment", "plan_review")

# Follow-ups
FOLLOWUP_STATUSES = ("pending", "claimed", "done", "unreachable", "cancelled", "merged")
FOLLOWUP_OPEN_STATUSES = ("pending", "claimed")

# Calls to return
CALLBACK_REASONS = ("abandoned", "after_hours", "voicemail")
CALLBACK_STATUSES = ("pending", "done", "unreachable")

# Mail: waiting → sending (claimed by one worker) → sent; or back to waiting (retry later), or failed.
OUTBOX_STATUSES = ("waiting", "sending", "sent", "failed")

# Reports
NOTE_SOURCES = ("call", "followup")

# Audit trail: the actions recorded and the kinds of record they are about.
AUDIT_ACTIONS = (
    "read",
    "create",
    "update",
    "delete",
    "export",
    "print",
    "import",
    "login",
    "login_failed",
    "logout",
    "denied",
    "claim",
    "release",
    "cancel",
    "notify",
    "call",
    "call_result",
    "answer",
    "transfer",
    "validate",
    "close",
    "attempt",
    "unreachable",
)
AUDIT_OBJECTS = (
    "person",
    "call",
    "referral",
    "case",
    "followup",
    "handoff",
    "user",
    "consent",
    "visit",
    "task",
    "assessment",
    "service_plan",
    "structure",
    "indicator",
    "phone_call",
    "callback",
    "review_item",
    "relay",
    "meeting",
    "meeting_decision",
    "case_note",
    "plan_review",
    "care_setting",
)

__all__ = [
    "ASSESSMENT_DIMENSIONS",
    "AUDIT_ACTIONS",
    "AUDIT_OBJECTS",
    "CALLBACK_REASONS",
    "CALLBACK_STATUSES",
    "CALLER_TYPES",
    "CARE_SETTINGS",
    "CASE_EVENT_KINDS",
    "CASE_MANAGER_PROFILES",
    "CASE_STATUSES",
    "CATEGORIES",
    "CHANNELS",
    "CLOSURE_REASONS",
    "CONSENT_PURPOSES",
    "CONTACT_KINDS",
    "CRITERIA",
    "DECLINE_REASONS",
    "DIRECTIONS",
    "FLAG_KINDS",
    "DUE_KINDS",
    "FOLLOWED_REASONS",
    "FOLLOWUP_OPEN_STATUSES",
    "FOLLOWUP_STATUSES",
    "NEXT_STATUSES",
    "NOTE_SOURCES",
    "OUTBOX_STATUSES",
    "PLAN_ITEM_STATUSES",
    "PRIORITIES",
    "PROFESSIONAL_ROLES",
    "RED_FLAGS",
    "REFERRAL_OUTCOMES",
    "REFERRAL_STATUSES",
    "RELAY_KINDS",
    "REVIEW_STATUSES",
    "ROLES",
    "ROUTES",
    "RUPTURE_EVENTS",
    "STRUCTURE_DECLINE_REASONS",
    "STRUCTURE_STATUSES",
    "TOPICS",
    "UNSUCCESSFUL_REASONS",
]
