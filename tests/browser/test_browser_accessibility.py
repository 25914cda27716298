"""Accessibility of the main pages, on the demo data, in a real browser: axe-core (WCAG 2.1 A and AA)
finds no violation and the Nu HTML checker no error on the call page, the person page, each role's home,
the team meeting, the case page and the dashboard."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from browser_steps import fill_new_person_call

from browser_support import AXE_JS, VNU_JAR, VNU_MISSING

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _demo_ids(app) -> dict:
    """Return the ids of the demo records the pages show: a call, its person, an active case."""
    import sqlalchemy as sa

    from models import Call, Case, db

    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.status == "active").order_by(Case.id))
        call = db.session.scalar(sa.select(Call).where(Call.person_id == case.person_id).order_by(Call.id))
        ids = {"case": case.id, "person": case.person_id, "call": call.id}
        db.session.remove()
    return ids


# axe.run() on the whole document, WCAG 2.1 A and AA rules only; each violation's nodes as text.
AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def _axe(page) -> list[dict]:
    """Run axe-core on the page as it stands; return its violations."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS, WCAG_TAGS)


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} (impact {v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    target {node['target']}: {node['html'][:160]}")
            lines.append("      " + " ".join(node["summary"].split()))
    return "\n".join(lines)


def _goto(page, url: str) -> str:
    """Open the URL and return the HTML the server sent."""
    response = page.goto(url)
    assert response is not None and response.ok, (url, response and response.status)
    return response.text()


def _submit(page, locator) -> str:
    """Click a submit button; return the HTML the server sent back."""
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value.text()


@pytest.fixture(scope="module")
def audited(open_demo_session, demo_server):
    """Open each page as the role that uses it, on the demo data; return the axe-core violations of each
    ({name: [...]}) and the HTML to check ({name: HTML}: as served, and a page's DOM after its scripts ran)."""
    app, _ = demo_server
    ids = _demo_ids(app)
    violations, html = {}, {}

    def audit(name, page, served):
        html[name] = served
        violations[name] = _axe(page)

    nurse = open_demo_session("nurse")
    audit("home-nurse", nurse, _goto(nurse, "/"))
    served = _goto(nurse, "/calls/new")
    fill_new_person_call(nurse, first_name="Yvette", last_name="Exemplaire", phone="0470 99 12 34")
    nurse.wait_for_selector("#proposal [data-route]")
    nurse.locator("details summary").first.click()  # PRISMA-7 open: every field is checked
    html["call-new-with-proposal.dom"] = nurse.content()  # the proposal the page's script put in
    audit("call-new", nurse, served)
    nurse.goto("/calls/new")
    audit("call-new-refused", nurse, _submit(nurse, nurse.locator("button[name=action][value=save]")))
    assert nurse.locator("[aria-invalid=true], .error").count() > 0  # the empty call came back with messages
    audit("call-detail", nurse, _goto(nurse, f"/calls/{ids['call']}"))
    audit("person", nurse, _goto(nurse, f"/persons/{ids['person']}"))

    manager = open_demo_session("case_manager")
    audit("home-case-manager", manager, _goto(manager, "/"))
    audit("case", manager, _goto(manager, f"/cases/{ids['case']}"))
    audit("plan", manager, _goto(manager, f"/cases/{ids['case']}/plan"))

    coordinator = open_demo_session("coordinator")
    audit("home-coordinator", coordinator, _goto(coordinator, "/"))
    audit("meeting-agenda", coordinator, _goto(coordinator, "/meeting/"))
    _submit(coordinator, coordinator.locator("form.start-meeting button"))
    audit("meeting-open", coordinator, _goto(coordinator, "/meeting/"))
    validate = coordinator.locator(".review-item form[action*='/validate'] button")
    assert validate.count() > 0, "the demo agenda has an orientation to validate"
    _submit(coordinator, validate.first)
    audit("meeting-with-decision", coordinator, _goto(coordinator, "/meeting/"))
    audit("dashboard", coordinator, _goto(coordinator, "/reports/"))
    audit("overdue", coordinator, _goto(coordinator, "/cases/overdue"))
    return violations, html


PAGES = (
    "home-nurse",
    "call-new",
    "call-new-refused",
    "call-detail",
    "person",
    "home-case-manager",
    "case",
    "plan",
    "home-coordinator",
    "meeting-agenda",
    "meeting-open",
    "meeting-with-decision",
    "dashboard",
    "overdue",
)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(audited, name):
    violations = audited[0][name]
    assert violations == [], f"axe-core found {len(violations)} violations on {name}:\n{_report(violations)}"


def test_nu_html_checker_finds_no_error(audited, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        reason = VNU_MISSING if java else "java is not installed"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the Nu HTML checker", pytrace=False)
        pytest.skip(reason)
    files = []
    for name, html in audited[1].items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    # One JVM for every page: the checker takes seconds to start.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    report = "\n".join(
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}  {m.get('extract', '')!r}"
        for m in errors
    )
    assert errors == [], f"Nu HTML checker:\n{report}"
    assert result.returncode == 0, result.stderr[-2000:]
