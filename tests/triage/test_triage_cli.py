"""The triage command line: one JSON decision per input, exit 2 on a bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from triage_rules.cli import run

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def write_json(tmp_path):
    """Write a value as JSON into a new file and return its path as text."""

    def write(name: str, value) -> str:
        path = tmp_path / name
        path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
        return str(path)

    return write


def _run(files, stdin_text="", ruleset_path=None, lang="fr"):
    stdout, stderr = io.StringIO(), io.StringIO()
    status = run(files, stdout, stderr, ruleset_path, lang=lang, stdin=io.StringIO(stdin_text))
    return status, stdout.getvalue(), stderr.getvalue()


def test_prints_one_decision_per_file_in_input_order(write_json, make_request):
    files = [
        write_json("a.json", make_request(red_flags=["stroke_signs"])),
        write_json("b.json", make_request(topics=["information"])),
        write_json("c.json", make_request(criteria=4)),
    ]
    status, out, err = _run(files)
    assert (status, err) == (0, "")
    decisions = [json.loads(line) for line in out.splitlines()]
    assert [d["route"] for d in decisions] == ["emergency", "information", "case_management"]
    assert all(
        set(d) == {"route", "categories", "priority", "follow_up_days", "team_review", "reasons", "ruleset"}
        for d in decisions
    )


def test_reads_standard_input_for_dash(write_json, make_request):
    status, out, err = _run(
        ["-", write_json("b.json", make_request(topics=["transport"]))],
        stdin_text=json.dumps(make_request(topics=["information"])),
    )
    assert (status, err) == (0, "")
    assert [json.loads(line)["route"] for line in out.splitlines()] == ["information", "external"]


def test_reasons_in_english_on_request(write_json, make_request):
    status, out, _ = _run([write_json("a.json", make_request())], lang="en")
    assert status == 0
    assert json.loads(out)["reasons"][0]["text"].startswith("The request calls for outside structures")


@pytest.mark.parametrize(
    "content, words",
    [
        (
            {"caller": {"type": "patient"}, "person": {"consent": True}, "request": {"topics": ["care"]}},
            ["person.postcode: is required"],
        ),
        (
            {
                "caller": {"type": "patient"},
                "person": {"postcode": "4000", "consent": True},
                "request": {"topics": ["x"]},
            },
            ["request.topics[0]: must be one of"],
        ),
        ("{not json", ["not valid JSON (line 1"]),
        ("", ["empty input"]),
        ('{"caller": {"type": "patient"}, "caller": {"type": "carer"}}', ["'caller' appears twice"]),
        ("[1, 2]", ["input: must be an object"]),
    ],
)
def test_bad_input_exits_2_naming_file_and_field(write_json, make_request, content, words):
    good = write_json("good.json", make_request())
    bad = write_json("bad.json", content)
    status, out, err = _run([good, bad])
    assert status == 2
    assert out == "", "no decision is printed when any input is bad"
    assert "Traceback" not in err
    for word in words:
        assert f"triage: {bad}: " in err and word in err


def test_every_bad_input_is_reported(write_json, tmp_path):
    missing = str(tmp_path / "missing.json")
    status, out, err = _run(["-", missing], stdin_text='{"caller": 1}')
    assert (status, out) == (2, "")
    assert f"triage: {missing}: cannot read (No such file or directory)" in err
    assert "triage: <stdin>: caller: must be an object" in err
    assert "triage: <stdin>: person: is required" in err


def test_no_input_exits_2():
    status, out, err = _run([])
    assert (status, out) == (2, "")
    assert "no input given" in err


def test_broken_rule_set_exits_1_naming_the_file(tmp_path, write_json, make_request):
    (tmp_path / "ruleset.yaml").write_text("name: [\n", encoding="utf-8")
    status, out, err = _run([write_json("a.json", make_request())], ruleset_path=tmp_path)
    assert (status, out) == (1, "")
    assert f"{tmp_path / 'ruleset.yaml'}: not valid YAML" in err


def test_command_runs_as_a_process_without_traceback(write_json, make_request):
    bad = write_json("bad.json", {"caller": {"type": "patient"}})
    good = subprocess.run(
        [sys.executable, "-m", "triage_rules.cli", "-"],
        cwd=REPO,
        capture_output=True,
        text=True,
        input=json.dumps(make_request(red_flags=["severe_bleeding"])),
        timeout=60,
    )
    assert (good.returncode, good.stderr) == (0, "")
    assert json.loads(good.stdout)["route"] == "emergency"
    failed = subprocess.run(
        [sys.executable, "-m", "triage_rules.cli", bad], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert (failed.returncode, failed.stdout) == (2, "")
    assert f"triage: {bad}: person: is required" in failed.stderr
    assert "Traceback" not in failed.stderr
