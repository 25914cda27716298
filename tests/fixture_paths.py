"""Where the tests' copied fixtures live (`from fixture_paths import ...`): the repository stands alone.

`tests/fixtures/triage/` is a copy of the triage contract, its request schema and its vignettes;
`tests/fixtures/hsds/examples/` the official HSDS 3.0 examples. When the folder they were copied from is
at hand, `HELPLINE_SHARED_DIR=<that folder> make test` also checks that the copies still equal it
(tests/foundation/test_fixture_copies.py); without it, that one test is skipped.
"""

from __future__ import annotations

import os
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRIAGE_FIXTURES = FIXTURES / "triage"
VIGNETTES_DIR = TRIAGE_FIXTURES / "vignettes"
HSDS_FIXTURES = FIXTURES / "hsds"
HSDS_EXAMPLES = HSDS_FIXTURES / "examples"


def upstream_dir() -> Path | None:
    """Return the folder the fixtures were copied from, when HELPLINE_SHARED_DIR names one."""
    value = os.environ.get("HELPLINE_SHARED_DIR")
    return Path(value) if value and Path(value).is_dir() else None
