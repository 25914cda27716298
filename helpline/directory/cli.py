"""`helpline directory import FILE` and `helpline directory export --out FILE`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from ..extensions import db
from .hsds import CATEGORIES, HsdsError

directory_cli = AppGroup("directory", help="Import and export the directory of structures (HSDS 3.0).")


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(2)


@directory_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--default-category",
    type=click.Choice(CATEGORIES),
    help="Category for the services whose category cannot be told from the file.",
)
@click.option(
    "--category",
    "choices",
    multiple=True,
    metavar="EXTERNAL_ID=CATEGORY",
    help="Category of one service, by its HSDS id (repeatable).",
)
def import_command(file: Path, default_category: str | None, choices: tuple[str, ...]) -> None:
    """Import an HSDS 3.0 JSON file into the directory: all of it, or nothing."""
    from .exchange import apply_import, read_document  # HSDS: imported when used, not at start-up

    chosen = {}
    for choice in choices:
        key, sep, value = choice.partition("=")
        if not sep:
            _fail(f"--category: {choice!r} is not EXTERNAL_ID=CATEGORY")
        chosen[key.strip()] = value.strip()
    try:
        result = read_document(file.read_bytes(), default_category)
        missing = [item for item in result.unresolved if item.structure["external_id"] not in chosen]
        if missing:
            lines = [
                f"- {item.record}: {item.path}.category: cannot tell the category"
                + (f" (maybe {', '.join(item.candidates)})" if item.candidates else "")
                for item in missing
            ]
            _fail("nothing imported; give --default-category or --category ID=CATEGORY for:\n" + "\n".join(lines))
        summary = apply_import(result, chosen)
        db.session.commit()
    except HsdsError as exc:
        db.session.rollback()
        _fail(f"{file}: nothing imported, {exc}")
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"imported {summary.created + summary.updated} structure(s): "
        f"{summary.created} created, {summary.updated} updated"
    )


@directory_cli.command("export")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (- for standard output).",
)
def export_command(out: Path) -> None:
    """Export the directory as HSDS 3.0 JSON (a list of organizations, validated)."""
    from .exchange import export_directory  # HSDS: imported when used, not at start-up

    try:
        organizations = export_directory()
    except HsdsError as exc:
        _fail(f"nothing exported, {exc}")
    text = json.dumps(organizations, ensure_ascii=False, indent=2) + "\n"
    if str(out) == "-":
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    services = sum(len(org.get("services", [])) for org in organizations)
    click.echo(f"exported {services} structure(s) in {len(organizations)} organization(s) to {out}")
