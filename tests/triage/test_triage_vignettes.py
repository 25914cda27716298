"""The shipped rule set gives the expected decision on every shared vignette."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage_rules import vocabulary

SHARED_TRIAGE = Path(__file__).resolve().parents[2].parent / "shared" / "triage"
VIGNETTES_DIR = SHARED_TRIAGE / "vignettes"

VIGNETTE_FILES = sorted(VIGNETTES_DIR.glob("*.json"))


def test_shared_vignettes_are_present():
    assert len(VIGNETTE_FILES) >= 8, f"vignettes not found in {VIGNETTES_DIR}"


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


def test_packaged_schema_means_the_same_as_the_shared_one():
    shared = json.loads((SHARED_TRIAGE / "request.schema.json").read_text(encoding="utf-8"))
    assert vocabulary.load_request_schema() == shared
