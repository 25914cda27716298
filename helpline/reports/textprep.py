"""French note normalisation for topic modelling, and pseudonymised excerpts.

Pure functions only (no Flask, no database). Tokens are lowercase ASCII words:
accents are folded, tokens containing digits are dropped, known person names and
title-introduced names ("Mme Dupont", "Dr Marie Curie", "m. durand") are removed,
and the shipped French stop-word list (with helpline filler words) is applied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = [
    "NotePreprocessor",
    "fold_accents",
    "load_stopwords",
    "name_tokens",
    "normalise",
    "pseudonymise_excerpt",
    "strip_titled_names",
    "tokenise",
]

STOPWORDS_PATH = Path(__file__).with_name("stopwords_fr.txt")
DEFAULT_MIN_LEN = 3

_LIGATURES = (("œ", "oe"), ("æ", "ae"), ("ß", "ss"), ("ø", "o"), ("ł", "l"), ("đ", "d"), ("’", "'"))
_COMBINING = re.compile(r"[\u0300-\u036f]+")
_TOKEN = re.compile(r"[a-z0-9]+")

_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿœŒ"
# A name word is a capitalised word (Dupont, Le, DUPONT, Jean-Pierre) or an initial (D.).
_NAME_WORD = rf"(?:[{_UPPER}]\.(?![{_LETTER}])|[{_UPPER}][{_LETTER}'’-]*[{_LETTER}])"
_CAPS_NAME = rf"\s+{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?"
_LOWER_NAME = rf"[ \t]+[a-zà-öø-ÿœ][{_LETTER}'’-]*"
# Full titles introduce capitalised names only; abbreviations (mme, mlle, dr, mr, m.) also lowercase ones.
# The pattern starts with a plain character class so the regex engine can skip ahead quickly.
_FULL_TITLE = r"(?<=[Mm])(?i:adame|onsieur|ademoiselle)|(?<=[Dd])(?i:octeur)|(?<=[Pp])(?i:rofesseur|r)"
_ABBREV_TITLE = r"(?<=[Mm])(?i:mes|me|lles|lle|rs|r|m?(?=\.))|(?<=[Dd])(?i:r)"
_TITLED_NAME = re.compile(
    rf"(?P<title>[MmDdPp](?<![{_LETTER}].)(?:(?P<full>{_FULL_TITLE})|{_ABBREV_TITLE}))\.?"
    rf"(?(full)(?P<name>{_CAPS_NAME})|(?P<aname>{_CAPS_NAME}|{_LOWER_NAME}))"
)
_WORD = re.compile(rf"[{_LETTER}]+(?:[-'’][{_LETTER}]+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)\d{2,3}[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){7,}(?!\d)")
_SPACES = re.compile(r"\s+")
_INITIAL_DOT = re.compile(r"(?<=\b[A-Z]\.)\.(?!\.)")


def fold_accents(text: str) -> str:
    """Return text lowercased with accents and ligatures folded to ASCII letters."""
    text = text.lower()
    if text.isascii():
        return text
    for ligature, letters in _LIGATURES:
        if ligature in text:
            text = text.replace(ligature, letters)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def tokenise(text: str) -> list[str]:
    """Split folded text into alphanumeric chunks (digits still present)."""
    return _TOKEN.findall(fold_accents(text))


@lru_cache(maxsize=8)
def load_stopwords(path: str | None = None) -> frozenset[str]:
    """Load the shipped (or given) French stop-word file as folded tokens."""
    source = Path(path) if path else STOPWORDS_PATH
    words: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        words.update(tokenise(line.split("#", 1)[0]))
    if not words:
        raise ValueError(f"stop-word file {source} is empty")
    return frozenset(words)


def name_tokens(names: Iterable[str]) -> frozenset[str]:
    """Fold known person names ("Marie Dupont", "Le Gall") into name tokens, ignoring stop words."""
    if isinstance(names, str):
        raise TypeError("names must be an iterable of names, not a single string")
    stop = load_stopwords()
    return frozenset(t for name in names for t in tokenise(name) if len(t) >= 2 and t.isalpha() and t not in stop)


def strip_titled_names(text: str) -> str:
    """Blank out e-mails, titles and the names they introduce ("Mme Dupont", "Dr M. Curie", "mme durand")."""
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    return _TITLED_NAME.sub(" ", text)


class NotePreprocessor:
    """Turn raw French notes into filtered tokens; never persisted since it holds person names."""

    def __init__(
        self, names: Iterable[str] = (), extra_stopwords: Iterable[str] = (), min_len: int = DEFAULT_MIN_LEN
    ) -> None:
        """Prepare the drop set from stop words, extra stop words and known person names."""
        if min_len < 1:
            raise ValueError("min_len must be >= 1")
        self.min_len = min_len
        self.extra_stopwords = tuple(sorted({t for w in extra_stopwords for t in tokenise(w)}))
        self._drop = load_stopwords() | frozenset(self.extra_stopwords) | name_tokens(names)

    def tokens(self, text: str) -> list[str]:
        """Return the kept tokens of one note."""
        if not text:
            return []
        drop, min_len = self._drop, self.min_len
        return [
            t
            for t in _TOKEN.findall(fold_accents(strip_titled_names(text)))
            if len(t) >= min_len and t not in drop and t.isalpha()
        ]

    def __call__(self, text: str) -> str:
        """Return the kept tokens of one note joined by single spaces."""
        return " ".join(self.tokens(text))

    def __getstate__(self) -> dict:
        """Refuse pickling: the drop set contains known person names."""
        raise TypeError("NotePreprocessor holds person names and must not be persisted")


def normalise(text: str, names: Iterable[str] = (), min_len: int = DEFAULT_MIN_LEN) -> str:
    """Normalise one note (convenience wrapper; build a NotePreprocessor for many notes)."""
    return NotePreprocessor(names, min_len=min_len)(text)


def _mask_name(name: str, style: str) -> str:
    """Mask one name: initials ("Jean-Pierre Le Gall" -> "J.-P. L. G.") or "[nom]"."""
    if style == "placeholder":
        return "[nom]"
    words = name.replace(".", " ").split()
    return " ".join("-".join(part[0].upper() + "." for part in re.split(r"[-'’]", w) if part) for w in words)


def _mask_titled(match: re.Match, style: str) -> str:
    """Keep the title of a titled name and mask the name part."""
    name_start = match.start("name") if match["name"] else match.start("aname")
    title = match.string[match.start() : name_start]
    return f"{title} {_mask_name(match['name'] or match['aname'], style)}"


def _mask_known(word: str, known: frozenset[str], style: str) -> str:
    """Mask a (possibly hyphenated) word whose parts are known person names."""
    parts = re.split(r"([-'’])", word)
    hits = [fold_accents(p) in known for p in parts[::2]]
    if all(hits):
        return _mask_name(word, style)
    return "".join(_mask_name(p, style) if i % 2 == 0 and hits[i // 2] else p for i, p in enumerate(parts))


# Capitalised words inside a sentence that are not names: titles and the particles of surnames.
_NOT_NAMES = frozenset(
    {
        "mme",
        "mmes",
        "mlle",
        "mlles",
        "mr",
        "dr",
        "pr",
        "le",
        "la",
        "les",
        "de",
        "du",
        "des",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
    }
)
_SENTENCE_END = ".!?…"


def _capitalised_inside(match: re.Match) -> bool:
    """Tell whether a word is capitalised inside a sentence: a surname the note gives without a title.

    Acronyms (CPAS, RDV), titles and particles, and the first word of a sentence do not count.
    """
    word = match[0]
    if len(word) < 2 or not word[0].isupper() or word.isupper() or fold_accents(word) in _NOT_NAMES:
        return False
    before = match.string[: match.start()].rstrip()
    return bool(before) and (before[-1] not in _SENTENCE_END or bool(re.search(r"(?:^|\s)[A-Z]\.$", before)))


def _mask_untitled_names(text: str, style: str) -> str:
    """Mask the capitalised words found inside sentences, wherever they appear (a sentence's first
    word too); an over-masked place name costs less than a surname left in an excerpt."""
    found = {fold_accents(m[0]) for m in _WORD.finditer(text) if _capitalised_inside(m)}
    if not found:
        return text
    return _WORD.sub(
        lambda m: _mask_name(m[0], style) if m[0][:1].isupper() and fold_accents(m[0]) in found else m[0], text
    )


def pseudonymise_excerpt(
    text: str, names: Iterable[str] = (), *, style: str = "initials", max_len: int | None = 200
) -> str:
    """Return a short excerpt with names, e-mails, phone and long numbers masked."""
    if style not in ("initials", "placeholder"):
        raise ValueError("style must be 'initials' or 'placeholder'")
    known = name_tokens(names)
    out = _EMAIL.sub("[email]", text)
    out = _PHONE.sub("[tél]", out)
    out = _LONG_NUMBER.sub("[numéro]", out)
    out = _TITLED_NAME.sub(lambda m: _mask_titled(m, style), out)
    if known:
        out = _WORD.sub(lambda m: _mask_known(m[0], known, style), out)
    out = _mask_untitled_names(out, style)
    out = _SPACES.sub(" ", _INITIAL_DOT.sub("", out)).strip()
    if max_len is not None and len(out) > max_len:
        cut = out[: max_len - 1]
        out = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.") + "…"
    return out
