"""The `helpline retention`, `helpline backup` and `helpline restore` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .backup import BackupError, backup, default_target, restore
from .retention import run_retention

retention_cli = AppGroup("retention", help="Pseudonymise persons past the retention period.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only show who would be pseudonymised.")
@click.option("--months", type=click.IntRange(min=1), help="Retention period (default: RETENTION_MONTHS).")
def retention_run(dry_run: bool, months: int | None) -> None:
    """Pseudonymise the persons without contact for the retention period."""
    months = months or current_app.config["RETENTION_MONTHS"]
    expired = run_retention(months, dry_run=dry_run)
    verb = "would be pseudonymised" if dry_run else "pseudonymised"
    click.echo(f"retention period: {months} months; {len(expired)} person(s) {verb}")
    for item in expired:  # ids only: the names are what retention removes
        click.echo(f"  person #{item.person_id}  last contact {item.last_contact.date().isoformat()}")


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Backup file to write.")
def backup_command(output: Path | None) -> None:
    """Back up the database (SQLite online backup, or pg_dump on PostgreSQL)."""
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    folder = Path(current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups")
    try:
        target = backup(uri, output or default_target(uri, folder))
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"backup written to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with a backup (stop the app first)."""
    if not yes:
        click.confirm(f"Replace the whole database with {source}?", abort=True)
    from ..extensions import db
    from .erasure import erased_ids, reapply_erasures

    erased = erased_ids()  # before the restore brings back persons erased since the backup
    db.session.remove()
    db.engine.dispose()  # release our connections so the restore can replace the tables
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    again = reapply_erasures(erased)
    db.session.commit()
    click.echo(f"database restored from {source}")
    if again:
        click.echo(
            f"{len(again)} erasure(s) made after the backup applied again: " + ", ".join(f"person #{i}" for i in again)
        )
