"""A person's page and the person search."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, jsonify, render_template, request
from flask_login import current_user

from models import Case, Person

from .. import audit
from ..extensions import db
from ..formatting import format_local
from ..phones import display_phone
from . import bp
from .service import search_persons
from .timeline import timeline


def can_view_person(user, person: Person) -> bool:
    """Tell whether a user may read a person's record (case managers: only their cases' persons)."""
    if user.has_role("nurse", "coordinator"):
        return True
    if user.has_role("case_manager"):
        stmt = sa.select(Case.id).where(Case.person_id == person.id, Case.case_manager_id == user.id)
        return db.session.scalar(stmt.limit(1)) is not None
    return False


def get_person_or_403(person_id: int) -> Person:
    """Return a person the current user may read, or stop with 404/403."""
    person = db.get_or_404(Person, person_id)
    if not can_view_person(current_user, person):
        abort(403)
    return person


@bp.route("/<int:person_id>")
def detail(person_id: int):
    """Show a person's details and everything over time."""
    person = get_person_or_403(person_id)
    audit.record_read("person", person.id, person.id)
    return render_template("persons/detail.html", person=person, entries=timeline(person))


def _visible(persons: list[Person]) -> list[Person]:
    return [p for p in persons if can_view_person(current_user, p)]


@bp.route("/search")
def search():
    """Find persons by name, phone or date of birth."""
    query = request.args.get("q", "")
    persons = _visible(search_persons(query, current_app.config["PHONE_REGION"]))
    return render_template("persons/search.html", query=query, persons=persons)


@bp.route("/search.json")
def search_json():
    """Find persons by name, phone or date of birth, as JSON for the call page's script."""
    persons = _visible(search_persons(request.args.get("q", ""), current_app.config["PHONE_REGION"]))
    return jsonify(persons=[
        {
            "id": p.id,
            "name": p.display_name,
            "birth_date": format_local(p.birth_date) if p.birth_date else None,
            "postcode": p.postcode,
            "phone": display_phone(p.phone),
        }
        for p in persons
    ])
