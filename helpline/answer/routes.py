"""The answer page: GET shows the referral (minimal disclosure) and its form, POST records the answer."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from models import Referral

from .. import audit
from ..extensions import csrf, db
from ..referrals.links import form_token, form_token_ok, read_token
from ..referrals.service import ReferralError
from ..security import limiter
from . import bp
from .forms import DECISION_LABELS, NEXT_DECISIONS, AnswerForm
from .service import answer_state, apply_answer, is_closed


def _rate() -> str:
    return current_app.config["ANSWER_RATE_LIMIT"]


def _refused(reason: str):
    messages = {
        "expired": _("This link has expired. Call the helpline if the referral still needs an answer."),
        "invalid": _("This link is not valid. Check that it was copied whole."),
        "closed": _("This referral is closed: there is nothing more to answer. Thank you."),
    }
    status = {"expired": 410, "invalid": 404, "closed": 410}[reason]
    return render_template(
        "answer/refused.html", message=messages[reason], phone=current_app.config["HELPLINE_CONTACT_PHONE"]
    ), status


def _referral(token: str):
    """Return the link's referral, or the refusal page to answer with."""
    check = read_token(token)
    if check.refused:
        return None, _refused(check.refused)
    referral = db.session.get(Referral, check.referral_id)
    if referral is None or referral.structure_id != check.structure_id:
        return None, _refused("invalid")
    return referral, None


def _form(referral: Referral, token: str, form: AnswerForm | None = None) -> AnswerForm:
    form = form or AnswerForm()
    form.csrf.data = form_token(token, referral)
    return form


def _page(referral: Referral, token: str, form: AnswerForm, status: int = 200):
    return render_template(
        "answer/page.html",
        referral=referral,
        form=form,
        token=token,
        state=answer_state(referral),
        decisions=DECISION_LABELS,
        allowed=NEXT_DECISIONS.get(answer_state(referral), ()),
        phone=current_app.config["HELPLINE_CONTACT_PHONE"],
    ), status


@bp.route("/<token>", methods=["GET"])
@limiter.limit(_rate)
def page(token: str):
    """Show the structure its referral and what it may answer now."""
    referral, refusal = _referral(token)
    if refusal:
        return refusal
    if is_closed(referral):
        return _refused("closed")
    audit.record("read", "referral", referral.id, person_id=referral.person_id, detail={"via": "link"})
    db.session.commit()
    return _page(referral, token, _form(referral, token))


@bp.route("/<token>", methods=["POST"])
@csrf.exempt  # no session: the form carries a token derived from the link (see referrals.links)
@limiter.limit(_rate)
def answer(token: str):
    """Record the structure's answer to its referral."""
    referral, refusal = _referral(token)
    if refusal:
        return refusal
    if is_closed(referral):
        return _refused("closed")
    posted = AnswerForm()
    if not form_token_ok(token, referral, posted.csrf.data):
        form = _form(referral, token, posted)
        form.decision.errors = [
            _("This page was out of date (an answer was given meanwhile): check it and answer again.")
        ]
        return _page(referral, token, form, 409)
    form = _form(referral, token, posted)
    if form.validate():
        try:
            apply_answer(
                referral,
                form.decision.data,
                reason=form.reason.data,
                outcome=form.outcome.data,
                note=form.note.data,
                capacity_available=form.capacity_available.data,
                wait_time=form.wait_time.data,
                link=url_for("referrals.detail", referral_id=referral.id),
            )
        except ReferralError as exc:
            db.session.rollback()
            form = _form(referral, token, posted)
            getattr(form, "decision" if exc.field == "status" else exc.field).errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Thank you: your answer was recorded and the helpline is informed."), "success")
            if is_closed(referral):
                return render_template("answer/thanks.html", phone=current_app.config["HELPLINE_CONTACT_PHONE"])
            return redirect(url_for("answer.page", token=token))
    return _page(referral, token, form, 422)
