"""The interface is French by default: every message has one French translation.

The catalogue is the standard one (babel.cfg, helpline/translations/fr/LC_MESSAGES/messages.po,
`make translations`); these tests read it as pybabel does.
"""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "helpline" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def _name(context, msgid) -> str:
    return f"{msgid!r}" if context is None else f"{msgid!r} (context {context!r})"


def _catalogue(path: Path = CATALOGUE) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="fr")


def extracted_messages(root: Path = ROOT) -> dict[tuple, str]:
    """Return every (context, message id) pybabel extracts with babel.cfg, with one file using it."""
    with (root / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(root, method_map, options_map):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault((context, msgid), filename)
    return found


def untranslated(catalogue: Catalog, used: dict[tuple, str]) -> dict[tuple, str]:
    """Return the used messages the catalogue lacks, leaves empty or marks fuzzy (pybabel compile skips those)."""
    missing = {}
    for (context, msgid), where in used.items():
        message = catalogue.get(msgid, context=context)
        strings = message.string if message and isinstance(message.string, tuple) else (message and message.string,)
        if not message or message.fuzzy or not all(strings):
            missing[(context, msgid)] = where
    return missing


def test_every_message_has_a_french_translation():
    missing = untranslated(_catalogue(), extracted_messages())
    listing = "\n".join(f"{where}: {_name(*message)}" for message, where in sorted(missing.items(), key=lambda i: i[1]))
    assert not missing, (
        f"{len(missing)} messages without French translation (run `make translations`, "
        f"then translate them in {CATALOGUE.relative_to(ROOT)}):\n{listing}"
    )


def test_extraction_finds_python_lazy_and_template_messages():
    used = extracted_messages()
    assert (None, "This page does not exist.") in used  # gettext in Python
    assert any(where.startswith("templates/") for where in used.values())  # Jinja templates
    assert any(context is not None for context, _msgid in used)  # pgettext / lazy_pgettext contexts
    assert len(used) > 800


def test_a_fuzzy_or_empty_translation_counts_as_missing():
    catalogue = Catalog(locale="fr")
    catalogue.add("Done", "Faits", context="number of follow-ups")
    catalogue.add("Sent", "Envoyée", flags=["fuzzy"])
    catalogue.add(("%(n)d done", "%(n)d done"), ("%(n)d fait", ""))
    used = {
        ("number of follow-ups", "Done"): "a.py",
        (None, "Done"): "b.py",
        (None, "Sent"): "c.py",
        (None, "%(n)d done"): "d.py",
    }
    assert set(untranslated(catalogue, used)) == {(None, "Done"), (None, "Sent"), (None, "%(n)d done")}


def test_french_plurals_have_the_catalogues_two_forms():
    # Babel 2.19's CLDR data gives French a third ("many") form: a three-form header over two-form
    # translations would lose the plurals.
    catalogue = _catalogue()
    assert catalogue.plural_forms == "nplurals=2; plural=(n > 1);"
    plurals = [m for m in catalogue if m.id and isinstance(m.id, tuple)]
    assert plurals and all(len(m.string) == 2 and all(m.string) for m in plurals)


def test_each_message_appears_once_in_the_catalogue():
    # A merge of two branches can leave one message twice; pybabel would silently keep one of them.
    seen, duplicates = set(), []
    for block in re.split(r"\n\s*\n", CATALOGUE.read_text(encoding="utf-8")):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        key, current = {}, None
        for line in lines:
            match = re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match[1]
                key[current] = match[2]
            elif current and line.startswith('"'):
                key[current] += line[1:-1]
        if key.get("msgid"):
            entry = (key.get("msgctxt"), key["msgid"])
            if entry in seen:
                duplicates.append(_name(*entry))
            seen.add(entry)
    assert not duplicates, "messages listed twice in messages.po:\n" + "\n".join(duplicates)


def test_the_catalogue_compiles_without_errors():
    errors = [(message.id, error) for message, errs in _catalogue().check() for error in errs]
    assert not errors, "\n".join(f"{_name(None, msgid)}: {error}" for msgid, error in errors)


def test_the_compiled_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    if not compiled.exists() or compiled.stat().st_mtime < CATALOGUE.stat().st_mtime:
        pytest.fail(f"{compiled.relative_to(ROOT)} is missing or older than messages.po: run `make install`")
    with compiled.open("rb") as fh:
        mo = read_mo(fh)
    assert mo.get("This page does not exist.").string == "Cette page n'existe pas."
