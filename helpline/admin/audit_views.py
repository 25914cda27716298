"""The audit trail search, for coordinators: read-only, no route changes or deletes an event."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request
from wtforms import SelectChoice

from models import User

from ..extensions import db
from ..formatting import labels
from ..ids import parse_page
from . import bp
from .forms import AuditSearchForm
from .service import AuditQuery, audit_actions, search_audit


@bp.route("/audit")
def audit():
    """Search the audit trail by user, person and date."""
    form = AuditSearchForm(request.args)
    users = db.session.scalars(sa.select(User).order_by(User.name))
    form.user_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(u.id), u.name) for u in users]
    form.action.choices = [SelectChoice("", "—")] + [
        SelectChoice(a, labels("audit_action", a)) for a in audit_actions()
    ]
    events, has_more = [], False
    page = request.args.get("page", "1")
    if form.validate():
        query = AuditQuery(
            user_id=int(form.user_id.data) if form.user_id.data else None,
            person_id=form.person_id.data,
            action=form.action.data or None,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            page=parse_page(page),
        )
        events, has_more = search_audit(query)
    names = {u.id: u.name for u in db.session.scalars(sa.select(User))}
    return render_template(
        "admin/audit.html", form=form, events=events, has_more=has_more, names=names, page=parse_page(page)
    )
