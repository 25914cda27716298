"""The `helpline` console command: Flask's CLI with the app's own commands.

`helpline triage FILE...` answers without building the web app (no database, no blueprints): it
only needs the rule set, named by TRIAGE_RULES_DIR. Every other command builds the app.
"""

from __future__ import annotations

import sys


def _app(*_args, **_kwargs):
    from .app import create_app

    return create_app()


def _cli():
    """Return Flask's command group building the app (imported only for the commands that need it)."""
    from flask.cli import FlaskGroup

    return FlaskGroup(create_app=_app, help="Helpline set-up and maintenance commands.")


def _triage_alone(args: list[str]) -> bool:
    """Tell whether the command line is a plain `triage FILE...` (not replay, not help)."""
    return len(args) > 1 and args[0] == "triage" and args[1] not in ("replay", "-h", "--help")


def main(argv: list[str] | None = None) -> None:
    """Run a `helpline` command."""
    args = sys.argv[1:] if argv is None else list(argv)
    if _triage_alone(args):
        from triage_rules.cli import run

        from .config import read_setting

        sys.exit(run(args[1:], sys.stdout, sys.stderr, ruleset_path=read_setting("TRIAGE_RULES_DIR")))
    _cli().main(args, prog_name="helpline")


if __name__ == "__main__":  # pragma: no cover
    main()
