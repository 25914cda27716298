"""Load a rule set directory: read, hash, check and compile every rule.

A rule set directory holds ``ruleset.yaml`` (name, version, languages, service
area, topic→category map, the ordered list of rule files) and the rule files
it lists. Everything is checked here, so that a bad rule fails when the rule
set loads, never while a call is being triaged; every error names the file
and, where there is one, the rule.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path, PurePosixPath

import yaml

from .conditions import Condition, ConditionError
from .decision import RulesetIdentity
from .errors import RulesetError
from .facts import FactsConfig, build_facts
from .ruleset import Outcome, Rule, Ruleset
from .structure import validator_for
from .validation import describe_errors, validate_request
from .vocabulary import CNSA_CRITERIA, RED_FLAGS, RUPTURE_EVENTS, TOPICS

DEFAULT_RULESET_PATH = Path(__file__).resolve().parent / "rulesets" / "default"
RULESET_FILE = "ruleset.yaml"

# Two sample requests every condition is evaluated on at load: one with every
# optional field left out, one with everything filled in. A condition that
# fails on either (say `age > 80` when the age was not recorded) is refused.
_SAMPLE_REQUESTS = (
    {
        "caller": {"type": "patient"},
        "person": {"postcode": "00", "consent": False},
        "request": {"topics": ["information"]},
    },
    {
        "caller": {"type": "professional", "professional_role": "gp"},
        "person": {"age": 80, "postcode": "4000", "lives_alone": True, "consent": True, "in_case_management": True},
        "request": {"topics": list(TOPICS), "summary": "sample"},
        "red_flags": list(RED_FLAGS),
        "complexity": {
            **{name: True for name in CNSA_CRITERIA},
            "coordination_centre_involved": True,
            "professionals_involved": 3,
            "rupture_events": list(RUPTURE_EVENTS),
        },
        "prisma7": [True] * 7,
    },
)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"key {key!r} appears twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_ruleset(path: str | Path | None = None) -> Ruleset:
    """Load and check the rule set in a directory (default: the shipped one)."""
    root = Path(path) if path is not None else DEFAULT_RULESET_PATH
    head_file = root / RULESET_FILE
    head_bytes, head = _read_yaml(head_file)
    _check_structure(head_file, None, "ruleset", head)
    languages = tuple(head["languages"])
    config = _facts_config(head_file, head)
    samples = [build_facts(validate_request(request), config) for request in _SAMPLE_REQUESTS]

    files = {RULESET_FILE: head_bytes}
    rules: list[Rule] = []
    for relative in head["rule_files"]:
        rule_file = _inside(root, head_file, relative)
        files[relative], data = _read_yaml(rule_file)
        _check_structure(rule_file, None, "rule_file", data)
        for index, raw in enumerate(data["rules"], start=1):
            rules.append(_compile_rule(rule_file, relative, index, raw, languages, samples))
    _check_rule_set(root, head_file, rules)
    identity = RulesetIdentity(head["name"], head["version"], ruleset_digest(files))
    return Ruleset(
        identity=identity,
        path=root,
        languages=languages,
        config=config,
        rules=tuple(rules),
        description=head.get("description", ""),
    )


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """Return the shipped rule set, loaded once per process."""
    return load_ruleset()


def ruleset_digest(files: dict[str, bytes]) -> str:
    """Return the sha256 identifying a rule set from its files' names and bytes."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\n".encode())
    return digest.hexdigest()


def _read_yaml(path: Path) -> tuple[bytes, object]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RulesetError(f"{path}: cannot read rule set file ({error.strerror})") from None
    try:
        loader = _UniqueKeyLoader(raw.decode("utf-8"))
        try:
            return raw, loader.get_single_data()
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        raise RulesetError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RulesetError(f"{path}: not valid YAML{line}: {problem}") from None


def _inside(root: Path, head_file: Path, relative: str) -> Path:
    parts = PurePosixPath(relative).parts
    if ".." in parts:
        raise RulesetError(f"{head_file}: rule file {relative!r} must stay inside the rule set directory")
    return root.joinpath(*parts)


