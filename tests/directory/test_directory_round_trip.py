"""`helpline directory export` then `import` of the same file updates, never duplicates (issue 16)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from helpline.directory.demo import demo_structures
from models import Structure, db


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Structure.id)))


def test_export_import_round_trips_keep_the_directory_and_its_ids(runner, tmp_path):
    structures = demo_structures()
    db.session.add_all(structures)
    first = structures[0]
    first.wait_time, first.assured_date, first.capacity_available = "2 semaines", dt.date(2026, 3, 2), 4
    first.capacity_updated_at = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    hand_made = Structure(
        name="Service sans identifiant",
        category="social_link",
        description="",
        services=[],
        email="accueil@demo.invalid",
    )
    hand_made.postcodes = ["4020"]
    db.session.add(hand_made)
    db.session.commit()
    before = _count()
    exports = []
    for round_trip in range(3):
        out = tmp_path / f"export-{round_trip}.json"
        exported = runner.invoke(args=["directory", "export", "--out", str(out)])
        assert exported.exit_code == 0, exported.output
        exports.append(json.loads(out.read_text()))
        imported = runner.invoke(args=["directory", "import", str(out)])
        assert imported.exit_code == 0, imported.output
        db.session.expire_all()
        assert _count() == before, imported.output
    assert exports[0] == exports[1] == exports[2]  # the same ids, the same content
    service = next(s for org in exports[0] for s in org["services"] if s["name"] == first.name)
    assert service["email"] == first.email
    assert (service["wait_time"], service["assured_date"]) == ("2 semaines", "2026-03-02")
    assert service["capacities"][0]["available"] == 4
    again = db.session.get(Structure, first.id)
    assert (again.wait_time, again.assured_date, again.capacity_available) == ("2 semaines", dt.date(2026, 3, 2), 4)
    assert again.external_id == "demo-structure-01"
