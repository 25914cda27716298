"""No page shows where the server keeps its files: no instance folder, project folder, temporary
folder or database file, for any role, on any page a GET reaches (the demo data fills every area)."""

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed, NotFound

from helpline.demo import DEMO_USERS
from models import db

ROLES = ("nurse", "case_manager", "coordinator", "admin")
HREF = re.compile(r'(?:href|action|src)="([^"]+)"')
SKIPPED_ENDPOINTS = {"static", "auth.logout"}
MAX_PAGES = 150


@pytest.fixture
def app_config(tmp_path):
    # Every folder the settings page or a command could name, set to a known place to look for.
    return {"BACKUP_DIR": str(tmp_path / "backups"), "TRIAGE_CANDIDATES_DIR": str(tmp_path / "rulesets")}


def _server_paths(app, tmp_path: Path) -> set[str]:
    paths = {app.instance_path, app.root_path, str(Path(app.root_path).parent), str(tmp_path), tempfile.gettempdir()}
    paths |= {app.config["BACKUP_DIR"], app.config["TRIAGE_CANDIDATES_DIR"], str(app.config["SQLALCHEMY_DATABASE_URI"])}
    database = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    if database and database.startswith("/"):
        paths.add(database)
    return {p for p in paths if p and len(p) > 4}  # "/tmp" itself as a word is fine, its folders are not


def _page_key(app, path: str):
    """Name a page by its endpoint and arguments (a query string makes no new page to walk)."""
    try:
        endpoint, values = app.url_map.bind("localhost").match(urlsplit(path).path, method="GET")
    except (NotFound, MethodNotAllowed):
        return None
    if endpoint in SKIPPED_ENDPOINTS:
        return None
    return endpoint, tuple(sorted(values.items()))


def _walk(app, client) -> dict[str, str]:
    """GET every page without arguments, then every page their links lead to; return path -> text."""
    adapter = app.url_map.bind("localhost")
    todo = [
        adapter.build(rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIPPED_ENDPOINTS
    ]
    seen, pages = set(), {}
    while todo and len(pages) < MAX_PAGES:
        path = todo.pop(0)
        key = _page_key(app, path)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        text = response.get_data(as_text=True)
        pages[path] = text
        if response.mimetype == "text/html":
            todo += [link for link in HREF.findall(text) if link.startswith("/") and not link.startswith("//")]
    return pages


def test_no_page_shows_a_server_path_to_any_role(app, runner, tmp_path):
    (tmp_path / "rulesets").mkdir()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    forbidden = _server_paths(app, tmp_path)
    walked = 0
    for role in ROLES:
        email, _name, _roles, password = next(u for u in DEMO_USERS if u[2] == role)
        client = app.test_client()
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302
        pages = _walk(app, client)
        walked += len(pages)
        assert "/admin/settings" in pages or role != "admin"
        leaks = {path: sorted(p for p in forbidden if p in text) for path, text in pages.items()}
        assert not {path: found for path, found in leaks.items() if found}, f"{role} sees server paths"
    assert walked > 60
    db.session.remove()


def test_the_settings_page_says_the_backup_folder_is_configured_without_naming_it(app, client, login_as):
    login_as("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert app.config["BACKUP_DIR"] not in page
    assert "configuré sur le serveur" in page and "BACKUP_DIR" in page


def test_a_broken_candidate_rule_set_is_named_by_its_folder_not_its_path(app, client, login_as):
    login_as("coordinator")
    page = client.get("/triage/replay").get_data(as_text=True)  # no candidate yet: where to put one
    assert app.config["TRIAGE_CANDIDATES_DIR"] not in page and "TRIAGE_CANDIDATES_DIR" in page
    candidate = Path(app.config["TRIAGE_CANDIDATES_DIR"]) / "broken"
    candidate.mkdir(parents=True)
    (candidate / "ruleset.yaml").write_text("name: [unclosed\n")
    page = client.post("/triage/replay", data={"candidate": "broken"}).get_data(as_text=True)
    assert "broken/ruleset.yaml" in page and app.config["TRIAGE_CANDIDATES_DIR"] not in page