def _check_structure(path: Path, label: str | None, kind: str, data: object, languages: tuple[str, ...] = ()) -> None:
    problems = describe_errors(validator_for(kind, languages), data)
    if problems:
        details = "; ".join(f"{field}: {message}" for field, message in problems[:5])
        raise RulesetError(f"{path}: {label + ': ' if label else ''}{details}")


def _facts_config(head_file: Path, head: dict) -> FactsConfig:
    area = head["service_area"]
    ranges = tuple((item["from"], item["to"]) for item in area.get("postcode_ranges", []))
    for low, high in ranges:
        if low > high:
            raise RulesetError(f"{head_file}: service_area: postcode range {low}–{high} is backwards")
    reverse = head.get("prisma7", {}).get("reverse_scored_items", [])
    return FactsConfig(
        service_area=ranges,
        service_postcodes=frozenset(area.get("postcodes", [])),
        topic_categories=dict(head["topic_categories"]),
        prisma7_reverse_items=frozenset(reverse),
    )


def _compile_rule(
    path: Path, relative: str, index: int, raw: dict, languages: tuple[str, ...], samples: list[dict]
) -> Rule:
    rule_id = raw.get("id")
    label = f"rule {rule_id!r}" if isinstance(rule_id, str) else f"rule #{index} (no valid id)"
    _check_structure(path, label, "rule", raw, languages)
    outcome_data = raw["outcome"]
    outcome = Outcome(
        route=outcome_data.get("route"),
        priority=outcome_data.get("priority"),
        team_review=outcome_data.get("team_review"),
        follow_up_days=tuple(outcome_data["follow_up_days"]) if "follow_up_days" in outcome_data else None,
        categories_from_topics=outcome_data.get("categories_from_topics", False),
        add_categories=tuple(outcome_data.get("add_categories", ())),
    )
    applies_to = tuple(raw.get("applies_to", ()))
    _check_scope(path, label, outcome, applies_to)
    try:
        condition = Condition(raw["condition"])
        for facts in samples:
            condition.check_on(facts)
    except ConditionError as error:
        raise RulesetError(f"{path}: {label}: {error}") from None
    return Rule(
        id=rule_id,
        sentence={lang: raw["sentence"][lang] for lang in languages},
        condition=condition,
        outcome=outcome,
        source=relative,
        applies_to=applies_to,
    )


def _check_scope(path: Path, label: str, outcome: Outcome, applies_to: tuple[str, ...]) -> None:
    if outcome.route is not None and applies_to:
        raise RulesetError(f"{path}: {label}: a rule that chooses a route cannot have applies_to")
    if outcome.route is None and not applies_to:
        raise RulesetError(f"{path}: {label}: a rule without a route needs applies_to (the routes it adjusts)")
    gives_categories = outcome.categories_from_topics or outcome.add_categories
    routes = {outcome.route} if outcome.route else set(applies_to)
    if gives_categories and routes != {"external"}:
        raise RulesetError(f"{path}: {label}: categories can only be given to the external route")


def _check_rule_set(root: Path, head_file: Path, rules: list[Rule]) -> None:
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RulesetError(f"{root / rule.source}: rule {rule.id!r}: id already used in {seen[rule.id]}")
        seen[rule.id] = rule.source
    routing = [rule for rule in rules if rule.is_routing]
    if not routing:
        raise RulesetError(f"{head_file}: no rule chooses a route")
    last = routing[-1]
    if not last.condition.is_always_true:
        raise RulesetError(
            f"{root / last.source}: rule {last.id!r}: the last routing rule must have "
            "condition `true`, so that every request gets a route"
        )
    for rule in routing[:-1]:
        if rule.condition.is_always_true:
            raise RulesetError(
                f"{root / rule.source}: rule {rule.id!r}: condition `true` on a routing rule "
                "that is not the last: the routing rules after it could never fire"
            )
    routes = {rule.outcome.route for rule in routing}
    for rule in rules:
        for route in sorted(set(rule.applies_to) - routes):
            raise RulesetError(
                f"{root / rule.source}: rule {rule.id!r}: applies to {route!r}, which no routing rule gives"
            )
