"""Meaning read from free text: structure categories, postcodes of service areas, opening hours."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from .hsds import CATEGORIES, DAY_CODES, DAY_NAMES

# Accent-free, lower-case keywords (English, then French). "word*" matches words starting with
# "word"; any other keyword matches whole words, with an optional plural ending on its last word.
CATEGORY_KEYWORDS = {
    "home_care_coordination": (
        "home care",
        "homecare",
        "home help",
        "home nursing",
        "domiciliary care",
        "care coordination",
        "coordination of care",
        "case management",
        "hospital discharge",
        "discharge planning",
        "soins a domicile",
        "aide a domicile",
        "aides a domicile",
        "maintien a domicile",
        "coordination de soins",
        "coordination des soins",
        "centre de coordination",
        "gestion de cas",
        "sortie d hopital",
        "retour a domicile",
        "infirmier a domicile",
        "infirmiere a domicile",
        "soins infirmiers a domicile",
        "aide familiale",
        "sisd",
    ),
    "social_service": (
        "social service",
        "social work",
        "social worker",
        "social welfare",
        "welfare",
        "benefits advice",
        "social rights",
        "legal aid",
        "debt",
        "financial aid",
        "financial help",
        "administrative help",
        "service social",
        "services sociaux",
        "assistant social",
        "assistante sociale",
        "cpas",
        "travailleur social",
        "droits sociaux",
        "aide sociale",
        "aide juridique",
        "mediation de dette",
        "aide financiere",
        "demarches administratives",
        "aide administrative",
        "allocation",
    ),
    "housing_service": (
        "housing",
        "homeless",
        "homelessness",
        "shelter",
        "tenancy",
        "home adaptation",
        "logement",
        "sans abri",
        "sans domicile",
        "abri de nuit",
        "hebergement d urgence",
        "habitat",
        "agence immobiliere sociale",
    ),
    "transport_service": (
        "transport*",
        "mobility",
        "taxi",
        "minibus",
        "driver",
        "ride",
        "mobilite",
        "chauffeur",
        "deplacement",
    ),
    "carer_support": (
        "carer",
        "caregiver",
        "care giver",
        "respite",
        "aidant",
        "aidant proche",
        "proche aidant",
        "repit",
        "soutien aux aidants",
    ),
    "mental_health_service": (
        "mental health",
        "mental illness",
        "psychiatr*",
        "psycholog*",
        "psychotherap*",
        "counselling",
        "counseling",
        "depression",
        "anxiety",
        "eating disorder",
        "addiction",
        "suicide",
        "sante mentale",
        "sante psychique",
        "trouble psychique",
        "anxiete",
        "trouble alimentaire",
        "assuetude",
        "toxicomanie",
    ),
    "palliative_care": (
        "palliati*",
        "end of life",
        "hospice",
        "terminal illness",
        "bereavement",
        "fin de vie",
        "soins continus",
        "deuil",
    ),
    "social_link": (
        "isolation",
        "loneliness",
        "lonely",
        "befriending",
        "companionship",
        "social contact",
        "social link",
        "friendly visit",
        "isolement",
        "solitude",
        "lien social",
        "liens sociaux",
        "convivialite",
        "maison de quartier",
    ),
    "general_practitioner": (
        "general practitioner",
        "general practice",
        "gp",
        "family doctor",
        "family physician",
        "primary care",
        "medecin generaliste",
        "medecins generalistes",
        "generaliste",
        "medecin traitant",
        "medecin de famille",
        "maison medicale",
        "poste medical de garde",
    ),
}
# Keyword weights: a taxonomy term says what the service is more surely than its description.
TERM_WEIGHT, NAME_WEIGHT, DESCRIPTION_WEIGHT = 3, 2, 1
# 4- or 5-digit codes (Belgium, France, Germany, the US...), optionally a range ("4000-4690",
# "4000 à 4690") expanded when it is at most MAX_RANGE codes long.
DIGIT_CODE = re.compile(r"(?<!\w)(\d{4,5})(?:\s*(?:-|–|—|to|à|a|au)\s*(\d{4,5}))?(?!\w)")
# A decimal part ("50.6326") or integer part ("1234.5") of a number such as a coordinate.
DECIMAL_BEFORE, DECIMAL_AFTER = re.compile(r"(?<!\d)\d{1,3}[.,]$"), re.compile(r"[.,]\d{1,3}(?!\d)")
# British codes, full ("AB1 2CD") or district only ("AB1"), as the official HSDS examples use.
UK_CODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)(?: (\d[A-Z]{2}))?\b")
MAX_RANGE = 1000
POSTCODE_KEYS = {
    "postcode",
    "postcodes",
    "postal_code",
    "postal_codes",
    "postalcode",
    "zip",
    "zipcode",
    "zip_code",
    "code_postal",
    "codes_postaux",
    "cp",
}
DAY_WORDS = {
    **{name: i for i, name in enumerate(DAY_NAMES)},
    **{name: i for i, name in enumerate(("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"))},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
}
CLOCK = r"(\d{1,2})(?:[:h](\d{2}))?h?"
HOURS = re.compile(rf"^\s*(?P<days>[a-z]+(?:\s*[-,]\s*[a-z]+)*)\.?\s+{CLOCK}\s*[-–]\s*{CLOCK}\s*$", re.IGNORECASE)


def normalize_text(text: str) -> str:
    """Return text lower-cased, without accents or punctuation, padded with spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " " + " ".join(re.split(r"[^a-z0-9]+", plain.lower())).strip() + " "


