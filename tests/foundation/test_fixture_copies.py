"""The copied fixtures still equal their upstream (only when HELPLINE_SHARED_DIR names it)."""

from __future__ import annotations

import pytest

from fixture_paths import HSDS_EXAMPLES, TRIAGE_FIXTURES, upstream_dir
from helpline.directory.hsds import SCHEMA_DIR
from triage_rules import vocabulary

UPSTREAM = upstream_dir()
pytestmark = pytest.mark.skipif(UPSTREAM is None, reason="HELPLINE_SHARED_DIR not set: no upstream to compare")


def _same_files(copy_dir, upstream):
    names = sorted(p.name for p in upstream.glob("*.json"))
    assert sorted(p.name for p in copy_dir.glob("*.json")) == names
    for name in names:
        assert (copy_dir / name).read_bytes() == (upstream / name).read_bytes(), name


def test_vignettes_and_schema_equal_the_contract():
    _same_files(TRIAGE_FIXTURES / "vignettes", UPSTREAM / "triage" / "vignettes")
    _same_files(TRIAGE_FIXTURES, UPSTREAM / "triage")
    assert (TRIAGE_FIXTURES / "CONTRACT.md").read_bytes() == (UPSTREAM / "triage" / "CONTRACT.md").read_bytes()


def test_hsds_examples_and_bundled_schemas_equal_the_official_ones():
    _same_files(HSDS_EXAMPLES, UPSTREAM / "hsds" / "examples")
    for official in sorted((UPSTREAM / "hsds" / "schema").glob("*.json")):
        assert (SCHEMA_DIR / official.name).read_bytes() == official.read_bytes(), official.name


def test_the_packaged_request_schema_is_the_contracts():
    import json

    upstream = json.loads((UPSTREAM / "triage" / "request.schema.json").read_text(encoding="utf-8"))
    assert vocabulary.load_request_schema() == upstream
