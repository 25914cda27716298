"""Set-up and maintenance commands: users, demo data and triage."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from models import ROLES, User

from .auth.passwords import hash_password
from .extensions import db


class Commands(AppGroup):
    """The app's command group (`app.cli`), with some commands imported only when run or listed.

    Flask-Migrate's `db` group imports Alembic: the web app's processes never run it, so it is not
    imported at every start; nor are the areas' own command modules (directory, jobs, retention,
    backup, restore, topics, export), which a web process never runs either.
    """

    LAZY = {
        "db": ("flask_migrate.cli", "db"),
        "directory": ("helpline.directory.cli", "directory_cli"),
        "jobs": ("helpline.followups.cli", "jobs_cli"),
        "retention": ("helpline.privacy.cli", "retention_cli"),
        "backup": ("helpline.privacy.cli", "backup_command"),
        "restore": ("helpline.privacy.cli", "restore_command"),
        "topics": ("helpline.reports.cli", "topics_cli"),
        "export": ("helpline.reports.cli", "export_cli"),
    }

    def list_commands(self, ctx) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx, name: str):
        if name in self.LAZY and name not in self.commands:
            import importlib

            module, attribute = self.LAZY[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


users_cli = AppGroup("users", help="Manage staff accounts.")
demo_cli = AppGroup("demo", help="Synthetic demo data.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(email: str, name: str, roles: tuple[str, ...], password: str) -> None:
    """Create a staff account."""
    email = email.strip().lower()
    if db.session.scalar(sa.select(User).where(User.email == email)):
        raise click.UsageError(f"--email: a user with the e-mail {email} already exists")
    if len(password) < 10:
        raise click.UsageError("--password: use at least 10 characters")
    db.session.add(User(email=email, name=name, roles=",".join(roles), password_hash=hash_password(password)))
    db.session.commit()
    click.echo(f"created {email} ({', '.join(roles)})")


@demo_cli.command("load")
def load_demo() -> None:
    """Load synthetic demo data (idempotent) and print the demo logins."""
    from .demo import DEMO_USERS, load_demo_data

    created = load_demo_data()
    click.echo("Demo data " + ("loaded." if created else "already present."))
    click.echo("Demo logins (e-mail / password):")
    for email, _name, roles, password in DEMO_USERS:
        click.echo(f"  {roles:<24} {email:<32} {password}")


@click.command(
    "triage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def triage_command(args: tuple[str, ...]) -> None:
    """Triage JSON requests (FILE... or - for stdin), or `replay --rules DIR [--since DATE]`."""
    if args and args[0] == "replay":
        replay_command.main(list(args[1:]), prog_name="helpline triage replay", standalone_mode=True)
        return
    if not args or args[0] in ("-h", "--help"):
        click.echo(
            "Usage: helpline triage FILE [FILE ...]   (FILE is a JSON request, or - for stdin)\n"
            "       helpline triage replay --rules DIR [--since YYYY-MM-DD]"
        )
        sys.exit(0 if args else 2)
    from flask import current_app

    from triage_rules.cli import run

    sys.exit(run(list(args), sys.stdout, sys.stderr, ruleset_path=current_app.config.get("TRIAGE_RULES_DIR")))


@click.command("replay")
@click.option(
    "--rules",
    "rules_dir",
    required=True,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Folder of the candidate rule set (with its ruleset.yaml).",
)
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="Only calls from this date.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def replay_command(rules_dir: Path, since: dt.datetime | None, as_json: bool) -> None:
    """Re-decide the stored calls with a candidate rule set and print what would change."""
    from triage_rules import RulesetError, load_ruleset

    from .triage.service import replay_calls

    try:
        candidate = load_ruleset(rules_dir)
    except RulesetError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    report = replay_calls(candidate, since.date() if since else None).to_dict()
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    click.echo(format_replay(report))


def format_replay(report: dict) -> str:
    """Render a replay report as plain text."""
    cand = report["candidate"]
    lines = [
        f"candidate: {cand['name']} {cand['version']} (sha256 {cand['sha256'][:12]})",
        f"calls re-decided: {report['decided']} of {report['total']}",
        f"decisions that would change: {report['changed']}",
    ]
    for t in report["transitions"]:
        if t["from"] != t["to"]:
            sample = ", ".join(f"#{i}" for i in t["sample_call_ids"])
            lines.append(f"  {t['from']} -> {t['to']}: {t['count']}  (e.g. {sample})")
    if report["errors"]:
        lines.append(f"calls that could not be re-decided: {report['errors']}")
    return "\n".join(lines)


def register_commands(app: Flask) -> None:
    """Add the helpline's commands to the app's CLI."""
    app.cli = Commands(name=app.cli.name, commands=app.cli.commands)  # keeps what blueprints added
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(triage_command)  # the others are in Commands.LAZY
