"""Measure triage decisions per second: the rule engine against a hand-written policy.

Run: python bench/triage_bench.py [--seconds N] [--no-cache]

Both sides triage the contract's vignettes (tests/fixtures/triage) in a loop and both start with the
same input validation (triage_rules.validate_request), so the gap between them
is the engine's own cost: facts, rule evaluation, building the decision. The
hand-written function implements the contract's default policy with plain ifs
and returns the same dict as ``Ruleset.decide(...).to_dict()``; the bench
checks that both agree on every vignette before timing. Target: engine rate >= 0.2 x hand-written rate.
Exit status: 0 when the target is met, 1 when it is not or the two disagree.
``--no-cache`` turns off the per-condition answer cache to show the cold path.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from triage_rules import conditions, load_ruleset, validate_request  # noqa: E402

VIGNETTES = ROOT / "tests" / "fixtures" / "triage" / "vignettes"
TARGET_RATIO = 0.2
TOPIC_CATEGORIES = {
    "care": "home_care_coordination",
    "home_help": "home_care_coordination",
    "hospital_discharge": "home_care_coordination",
    "rights": "social_service",
    "administrative": "social_service",
    "financial": "social_service",
    "housing": "housing_service",
    "transport": "transport_service",
    "carer_support": "carer_support",
    "mental_health": "mental_health_service",
    "palliative": "palliative_care",
    "isolation": "social_link",
    "medical_question": "general_practitioner",
    "information": None,
}
CNSA = ("autonomy_problem", "medical_problem", "support_inadequate", "no_coordinator_in_entourage")


def make_hand_written(sentences: dict[str, str], identity: dict):
    """Return a plain-Python function implementing the default policy."""

    def decide(request: dict) -> dict:
        validate_request(request)
        person, complexity = request["person"], request.get("complexity", {})
        criteria = sum(complexity.get(name) is True for name in CNSA)
        postcode = person["postcode"].strip()
        in_area = postcode.isdigit() and 4000 <= int(postcode) <= 4690
        rupture = bool(complexity.get("rupture_events"))
        categories = {TOPIC_CATEGORIES[t] for t in request["request"]["topics"]} - {None}
        fired, route, priority, team_review, follow_up = [], "information", "routine", False, []
        if request.get("red_flags"):
            fired, route, priority = ["red-flag"], "emergency", "immediate"
        elif criteria == 4 and person["consent"] and in_area:
            fired, route, team_review, follow_up = ["case-management"], "case_management", True, [30, 182]
            if rupture:
                fired.append("case-management-rupture")
                priority = "high"
        elif criteria == 4 or categories:
            route, follow_up = "external", [30, 182]
            if criteria == 4:
                fired = ["complex-without-consent" if not person["consent"] else "complex-outside-service-area"]
                categories.add("home_care_coordination")
                team_review = True
            else:
                fired = ["referral"]
            if rupture:
                fired.append("referral-rupture")
                priority = "high"
            if criteria == 3:
                fired.append("referral-three-cnsa-criteria")
                team_review = True
            answers = request.get("prisma7")
            if answers is not None and sum(answers) >= 3 and person.get("lives_alone") is True:
                fired.append("referral-frail-living-alone")
                team_review = True
        else:
            fired = ["information"]
        return {
            "route": route,
            "categories": sorted(categories) if route == "external" else [],
            "priority": priority,
            "follow_up_days": follow_up,
            "team_review": team_review,
            "reasons": [{"rule": rule, "text": sentences[rule]} for rule in fired],
            "ruleset": identity,
        }

    return decide


def rate(function, requests: list[dict], seconds: float) -> float:
    """Return calls per second of function over the requests, looped for about `seconds`."""
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for request in requests:
            function(request)
        done += len(requests)
    return done / elapsed


def best_rates(functions: dict, requests: list[dict], seconds: float, rounds: int = 5) -> dict[str, float]:
    """Return each function's best rate over short rounds taken in turn (fair on a noisy machine)."""
    best = dict.fromkeys(functions, 0.0)
    for _ in range(rounds):
        for name, function in functions.items():
            best[name] = max(best[name], rate(function, requests, seconds / rounds))
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print both rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on each side (best of 5 rounds)")
    parser.add_argument("--no-cache", action="store_true", help="evaluate every condition afresh")
    args = parser.parse_args(argv)
    if args.no_cache:
        conditions.CACHE_SIZE = 0
    requests = [json.loads(path.read_text(encoding="utf-8"))["input"] for path in sorted(VIGNETTES.glob("*.json"))]
    if not requests:
        print(f"no vignettes found in {VIGNETTES}", file=sys.stderr)
        return 2
    ruleset = load_ruleset()
    sentences = {rule.id: rule.sentence["fr"] for rule in ruleset.rules}
    by_hand = make_hand_written(sentences, ruleset.identity.to_dict())

    def by_engine(request: dict) -> dict:
        return ruleset.decide(request).to_dict()

    for request in requests:
        if by_engine(request) != by_hand(request):
            print(f"engine and hand-written policy disagree on {request}", file=sys.stderr)
            return 1
    rates = best_rates({"hand": by_hand, "engine": by_engine}, requests, args.seconds)
    hand, engine = rates["hand"], rates["engine"]
    ratio = engine / hand
    cache = "off" if args.no_cache else f"{conditions.CACHE_SIZE} answers per condition"
    print(f"vignettes: {len(requests)}, validation included on both sides, condition cache {cache}")
    print(f"hand-written: {hand:10.0f} decisions/s ({1e6 / hand:6.1f} us each)")
    print(f"rule engine:  {engine:10.0f} decisions/s ({1e6 / engine:6.1f} us each)")
    if args.no_cache:
        print(
            f"ratio engine/hand-written: {ratio:.2f} (cold path, for information; the target is for the "
            "engine as shipped)"
        )
        return 0
    print(f"ratio engine/hand-written: {ratio:.2f} (target >= {TARGET_RATIO})")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
