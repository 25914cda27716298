"""HSDS import and export of the directory, from the command line and in the app: all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import sqlalchemy as sa

from fixture_paths import HSDS_EXAMPLES
from helpline.directory.demo import demo_structures
from helpline.directory.hsds import validate_hsds
from models import Structure, StructurePostcode, db

EXAMPLES = HSDS_EXAMPLES


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Structure.id)))


def add_demo_structures() -> None:
    """Add the demo structures with small territories (the export of 700 postcodes each is slow)."""
    structures = demo_structures()
    for structure in structures:
        structure.postcodes = structure.postcodes[:3]
    db.session.add_all(structures)
    db.session.commit()


def test_cli_imports_an_official_example_as_it_is(runner):
    result = runner.invoke(args=["directory", "import", str(EXAMPLES / "organization_full.json")])

    assert result.exit_code == 0, result.output
    structure = db.session.scalar(sa.select(Structure))
    assert structure.name == "Community Counselling" and structure.category == "mental_health_service"
    assert structure.external_id == "ac148810-d857-441c-9679-408f346de14b"
    again = runner.invoke(args=["directory", "import", str(EXAMPLES / "organization_full.json")])
    assert "0 created, 1 updated" in again.output and count() == 1


def _document(tmp_path, services: list[dict]) -> Path:
    org = {
        "id": "0b0e3f9e-5c55-4a4e-9d7b-2b1f8f0c6a01",
        "name": "Organisation Démo",
        "description": "Organisation fictive",
        "services": services,
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps([org]), encoding="utf-8")
    return path


def _service(uid: str, name: str, **fields) -> dict:
    return {"id": uid, "name": name, "status": "active", **fields}


GOOD = "11111111-1111-4111-8111-111111111111"
BAD = "22222222-2222-4222-8222-222222222222"


def test_bad_record_refuses_the_whole_file_naming_the_record_and_field(runner, tmp_path):
    path = _document(
        tmp_path,
        [
            _service(GOOD, "Service social Démo", description="aide sociale"),
            _service(BAD, "Service cassé", email="pas-une-adresse"),
        ],
    )

    result = runner.invoke(args=["directory", "import", str(path), "--default-category", "social_service"])

    assert result.exit_code == 2
    assert "Service cassé" in result.output and ".email" in result.output and "nothing imported" in result.output
    assert count() == 0


def test_unresolved_category_is_asked_for_and_nothing_imported_until_given(runner, tmp_path):
    path = _document(tmp_path, [_service(GOOD, "Zzz")])

    refused = runner.invoke(args=["directory", "import", str(path)])
    chosen = runner.invoke(args=["directory", "import", str(path), "--category", f"{GOOD}=social_link"])

    assert refused.exit_code == 2 and "category" in refused.output
    assert chosen.exit_code == 0, chosen.output
    assert db.session.scalar(sa.select(Structure.category)) == "social_link"


def test_cli_export_writes_hsds_that_validates_and_imports_back(runner, tmp_path):
    add_demo_structures()
    out = tmp_path / "export.json"

    result = runner.invoke(args=["directory", "export", "--out", str(out)])

    assert result.exit_code == 0, result.output
    organizations = json.loads(out.read_text(encoding="utf-8"))
    validate_hsds(organizations)
    services = [s for org in organizations for s in org["services"]]
    assert len(services) == count() == 14
    db.session.execute(sa.delete(StructurePostcode))
    db.session.execute(sa.delete(Structure))
    db.session.commit()
    back = runner.invoke(args=["directory", "import", str(out)])
    assert back.exit_code == 0, back.output
    assert db.session.scalar(sa.select(Structure).where(Structure.name.like("Transport adapt%"))).postcodes[0] == "4000"
    assert count() == 14


def _upload(client, path: Path, **data):
    return client.post(
        "/directory/import",
        data={"document": (io.BytesIO(path.read_bytes()), path.name), **data},
        content_type="multipart/form-data",
    )


def test_admin_imports_in_the_app_choosing_missing_categories(client, login_as, tmp_path):
    login_as("admin")
    path = _document(tmp_path, [_service(GOOD, "Zzz"), _service(BAD, "Transport adapté", description="transport")])

    asked = _upload(client, path)
    assert asked.status_code == 200 and f'name="category:{GOOD}"' in asked.get_data(as_text=True)
    assert count() == 0

    done = client.post(
        "/directory/import/confirm",
        data={"payload": path.read_text(encoding="utf-8"), f"category:{GOOD}": "carer_support"},
    )
    assert done.status_code == 302
    assert count() == 2


def test_bad_file_in_the_app_shows_every_problem_and_imports_nothing(client, login_as, tmp_path):
    login_as("admin")
    path = _document(tmp_path, [_service(GOOD, "Bon"), _service(BAD, "Mauvais", status="ouvert")])

    response = _upload(client, path, default_category="social_service")

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Mauvais" in page and ".status" in page
    assert count() == 0


def test_admin_downloads_the_export(client, login_as):
    add_demo_structures()
    login_as("admin")

    response = client.get("/directory/export.json")

    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    validate_hsds(response.get_json())


def test_demo_directory_covers_every_category_in_the_demo_area():
    structures = demo_structures()
    from helpline.directory.hsds import CATEGORIES

    assert {s.category for s in structures} == set(CATEGORIES)
    assert all("4000" <= p <= "4690" for s in structures for p in s.postcodes)
