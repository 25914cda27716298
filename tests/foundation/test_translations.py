"""The interface is French by default: every message has a French translation."""
from pathlib import Path

from helpline.i18n import missing_translations

ROOT = Path(__file__).resolve().parents[2]


def _name(context, msgid) -> str:
    return f"{msgid!r}" if context is None else f"{msgid!r} (context {context!r})"


def test_every_message_has_a_french_translation():
    missing = missing_translations(ROOT)
    listing = "\n".join(f"{where}: {_name(*message)}" for message, where in sorted(missing.items(), key=lambda i: i[1]))
    assert not missing, f"{len(missing)} messages without French translation:\n{listing}"
