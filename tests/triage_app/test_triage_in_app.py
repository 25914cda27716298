"""Triage inside the app: live preview, the rule set page, the command line and impact replay."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from fixture_paths import VIGNETTES_DIR
from models import Call, db
from support import call_form
from triage_rules import DEFAULT_RULESET_PATH, default_ruleset

VIGNETTES = VIGNETTES_DIR
ALL_FOUR = {
    "autonomy_problem": "y",
    "medical_problem": "y",
    "support_inadequate": "y",
    "no_coordinator_in_entourage": "y",
}


def test_preview_updates_as_criteria_are_ticked(client, login_as):
    login_as("nurse")
    first = client.post("/triage/preview", data=call_form(action="preview")).json
    assert first["proposal"]["route"] == "external" and first["proposal"]["team_review"] is False
    assert "Structure externe" in first["html"]
    second = client.post("/triage/preview", data=call_form(action="preview", **ALL_FOUR)).json
    assert second["proposal"]["route"] == "case_management" and second["proposal"]["team_review"] is True
    assert [r["rule"] for r in second["proposal"]["reasons"]][0] == "case-management"
    assert "Gestion de cas" in second["html"]
    flagged = client.post(
        "/triage/preview", data=call_form(action="preview", red_flags=["chest_pain"], **ALL_FOUR)
    ).json
    assert flagged["proposal"]["route"] == "emergency" and flagged["proposal"]["priority"] == "immediate"


def test_preview_reasons_follow_the_interface_language(client, login_as):
    login_as("nurse")
    french = client.post("/triage/preview", data=call_form(action="preview")).json["proposal"]["reasons"][0]["text"]
    client.post("/language/en")
    english = client.post("/triage/preview", data=call_form(action="preview")).json["proposal"]["reasons"][0]["text"]
    assert french != english
    assert french == default_ruleset().decide(_request(), lang="fr").reasons[0].text


def _request():
    return {
        "caller": {"type": "carer"},
        "person": {"postcode": "4020", "consent": True, "age": 86, "lives_alone": True},
        "request": {"topics": ["carer_support"], "summary": "x"},
    }


def test_preview_without_topics_gives_no_proposal(client, login_as):
    login_as("nurse")
    data = client.post("/triage/preview", data=call_form(action="preview", topics=[])).json
    assert data["proposal"] is None


def test_form_without_javascript_shows_the_proposal_on_submit(client, login_as):
    login_as("nurse")
    page = client.post("/calls/new", data=call_form(action="preview", route="", **ALL_FOUR)).get_data(as_text=True)
    assert 'data-route="case_management"' in page
    assert '<option selected value="case_management">' in page  # preselected for the nurse to confirm


def test_coordinator_sees_every_rule_with_its_version(client, login_as):
    login_as("coordinator")
    page = client.get("/triage/rules").get_data(as_text=True)
    ruleset = default_ruleset()
    assert ruleset.version in page and ruleset.sha256 in page
    for rule in ruleset.describe():
        assert f'id="rule-{rule["id"]}"' in page


def test_nurse_may_not_open_the_rules_or_replay(client, login_as):
    login_as("nurse")
    assert client.get("/triage/rules").status_code == 403
    assert client.get("/triage/replay").status_code == 403


def test_cli_triages_files_as_the_contract_says(runner, tmp_path):
    paths = []
    for vignette in sorted(VIGNETTES.glob("*.json")):
        target = tmp_path / vignette.name
        target.write_text(json.dumps(json.loads(vignette.read_text())["input"]))
        paths.append(str(target))
    result = runner.invoke(args=["triage", *paths])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(paths)
    for line, vignette in zip(lines, sorted(VIGNETTES.glob("*.json")), strict=True):
        expected = json.loads(vignette.read_text())["expected"]
        decision = json.loads(line)
        assert {k: decision[k] for k in expected} == expected


def test_cli_refuses_bad_input_with_exit_2_naming_the_field(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "caller": {"type": "neighbour"},
                "person": {"postcode": "4000", "consent": True},
                "request": {"topics": ["care"]},
            }
        )
    )
    result = runner.invoke(args=["triage", str(bad)])
    assert result.exit_code == 2
    assert "caller.type" in result.stderr and "Traceback" not in result.stderr and result.stdout == ""


def test_installed_helpline_command_reads_stdin(tmp_path):
    vignette = json.loads((VIGNETTES / "chest-pain.json").read_text())
    helpline = Path(sys.executable).with_name("helpline")
    env = {**os.environ, "HELPLINE_INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run(
        [str(helpline), "triage", "-"],
        input=json.dumps(vignette["input"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["route"] == "emergency"


def _candidate_with_smaller_area(folder: Path) -> Path:
    """Copy the shipped rule set with a service area that stops at 4050."""
    target = folder / "smaller-area"
    shutil.copytree(DEFAULT_RULESET_PATH, target)
    config = target / "ruleset.yaml"
    config.write_text(
        config.read_text()
        .replace("{from: 4000, to: 4690}", "{from: 4000, to: 4050}")
        .replace('version: "1.1.0"', 'version: "1.1.0-candidate"')
    )
    return target


def _log_case_management_calls(log_call):
    for postcode in ("4020", "4100", "4460"):
        response = log_call(
            postcode=postcode, route="case_management", confirm_new_person="y", last_name=f"Essai{postcode}", **ALL_FOUR
        )
        assert response.status_code == 302


def test_replay_command_reports_what_a_candidate_would_change(app, runner, login_as, log_call):
    login_as("nurse")
    _log_case_management_calls(log_call)
    candidate = _candidate_with_smaller_area(Path(app.config["TRIAGE_CANDIDATES_DIR"]))
    result = runner.invoke(args=["triage", "replay", "--rules", str(candidate)])
    assert result.exit_code == 0, result.output
    assert "decisions that would change: 2" in result.output
    ids = [c.id for c in db.session.scalars(sa.select(Call).where(Call.person.has(postcode="4020")))]
    assert "case_management -> external: 2" in result.output and f"#{ids[0]}" not in result.output
    as_json = json.loads(
        runner.invoke(args=["triage", "replay", "--rules", str(candidate), "--json", "--since", "2000-01-01"]).output
    )
    assert as_json["total"] == 3 and as_json["changed"] == 2


def test_replay_refuses_a_broken_candidate(app, runner, tmp_path):
    broken = _candidate_with_smaller_area(tmp_path)
    (broken / "ruleset.yaml").write_text("name: broken\n")
    result = runner.invoke(args=["triage", "replay", "--rules", str(broken)])
    assert result.exit_code == 2 and "ruleset.yaml" in result.output


def test_coordinator_sees_the_replay_report_in_the_app(app, client, login_as, log_call):
    login_as("nurse")
    _log_case_management_calls(log_call)
    client.post("/logout")
    _candidate_with_smaller_area(Path(app.config["TRIAGE_CANDIDATES_DIR"]))
    login_as("coordinator")
    page = client.get("/triage/replay").get_data(as_text=True)
    assert "smaller-area" in page
    page = client.post("/triage/replay", data={"candidate": "smaller-area"}).get_data(as_text=True)
    assert "Décisions qui changeraient : 2 sur 3" in page
