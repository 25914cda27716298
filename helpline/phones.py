"""Phone numbers parsed and normalised with `phonenumbers` (Belgian numbers by default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class PhoneError(ValueError):
    """A phone number that cannot be a real number."""


def normalise_phone(raw: str, region: str = "BE") -> str:
    """Return a phone number in E.164 form, or raise PhoneError."""
    text = (raw or "").strip()
    if not text:
        raise PhoneError(str(_l("Enter a phone number.")))
    import phonenumbers  # its numbering plans load at the first number read, not at start-up

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneError(str(_l("This is not a phone number."))) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(str(_l("This phone number does not exist.")))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    """Tell whether a search text is meant as a phone number."""
    digits = sum(c in "0123456789" for c in text)
    return digits >= 6 and all(c in "0123456789 +./-()" for c in text.strip())


def display_phone(e164: str | None, region: str = "BE") -> str:
    """Format an E.164 number for reading (national form for local numbers)."""
    if not e164:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def masked_phone(e164: str | None) -> str:
    """Return a number with all but its last two digits hidden, for pages that need no more."""
    digits = [c for c in e164 or "" if c.isdigit()]
    return "…" + "".join(digits[-2:]) if len(digits) > 2 else "?"
