"""Each step of the contract's default policy, and their order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support import examples
from triage_rules import TriageInputError
from triage_rules.vocabulary import CNSA_CRITERIA, RED_FLAGS, ROUTES, RUPTURE_EVENTS, TOPICS

FOLLOW_UPS = [30, 182]


@pytest.mark.parametrize("flag", RED_FLAGS)
def test_any_red_flag_sends_to_emergency(ruleset, make_request, flag):
    decision = ruleset.decide(make_request(red_flags=[flag]))
    assert (decision.route, decision.priority, decision.rule_ids) == ("emergency", "immediate", ("red-flag",))


def test_red_flag_overrides_case_management(ruleset, make_request):
    request = make_request(
        criteria=4, ruptures=["carer_loss"], prisma7_yes=5, lives_alone=True, red_flags=["acute_confusion"]
    )
    decision = ruleset.decide(request).to_dict()
    assert decision["route"] == "emergency"
    assert decision["priority"] == "immediate"
    assert decision["categories"] == []
    assert decision["team_review"] is False
    assert [reason["rule"] for reason in decision["reasons"]] == ["red-flag"]


def test_four_criteria_with_consent_in_area_is_case_management(ruleset, make_request):
    decision = ruleset.decide(make_request(topics=["home_help", "housing"], criteria=4)).to_dict()
    assert decision["route"] == "case_management"
    assert decision["categories"] == []
    assert decision["priority"] == "routine"
    assert decision["team_review"] is True
    assert decision["follow_up_days"] == FOLLOW_UPS
    assert [reason["rule"] for reason in decision["reasons"]] == ["case-management"]


@pytest.mark.parametrize("event", RUPTURE_EVENTS)
def test_rupture_gives_case_management_high_priority(ruleset, make_request, event):
    decision = ruleset.decide(make_request(criteria=4, ruptures=[event]))
    assert (decision.route, decision.priority) == ("case_management", "high")
    assert decision.rule_ids == ("case-management", "case-management-rupture")


@pytest.mark.parametrize("postcode", ["4000", "4690", "4100", " 4350 "])
def test_service_area_bounds_are_inside(ruleset, make_request, postcode):
    assert ruleset.decide(make_request(criteria=4, postcode=postcode)).route == "case_management"


@pytest.mark.parametrize(
    "postcode, consent, rule",
    [
        ("3999", True, "complex-outside-service-area"),
        ("4691", True, "complex-outside-service-area"),
        ("B-4000", True, "complex-outside-service-area"),
        ("4000", False, "complex-without-consent"),
        ("5000", False, "complex-without-consent"),
    ],
)
def test_complex_without_consent_or_outside_area_goes_external_with_coordination(
    ruleset, make_request, postcode, consent, rule
):
    decision = ruleset.decide(
        make_request(topics=["housing", "care"], criteria=4, postcode=postcode, consent=consent)
    ).to_dict()
    assert decision["route"] == "external"
    assert decision["categories"] == ["home_care_coordination", "housing_service"]
    assert decision["team_review"] is True
    assert decision["follow_up_days"] == FOLLOW_UPS
    assert decision["reasons"][0]["rule"] == rule


def test_complex_external_with_information_topic_only_still_gets_coordination(ruleset, make_request):
    decision = ruleset.decide(make_request(topics=["information"], criteria=4, consent=False))
    assert (decision.route, decision.categories) == ("external", ("home_care_coordination",))


@pytest.mark.parametrize("missing", CNSA_CRITERIA)
def test_three_of_four_criteria_put_referral_on_team_agenda(ruleset, make_request, missing):
    request = make_request(topics=["transport"])
    request["complexity"] = {name: name != missing for name in CNSA_CRITERIA}
    decision = ruleset.decide(request)
    assert (decision.route, decision.team_review) == ("external", True)
    assert decision.rule_ids == ("referral", "referral-three-cnsa-criteria")


def test_two_criteria_do_not_put_referral_on_team_agenda(ruleset, make_request):
    decision = ruleset.decide(make_request(criteria=2))
    assert (decision.route, decision.team_review, decision.rule_ids) == ("external", False, ("referral",))


@pytest.mark.parametrize(
    "yes, lives_alone, review",
    [
        (3, True, True),
        (7, True, True),
        (2, True, False),
        (3, False, False),
        (3, None, False),
        (None, True, False),
    ],
)
def test_prisma7_three_or_more_living_alone_puts_referral_on_team_agenda(
    ruleset, make_request, yes, lives_alone, review
):
    decision = ruleset.decide(make_request(prisma7_yes=yes, lives_alone=lives_alone))
    assert decision.route == "external"
    assert decision.team_review is review
    assert ("referral-frail-living-alone" in decision.rule_ids) is review


@pytest.mark.parametrize("event", RUPTURE_EVENTS)
def test_rupture_gives_referral_high_priority(ruleset, make_request, event):
    decision = ruleset.decide(make_request(ruptures=[event]))
    assert (decision.route, decision.priority, decision.follow_up_days) == ("external", "high", (30, 182))


def test_referral_lists_topic_categories_sorted_once(ruleset, make_request):
    decision = ruleset.decide(make_request(topics=["transport", "care", "home_help", "information"]))
    assert decision.to_dict()["categories"] == ["home_care_coordination", "transport_service"]
    assert (decision.priority, decision.team_review, decision.follow_up_days) == ("routine", False, (30, 182))


def test_information_only_is_answered_on_the_line(ruleset, make_request):
    decision = ruleset.decide(make_request(topics=["information"])).to_dict()
    assert decision["route"] == "information"
    assert decision["priority"] == "routine"
    assert decision["follow_up_days"] == []
    assert decision["categories"] == []
    assert decision["team_review"] is False
    assert [reason["rule"] for reason in decision["reasons"]] == ["information"]


def test_information_route_is_not_adjusted_by_referral_rules(ruleset, make_request):
    request = make_request(topics=["information"], criteria=3, ruptures=["gp_change"], prisma7_yes=4, lives_alone=True)
    decision = ruleset.decide(request)
    assert (decision.route, decision.priority, decision.team_review) == ("information", "routine", False)


def test_every_rule_that_fired_is_listed_in_order(ruleset, make_request):
    request = make_request(criteria=4, postcode="5000", ruptures=["home_change"], prisma7_yes=3, lives_alone=True)
    decision = ruleset.decide(request, lang="en")
    assert decision.rule_ids == ("complex-outside-service-area", "referral-rupture", "referral-frail-living-alone")
    assert decision.priority == "high"
    assert all(reason.text for reason in decision.reasons)


def test_decision_has_exactly_the_contract_shape(ruleset, make_request):
    decision = ruleset.decide(make_request()).to_dict()
    assert list(decision) == ["route", "categories", "priority", "follow_up_days", "team_review", "reasons", "ruleset"]
    assert set(decision["ruleset"]) == {"name", "version", "sha256"}
    assert all(set(reason) == {"rule", "text"} for reason in decision["reasons"])


def test_reasons_follow_the_requested_language(ruleset, make_request):
    french = ruleset.decide(make_request(), lang="fr").reasons[0].text
    english = ruleset.decide(make_request(), lang="en").reasons[0].text
    assert french != english
    assert ruleset.decide(make_request(), lang="fr_BE").reasons[0].text == french
    assert ruleset.decide(make_request(), lang="en-GB").reasons[0].text == english
    with pytest.raises(ValueError, match="language"):
        ruleset.decide(make_request(), lang="nl")


def test_invalid_request_is_refused_not_routed(ruleset, make_request):
    request = make_request()
    del request["person"]["postcode"]
    with pytest.raises(TriageInputError, match=r"person\.postcode"):
        ruleset.decide(request)


_valid_requests = st.builds(
    lambda caller, topics, postcode, consent, complexity, red_flags, prisma7, lives_alone: {
        "caller": {"type": caller},
        "person": {
            "postcode": postcode,
            "consent": consent,
            **({"lives_alone": lives_alone} if lives_alone is not None else {}),
        },
        "request": {"topics": topics},
        **({"complexity": complexity} if complexity else {}),
        **({"red_flags": red_flags} if red_flags else {}),
        **({"prisma7": prisma7} if prisma7 else {}),
    },
    caller=st.sampled_from(["patient", "carer", "professional"]),
    topics=st.lists(st.sampled_from(TOPICS), min_size=1, max_size=4, unique=True),
    postcode=st.sampled_from(["4000", "4690", "3999", "5000", "B-4000", "12"]),
    consent=st.booleans(),
    complexity=st.fixed_dictionaries(
        {},
        optional={
            **{name: st.booleans() for name in CNSA_CRITERIA},
            "rupture_events": st.lists(st.sampled_from(RUPTURE_EVENTS), max_size=3, unique=True),
            "professionals_involved": st.integers(0, 100),
        },
    ),
    red_flags=st.lists(st.sampled_from(RED_FLAGS), max_size=2, unique=True),
    prisma7=st.one_of(st.none(), st.lists(st.booleans(), min_size=7, max_size=7)),
    lives_alone=st.one_of(st.none(), st.booleans()),
)


@examples(300)
@given(request=_valid_requests)
def test_any_valid_request_gets_a_consistent_decision(ruleset, request):
    decision = ruleset.decide(request)
    assert decision.route in ROUTES
    assert decision.rule_ids[0] in {rule.id for rule in ruleset.rules if rule.is_routing}
    assert decision.categories == tuple(sorted(set(decision.categories)))
    if decision.route != "external":
        assert decision.categories == ()
    if request.get("red_flags"):
        assert (decision.route, decision.priority) == ("emergency", "immediate")
