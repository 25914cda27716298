"""Fixtures for the triage engine tests: requests, vignettes, candidate rule sets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fixture_paths import VIGNETTES_DIR
from triage_rules import DEFAULT_RULESET_PATH, default_ruleset
from triage_rules.vocabulary import CNSA_CRITERIA


def build_request(
    *,
    topics=("housing",),
    postcode="4000",
    consent=True,
    criteria=0,
    red_flags=None,
    ruptures=None,
    prisma7_yes=None,
    lives_alone=None,
    age=None,
    caller="patient",
) -> dict:
    """Return a valid request; `criteria` is how many CNSA criteria hold (in contract order)."""
    person = {"postcode": postcode, "consent": consent}
    if age is not None:
        person["age"] = age
    if lives_alone is not None:
        person["lives_alone"] = lives_alone
    request = {"caller": {"type": caller}, "person": person, "request": {"topics": list(topics)}}
    complexity = {name: index < criteria for index, name in enumerate(CNSA_CRITERIA)} if criteria else {}
    if ruptures:
        complexity["rupture_events"] = list(ruptures)
    if complexity:
        request["complexity"] = complexity
    if red_flags:
        request["red_flags"] = list(red_flags)
    if prisma7_yes is not None:
        # `prisma7_yes` risk answers: "yes" on the items scored by yes, "no" on item 6 (scored by no).
        risky = [index < prisma7_yes for index in range(7)]
        risky[5], risky[6] = risky[6], risky[5]  # the 6th risk answer goes to item 7, the 7th to item 6
        request["prisma7"] = [answer if item != 6 else not answer for item, answer in enumerate(risky, start=1)]
    return request


@pytest.fixture
def make_request():
    """Build a valid triage request from a few keyword arguments."""
    return build_request


@pytest.fixture(scope="session")
def ruleset():
    """The shipped rule set."""
    return default_ruleset()


@pytest.fixture
def vignettes() -> dict[str, dict]:
    """The contract's vignettes (copied under tests/fixtures), by file name."""
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(VIGNETTES_DIR.glob("*.json"))}


@pytest.fixture
def candidate_dir(tmp_path) -> Path:
    """A copy of the shipped rule set directory that a test may edit."""
    target = tmp_path / "candidate"
    shutil.copytree(DEFAULT_RULESET_PATH, target)
    return target


@pytest.fixture
def edit_rules():
    """Replace one exact piece of text in a rule set file (it must occur exactly once)."""

    def edit(root: Path, relative: str, old: str, new: str) -> None:
        path = root / relative
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            pytest.fail(f"{old!r} occurs {text.count(old)} times in {relative}, expected once")
        path.write_text(text.replace(old, new), encoding="utf-8")

    return edit
