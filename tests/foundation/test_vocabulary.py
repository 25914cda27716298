"""One vocabulary: every code the app stores has a label, and every label a code."""

import pytest

from helpline.vocabulary import ALL_LABELS
from models import vocabulary as codes
from triage_rules import vocabulary as contract

LABELLED = {
    "topic": codes.TOPICS,
    "red_flag": codes.RED_FLAGS,
    "criterion": codes.CRITERIA,
    "rupture": codes.RUPTURE_EVENTS,
    "route": codes.ROUTES,
    "priority": codes.PRIORITIES,
    "category": codes.CATEGORIES,
    "caller_type": codes.CALLER_TYPES,
    "professional_role": codes.PROFESSIONAL_ROLES,
    "direction": codes.DIRECTIONS,
    "channel": codes.CHANNELS,
    "role": codes.ROLES,
    "consent_purpose": codes.CONSENT_PURPOSES,
    "structure_status": codes.STRUCTURE_STATUSES,
    "referral_status": codes.REFERRAL_STATUSES,
    "referral_outcome": codes.REFERRAL_OUTCOMES,
    "referral_reason": codes.DECLINE_REASONS + codes.UNSUCCESSFUL_REASONS,
    "followup_status": codes.FOLLOWUP_STATUSES,
    "callback_reason": codes.CALLBACK_REASONS,
    "callback_status": codes.CALLBACK_STATUSES,
    "case_status": codes.CASE_STATUSES,
    "closure_reason": codes.CLOSURE_REASONS,
    "dimension": codes.ASSESSMENT_DIMENSIONS,
    "plan_item_status": codes.PLAN_ITEM_STATUSES,
    "relay_kind": codes.RELAY_KINDS,
    "case_manager_profile": codes.CASE_MANAGER_PROFILES,
    "case_event": codes.CASE_EVENT_KINDS,
    "care_setting": codes.CARE_SETTINGS,
    "followed_reason": codes.FOLLOWED_REASONS,
    "due_kind": codes.DUE_KINDS,
    "contact_kind": codes.CONTACT_KINDS,
    "person_flag": codes.FLAG_KINDS,
    "audit_action": codes.AUDIT_ACTIONS,
    "audit_object": codes.AUDIT_OBJECTS,
}


@pytest.mark.parametrize("kind", sorted(LABELLED))
def test_every_code_has_a_label_and_every_label_a_code(kind):
    assert set(ALL_LABELS[kind]) == set(LABELLED[kind])


def test_the_app_reads_the_triage_contracts_words_from_the_engine():
    for name in (
        "TOPICS",
        "RED_FLAGS",
        "RUPTURE_EVENTS",
        "ROUTES",
        "PRIORITIES",
        "CATEGORIES",
        "CALLER_TYPES",
        "PROFESSIONAL_ROLES",
    ):
        assert getattr(codes, name) is getattr(contract, name), name
    assert codes.CRITERIA is contract.CNSA_CRITERIA
    assert "relay" in codes.ROUTES


def test_labels_cannot_be_added_at_run_time():
    with pytest.raises(TypeError):
        ALL_LABELS["new_kind"] = {}  # type: ignore[index]


def test_only_the_difficulty_scale_is_labelled_without_stored_codes():
    assert set(ALL_LABELS) - set(LABELLED) == {"difficulty"}