def _matches(keyword: str, text: str) -> bool:
    """Tell whether a keyword of CATEGORY_KEYWORDS occurs in a normalized text."""
    if keyword.endswith("*"):
        return f" {keyword[:-1]}" in text
    return any(f" {keyword}{ending} " in text for ending in ("", "s", "x", "es"))


def rank_categories(weighted_texts: Iterable[tuple[int, str]]) -> tuple[list[tuple[str, int]], list[str]]:
    """Score categories by weighted keyword hits; return (category, score) best first, and the hits."""
    scores: dict[str, int] = {}
    evidence: list[str] = []
    for weight, text in weighted_texts:
        plain = normalize_text(text)
        for category, keywords in CATEGORY_KEYWORDS.items():
            hits = [f"{k.rstrip('*')} ({category})" for k in keywords if _matches(k, plain)]
            if hits:
                scores[category] = scores.get(category, 0) + weight * len(hits)
                evidence.extend(hit for hit in hits if hit not in evidence)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], CATEGORIES.index(item[0])))
    return ranked, evidence


def term_category(term: Mapping) -> str | None:
    """Return the helpline category a taxonomy term names explicitly, if any."""
    code = term.get("code")
    return code if code in CATEGORIES else None


def decide_category(service: Mapping, terms: Sequence[Mapping], default_category: str | None):
    """Return (category, "mapped"/"defaulted"/"unresolved", candidates, evidence) for a service."""
    explicit = list(dict.fromkeys(c for c in map(term_category, terms) if c))
    if explicit:
        evidence = tuple(f"taxonomy term {c}" for c in explicit)
        if len(explicit) == 1:
            return explicit[0], "mapped", tuple(explicit), evidence
        ranked = [(c, 1) for c in explicit]
    else:
        texts = [(TERM_WEIGHT, t.get("name")) for t in terms]
        texts += [(NAME_WEIGHT, service.get(key)) for key in ("name", "alternate_name")]
        texts.append((DESCRIPTION_WEIGHT, service.get("description")))
        ranked, hits = rank_categories((w, text) for w, text in texts if isinstance(text, str))
        evidence = tuple(hits)
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return ranked[0][0], "mapped", tuple(c for c, _ in ranked), evidence
    candidates = tuple(c for c, _ in ranked)
    if default_category:
        return default_category, "defaulted", candidates, evidence
    return None, "unresolved", candidates, evidence


def postcodes_in_text(text: object) -> list[str]:
    """Return the postal codes written in a text, in order, each once."""
    if not isinstance(text, str):
        return []
    codes: list[str] = []
    for match in DIGIT_CODE.finditer(text):
        if DECIMAL_BEFORE.search(text, 0, match.start()) or DECIMAL_AFTER.match(text, match.end()):
            continue
        start, end = match.group(1), match.group(2)
        if end and len(end) == len(start) and 0 < int(end) - int(start) < MAX_RANGE:
            codes += [str(n).zfill(len(start)) for n in range(int(start), int(end) + 1)]
        else:
            codes += [start] + ([end] if end and len(end) == len(start) else [])
    codes += [" ".join(filter(None, match.groups())) for match in UK_CODE.finditer(text)]
    return list(dict.fromkeys(codes))


