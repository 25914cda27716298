"""`helpline topics fit|train-suggester` and `helpline export fhir --out FILE [--person ID]`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Optional

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from models import Person, db

topics_cli = AppGroup("topics", help="Topic modelling of the notes and topic suggestions.")
export_cli = AppGroup("export", help="Export data for other systems.")


@topics_cli.command("fit")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only notes from this date (YYYY-MM-DD).")
@click.option(
    "--topics", "n_topics", type=click.IntRange(2, 50), default=8, show_default=True, help="Number of themes."
)
def fit_command(since: Optional[dt.datetime], n_topics: int) -> None:
    """Fit the themes on call summaries and follow-up notes and store them."""
    from .topicmodel import TopicModelError  # scikit-learn: only the commands that fit import it
    from .topics_service import fit_and_store

    try:
        model = fit_and_store(since.date() if since else None, n_topics)
        db.session.commit()
    except TopicModelError as exc:
        db.session.rollback()
        click.echo(f"no themes stored: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"stored topic model {model.id}: {model.n_topics} themes from {model.n_documents} notes "
        f"({model.n_unassigned} without a clear theme)"
    )
    for theme in model.themes:
        click.echo(f"  {theme.index + 1}. {theme.title} ({theme.size} notes)")


@topics_cli.command("train-suggester")
def train_command() -> None:
    """Train the topic suggester of the call page on past calls."""
    from .suggest_service import train_and_store
    from .suggester import NotEnoughHistory

    try:
        row = train_and_store()
        db.session.commit()
    except NotEnoughHistory as exc:
        db.session.rollback()
        click.echo(
            f"not enough call history to suggest topics ({exc.reason}); nothing stored, "
            "the call page shows no suggestion",
            err=True,
        )
        sys.exit(1)
    click.echo(f"trained topic suggester {row.id} on {row.n_calls} calls: topics {', '.join(row.info['topics'])}")


@export_cli.command("fhir")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (- for standard output).",
)
@click.option("--person", "person_id", type=int, help="Only this person's referrals and plan.")
def export_fhir(out: Path, person_id: Optional[int]) -> None:
    """Write the referrals and service plans as one FHIR R4B Bundle (JSON)."""
    from helpline.fhir.bundle import build_bundle

    if person_id is not None and db.session.get(Person, person_id) is None:
        raise click.UsageError(f"--person: no person has the id {person_id}")
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # code displays in the helpline's language
        bundle = build_bundle(person_id)
    text = bundle.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n"
    db.session.commit()  # the audit events of the export
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    click.echo(f"wrote {len(bundle.entry or [])} resources to {out}")
