"""Start-up does only what every process needs: facts checked in a fresh interpreter (no timings;
the figures are bench/startup_bench.py's)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "numpy", "joblib", "scipy")
# Imported by the request or command that needs them, not by every process (bench/README.md, "Start-up").
WHERE_USED = (
    "argon2",
    "fastjsonschema",
    "pyotp",
    "statistics",
    "twilio.twiml",
    "helpline.directory.exchange",
    "helpline.reports.textprep",
)


def _modules_after(code: str, env: dict | None = None) -> dict:
    """Run code in a fresh interpreter; return its exit status and the top-level modules it imported."""
    script = (
        f"import json, sys\ntry:\n    {code}\nexcept SystemExit as exit:\n    status = exit.code\nelse:\n"
        f"    status = 0\nprint(json.dumps({{'status': status, 'modules': sorted(sys.modules)}}))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_creating_the_app_imports_no_machine_learning_library(tmp_path):
    result = _modules_after(
        f"from helpline import create_app; create_app({{'TESTING': True, "
        f"'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.db'}})"
    )
    assert [m for m in result["modules"] if m.split(".")[0] in HEAVY] == []
    assert [m for m in WHERE_USED if m in result["modules"]] == []


def test_helpline_triage_answers_without_building_the_app(tmp_path):
    vignette = next((ROOT / "tests" / "fixtures" / "triage" / "vignettes").glob("*.json"))
    request = json.loads(vignette.read_text())
    request = request.get("input", request)
    (tmp_path / "one.json").write_text(json.dumps(request))
    result = _modules_after(f"from helpline.cli import main; main(['triage', {str(tmp_path / 'one.json')!r}])")
    assert result["status"] == 0
    assert not [m for m in result["modules"] if m.startswith(("helpline.calls", "helpline.persons", "helpline.triage"))]
    assert [m for m in result["modules"] if m.split(".")[0] in HEAVY] == []
