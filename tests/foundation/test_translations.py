"""The interface is French by default: every message has one French translation."""
from pathlib import Path

from helpline import i18n
from helpline.i18n import conflicting_translations, missing_translations

ROOT = Path(__file__).resolve().parents[2]


def _name(context, msgid) -> str:
    return f"{msgid!r}" if context is None else f"{msgid!r} (context {context!r})"


def test_every_message_has_a_french_translation():
    missing = missing_translations(ROOT)
    listing = "\n".join(f"{where}: {_name(*message)}" for message, where in sorted(missing.items(), key=lambda i: i[1]))
    assert not missing, f"{len(missing)} messages without French translation:\n{listing}"


def test_no_message_is_translated_differently_by_two_areas():
    # The .po files are merged into one catalogue, which keeps a single translation per message:
    # a message that needs another French word in another place needs a context (pgettext).
    conflicts = conflicting_translations()
    listing = "\n".join(
        f"{_name(*message)}: " + "; ".join(f"{string!r} in {', '.join(files)}" for string, files in strings.items())
        for message, strings in sorted(conflicts.items(), key=lambda i: (i[0][1], i[0][0] or "")))
    assert not conflicts, f"{len(conflicts)} messages translated differently in two .po files:\n{listing}"


def test_a_conflict_is_one_message_in_one_context_translated_two_ways(tmp_path, monkeypatch):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "a.po").write_text(
        'msgid "Done"\nmsgstr "Réalisée"\n\n'
        'msgctxt "number of follow-ups"\nmsgid "Done"\nmsgstr "Faits"\n\n'
        'msgid "%(n)d done"\nmsgid_plural "%(n)d done"\nmsgstr[0] "%(n)d fait"\nmsgstr[1] "%(n)d faits"\n\n'
        'msgid "Sent"\nmsgstr "Envoyée"\n', encoding="utf-8")
    (tmp_path / "fr" / "b.po").write_text(
        'msgid "Done"\nmsgstr "Faits"\n\n'
        'msgid "%(n)d done"\nmsgid_plural "%(n)d done"\nmsgstr[0] ""\nmsgstr[1] ""\n\n'
        'msgid "Sent"\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)

    # other contexts and untranslated entries are no conflict
    assert conflicting_translations() == {(None, "Done"): {"Réalisée": ["a.po"], "Faits": ["b.po"]}}
