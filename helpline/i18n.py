"""Translations: French is the default language, English the other one.

Message ids are English. Each area keeps its French catalogue in
`helpline/translations/fr/<area>.po` (so parallel work never edits one shared file); they are
merged and compiled into `helpline/translations/fr/LC_MESSAGES/messages.mo`.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from pathlib import Path
from typing import Optional

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, has_request_context, request, session
from flask_login import current_user

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
log = logging.getLogger(__name__)
MessageKey = tuple[Optional[str], str]  # (context, id): gettext tells messages apart by both


def source_catalogues(locale: str = "fr") -> list[Path]:
    """Return the per-area .po files of a locale."""
    return sorted((TRANSLATIONS_DIR / locale).glob("*.po"))


def _translated_messages(locale: str):
    """Yield (path, message) for every translated message of the locale's .po files."""
    for path in source_catalogues(locale):
        with path.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                if message.id and any(strings):
                    yield path, message


def merged_catalogue(locale: str = "fr") -> Catalog:
    """Merge the per-area .po files of a locale into one catalogue (a message is its id and its context)."""
    merged = Catalog(locale=locale)
    sources = source_catalogues(locale)
    if sources:
        # The .po files' own Plural-Forms, not the locale's from Babel's CLDR data (Babel 2.17+ gives
        # French a third "many" form that the two-form translations do not have).
        with sources[0].open("rb") as fh:
            merged.mime_headers = [h for h in read_po(fh, locale=locale).mime_headers if h[0] == "Plural-Forms"]
    for _path, message in _translated_messages(locale):
        merged.add(message.id, message.string, context=message.context)
    return merged


def conflicting_translations(locale: str = "fr") -> dict[MessageKey, dict[str, list[str]]]:
    """Return the messages translated differently in two .po files, with each translation's files.

    The merge keeps one translation (the first file's), so the other area's pages would show the wrong word.
    """
    found: dict[MessageKey, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, message in _translated_messages(locale):
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        string = " | ".join(message.string) if isinstance(message.string, tuple) else message.string
        found[(message.context, msgid)][string].append(path.name)
    return {key: dict(strings) for key, strings in found.items() if len(strings) > 1}


def compile_catalogues(locale: str = "fr", force: bool = False) -> Path:
    """Compile the merged catalogue to messages.mo when a .po file is newer than it."""
    target = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.mo"
    sources = source_catalogues(locale)
    newest = max((p.stat().st_mtime for p in sources), default=0)
    if not force and target.exists() and target.stat().st_mtime >= newest:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        write_mo(fh, merged_catalogue(locale))
    tmp.replace(target)
    return target


def ensure_compiled() -> None:
    """Compile the catalogues at start-up, logging instead of failing on a read-only disk."""
    try:
        compile_catalogues()
    except OSError as exc:  # pragma: no cover - read-only deployments compile at build time
        log.warning("could not compile translations: %s", exc)


def select_locale() -> str:
    """Pick the user's chosen language, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs speak the helpline's default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if request and request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


SOURCE_ROOTS = ("helpline", "templates")
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}


def extracted_messages(project_root: Path) -> dict[MessageKey, str]:
    """Return every (context, message id) used in the code and templates, with one place it is used."""
    from babel.messages.extract import extract_from_file

    found: dict[MessageKey, str] = {}
    for root in SOURCE_ROOTS:
        for path in sorted((project_root / root).rglob("*")):
            method = {".py": "python", ".html": "jinja2"}.get(path.suffix)
            if method is None or "static" in path.parts:
                continue
            for lineno, message, _comments, context in extract_from_file(method, str(path), keywords=KEYWORDS):
                for text in message if isinstance(message, tuple) else (message,):
                    if text:
                        found.setdefault((context, text), f"{path.relative_to(project_root)}:{lineno}")
    return found


def missing_translations(project_root: Path, locale: str = "fr") -> dict[MessageKey, str]:
    """Return the (context, message id) pairs the locale's catalogue does not translate, with where they are used."""
    catalogue = merged_catalogue(locale)
    missing = {}
    for (context, msgid), where in extracted_messages(project_root).items():
        message = catalogue.get(msgid, context=context)
        if not (message and message.string):
            missing[(context, msgid)] = where
    return missing
