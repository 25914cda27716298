"""Views of the reports: indicators dashboard with CSV downloads, themes of the notes, gaps, suggestions."""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from helpline.audit import record
from models import TopicTheme, db

from . import bp, registry, suggest_service, topics_service
from .charts import chart_for
from .forms import PeriodForm, ThemeNameForm
from .period import Period
from .tables import to_csv


def _period_form() -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.args)
    if request.args and not form.validate():
        return form, None
    return form, Period(*form.dates())


@bp.route("/")
def index():
    """Show the indicators of a period, each as a chart and its table."""
    form, period = _period_form()
    tables = registry.compute_all(period) if period else []
    return render_template(
        "reports/index.html",
        form=form,
        period=period,
        chart_for=chart_for,
        tables=[(t, chart_for(t.chart, t.chart_points())) for t in tables],
    )


@bp.route("/<key>.csv")
def download(key: str):
    """Download one indicator of a period as CSV, small counts masked."""
    if key not in registry.INDICATORS:
        abort(404)
    form, period = _period_form()
    if period is None:
        flash(_("Choose a valid period before downloading."), "error")
        return redirect(url_for("reports.index", **request.args))
    table = registry.compute(key, period)
    record(
        "export",
        "indicator",
        detail={"indicator": key, "start": period.start.isoformat(), "end": period.end.isoformat()},
    )
    db.session.commit()
    name = f"{key}_{period.start.isoformat()}_{period.end.isoformat()}.csv"
    return Response(
        to_csv(table, str(get_locale() or "fr")),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/topics")
def topics():
    """List the themes of the newest topic model."""
    model = topics_service.latest_model()
    return render_template("reports/topics.html", model=model)


def _render_theme(theme: TopicTheme, form: ThemeNameForm):
    months = topics_service.theme_months(theme)
    excerpts = topics_service.excerpts(theme)
    record("read", "topic_theme", theme.id, detail={"excerpts": len(excerpts)})
    db.session.commit()
    return render_template(
        "reports/theme.html",
        theme=theme,
        form=form,
        months=months,
        chart=chart_for(months.chart, months.chart_points()),
        excerpts=excerpts,
    )


@bp.route("/topics/<int:theme_id>")
def theme(theme_id: int):
    """Show a theme: its words, its notes per month and pseudonymised excerpts."""
    theme = db.get_or_404(TopicTheme, theme_id)
    return _render_theme(theme, ThemeNameForm(obj=theme))


@bp.route("/topics/<int:theme_id>/name", methods=["POST"])
def name_theme(theme_id: int):
    """Name a theme."""
    theme = db.get_or_404(TopicTheme, theme_id)
    form = ThemeNameForm()
    if not form.validate():
        return _render_theme(theme, form), 400
    topics_service.name_theme(theme, form.name.data, current_user)
    db.session.commit()
    flash(_("The theme is now called “%(name)s”.", name=theme.name), "success")
    return redirect(url_for("reports.theme", theme_id=theme.id))


@bp.route("/gaps")
def gaps():
    """Put the themes of the notes beside the declined or unsuccessful referrals by category."""
    form, period = _period_form()
    model = topics_service.latest_model()
    tables = []
    if period:
        if model:
            tables.append(topics_service.theme_notes_table(model, period))
        tables.append(topics_service.failed_referrals_table(period))
    return render_template(
        "reports/gaps.html",
        form=form,
        period=period,
        model=model,
        tables=[(t, chart_for(t.chart, t.chart_points())) for t in tables],
    )


@bp.route("/suggestions.json", methods=["POST"])
def suggest_topics():
    """Return topics to propose for the summary being typed (the nurse ticks them or not)."""
    payload = request.get_json(silent=True)  # None for JSON that is invalid or nested too deeply
    if payload is None and not request.is_json:
        payload = request.form
    if not isinstance(payload, dict):
        return jsonify(error=_("The summary must be text.")), 400
    summary = payload.get("summary", "")
    ticked = payload.getlist("topics") if hasattr(payload, "getlist") else payload.get("topics", [])
    if not isinstance(summary, str) or not isinstance(ticked, list):
        return jsonify(error=_("The summary must be text.")), 400
    found = suggest_service.suggestions(summary, [t for t in ticked if isinstance(t, str)])
    return jsonify(suggestions=found, available=suggest_service.current_suggester() is not None)
