"""Replaying stored requests through a candidate rule set."""

from __future__ import annotations

import json

import pytest

from triage_rules import load_ruleset, replay

NARROW_AREA = "{from: 4000, to: 4690}"


@pytest.fixture
def narrow_candidate(candidate_dir, edit_rules):
    """A candidate rule set whose service area stops at 4099."""
    edit_rules(candidate_dir, "ruleset.yaml", NARROW_AREA, "{from: 4000, to: 4099}")
    edit_rules(candidate_dir, "ruleset.yaml", 'version: "1.1.0"', 'version: "1.1.0-candidate"')
    return load_ruleset(candidate_dir)


@pytest.fixture
def stored_calls(ruleset, make_request):
    """Synthetic stored calls: (call id, request, route stored by the shipped rule set)."""
    requests = {
        "c1": make_request(criteria=4, postcode="4100"),
        "c2": make_request(criteria=4, postcode="4600", ruptures=["carer_loss"]),
        "c3": make_request(criteria=4, postcode="4050"),
        "c4": make_request(topics=["information"]),
        "c5": make_request(red_flags=["chest_pain"], postcode="4600"),
        "c6": make_request(topics=["housing"], postcode="4600"),
    }
    items = [(call_id, request, ruleset.decide(request).route) for call_id, request in requests.items()]
    items.append(("bad1", {"caller": {"type": "patient"}}, "external"))
    items.append(("bad2", "not a request", "information"))
    return items


def test_replay_counts_route_transitions(narrow_candidate, stored_calls):
    report = replay(stored_calls, narrow_candidate)
    assert (report.total, report.decided, report.errors) == (8, 6, 2)
    assert report.changed == 2
    assert report.changes() == {("case_management", "external"): 2}
    assert report.samples[("case_management", "external")] == ["c1", "c2"]
    assert report.transitions[("case_management", "case_management")] == 1
    assert report.transitions[("external", "external")] == 1
    assert [call_id for call_id, _ in report.error_samples] == ["bad1", "bad2"]
    assert "person: is required" in report.error_samples[0][1]


def test_replay_against_an_old_rule_set_ignores_stored_routes(ruleset, narrow_candidate, stored_calls):
    items = [(call_id, request, None) for call_id, request, _ in stored_calls]
    report = replay(items, narrow_candidate, old=ruleset)
    assert report.changes() == {("case_management", "external"): 2}
    assert report.baseline == ruleset.identity


def test_identical_rule_set_changes_nothing(ruleset, stored_calls):
    report = replay(stored_calls, ruleset)
    assert (report.changed, report.changes(), report.decided) == (0, {}, 6)


def test_samples_are_capped_at_ten(narrow_candidate, make_request):
    request = make_request(criteria=4, postcode="4500")
    report = replay(((f"call-{n}", request, "case_management") for n in range(25)), narrow_candidate)
    assert report.transitions[("case_management", "external")] == 25
    assert report.samples[("case_management", "external")] == [f"call-{n}" for n in range(10)]


def test_report_is_json_ready(narrow_candidate, stored_calls):
    data = json.loads(json.dumps(replay(stored_calls, narrow_candidate).to_dict()))
    assert data["candidate"]["version"] == "1.1.0-candidate"
    assert data["baseline"] == "stored routes"
    assert (data["total"], data["changed"], data["errors"]) == (8, 2, 2)
    top = data["transitions"][0]
    assert (top["from"], top["to"], top["count"], top["sample_call_ids"]) == (
        "case_management",
        "external",
        2,
        ["c1", "c2"],
    )
