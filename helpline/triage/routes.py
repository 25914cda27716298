"""Live triage proposal, the active rule set, and the impact replay report."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask_babel import get_locale
from wtforms import SelectChoice

from ..calls.forms import CallForm
from ..calls.proposal import propose
from ..rules import active_ruleset
from . import bp
from .forms import ReplayForm
from .service import candidate_names, candidates_dir, replay_calls


@bp.route("/preview", methods=["POST"])
def preview():
    """Return the proposal for the call form as it is now (the call page's script calls this)."""
    form = CallForm(formdata=request.form)
    form.validate()
    proposal = propose(form)
    html = render_template("calls/_proposal.html", proposal=proposal)
    return jsonify(proposal=proposal, html=html)


@bp.route("/rules")
def rules():
    """Show the active rule set: each rule's id, sentence, condition and outcome, and the version."""
    ruleset = active_ruleset(current_app)
    return render_template(
        "triage/rules.html", ruleset=ruleset, rules=ruleset.describe(), lang=str(get_locale() or "fr")
    )


@bp.route("/replay", methods=["GET", "POST"])
def replay():
    """Re-decide stored calls with a candidate rule set and show what would change."""
    form = ReplayForm()
    form.candidate.choices = [SelectChoice(name, name) for name in candidate_names()]
    report, error = None, None
    if form.validate_on_submit():
        from triage_rules import RulesetError, load_ruleset  # rule-engine, when a rule set is loaded

        try:
            candidate = load_ruleset(candidates_dir() / form.candidate.data)
        except RulesetError as exc:
            error = _without_folder(str(exc), candidates_dir() / form.candidate.data, form.candidate.data)
        else:
            report = replay_calls(candidate, form.since.data).to_dict()
    return render_template(
        "triage/replay.html",
        form=form,
        report=report,
        error=error,
        active=active_ruleset(current_app),
    )


def _without_folder(message: str, folder, name: str) -> str:
    """Name the candidate rule set in an error instead of its path on the server (no server path on a page)."""
    for path in {str(folder.resolve()), str(folder)}:
        message = message.replace(path, name)
    return message