def _geojson_postcodes(extent: str) -> list[str]:
    """Return the postal codes held in postcode-like properties of a GeoJSON or TopoJSON extent."""
    try:
        data = json.loads(extent)
    except ValueError:
        return []
    codes: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key.lower() in POSTCODE_KEYS:
                    values = value if isinstance(value, list) else [value]
                    codes += [c for v in values for c in postcodes_in_text(str(v))]
                elif isinstance(value, (Mapping, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return codes


def area_postcodes(areas: Sequence[Mapping]) -> list[str]:
    """Return the sorted postcodes of HSDS service areas: from the extent, else name and description."""
    codes: list[str] = []
    for area in areas:
        extent, kind = area.get("extent"), (area.get("extent_type") or "text").lower()
        found = []
        if isinstance(extent, str) and kind == "text":
            found = postcodes_in_text(extent)
        elif isinstance(extent, str) and kind in ("geojson", "topojson"):
            found = _geojson_postcodes(extent)
        codes += found or postcodes_in_text(area.get("description")) + postcodes_in_text(area.get("name"))
    return sorted(set(codes))


def _clock(value: object) -> str | None:
    """Return "9:00" from an HSDS time such as "09:00", "09:00:00" or "09:00+01:00"."""
    match = re.match(r"^(\d{1,2}):(\d{2})", value) if isinstance(value, str) else None
    return f"{int(match.group(1))}:{match.group(2)}" if match else None


def _day_span(days: Sequence[int]) -> str:
    """Return days as text, consecutive runs as ranges ("lun-ven, dim")."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_NAMES[run[0]] if len(run) == 1 else f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}" for run in runs
    )


def _schedule_text(schedule: Mapping) -> str | None:
    """Return one schedule as text: its description, else its weekly days and hours."""
    description = schedule.get("description")
    if isinstance(description, str) and description.strip():
        return description.strip()
    opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
    if not (opens and closes) or schedule.get("freq", "WEEKLY") != "WEEKLY":
        return None
    byday = schedule.get("byday") if isinstance(schedule.get("byday"), str) else ""
    days = [DAY_CODES.index(code.strip()) for code in byday.split(",") if code.strip() in DAY_CODES]
    return f"{_day_span(days)} {opens}-{closes}".strip()


def schedules_text(schedules: Sequence[Mapping]) -> str | None:
    """Return HSDS schedules as one human-readable opening-hours text, or None."""
    texts = [text for text in map(_schedule_text, schedules) if text]
    return "; ".join(dict.fromkeys(texts)) or None


def _days(spec: str) -> list[int] | None:
    """Return the day indexes of "lun-ven" or "lun, mer, ven", or None if it is not days."""
    days: list[int] = []
    for part in re.split(r"\s*,\s*", spec.lower()):
        ends = [DAY_WORDS.get(word.strip()) for word in part.split("-")]
        if None in ends or len(ends) > 2 or ends[-1] < ends[0]:
            return None
        days += range(ends[0], ends[-1] + 1)
    return days


def schedule_fields(opening_hours: str) -> dict:
    """Return HSDS weekly schedule fields read from text like "lun-ven 9:00-17:00", or {}."""
    match = HOURS.match(opening_hours)
    days = _days(match.group("days")) if match else None
    if not days:
        return {}
    h1, m1, h2, m2 = match.group(2, 3, 4, 5)
    if int(h1) > 23 or int(h2) > 23 or int(m1 or 0) > 59 or int(m2 or 0) > 59:
        return {}
    return {
        "freq": "WEEKLY",
        "byday": ",".join(DAY_CODES[d] for d in sorted(set(days))),
        "opens_at": f"{int(h1):02d}:{m1 or '00'}",
        "closes_at": f"{int(h2):02d}:{m2 or '00'}",
    }
