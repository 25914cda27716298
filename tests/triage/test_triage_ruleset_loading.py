"""Loading rule sets: identity, description, and refusal of malformed rules."""

from __future__ import annotations

import hashlib
import re

import pytest

from triage_rules import DEFAULT_RULESET_PATH, RulesetError, default_ruleset, load_ruleset

ROUTING_ORDER = [
    "red-flag",
    "relay-to-case-manager",
    "case-management",
    "complex-without-consent",
    "complex-outside-service-area",
    "referral",
    "information",
]


def test_default_ruleset_is_loaded_once(ruleset):
    assert default_ruleset() is ruleset
    assert (ruleset.name, ruleset.version) == ("default", "1.1.0")


def test_sha256_is_stable_across_loads_and_copies(ruleset, candidate_dir):
    assert re.fullmatch(r"[0-9a-f]{64}", ruleset.sha256)
    assert load_ruleset(DEFAULT_RULESET_PATH).sha256 == ruleset.sha256
    assert load_ruleset(candidate_dir).sha256 == ruleset.sha256


def test_sha256_covers_every_listed_file_by_name_and_bytes(ruleset):
    head = (DEFAULT_RULESET_PATH / "ruleset.yaml").read_text(encoding="utf-8")
    names = ["ruleset.yaml"] + re.findall(r"^\s+- (rules/\S+\.yaml)$", head, flags=re.MULTILINE)
    digest = hashlib.sha256()
    for name in sorted(names):
        content = (DEFAULT_RULESET_PATH / name).read_bytes()
        digest.update(f"{name}\0{hashlib.sha256(content).hexdigest()}\n".encode())
    assert ruleset.sha256 == digest.hexdigest()


@pytest.mark.parametrize("relative", ["ruleset.yaml", "rules/5-referral.yaml"])
def test_sha256_changes_when_a_file_changes(ruleset, candidate_dir, relative):
    path = candidate_dir / relative
    path.write_bytes(path.read_bytes() + b"# reviewed\n")
    changed = load_ruleset(candidate_dir)
    assert changed.sha256 != ruleset.sha256
    assert (
        changed.decide(
            {
                "caller": {"type": "patient"},
                "person": {"postcode": "4000", "consent": True},
                "request": {"topics": ["housing"]},
            }
        ).ruleset.sha256
        == changed.sha256
    )


def test_unlisted_files_do_not_change_the_identity(ruleset, candidate_dir):
    (candidate_dir / "rules" / "README.txt").write_text("notes", encoding="utf-8")
    assert load_ruleset(candidate_dir).sha256 == ruleset.sha256


def test_describe_lists_every_rule_in_evaluation_order(ruleset):
    described = ruleset.describe()
    assert [rule["id"] for rule in described if rule["kind"] == "route"] == ROUTING_ORDER
    assert {rule["id"] for rule in described} == {rule.id for rule in ruleset.rules}
    red_flag = described[0]
    assert red_flag["condition"] == "red_flag_count > 0"
    assert red_flag["outcome"] == {"route": "emergency", "priority": "immediate"}
    assert set(red_flag["sentence"]) == {"fr", "en"}
    assert red_flag["file"] == "rules/1-emergency.yaml"
    adjustments = [rule for rule in described if rule["kind"] == "adjustment"]
    assert all(rule["applies_to"] for rule in adjustments)


