"""Bounds on a request: its size (413 with the app's page) and how deeply its JSON nests (a clear
refusal from the web and from `helpline triage`, never a 500 or a traceback)."""

import io

import pytest

from triage_rules.cli import run


def _nested(depth: int) -> str:
    return '{"summary": "x", "topics": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [40, 5_000, 100_000])
def test_deeply_nested_json_to_the_suggestions_is_refused(client, login_as, depth):
    login_as("nurse")
    response = client.post("/reports/suggestions.json", data=_nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"error": "Le résumé doit être un texte."}


@pytest.mark.parametrize("depth", [40, 900, 5_000, 100_000])
def test_deeply_nested_json_to_the_triage_command_exits_2_naming_the_problem(tmp_path, depth):
    path = tmp_path / "deep.json"
    path.write_text('{"person": ' + "[" * depth + "]" * depth + "}")
    out, err = io.StringIO(), io.StringIO()
    assert run([str(path)], out, err) == 2
    assert out.getvalue() == ""
    assert "nest" in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_triage_command_of_the_app_refuses_deep_json(runner, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"person": ' + "[" * 40 + "]" * 40 + "}")
    result = runner.invoke(args=["triage", str(path)])
    assert result.exit_code == 2
    assert "person: nests more than 32 levels deep" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_request_above_the_size_limit_gets_the_apps_413_page(app, client, login_as):
    login_as("nurse")
    response = client.post("/calls/new", data={"summary": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Cette demande est trop volumineuse : rien n&#39;a été enregistré." in html
    assert "<h1>413</h1>" in html


def test_a_form_field_above_the_form_limit_is_refused(app, client, login_as):
    login_as("nurse")
    response = client.post(
        "/calls/new",
        data={"summary": "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Cette demande est trop volumineuse" in response.get_data(as_text=True)
