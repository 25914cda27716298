"""Search the directory; admins create and edit structures and import or export HSDS files."""

from __future__ import annotations

import json

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from models import Structure

from .. import audit
from ..extensions import db
from ..formatting import local_now
from . import bp
from .forms import ConfirmImportForm, ImportForm, SearchForm, StructureForm
from .hsds import CATEGORIES, HsdsError
from .service import format_postcodes, save_structure, search_structures


@bp.route("/")
def index():
    """Search structures by category, postcode and name."""
    form = SearchForm(request.args)
    matches = []
    if form.validate():
        statuses = () if form.status.data == "all" else (form.status.data,)
        matches = search_structures(
            [form.category.data] if form.category.data else (), form.postcode.data or "", form.q.data or "", statuses
        )
    return render_template("directory/index.html", form=form, matches=matches)


@bp.route("/<int:structure_id>")
def detail(structure_id: int):
    """Show one structure."""
    structure = db.get_or_404(Structure, structure_id)
    return render_template(
        "directory/detail.html", structure=structure, territory=format_postcodes(structure.postcodes)
    )


def _edit(structure: Structure, form: StructureForm, creating: bool):
    if form.validate_on_submit():
        save_structure(structure, form.values())
        db.session.flush()
        audit.record("create" if creating else "update", "structure", structure.id)
        db.session.commit()
        flash(_("Structure saved."), "success")
        return redirect(url_for("directory.detail", structure_id=structure.id))
    if request.method == "POST":
        flash(_("The structure was not saved: correct the fields marked below."), "error")
    status = 422 if request.method == "POST" else 200
    return render_template("directory/edit.html", form=form, structure=structure, creating=creating), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Create a structure."""
    return _edit(Structure(), StructureForm(), creating=True)


@bp.route("/<int:structure_id>/edit", methods=["GET", "POST"])
def edit(structure_id: int):
    """Edit a structure."""
    structure = db.get_or_404(Structure, structure_id)
    form = StructureForm(obj=structure) if request.method == "GET" else StructureForm()
    if request.method == "GET":
        form.services.data = "\n".join(structure.services or [])
        form.postcodes.data = format_postcodes(structure.postcodes)
    return _edit(structure, form, creating=False)


def _import_problems(exc: HsdsError) -> list[str]:
    return [str(problem) for problem in exc.problems]


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    """Import an HSDS 3.0 file: all of it or nothing, asking for categories the file does not tell."""
    form = ImportForm()
    if not form.validate_on_submit():
        if request.method == "POST":
            flash(_("Nothing was imported: correct the fields marked below."), "error")
        return render_template("directory/import.html", form=form), 422 if request.method == "POST" else 200
    payload = form.document.data.read()
    return _import(payload.decode("utf-8", errors="replace"), form.default_category.data or None, {}, form)


@bp.route("/import/confirm", methods=["POST"])
def import_confirm():
    """Finish an import with the categories the admin chose."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("Nothing was imported: the file was lost, upload it again."), "error")
        return redirect(url_for("directory.import_file"))
    chosen = {key[9:]: value for key, value in request.form.items() if key.startswith("category:") and value}
    default = form.default_category.data if form.default_category.data in CATEGORIES else None
    return _import(form.payload.data, default, chosen, ImportForm(formdata=None))


def _import(payload: str, default: str | None, chosen: dict, form: ImportForm):
    """Read the document, ask for missing categories, or apply it in one transaction."""
    from .exchange import apply_import, read_document  # HSDS: imported when used, not at start-up

    try:
        result = read_document(payload, default)
        missing = [item for item in result.unresolved if item.structure["external_id"] not in chosen]
        if missing:
            if chosen or request.endpoint == "directory.import_confirm":
                flash(_("Choose a category for every structure below."), "error")
            return render_template(
                "directory/import_categories.html",
                missing=missing,
                chosen=chosen,
                confirm=ConfirmImportForm(formdata=None, payload=payload, default_category=default or ""),
                total=len(result.items),
            ), 200
        summary = apply_import(result, chosen)
        audit.record("import", "structure", None, detail={"created": summary.created, "updated": summary.updated})
        db.session.commit()
    except HsdsError as exc:
        db.session.rollback()
        flash(_("Nothing was imported: the file has problems."), "error")
        return render_template("directory/import.html", form=form, problems=_import_problems(exc)), 422
    for warning in summary.warnings:
        flash(warning, "info")
    flash(
        _(
            "Imported: %(created)s, %(updated)s.",
            created=ngettext("%(num)s structure created", "%(num)s structures created", summary.created),
            updated=ngettext("%(num)s updated", "%(num)s updated", summary.updated),
        ),
        "success",
    )
    return redirect(url_for("directory.index", status="all"))


@bp.route("/export.json")
def export_file():
    """Download the directory as HSDS 3.0 JSON."""
    from .exchange import export_directory  # HSDS: imported when used, not at start-up

    try:
        organizations = export_directory()
    except HsdsError as exc:
        flash(
            _("The directory could not be exported: %(problems)s", problems="; ".join(_import_problems(exc))), "error"
        )
        return redirect(url_for("directory.index"))
    audit.record("export", "structure", None, detail={"organizations": len(organizations)})
    db.session.commit()
    name = f"directory-hsds-{local_now():%Y%m%d}.json"
    return Response(
        json.dumps(organizations, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/stale")
def stale():
    """List the active structures whose details were not confirmed for STRUCTURE_CONFIRM_DAYS."""
    from .freshness import stale_structures

    return render_template(
        "directory/stale.html", structures=stale_structures(), days=current_app.config["STRUCTURE_CONFIRM_DAYS"]
    )