# (file, exact text, replacement, words the error must contain besides the file name)
MALFORMED = {
    "unknown variable": (
        "rules/3-case-management.yaml",
        "== 4 and consent and",
        "== 4 and consentt and",
        ["'case-management'", "unknown variable 'consentt'"],
    ),
    "built-in symbol": (
        "rules/1-emergency.yaml",
        "red_flag_count > 0",
        "red_flag_count > 0 and $pi > 3",
        ["'red-flag'", "unknown variable"],
    ),
    "bad syntax": (
        "rules/3-case-management.yaml",
        "rupture_event_count > 0",
        "rupture_event_count >",
        ["'case-management-rupture'", "syntax error"],
    ),
    "bad operator": (
        "rules/5-referral.yaml",
        "cnsa_criteria_met == 3",
        "cnsa_criteria_met === 3",
        ["'referral-three-cnsa-criteria'", "syntax error"],
    ),
    "type error": ("rules/1-emergency.yaml", "red_flag_count > 0", "red_flag_count > 'many'", ["'red-flag'"]),
    "not true or false": ("rules/1-emergency.yaml", "red_flag_count > 0", "red_flags", ["'red-flag'", "true or false"]),
    "word outside the vocabulary": (
        "rules/1-emergency.yaml",
        "red_flag_count > 0",
        "\"'chest_pian' in red_flags\"",
        ["'red-flag'", "'chest_pian' is not a known value of red_flags"],
    ),
    "unguarded unrecorded value": (
        "rules/5-referral.yaml",
        "prisma7_score != null and prisma7_score >= 3",
        "prisma7_score >= 3",
        ["'referral-frail-living-alone'", "prisma7_score"],
    ),
    "unknown route": (
        "rules/1-emergency.yaml",
        "route: emergency",
        "route: hospital",
        ["'red-flag'", "outcome.route: must be one of"],
    ),
    "unknown category": (
        "rules/4-complex-outside-case-management.yaml",
        "add_categories: [home_care_coordination]\n      team_review: true\n      follow_up_days: [30, 182]\n\n",
        "add_categories: [home_nursing]\n      team_review: true\n      follow_up_days: [30, 182]\n\n",
        ["'complex-without-consent'", "outcome.add_categories[0]: must be one of"],
    ),
    "missing sentence": (
        "rules/6-information.yaml",
        '      en: "No referral needed: the question is answered on the line, with no follow-up call."\n',
        "",
        ["'information'", "sentence.en: is required"],
    ),
    "missing condition": (
        "rules/1-emergency.yaml",
        "    condition: red_flag_count > 0\n",
        "",
        ["'red-flag'", "condition: is required"],
    ),
    "misspelt field": (
        "rules/1-emergency.yaml",
        "    condition:",
        "    condtion:",
        ["'red-flag'", "condtion: is not a known field"],
    ),
    "key written twice": (
        "rules/1-emergency.yaml",
        "priority: immediate",
        "priority: immediate\n      priority: high",
        ["line", "'priority' appears twice"],
    ),
    "adjustment without applies_to": (
        "rules/3-case-management.yaml",
        "    applies_to: [case_management]\n",
        "",
        ["'case-management-rupture'", "applies_to"],
    ),
    "categories outside external": (
        "rules/1-emergency.yaml",
        "priority: immediate",
        "priority: immediate\n      add_categories: [social_service]",
        ["'red-flag'", "external"],
    ),
    "duplicate rule id": (
        "rules/5-referral.yaml",
        "id: referral-rupture",
        "id: case-management-rupture",
        ["'case-management-rupture'", "already used in rules/3-case-management.yaml"],
    ),
    "no catch-all": (
        "rules/6-information.yaml",
        'condition: "true"',
        "condition: topic_category_count == 0",
        ["'information'", "last routing rule"],
    ),
    "unknown topic category": (
        "ruleset.yaml",
        "housing: housing_service",
        "housing: housing_agency",
        ["topic_categories.housing: must be one of"],
    ),
    "unquoted version": ("ruleset.yaml", 'version: "1.1.0"', "version: 1.0", ["version: must be a string"]),
    "backwards service area": ("ruleset.yaml", "{from: 4000, to: 4690}", "{from: 4690, to: 4000}", ["backwards"]),
    "missing rule file": (
        "ruleset.yaml",
        "  - rules/6-information.yaml\n",
        "  - rules/6-information.yaml\n  - rules/6-missing.yaml\n",
        ["cannot read"],
    ),
    "invalid yaml": ("rules/5-referral.yaml", "rules:\n", "rules: [\n", ["not valid YAML"]),
}


@pytest.mark.parametrize("case", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_rule_set_fails_at_load_naming_file_and_rule(candidate_dir, edit_rules, case):
    relative, old, new, words = case
    edit_rules(candidate_dir, relative, old, new)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(candidate_dir)
    message = str(caught.value)
    named_file = "rules/6-missing.yaml" if "6-missing" in new else relative
    assert message.startswith(f"{candidate_dir / named_file}:")
    for word in words:
        assert word in message


def test_missing_ruleset_directory_is_a_ruleset_error(tmp_path):
    with pytest.raises(RulesetError, match="ruleset.yaml: cannot read"):
        load_ruleset(tmp_path / "nowhere")


def test_condition_failing_on_a_request_raises_ruleset_error_not_a_route(candidate_dir, edit_rules, make_request):
    # Passes the load-time samples (no red flag, or all eight) but fails on exactly one.
    edit_rules(
        candidate_dir,
        "rules/1-emergency.yaml",
        "red_flag_count > 0",
        "red_flag_count > 0 and red_flags[1] != 'chest_pain'",
    )
    candidate = load_ruleset(candidate_dir)
    with pytest.raises(RulesetError, match=r"1-emergency\.yaml: rule 'red-flag': condition .* failed on this request"):
        candidate.decide(make_request(red_flags=["stroke_signs"]))


def test_service_area_may_list_single_postcodes(candidate_dir, edit_rules, make_request):
    edit_rules(
        candidate_dir,
        "ruleset.yaml",
        "    - {from: 4000, to: 4690}\n",
        "    - {from: 4000, to: 4690}\n  postcodes: [B-4000]\n",
    )
    candidate = load_ruleset(candidate_dir)
    assert candidate.decide(make_request(criteria=4, postcode="B-4000")).route == "case_management"
    assert candidate.decide(make_request(criteria=4, postcode="B-5000")).route == "external"


def test_prisma7_items_can_be_scored_the_other_way_round(candidate_dir, edit_rules, make_request):
    edit_rules(candidate_dir, "ruleset.yaml", "reverse_scored_items: [6]", "reverse_scored_items: []")
    candidate = load_ruleset(candidate_dir)
    request = make_request(lives_alone=True)
    request["prisma7"] = [True, True, False, False, False, False, False]
    # Shipped: "no" to item 6 (nobody to count on) scores, so 3 points; the candidate scores only "yes".
    assert default_ruleset().decide(request).team_review is True
    assert candidate.decide(request).team_review is False
