"""The structure's details page: confirm them (HSDS assured_date), state capacity and waiting time."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _

from models import Structure, utcnow

from .. import audit
from ..directory.confirm import form_token, read_token
from ..extensions import csrf, db
from ..security import limiter
from . import bp
from .forms import DetailsForm
from .service import state_capacity


def _rate() -> str:
    return current_app.config["ANSWER_RATE_LIMIT"]


@bp.route("/details/<token>", methods=["GET", "POST"])
@csrf.exempt  # no session: the form carries a token derived from the link
@limiter.limit(_rate)
def details(token: str):
    """Show a structure what the directory says of it and let it confirm or correct its capacity."""
    structure_id, refused = read_token(token)
    structure = db.session.get(Structure, structure_id) if structure_id else None
    phone = current_app.config["HELPLINE_CONTACT_PHONE"]
    if structure is None:
        message = (
            _("This link has expired. Call the helpline if the referral still needs an answer.")
            if refused == "expired"
            else _("This link is not valid. Check that it was copied whole.")
        )
        code = 410 if refused == "expired" else 404
        return render_template("answer/refused.html", message=message, phone=phone), code
    form = DetailsForm()
    status = 200
    if request.method == "POST":
        if not form.csrf.data or form.csrf.data != form_token(token, structure):
            form.capacity_available.errors = [
                _("This page was out of date (an answer was given meanwhile): check it and answer again.")
            ]
            status = 409
        elif form.validate():
            state_capacity(structure, form.capacity_available.data, form.wait_time.data, utcnow(), confirm=True)
            audit.record(
                "update",
                "structure",
                structure.id,
                detail={"fields": ["capacity_available", "wait_time", "assured_date"], "via": "link"},
            )
            db.session.commit()
            return render_template("answer/thanks.html", phone=phone)
        else:
            status = 422
    form.csrf.data = form_token(token, structure)
    return render_template("answer/details.html", structure=structure, form=form, token=token, phone=phone), status
