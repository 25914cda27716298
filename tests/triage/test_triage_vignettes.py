"""The shipped rule set gives the expected decision on every vignette of the contract (tests/fixtures/triage)."""

from __future__ import annotations

import json

import pytest

from fixture_paths import TRIAGE_FIXTURES, VIGNETTES_DIR
from triage_rules import vocabulary

VIGNETTE_FILES = sorted(VIGNETTES_DIR.glob("*.json"))


def test_the_contracts_vignettes_are_present():
    assert len(VIGNETTE_FILES) >= 9, f"vignettes not found in {VIGNETTES_DIR}"


@pytest.mark.parametrize("path", VIGNETTE_FILES, ids=lambda path: path.stem)
def test_vignette_gives_expected_decision(path, ruleset):
    vignette = json.loads(path.read_text(encoding="utf-8"))
    decision = ruleset.decide(vignette["input"]).to_dict()
    for key, expected in vignette["expected"].items():
        assert decision[key] == expected, f"{path.name}: {key}"


@pytest.mark.parametrize("path", VIGNETTE_FILES, ids=lambda path: path.stem)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_vignette_lists_reasons_in_each_language(path, ruleset, lang):
    vignette = json.loads(path.read_text(encoding="utf-8"))
    decision = ruleset.decide(vignette["input"], lang=lang)
    assert decision.reasons
    texts = {rule.id: rule.sentence[lang] for rule in ruleset.rules}
    assert [reason.text for reason in decision.reasons] == [texts[rule_id] for rule_id in decision.rule_ids]


def test_packaged_schema_means_the_same_as_the_contracts_copy():
    contract = json.loads((TRIAGE_FIXTURES / "request.schema.json").read_text(encoding="utf-8"))
    assert vocabulary.load_request_schema() == contract
